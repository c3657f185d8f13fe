// Unrecognised lines that are plain text (src/parse/plain-text.ts): a script's own prints are counted
// and quoted as information, not a data-quality warning; a line that looks like it carried a metric,
// a row of numbers or an error still warns. The captures are real (fixtures/README.md); the lines that
// must still warn are bad inputs, typed by hand and added to a real capture's lines.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { collectRuns } from '../../src/runs/collect.js';
import { analyzeRun } from '../../src/analyze/analyze.js';
import { checkById } from '../../src/analyze/checks.js';
import { dataQuality } from '../../src/wording/checks.js';
import { iterate, readRuns, rec } from './helpers.js';
import type { ParsedLog } from '../../src/types.js';

const GEN = '2026-11-30T12:00:00.000Z';
const HF = 'fixtures/formats/hf-trainer.log';

function judged(log: ParsedLog, i = 0) {
  const run = log.runs[i]!;
  return analyzeRun(run, log.quality, { generatedAt: GEN });
}

test('hf-trainer.log: the script\'s 13 own prints ([INFO] Loading labeled data…) are information, not a data-quality warning', async () => {
  const log = await readRuns(HF);
  const a = judged(log);
  assert.deepEqual([a.quality.unrecognised, a.quality.plain_text], [13, 13]);
  const check = checkById(a.checks, 'data.quality')!;
  assert.deepEqual([check.status, check.value, check.message], ['info', 0, dataQuality(a.quality)]);
  assert.match(check.message, /^13 lines of plain text .* out of 59 records, quoted under Data Quality: counted, not a problem\./);
  assert.ok(!a.verdict.findings.some((f) => f.rule === 'data-quality'), a.verdict.reason);
  // still listed: the first five quoted, as plain text
  assert.equal(a.quality.examples.length, 5);
  assert.equal(a.quality.examples[0]!.text, '[INFO] Loading labeled data from: user/Machine Learning/IndoHoaxDetector/preprocessed_data_FINAL_FINAL.csv');
  assert.ok(a.quality.examples.every((e) => e.plain === true));
});

test('keras1-verbose2.log: "stopped after  21 epochs" after a fit is no data-quality finding of either run', async () => {
  const log = await readRuns('fixtures/formats/keras1-verbose2.log');
  for (let i = 0; i < log.runs.length; i++) {
    const a = judged(log, i);
    assert.notEqual(checkById(a.checks, 'data.quality')!.status, 'warn', a.run.run_id);
    assert.ok(!a.verdict.findings.some((f) => f.rule === 'data-quality'), a.run.run_id);
  }
});

test('the broken rows of a CSV (fixtures/bad/csv-broken-rows.csv) still warn: rows of numbers are not plain text', async () => {
  const a = judged(await readRuns('fixtures/bad/csv-broken-rows.csv'));
  const check = checkById(a.checks, 'data.quality')!;
  assert.deepEqual([check.status, check.value, a.quality.plain_text], ['warn', 3, undefined]);
  assert.ok(a.verdict.findings.some((f) => f.rule === 'data-quality'));
});

/** hf-trainer.log's lines with a hand-typed bad line put in after the run's dicts (line 39), after its 13 prints but one. */
async function hfWith(bad: string) {
  const lines = readFileSync(HF, 'utf8').split('\n');
  lines.splice(38, 0, bad);
  const dir = mkdtempSync(join(tmpdir(), 'plain-text-'));
  try {
    writeFileSync(join(dir, 'hf-trainer.log'), lines.join('\n'));
    return judged(await readRuns(join(dir, 'hf-trainer.log')));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('a line that looks like it carried a metric, an event or an error still warns, and is quoted before the prints', async () => {
  for (const bad of [
    '{"loss": 0.0033, "epoch": 2.86',                                  // malformed JSON
    'best model so far: val_loss=0.0336 at step 2500, saved',         // a print of a metric no reader took
    'Traceback (most recent call last):',
    'RuntimeError: CUDA out of memory. Tried to allocate 20.00 MiB',
    '0.0033,2.86,1500',                                               // a row of numbers
  ]) {
    const a = await hfWith(bad);
    const check = checkById(a.checks, 'data.quality')!;
    assert.deepEqual([check.status, check.value], ['warn', 1], bad);
    assert.ok(a.verdict.findings.some((f) => f.rule === 'data-quality'), bad);
    assert.match(check.message, /^14 unrecognised \(1 of them not plain text\) out of 60 records; see Data Quality\. 13 lines of plain text/, bad);
    // five quotes at most: the bad line takes the last print's place
    assert.equal(a.quality.examples.length, 5);
    assert.equal(a.quality.examples.at(-1)!.text, bad.slice(0, 199));
    assert.equal(a.quality.examples.at(-1)!.plain, undefined);
  }
});

test('plain text that is most of the records warns: the log may not be a training log', async () => {
  const prints = Array.from({ length: 12 }, (_, i) => `[INFO] step ${i} of the data pipeline done`.replace(/step \d+ /, 'stage '));
  const lines = [...prints, "{'loss': 0.1413, 'epoch': 1.0}", "{'eval_loss': 0.037, 'eval_accuracy': 0.9922, 'epoch': 1.0}"];
  const a = judged(await collectRuns(iterate(lines.map((m) => rec(m)))));
  const check = checkById(a.checks, 'data.quality')!;
  assert.deepEqual([check.status, check.value, a.quality.plain_text], ['warn', 12, 12]);
  assert.match(check.message, /12 of them plain text, most of the records/);
});

test('a Python traceback\'s frame lines are trouble, not plain text: only its line of code reads as a print', async () => {
  const { isPlainText } = await import('../../src/parse/plain-text.js');
  const lines = ['Traceback (most recent call last):', '  File "evaluate.py", line 88, in <module>', '    main()', 'OSError: [Errno 28] No space left on device'];
  assert.deepEqual(lines.map(isPlainText), [false, false, true, false]);
});
