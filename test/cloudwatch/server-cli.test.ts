// The CloudWatch test server started by hand (npm run cloudwatch-test-server): --help printed help
// by starting the server (it read no flag but --port and --host), so it never returned.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { ROOT } from '../support/cloudwatch-cli.js';
import { serverFlags } from '../support/cloudwatch-server.js';

const server = (...args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', 'test/support/cloudwatch-server.ts', ...args],
  { cwd: ROOT, encoding: 'utf8', timeout: 30_000 });

test('--help (and -h) prints the flags and what the server does, and exits 0 without listening', () => {
  for (const flag of ['--help', '-h']) {
    const r = server(flag);
    assert.equal(r.status, 0, `${flag}: ${r.stderr} (signal ${r.signal})`);
    assert.match(r.stdout, /^Usage: npm run cloudwatch-test-server -- \[--port N\] \[--host H\]/);
    assert.match(r.stdout, /^ {2}--port N {5}TCP port to listen on/m);
    assert.match(r.stdout, /^ {2}--host H {5}address to listen on \(default 127\.0\.0\.1\)/m);
    assert.match(r.stdout, /CloudWatch-Logs-compatible HTTP server/);
    assert.match(r.stdout, /FilterLogEvents/);
    assert.doesNotMatch(r.stdout, /listening on/);
  }
});

test('an unknown flag or a bad port is one line, exit 2, no server', () => {
  const r = server('--prot', '4566');
  assert.equal(r.status, 2, r.stderr);
  assert.equal(r.stderr, "cloudwatch-test-server: Unknown option '--prot' (see --help)\n");
  assert.deepEqual(serverFlags(['--port', '70000']), { error: '--port "70000": give a port number from 0 to 65535' });
  assert.deepEqual(serverFlags(['--port', '4566', '--host', '0.0.0.0']), { help: false, port: 4566, host: '0.0.0.0' });
  assert.deepEqual(serverFlags([]), { help: false, port: 0, host: '127.0.0.1' });
});
