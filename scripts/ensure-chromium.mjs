#!/usr/bin/env node
// `npm test`'s pretest step: the report.html end-to-end test drives Debian's Chromium
// (playwright-core never downloads a browser here), so a fresh machine gets it before
// the tests run. Root (or passwordless sudo) on a machine with apt-get installs it;
// anywhere else the step stops with one line saying which command to run.
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';

const CHROMIUM = '/usr/bin/chromium';
// fonts-dejavu-core: the page's text needs a font; --no-install-recommends keeps the rest out.
const PACKAGES = ['chromium', 'fonts-dejavu-core'];
const say = (line) => process.stderr.write(`pretest: ${line}\n`);

if (existsSync(CHROMIUM)) process.exit(0);

const has = (cmd) => spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;
const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
const sudo = !isRoot && has('sudo') && spawnSync('sudo', ['-n', 'true'], { stdio: 'ignore' }).status === 0;
const manual = `sudo apt-get install --no-install-recommends ${PACKAGES.join(' ')}`;

if (!has('apt-get')) {
  say(`${CHROMIUM} is missing and this machine has no apt-get: install Chromium so that ${CHROMIUM} exists (Debian/Ubuntu: ${manual}), then run npm test again`);
  process.exit(1);
}
if (!isRoot && !sudo) {
  say(`${CHROMIUM} is missing and installing it needs root: run \`${manual}\`, then npm test again`);
  process.exit(1);
}

const prefix = isRoot ? [] : ['sudo', '-n'];
// Wait for another apt run's lock instead of failing at once (two test runs may start together).
const lock = ['-o', 'DPkg::Lock::Timeout=600'];
const run = (args) => {
  const [cmd, ...rest] = [...prefix, ...args];
  const r = spawnSync(cmd, rest, { stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  return r.status === 0;
};

say(`${CHROMIUM} is missing: installing Debian's ${PACKAGES.join(' ')} for the report.html test (apt-get, about a minute)`);
if (!run(['apt-get', ...lock, 'update', '-qq'])
  || !run(['apt-get', ...lock, 'install', '-y', '-qq', '--no-install-recommends', ...PACKAGES])
  || !existsSync(CHROMIUM)) {
  say(`installing chromium failed (see apt-get's message above): run \`${manual}\` yourself, then npm test again`);
  process.exit(1);
}
say(`installed ${CHROMIUM}`);
