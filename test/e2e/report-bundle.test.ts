// The shipped bin is an esbuild bundle with the templates precompiled
// (scripts/build-report.mjs; `npm test` builds first). The other e2e tests run
// src/ through tsx, where templates are compiled at run time: this one checks that
// the bundle writes the same bytes (the committed example report).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DIST_BIN as BIN, EXAMPLE_GENERATED_AT, listFiles, ROOT, sandbox } from './report-cli.js';

test('the bundled bin reproduces the committed example report byte for byte', () => {
  assert.ok(existsSync(BIN), 'dist/cli/report.cjs is missing: run `npm run build`');
  // a shell line first, which starts node on the same file (test/cloudwatch/bin-extra-ca.test.ts)
  assert.match(readFileSync(BIN, 'utf8').slice(0, 300), /^#!\/usr\/bin\/env sh\n":" \/\/;.*exec node "\$0" "\$@"\n/, 'the bin starts with its shell line');
  const { out } = sandbox();
  const r = spawnSync(process.execPath, [BIN, '--input', 'fixtures/cloudwatch-filter-log-events.json', '--out', out, '--generated-at', EXAMPLE_GENERATED_AT],
    { cwd: ROOT, encoding: 'utf8', env: { ...process.env, SOURCE_DATE_EPOCH: '' } });
  assert.equal(r.status, 0, r.stderr);
  const committed = listFiles(join(ROOT, 'reports'));
  assert.deepEqual(listFiles(out), committed);
  for (const f of committed) {
    assert.ok(readFileSync(join(ROOT, 'reports', f)).equals(readFileSync(join(out, f))), `${f} differs from reports/${f}`);
  }
});

test('the bundled bin prints yargs messages in the user\'s language, as unbundled yargs does', () => {
  const r = spawnSync(process.execPath, [BIN, '--bogus'], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, LANG: 'de_DE.UTF-8', LC_ALL: '', LC_MESSAGES: '' } });
  assert.equal(r.status, 2);
  assert.equal(r.stderr, 'mnist-report: Unbekanntes Argument: bogus (see --help)\n');
});

test('the bundled bin prints the package version for --version', () => {
  const r = spawnSync(process.execPath, [BIN, '--version'], { cwd: ROOT, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout, `${JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version}\n`);
});

test('the bundled bin loads resvg (a native addon, slow to load) only to draw charts, and lays out --help on demand', () => {
  // a preload that refuses @resvg/resvg-js and its native binding (which both threads require by path when
  // the build found it): -f json must not need it, a report with charts must.
  // --require (not --import), so that it runs in the PNG worker too, which requires resvg by path
  const { dir, out } = sandbox();
  const hook = join(dir, 'refuse-resvg.cjs');
  writeFileSync(hook, 'const M = require("node:module"); const load = M._load; ' +
    'M._load = function (request, ...rest) { if (/^@resvg\\/resvg-js$|resvg-js[\\\\/]index\\.js$|resvgjs\\.[\\w-]+\\.node$/.test(request)) throw new Error("RESVG_LOADED"); ' +
    'return load.call(this, request, ...rest); };\n');
  const env = { ...process.env, NODE_OPTIONS: `--require=${hook}` };
  const run = (...args: string[]) => spawnSync(process.execPath, [BIN, '--input', 'fixtures/cloudwatch-filter-log-events.json', '--out', out, ...args],
    { cwd: ROOT, encoding: 'utf8', env });
  const json = run('-f', 'json');
  assert.equal(json.status, 0, json.stderr);
  const charts = run('-f', 'md');
  assert.notEqual(charts.status, 0);
  assert.match(charts.stderr, /RESVG_LOADED/);
  const help = spawnSync(process.execPath, [BIN, '--help'], { cwd: ROOT, encoding: 'utf8' });
  assert.equal(help.status, 0, help.stderr);
  assert.match(help.stdout, /^ {2}-i, --input {2,}Log file to read/m);
});

test('a small file starts the PNG worker before the reading; a usage error after it, or a run without charts, still ends the process', () => {
  const { dir, out } = sandbox();
  // the run's first line alone: a run that started, with no epoch and so no chart
  const started = join(dir, 'started.jsonl');
  writeFileSync(started, `${readFileSync(join(ROOT, 'fixtures/mnist-train-5epochs.jsonl'), 'utf8').split('\n')[0]}\n`);
  // (a usage error exits 2; the run that started has nothing to judge yet, 4)
  for (const [args, code] of [[['--input', 'fixtures/mnist-train-5epochs.jsonl', '--baseline', 'no-such-run'], 2], [['--input', started], 4]] as const) {
    // (the worker kept the process alive, with a listener added after its unref: 10 of 10 runs hung)
    const r = spawnSync(process.execPath, [BIN, ...args, '--out', out], { cwd: ROOT, encoding: 'utf8', timeout: 30_000 });
    assert.equal(r.signal, null, `${args.join(' ')}: still running after 30 s`);
    assert.equal(r.status, code, r.stderr);
  }
});

test('the bundled bin draws the example\'s charts with the expressions compiled at build time, not with Function', () => {
  const { out } = sandbox();
  const r = spawnSync(process.execPath, ['--require', join(ROOT, 'test/support/count-functions.cjs'), BIN,
    '--input', 'fixtures/cloudwatch-filter-log-events.json', '--out', out, '--generated-at', EXAMPLE_GENERATED_AT], { cwd: ROOT, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const made = Number(/Function: (\d+)/.exec(r.stderr)?.[1]);
  // ~600 before (vega compiles each expression, field getter and comparator of each chart's View);
  // what is left is text that depends on the run's data (an axis' values)
  assert.ok(made < 20, `${made} functions compiled from text`);
});
