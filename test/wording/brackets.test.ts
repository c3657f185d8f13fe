// Brackets never sit side by side or inside each other in the report's prose: "the previous 20 runs
// (96.40% to 98.10% (median 97.20%))", "Convergence (last-epoch val_loss improvement) (`convergence`)",
// "above chance (10% for 10 classes) (the validation size is unknown …)" and "wasm (tfjs-node not
// installed; wasm loaded (SIMD))" read badly. Scanned in the Markdown the real bin writes for the
// captures whose sentences had them, and for a run below its history's band.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DIST_BIN, ROOT, runReport, sandbox } from '../e2e/report-cli.js';
import { historyLog } from '../support/history-runs.js';

/** Cells and lines of Markdown whose brackets nest or touch; code spans, link targets and "fit()" are names, not brackets. */
export function bracketSlips(md: string): string[] {
  const found: string[] = [];
  for (const raw of md.split('\n')) {
    const line = raw.replace(/\]\([^)]*\)/g, ']').replace(/`[^`]*`/g, 'CODE').replace(/\b\w+\(\)/g, 'NAME');
    for (const cell of line.split('|')) {
      let depth = 0;
      let nested = false;
      for (const c of cell) {
        if (c === '(' && ++depth > 1) nested = true;
        if (c === ')') depth = Math.max(0, depth - 1);
      }
      if (nested || /\)\s*\(/.test(cell)) found.push(cell.trim());
    }
  }
  return found;
}

test('the bracket scan finds what it is for', () => {
  assert.deepEqual(bracketSlips('| Convergence (last-epoch) (`convergence`) | runs (1 to 2 (median 1.5)) | fit() (epoch 1) |'),
    ['Convergence (last-epoch) (CODE)', 'runs (1 to 2 (median 1.5))']);
});

test('no nested or side-by-side brackets in the reports of the captures and of a run below its history', async () => {
  const { dir, out } = sandbox();
  const history = join(dir, 'history.jsonl');
  writeFileSync(history, historyLog(ROOT, { runs: 21, final: (i) => (i === 20 ? { val_accuracy: 0.965, val_loss: 0.101 } : null) }));
  const inputs: string[][] = [
    ['fixtures/mnist-train-5epochs.jsonl'], ['fixtures/formats/generic-json.jsonl'], ['fixtures/formats/plain-print.log'],
    ['fixtures/formats/keras1-verbose2.log', '--run', 'all'], ['fixtures/sklearn-svm-confusion-matrix.log'],
    [history, '--history', '--fail-on', 'below_history', '--baseline', 'hist-10'],
  ];
  for (const [i, [input, ...more]] of inputs.entries()) {
    const r = await runReport(['-i', input!, '-o', join(out, String(i)), '-f', 'md,summary', '--generated-at', '2026-11-30T12:00:00Z', ...more], { bin: DIST_BIN });
    assert.ok(r.code === 0 || r.code === 3, r.stderr);
    const files = readdirSync(join(out, String(i)), { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.md'));
    assert.ok(files.length >= 2, input);
    for (const f of files) assert.deepEqual(bracketSlips(readFileSync(join(out, String(i), f), 'utf8')), [], `${input}: ${f}`);
  }
});
