// JSON metric lines that are not mnist-train/1: one object per epoch from a Python JSON
// logger, e.g. the DeiT/MAE/timm loops' log.txt
//   {"train_lr": 2.4e-05, "train_loss": 5.30, "test_loss": 4.68, "test_acc1": 1.4, "test_acc5": 38.9, "epoch": 0, "n_parameters": 1418762}
// or {"epoch": 3, "loss": 0.0620, "val_accuracy": 0.974}. Needs a whole-number "epoch"
// and one of our metrics by a known name (named-metrics.ts); per-epoch test_* is that
// epoch's evaluation, so it is the validation. Epochs from 0 are numbered from 1,
// percentages (and timm's acc1, always percent) divided by 100, both noted.
// Never read here: our own events (their reader runs first; an object that names one of
// our events or schemas without being valid stays theirs) and Hugging Face Trainer logs
// (fractional 'epoch', eval_*/train_runtime keys: hf-trainer.ts reads their printed form).

import { EVENTS } from '../events.js';
import type { LineFormat } from './format.js';
import { epochOf, JSON_NAMES, pickMetrics, shiftedEpoch } from './named-metrics.js';
import { parseJsonOrPython } from './python-json.js';
import { startFit, type ParseResult, type ParseState } from './state.js';

const LOOKS_LIKE = /^\s*\{.{0,4000}"epoch"\s{0,4}:/;
const HF_KEYS = /^(?:eval_|train_runtime$|train_samples_per_second$|grad_norm$|total_flos$)/;

export const genericJson: LineFormat = {
  name: 'generic-json',
  titles: { 'generic-json': 'generic JSON metric lines' },
  detect: (line) => LOOKS_LIKE.test(line),
  read: (line, ctx, state) => readObject(line, ctx.timestamp, state),
};

function readObject(line: string, timestamp: number | null, state: ParseState): ParseResult | null {
  const parsed = parseJsonOrPython(line.trim());
  if (!parsed.ok || typeof parsed.value !== 'object' || parsed.value === null || Array.isArray(parsed.value)) return null;
  const o = parsed.value as Record<string, unknown>;
  if (isOurs(o) || Object.keys(o).some((k) => HF_KEYS.test(k))) return null;
  const n = typeof o.epoch === 'string' ? Number(o.epoch) : o.epoch;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 0 || n > 1e9) return null;
  const m = pickMetrics((k) => textOf(o[k]), JSON_NAMES, state);
  if (!m.any) return null;
  if (n === 0 && state.lastEpoch > 0) startFit(state);
  const epoch = shiftedEpoch(n, state);
  state.lastEpoch = epoch;
  const rec = epochOf(m, epoch, typeof o.epochs === 'number' && Number.isInteger(o.epochs) ? o.epochs : null, timestamp);
  // the epoch's evaluation logged as test_*: the log names its validation the test set
  const keys = { val_loss: m.from.val_loss, val_accuracy: m.from.val_accuracy };
  const named = Object.values(keys).find((k) => k?.startsWith('test'));
  if (named) {
    rec.val_named_test = named;
    rec.val_test_keys = Object.fromEntries(Object.entries(keys).filter(([, k]) => k?.startsWith('test')));
  }
  return { kind: 'epoch', format: 'generic-json', epoch: rec };
}

/** An object that names an mnist-train schema or one of our events is ours, valid or not. */
function isOurs(o: Record<string, unknown>): boolean {
  if (typeof o.schema === 'string' && o.schema.startsWith('mnist-train')) return true;
  return typeof o.event === 'string' && Object.hasOwn(EVENTS, o.event);
}

/** A JSON value as the text a metric is read from (numbers, numeric strings, null → none). */
function textOf(v: unknown): string | undefined {
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : Number.isNaN(v) ? 'nan' : v > 0 ? 'inf' : '-inf';
  return typeof v === 'string' ? v : undefined;
}
