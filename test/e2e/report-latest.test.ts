// Which run is the latest when some runs have no times (runs/builder.ts byFirstSeen): a text run after an
// mnist-train run in the input is the later one. --list, --run latest and the --run all index agree.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, runReport, sandbox } from './report-cli.js';

const GEN = ['--generated-at', '2026-11-24T00:00:00Z'];
const EVENTS = join(ROOT, 'fixtures/mnist-train-5epochs.jsonl');
const KERAS = join(ROOT, 'fixtures/formats/keras2-verbose2-checkpoint.log');

test('mnist-train events, then a Keras log in the same file: --list ends with the Keras run, --run latest reports it, the index puts it on top', { timeout: 120_000 }, async () => {
  const { dir, out } = sandbox();
  const log = join(dir, 'mixed.log');
  writeFileSync(log, readFileSync(EVENTS, 'utf8') + readFileSync(KERAS, 'utf8'));
  const list = await runReport(['-i', log, '--list', '-f', 'json']);
  assert.equal(list.code, 0, list.stderr);
  assert.deepEqual((JSON.parse(list.stdout) as { run_id: string }[]).map((r) => r.run_id), ['20261130T070537Z-f4b168', 'mixed']);
  const latest = await runReport(['-i', log, '-o', out, '-f', 'json', ...GEN]);
  assert.equal(latest.code, 0, latest.stderr);
  assert.match(latest.stderr, /wrote 1 file to .*\/mixed\/ \(run "mixed", completed, 5 epochs\)/);
  assert.deepEqual(readdirSync(out), ['mixed']);
  const all = await runReport(['-i', log, '-o', join(dir, 'all'), '-f', 'json', '--run', 'all', ...GEN]);
  assert.equal(all.code, 0, all.stderr);
  const index = JSON.parse(readFileSync(join(dir, 'all', 'index.json'), 'utf8')) as { runs: { run_id: string }[] };
  assert.deepEqual(index.runs.map((r) => r.run_id), ['mixed', '20261130T070537Z-f4b168']);
  // the other way round, as two inputs: the mnist-train run is the latest
  const before = await runReport(['-i', KERAS, '-i', EVENTS, '--list', '-f', 'json']);
  assert.equal(before.code, 0, before.stderr);
  assert.deepEqual((JSON.parse(before.stdout) as { run_id: string }[]).map((r) => r.run_id), ['keras2-verbose2-checkpoint', '20261130T070537Z-f4b168']);
});
