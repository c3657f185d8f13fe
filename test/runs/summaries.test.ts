// Runs kept as summaries (CollectOptions.summaries, for --list and --history): what a listing and
// a history read of them must be what they read of the whole runs, and the runs kept whole must
// be exactly as without summaries.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeRun } from '../../src/analyze/analyze.js';
import { earlierRun, historyRun } from '../../src/analyze/history.js';
import { settingChanges } from '../../src/analyze/baseline.js';
import { LIST_SUMMARIES, listRuns } from '../../src/cli/report-list.js';
import { collectRuns, type Summaries } from '../../src/runs/collect.js';
import { readFileRecords } from '../../src/sources/file.js';
import type { LogRecord, ParsedLog, Run } from '../../src/types.js';
import { historyLog } from '../support/history-runs.js';
import { iterate, rec } from '../parse/helpers.js';

const at = { generatedAt: '2026-11-24T00:00:00Z' };

/** Five runs of the real trainer's fixture (batch points, an evaluation), one a day, the last one newest. */
function fiveRuns(): LogRecord[] {
  return historyLog(process.cwd(), { runs: 5 }).split('\n').filter(Boolean).map((line) => rec(line, { stream: 'ecs/mnist-training/task-1' }));
}

async function recordsOf(path: string): Promise<LogRecord[]> {
  const out: LogRecord[] = [];
  for await (const item of readFileRecords(path)) out.push(...(Array.isArray(item) ? item : [item as LogRecord]));
  return out;
}

const collect = (records: LogRecord[], summaries?: Summaries): Promise<ParsedLog> =>
  collectRuns(iterate(records), summaries ? { summaries } : {});

/** What the listing printed before summaries: the three fields of a whole analysis. */
function listedFromAnalysis(run: Run, parsed: ParsedLog) {
  const a = analyzeRun(run, parsed.quality, at);
  return { run_id: run.run_id, start: run.first_time, end: run.last_time, streams: run.streams,
    outcome: a.run.outcome, epochs: a.run.epochs_seen, final_val_accuracy: a.final?.val_accuracy ?? null };
}

const inputs: [string, () => Promise<LogRecord[]>][] = [
  ['five trainer runs', async () => fiveRuns()],
  ['fixtures/mnist-train-1epoch-evaluation.jsonl', () => recordsOf('fixtures/mnist-train-1epoch-evaluation.jsonl')],
  ['fixtures/cloudwatch-filter-log-events.json', () => recordsOf('fixtures/cloudwatch-filter-log-events.json')],
  ['fixtures/keras2-verbose1.log', () => recordsOf('fixtures/keras2-verbose1.log')],
  ['fixtures/formats/pytorch-mnist.log', () => recordsOf('fixtures/formats/pytorch-mnist.log')],
];

for (const [name, records] of inputs) {
  test(`a listing of summaries equals the listing of whole runs' analyses: ${name}`, async () => {
    const whole = await collect(await records());
    const summaries = await collect(await records(), LIST_SUMMARIES);
    assert.ok(summaries.runs.length > 0 && summaries.runs.every((r) => r.summary === true));
    assert.deepEqual(listRuns(summaries.runs), whole.runs.map((r) => listedFromAnalysis(r, whole)));
    assert.deepEqual(summaries.quality, whole.quality);
  });

  test(`a history reads the same of a summary as of the whole run: ${name}`, async () => {
    const whole = await collect(await records());
    const summaries = await collect(await records(), LIST_SUMMARIES);
    for (const [i, run] of summaries.runs.entries()) {
      const s = earlierRun(analyzeRun(run, summaries.quality, at));
      const w = earlierRun(analyzeRun(whole.runs[i]!, whole.quality, at));
      assert.deepEqual(s.run, w.run);
      assert.deepEqual(historyRun(analyzeRun(run, summaries.quality, at)), historyRun(analyzeRun(whole.runs[i]!, whole.quality, at)));
      assert.deepEqual(settingChanges(w.settings as never, s.settings), []);
    }
  });
}

test('a summary keeps no batch points, no evaluation and no training metrics', async () => {
  const whole = await collect(fiveRuns());
  const [run] = (await collect(fiveRuns(), LIST_SUMMARIES)).runs;
  assert.ok(whole.runs[0]!.batches.length > 0 && whole.runs[0]!.evaluation);
  assert.equal(run!.batches.length, 0);
  assert.equal(run!.batch_count, 0);
  assert.equal(run!.evaluation, null);
  assert.ok(run!.epochs.every((e) => e.loss === null && e.accuracy === null && e.memory === undefined && e.val_accuracy !== null));
});

test('newest: the run that sorts last stays whole, the others become summaries as newer runs begin', async () => {
  const whole = await collect(fiveRuns());
  const parsed = await collect(fiveRuns(), { whole: () => false, newest: true });
  assert.deepEqual(parsed.runs.map((r) => r.summary ?? false), [true, true, true, true, false]);
  assert.deepEqual(parsed.runs.at(-1), whole.runs.at(-1));
  // runs that come newest first: each later (older) one is a summary from the start
  const reversed = fiveRuns().reverse();
  const back = await collect(reversed, { whole: () => false, newest: true });
  assert.deepEqual(back.runs.map((r) => r.summary ?? false), [true, true, true, true, false]);
  assert.deepEqual(back.runs.at(-1), (await collect(reversed)).runs.at(-1));
});

test('whole names runs kept whole whatever their place (--run ID, a --baseline run)', async () => {
  const whole = await collect(fiveRuns());
  const parsed = await collect(fiveRuns(), { whole: (id) => id === 'hist-02' || id === 'hist-04', newest: true });
  assert.deepEqual(parsed.runs.map((r) => r.summary ?? false), [true, false, true, false, false]);
  for (const i of [1, 3, 4]) assert.deepEqual(parsed.runs[i], whole.runs[i]);
  const byId = await collect(fiveRuns(), { whole: (id) => id === 'hist-03', newest: false });
  assert.deepEqual(byId.runs.map((r) => r.summary ?? false), [true, true, false, true, true]);
  assert.deepEqual(byId.runs[2], whole.runs[2]);
});
