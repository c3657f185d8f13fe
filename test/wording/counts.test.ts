// Wording moved into src/wording/ in the issue-13 leftovers: counts in the right
// number, the below_history gate's shown value when there is a band but no value,
// and --history's help quoting the band rule that the History section states.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeRun } from '../../src/analyze/analyze.js';
import { compareHistory, earlierRun } from '../../src/analyze/history.js';
import { evaluateGates } from '../../src/analyze/gates.js';
import { parseGateRules } from '../../src/analyze/gates-rules.js';
import type { Run } from '../../src/types.js';
import { indexIntro } from '../../src/wording/document.js';
import { readCounts, wroteIndex, wroteRun } from '../../src/wording/cli.js';
import { dataQuality, runtimeChatter } from '../../src/wording/checks.js';
import { marksAlt } from '../../src/wording/charts.js';
import { historyFlag } from '../../src/wording/help.js';
import { bandRule } from '../../src/wording/history.js';
import { epoch, GEN, quality, run } from '../analyze/build.js';

test('counts take the noun in the right number', () => {
  assert.equal(indexIntro('T', 1), 'Generated T by mnist-report: 1 run, newest first.');
  assert.equal(indexIntro('T', 8), 'Generated T by mnist-report: 8 runs, newest first.');
  assert.equal(wroteIndex(1, 'out'), 'wrote an index of 1 run to out/');
  assert.equal(wroteRun('', 17, 'out', 'r', '"r"', 'completed', 1), 'wrote 17 files to out/r/ (run "r", completed, 1 epoch)');
  assert.equal(wroteRun('run 2/8: ', 19, 'out', 'r', '"r"', 'completed', 5), 'run 2/8: wrote 19 files to out/r/ (run "r", completed, 5 epochs)');
  assert.equal(wroteRun('', 1, 'out', 'r', '"r"', 'no epochs', 0), 'wrote 1 file to out/r/ (run "r", no epochs, 0 epochs)');
  assert.equal(readCounts(98, 98, 1), '98 records, 98 recognised, 1 run');
  assert.equal(readCounts(1, 0, 0), '1 record, 0 recognised, 0 runs');
  assert.equal(marksAlt({ best: null, onset: null, notRun: 1, nonFinite: false }), '; the grey band is the 1 planned epoch that never ran');
  assert.equal(marksAlt({ best: 3, onset: null, notRun: 2, nonFinite: false }),
    '; the dotted vertical line is the best epoch (3); the grey band is the 2 planned epochs that never ran');
});

test('data-quality counts take the noun in the right number, and counts of thousands are written as every count is', () => {
  // each "1 … lines" / "1 invalid events" below was what the sentence said before
  assert.equal(dataQuality(quality({ records: 9, recognised: 7, ignored: 1 })), 'All 7 meaningful lines were recognised (1 blank or progress line ignored).');
  assert.equal(dataQuality(quality({ records: 9, recognised: 6, ignored: 2, runtime_chatter: 1 })),
    'All 6 meaningful lines were recognised (1 blank or progress line and 1 line of runtime chatter ignored).');
  assert.equal(dataQuality(quality({ records: 8, recognised: 6, invalid_events: 1, fragments: 1 })),
    '1 invalid event and 1 line fragment (cut at 256 KB) out of 8 records; see Data Quality.');
  assert.equal(dataQuality(quality({ records: 4000, recognised: 2000, duplicate_records: 2000 })),
    'All 2,000 meaningful lines were recognised (0 blank or progress lines ignored). 2,000 duplicate records (events read twice) were dropped.');
  assert.match(dataQuality(quality({ duplicate_records: 1 })), / 1 duplicate record \(an event read twice\) was dropped\.$/);
  assert.match(runtimeChatter(quality({ runtime_chatter: 1 }))!, /^1 of the ignored lines is the runtime's own/);
  assert.match(runtimeChatter(quality({ runtime_chatter: 1200 }))!, /^1,200 of the ignored lines are the runtime's own/);
  assert.equal(readCounts(1_000_202, 1_000_000, 1), '1,000,202 records, 1,000,000 recognised, 1 run');
});

test('below_history with a band but no final validation accuracy shows "not logged" and fails, as a gate on a missing metric does', () => {
  const rules = parseGateRules([{ text: 'below_history', origin: '--fail-on' }]);
  const histRun = (i: number, va: number | null): Run => run({
    run_id: `h${i}`, first_time: `2026-10-${String(1 + i).padStart(2, '0')}T07:00:00.000Z`,
    epochs: [1, 2, 3, 4].map((n) => epoch(n)).concat(epoch(5, { val_accuracy: va, non_finite: va === null ? ['val_accuracy'] : [] })),
  });
  const analyse = (r: Run) => analyzeRun(r, quality(), { generatedAt: GEN, sources: ['f.jsonl'] });
  const runs = Array.from({ length: 6 }, (_, i) => histRun(i, 0.97 + (i % 2) * 0.002));
  const current = histRun(6, null);
  const a = analyse(current);
  const g = evaluateGates({ ...a, history: compareHistory(a, [...runs, current], 20, ['f.jsonl'], (r) => earlierRun(analyse(r))) }, rules).results[0]!;
  assert.equal(g.shown.value, 'not logged');
  assert.equal(g.status, 'fail');
  assert.match(g.message, /The gate fails: there is no final validation accuracy \(not logged, or NaN\/Infinity\) to place against the band\.$/);
  assert.doesNotMatch(g.message, /no band/);
});

test('--history\'s help states the band rule of the History section, not a copy of it', () => {
  assert.ok(historyFlag().includes(`the band ${bandRule()}, `), historyFlag());
});
