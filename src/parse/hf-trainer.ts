// Hugging Face Trainer's printed log dicts (Python reprs: single quotes, `nan`, and in the
// newest versions every value as a string):
//   {'loss': 0.0423, 'grad_norm': 1.2, 'learning_rate': 1.9e-05, 'epoch': 0.16}     training loss every logging_steps
//   {'eval_loss': 0.037, 'eval_accuracy': 0.9922, ..., 'epoch': 1.0}                 an evaluation
//   {'train_runtime': 3660.17, ..., 'train_loss': 0.0324, 'epoch': 3.0}             the end of train()
//   {'eval_loss': …, 'eval_accuracy': …} after it                                   trainer.evaluate(): the eval set again, no test
//   {'test_loss': …, 'test_accuracy': …}                                            evaluate(test_ds, metric_key_prefix='test'), predict(): test metrics
// 'epoch' is fractional. Epoch n holds what was logged at 'epoch' in (n-1, n]: its last
// training loss and its last evaluation. The Trainer prints an epoch in pieces, so each
// piece revises the epoch's record.

import type { LineFormat } from './format.js';
import { emptyEpoch, IGNORED, type ParseResult, type ParseState } from './state.js';
import { parseMetricValue } from './text.js';

/** A quoted key, then a quoted string or a bare token (number, nan, inf, None, True). */
const ENTRY = /'([^'\\]{1,80})':\s{0,4}('(?:[^'\\]|\\.){0,200}'|[^,}\s]{1,60})/g;
const LOOKS_LIKE = /^\s*\{'(?:loss|(?:eval|test)_[a-z_]{1,40}|train_runtime|epoch|learning_rate|grad_norm)':/;

export const hfTrainer: LineFormat = {
  name: 'hf-trainer',
  titles: { 'hf-trainer': 'Hugging Face Trainer log dicts' },
  detect: (line) => LOOKS_LIKE.test(line),
  read: (line, ctx, state) => readDict(line, ctx.timestamp, state),
};

function readDict(line: string, timestamp: number | null, state: ParseState): ParseResult | null {
  const values = new Map<string, string>();
  for (const m of line.matchAll(ENTRY)) {
    const v = m[2]!;
    values.set(m[1]!, v.startsWith("'") ? v.slice(1, -1) : v);
  }
  const v = (k: string) => parseMetricValue(values.get(k) ?? '')?.value ?? null;
  // metrics the Trainer prefixes test_ (evaluate(test_ds, metric_key_prefix='test'), predict()'s): the run's test metrics
  if (values.has('test_loss') || values.has('test_accuracy')) {
    return { kind: 'test', format: 'hf-trainer', loss: v('test_loss'), accuracy: v('test_accuracy') ?? v('test_acc') };
  }
  // trainer.evaluate() after train() has ended scores its eval_dataset, the epochs' validation set again: no test
  // result, and no epoch's (its 'epoch' is the last one's, which it would revise)
  if (state.epochDone && (values.has('eval_loss') || values.has('eval_accuracy')) && !values.has('train_runtime')) return IGNORED;
  const epochValue = parseMetricValue(values.get('epoch') ?? '')?.value;
  if (epochValue == null || epochValue < 0) return values.size ? { kind: 'ignored' } : null;
  // 1e-6: 'epoch': 2.0000001 (float sums) still belongs to epoch 2
  const n = Math.max(1, Math.ceil(epochValue - 1e-6));
  if (!state.open || state.open.epoch !== n) {
    state.open = emptyEpoch(n, state.epochs, timestamp);
    state.lastEpoch = n;
  }
  const rec = state.open;
  const take = (key: string, field: 'loss' | 'accuracy' | 'val_loss' | 'val_accuracy'): boolean => {
    const text = values.get(key);
    if (text === undefined) return false;
    const m = parseMetricValue(text);
    if (!m) return false;
    rec[field] = m.value;
    rec.non_finite = rec.non_finite.filter((f) => f !== field);
    if (m.nonFinite) rec.non_finite.push(field);
    return true;
  };
  let any = false;
  if (values.has('train_runtime')) {
    // train() has ended: its last epoch is the planned count. Its train_loss is the mean over
    // the whole run, not this epoch's, so it is not taken.
    rec.epochs = n;
    state.epochDone = true;
    any = rec.loss !== null || rec.val_loss !== null || rec.val_accuracy !== null;
  } else {
    any = [take('loss', 'loss'), take('eval_loss', 'val_loss'), take('eval_accuracy', 'val_accuracy') || take('eval_acc', 'val_accuracy')]
      .some(Boolean);
  }
  if (timestamp !== null) rec.time = new Date(timestamp).toISOString();
  if (!any) return { kind: 'ignored' };
  return { kind: 'epoch', format: 'hf-trainer', epoch: { ...rec, non_finite: [...rec.non_finite] }, revise: true };
}
