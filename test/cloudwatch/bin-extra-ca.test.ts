// The bin run as a command (dist/cli/report.cjs is a shell line, then JavaScript) starts node
// without NODE_EXTRA_CA_CERTS unless its arguments name a log group: Node loads the
// certificates that variable names at every start (~50 ms for the system bundle), and only
// CloudWatch's TLS needs them. Here the test server speaks TLS with a certificate no system
// trusts (test/support/tls/), so a --log-group run works only if node got the variable.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
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

async function epochsOf(out: string): Promise<number> {
  const [folder] = await readdir(out);
  return (JSON.parse(await readFile(join(out, folder!, 'report.json'), 'utf8')) as { epochs: unknown[] }).epochs.length;
}

test('a file read through the command starts node without NODE_EXTRA_CA_CERTS; `node report.cjs` keeps it', async () => {
  // a file that does not exist: node says so on stderr at its start when it reads the variable
  const env = { ...process.env, NODE_EXTRA_CA_CERTS: join(tmp, 'no-such-bundle.pem') };
  const args = ['--input', FIXTURE, '--format', 'json', '--generated-at', AT];
  const command = await runCommand([...args, '--out', join(tmp, 'file-command')], env);
  assert.equal(command.code, 0, command.stderr);
  assert.doesNotMatch(command.stderr, IGNORED);
  assert.equal(await epochsOf(join(tmp, 'file-command')), 5);
  const direct = await runNode([REPORT_BIN, ...args, '--out', join(tmp, 'file-node')], env);
  assert.equal(direct.code, 0, direct.stderr);
  assert.match(direct.stderr, IGNORED);
});

test('a --log-group run through the command trusts the certificates NODE_EXTRA_CA_CERTS names (TLS to a private CA)', async () => {
  const env = childEnv(server, { NODE_EXTRA_CA_CERTS: CA });
  for (const flag of ['--log-group', '--logGroup']) {
    const out = join(tmp, `group${flag}`);
    const r = await runCommand([`${flag}=${G}`, '--endpoint-url', server.url, '--format', 'json', '--out', out, '--generated-at', AT], env);
    assert.equal(r.code, 0, `${flag}: ${r.stderr}`);
    assert.equal(await epochsOf(out), 5, flag);
  }
  // without the variable the same read fails on the certificate: the run above needed it
  const { NODE_EXTRA_CA_CERTS: _, ...without } = env;
  const r = await runCommand(['--log-group', G, '--endpoint-url', server.url, '--max-attempts', '1', '--format', 'json', '--out', join(tmp, 'untrusted')], without);
  assert.notEqual(r.code, 0);
  assert.match(r.stderr, /self[- ]signed certificate/i);
});
