// The bin run as a command (dist/cli/report.cjs is a shell line, then JavaScript) starts node
// without NODE_EXTRA_CA_CERTS unless its arguments name a log group: Node loads the
// certificates that variable names at every start (~50 ms for the system bundle), and only
// CloudWatch's TLS needs them. Here the test server speaks TLS with a certificate no system
// trusts (test/support/tls/), so a --log-group run works only if node got the variable.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { startCloudWatchServer, type CloudWatchServer } from '../support/cloudwatch-server.js';
import { childEnv } from '../support/cloudwatch-sdk.js';
import { REPORT_BIN, ROOT, runNode, runProgram, type Ran } from '../support/cloudwatch-cli.js';

const TLS = join(ROOT, 'test/support/tls');
const CA = join(TLS, 'cert.pem');
const G = '/ecs/mnist-training';
const FIXTURE = 'fixtures/mnist-train-5epochs.jsonl';
const AT = '2026-11-24T00:00:00Z';
const IGNORED = /Ignoring extra certs from/;

let server: CloudWatchServer;
let tmp: string;

before(async () => {
  server = await startCloudWatchServer({ tls: { key: readFileSync(join(TLS, 'key.pem')), cert: readFileSync(CA) } });
  tmp = await mkdtemp(join(tmpdir(), 'bin-ca-'));
  const lines = readFileSync(join(ROOT, FIXTURE), 'utf8').split('\n').filter(Boolean);
  const t0 = Date.UTC(2026, 10, 20);
  server.seed.stream(G, 'mnist-train/run', lines.map((message, i) => ({ timestamp: t0 + i * 1000, message })));
});
after(async () => {
  await server.close();
  await rm(tmp, { recursive: true, force: true });
});

/** The bin executed as a command, as a shell runs `mnist-report …`; the `node` it finds on PATH is this test's. */
const runCommand = (args: string[], env: NodeJS.ProcessEnv): Promise<Ran> =>
  runProgram(REPORT_BIN, args, { ...env, PATH: `${dirname(process.execPath)}${delimiter}${env.PATH ?? ''}` });

async function reportOf(out: string): Promise<{ epochs: unknown[]; title: string }> {
  const [folder] = await readdir(out);
  return JSON.parse(await readFile(join(out, folder!, 'report.json'), 'utf8')) as { epochs: unknown[]; title: string };
}

test('a file read through the command starts node without NODE_EXTRA_CA_CERTS; `node report.cjs` keeps it', async (t) => {
  // a file that does not exist: node says so on stderr at its start when it reads the variable
  const env = { ...process.env, NODE_EXTRA_CA_CERTS: join(tmp, 'no-such-bundle.pem') };
  // Node 20 reads it as it starts; a node that reads it only when TLS is first used has nothing to save here
  if (!IGNORED.test(spawnSync(process.execPath, ['-e', '0'], { env, encoding: 'utf8' }).stderr)) {
    t.skip(`node ${process.version} does not read NODE_EXTRA_CA_CERTS as it starts`);
    return;
  }
  // a title that names the flag, in one argument with spaces: the shell line passes it whole (and keeps the variable)
  const args = ['--input', FIXTURE, '--format', 'json', '--generated-at', AT];
  const command = await runCommand([...args, '--out', join(tmp, 'file command')], env);
  assert.equal(command.code, 0, command.stderr);
  assert.doesNotMatch(command.stderr, IGNORED);
  assert.equal((await reportOf(join(tmp, 'file command'))).epochs.length, 5);
  const titled = await runCommand([...args, '--title', 'not a --log-group "run"', '--out', join(tmp, 'titled')], env);
  assert.equal(titled.code, 0, titled.stderr);
  assert.match(titled.stderr, IGNORED);
  assert.equal((await reportOf(join(tmp, 'titled'))).title, 'not a --log-group "run"');
  const direct = await runNode([REPORT_BIN, ...args, '--out', join(tmp, 'file-node')], env);
  assert.equal(direct.code, 0, direct.stderr);
  assert.match(direct.stderr, IGNORED);
});

test('a --log-group run through the command trusts the certificates NODE_EXTRA_CA_CERTS names (TLS to a private CA)', async () => {
  const env = childEnv(server, { NODE_EXTRA_CA_CERTS: CA });
  // the flag after others, in either spelling, with or without =
  for (const flag of [['--log-group', G], [`--logGroup=${G}`]]) {
    const out = join(tmp, `group ${flag[0]!.slice(0, 11)}`);
    const r = await runCommand(['--format', 'json', '--endpoint-url', server.url, ...flag, '--out', out, '--generated-at', AT], env);
    assert.equal(r.code, 0, `${flag[0]}: ${r.stderr}`);
    assert.equal((await reportOf(out)).epochs.length, 5, flag[0]);
  }
  // without the variable the same read fails on the certificate: the run above needed it
  const { NODE_EXTRA_CA_CERTS: _, ...without } = env;
  const r = await runCommand(['--log-group', G, '--endpoint-url', server.url, '--max-attempts', '1', '--format', 'json', '--out', join(tmp, 'untrusted')], without);
  assert.notEqual(r.code, 0);
  assert.match(r.stderr, /self[- ]signed certificate/i);
});
