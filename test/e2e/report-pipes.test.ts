// A reader that closes its pipe early (`--list | head -1`, `2>&1 | grep -m1 …`) is not a failure:
// mnist-report used to end with an unhandled EPIPE (a stack trace, exit 1), and when it was stderr,
// before the report was written. Here the test closes its end of the pipe before the bin writes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPORT_BIN, ROOT } from '../support/cloudwatch-cli.js';
import { tempDir } from '../faults/support.js';

const FIXTURE = join(ROOT, 'fixtures/mnist-train-5epochs.jsonl');

/** Runs `node bin args` with `closed` ('stdout' or 'stderr') closed by its reader at once; the other is collected. */
function runWithClosed(bin: string, args: string[], closed: 'stdout' | 'stderr'): Promise<{ code: number | null; other: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    child[closed].destroy();
    let other = '';
    child[closed === 'stdout' ? 'stderr' : 'stdout'].setEncoding('utf8').on('data', (d: string) => { other += d; });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, other }));
  });
}

test('--list with its reader gone: exit 0, no stack trace', { timeout: 60_000 }, async (t) => {
  const dir = tempDir(t, 'mnist-report-pipes-');
  // many runs, so that the listing is written after the reader has gone
  const lines = readFileSync(FIXTURE, 'utf8').trim().split('\n');
  const many = Array.from({ length: 50 }, (_, i) => lines.map((l) => l.replace(/"run_id":"([^"]+)"/, `"run_id":"$1-${i}"`))).flat();
  const file = join(dir, 'many.jsonl');
  writeFileSync(file, `${many.join('\n')}\n`);
  const r = await runWithClosed(REPORT_BIN, ['-i', file, '--list'], 'stdout');
  assert.equal(r.code, 0, r.other);
  assert.doesNotMatch(r.other, /EPIPE|Error|at /, 'no error and no stack on stderr');
  assert.match(r.other, /50 runs/);
});

test('-o - with its reader gone: exit 0, no stack trace', { timeout: 60_000 }, async () => {
  const r = await runWithClosed(REPORT_BIN, ['-i', FIXTURE, '-f', 'md', '-o', '-'], 'stdout');
  assert.equal(r.code, 0, r.other);
  assert.doesNotMatch(r.other, /EPIPE|Error|at /);
});

test('stderr\'s reader gone: the report is still written, exit 0', { timeout: 60_000 }, async (t) => {
  const out = join(tempDir(t, 'mnist-report-pipes-'), 'out');
  const r = await runWithClosed(REPORT_BIN, ['-i', FIXTURE, '-f', 'json', '-o', out], 'stderr');
  assert.equal(r.code, 0);
  const json = JSON.parse(readFileSync(join(out, '20261130T070537Z-f4b168', 'report.json'), 'utf8')) as { run: { outcome: string } };
  assert.equal(json.run.outcome, 'completed');
});
