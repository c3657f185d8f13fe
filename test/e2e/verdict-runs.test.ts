// Must show: four runs (healthy, overfitting, NaN, killed) through the real CLI.
// Each gets its verdict and reason on stderr and in the first lines of report.md,
// report.json opens with it, and a failed verdict exits 3 (the default gate).
// Healthy is the real captured fixture; killed is its first 3 epochs with the
// run_end that mnist-train writes on SIGTERM; NaN is fixtures/bad/nan-loss.jsonl;
// overfitting is built with the test builders and written with serializeEvent.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { serializeEvent, type TrainEvent } from '../../src/events.js';
import { runReport, sandbox, ROOT } from './report-cli.js';
import { end, epoch, start } from '../analyze/build.js';

const GEN = ['--generated-at', '2026-11-24T00:00:00Z'];
const HEALTHY = join(ROOT, 'fixtures/mnist-train-5epochs.jsonl');

/** The first epochs of the real run, then the run_end a SIGTERM after epoch 3 writes. */
function killedRun(dir: string): string {
  const lines = readFileSync(HEALTHY, 'utf8').split('\n').filter(Boolean);
  const kept = lines.filter((l) => {
    const e = JSON.parse(l) as { event: string; epoch?: number };
    return e.event === 'run_start' || ((e.event === 'epoch_end' || e.event === 'batch_end') && e.epoch! <= 3);
  });
  const runId = (JSON.parse(kept[0]!) as { run_id: string }).run_id;
  const stop: TrainEvent = { ...end('interrupted', { duration_ms: 46_000, epochs_completed: 3 }), run_id: runId, time: '2026-11-24T07:06:22.000Z' };
  const file = join(dir, 'killed.jsonl');
  writeFileSync(file, `${[...kept, serializeEvent(stop)].join('\n')}\n`);
  return file;
}

/** Validation loss bottoms out at epoch 4 and rises for 4 epochs while training loss keeps falling. */
function overfittingRun(dir: string): string {
  const val = [0.2, 0.14, 0.11, 0.1, 0.105, 0.112, 0.121, 0.133];
  const events: TrainEvent[] = [
    { ...start({ epochs: 8 }), run_id: 'overfit' },
    ...val.map((v, i): TrainEvent => {
      const e = epoch(i + 1, { epochs: 8, loss: 0.3 * 0.7 ** i, accuracy: 0.9 + i * 0.012, val_loss: v, val_accuracy: 0.95 + Math.min(i, 3) * 0.006 - Math.max(0, i - 3) * 0.001 });
      return { schema: 'mnist-train/1', event: 'epoch_end', run_id: 'overfit', time: e.time!, epoch: e.epoch, epochs: 8, loss: e.loss,
        accuracy: e.accuracy, val_loss: e.val_loss, val_accuracy: e.val_accuracy, duration_ms: 10_000, samples_per_second: 6000,
        memory: { rss_bytes: 200_000_000, heap_used_bytes: 50_000_000 } };
    }),
    { ...end('completed', { epochs_completed: 8 }), run_id: 'overfit' },
  ];
  const file = join(dir, 'overfit.jsonl');
  writeFileSync(file, `${events.map(serializeEvent).join('\n')}\n`);
  return file;
}

async function reportOf(input: (dir: string) => string) {
  const box = sandbox();
  const r = await runReport(['--input', input(box.dir), '--out', box.out, '--format', 'md,json,summary', ...GEN]);
  const folder = join(box.out, folderOf(r.stderr));
  const json = JSON.parse(readFileSync(join(folder, 'report.json'), 'utf8')) as Record<string, unknown>;
  const md = readFileSync(join(folder, 'report.md'), 'utf8');
  const summary = readFileSync(join(folder, 'summary.md'), 'utf8');
  return { ...r, json, summary, head: md.split('\n').slice(0, 15).join('\n') };
}

function folderOf(stderr: string): string {
  const m = /wrote \d+ files to .*\/([^/]+)\/ \(run/.exec(stderr);
  assert.ok(m, stderr);
  return m[1]!;
}

const cases = [
  {
    name: 'healthy', input: () => HEALTHY, code: 0, level: 'healthy',
    reason: /^Completed 5 of 5 epochs with finite, non-diverging metrics and 97\.66% validation accuracy; no check failed or warned\.$/,
    // the method caveat and "more epochs would still help" are said beside the verdict, not against it
    head: [/^\*\*Verdict: ✅ healthy\.\*\* Completed 5 of 5 epochs/m, /\| 97\.66% \(95% CI 97\.34%–97\.94%\) \| 5: 97\.66%/, /^- Validation used all 10,000 MNIST test images/m, /more epochs would likely help/],
  },
  {
    name: 'overfitting', input: overfittingRun, code: 0, level: 'needs attention',
    reason: /^Overfitting from epoch 5: validation loss rose while training loss fell; epoch 4 had the lowest validation loss\.$/,
    head: [/^\*\*Verdict: ⚠️ needs attention\.\*\* Overfitting from epoch 5/m, /\| 8 of 8 \| 0 failed, 1 warned \|/],
  },
  {
    name: 'NaN', input: () => join(ROOT, 'fixtures/bad/nan-loss.jsonl'), code: 3, level: 'failed',
    reason: /^Metrics became NaN or Infinity: epoch 3 \(loss, val_loss\) and epoch 5 \(val_loss\) \(and 3 more findings, see Checks\)\.$/,
    head: [/^\*\*Verdict: ❌ failed\.\*\* Metrics became NaN/m, /\| 9\.80% \(95% CI 9\.23%–10\.40%\) \|/, /\| 5 of 5 \| 3 failed, 1 warned \| 1 of 1 failed \|/],
    // "convergence cannot be judged" is not a caveat about method
    notInHead: /convergence cannot be judged/,
  },
  {
    name: 'killed after epoch 3', input: killedRun, code: 3, level: 'failed',
    reason: /^The run was interrupted after epoch 3 of 5\.$/,
    head: [/^\*\*Verdict: ❌ failed\.\*\* The run was interrupted after epoch 3 of 5\./m, /\| 3 of 5 \|/],
  },
] as const;

for (const c of cases) {
  test(`verdict of the ${c.name} run: level and reason on stderr, first in report.json, in the first lines of report.md`, async () => {
    const r = await reportOf(c.input);
    assert.equal(r.code, c.code, r.stderr);
    const verdict = r.json.verdict as { level: string; reason: string };
    assert.equal(Object.keys(r.json)[3], 'verdict', 'report.json opens with the verdict');
    assert.equal(verdict.level, c.level);
    assert.match(verdict.reason, c.reason);
    assert.ok(r.stderr.includes(`: ${c.level}: ${verdict.reason}`), r.stderr);
    for (const re of c.head) assert.match(r.head, re, r.head);
    if ('notInHead' in c) assert.doesNotMatch(r.head, c.notInHead);
    assert.ok(r.head.indexOf(verdict.reason.replace(/_/g, '\\_')) > 0, 'the reason is in the first 15 lines');
    // summary.md: the same verdict, under 60 lines, no links or images that cannot resolve in a PR comment
    assert.ok(r.summary.includes(verdict.reason.replace(/_/g, '\\_')), r.summary);
    assert.ok(r.summary.split('\n').length < 60, `${r.summary.split('\n').length} lines`);
    assert.doesNotMatch(r.summary, /\]\(|<img|<a /);
  });
}
