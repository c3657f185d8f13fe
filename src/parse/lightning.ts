// PyTorch Lightning's progress bar (TQDMProgressBar), as it lands in a log:
//   "Epoch 2: 100%|█████| 938/938 [00:09<00:00, 98.1it/s, loss=0.121, v_num=3, val_loss=0.134, val_acc=0.961]"
// The bar is redrawn with \r all epoch long; its final state carries the epoch's logged
// metrics (prog_bar=True names: val_* after validation, train_* logged on_epoch, and in
// Lightning 1.x a running `loss`). Epochs are 0-based (a bar without v_num, a hand-written
// tqdm loop, is taken as 0-based only when its first epoch is 0). The same epoch's 100% state is
// drawn again after validation, and a terminal log may hold every epoch on one line
// (the bar is reset, not reprinted), so every 100% state on a line revises its epoch.
// Also read: "`Trainer.fit` stopped: `max_epochs=N` reached." (the planned count, so the
// run completed), EarlyStopping's "… Signaling Trainer to stop." (stopped early), and
// Lightning's own status lines (GPU available, model summary, ModelCheckpoint) as noise.

import type { EpochRecord } from '../types.js';
import type { LineFormat } from './format.js';
import { epochOf, firstValue, LIGHTNING_NAMES, pickMetrics, shiftedEpoch, zeroBasedEpoch } from './named-metrics.js';
import { startFit, type ParseResult, type ParseState } from './state.js';
import { stripAnsi } from './text.js';

/** "Epoch 3:  37%|███▋  | 350/938 [00:03<00:05, 98.1it/s, loss=0.121, v_num=3]" (Colab draws no bar: "37% 350/938 [") */
const BAR = /^\s*Epoch (\d{1,9}):\s{0,3}(\d{1,3})%(?:\|[^|]{0,400}\|)?\s{0,3}(\d{1,12})\/(\d{1,12}|\?)\s{0,3}(?:\[([^\]]{0,4000})\]?)?/;
const FIT_STOPPED = /`Trainer\.fit` stopped: `max_epochs=(\d{1,9})` reached/;
const EARLY_STOP = /^\s*Monitored metric \S{1,200} did not improve in the last \d{1,9} records\..{0,200}Signaling Trainer to stop\.\s*$/;
/** Lightning's own status lines before and between epochs: expected noise. */
const NOISE = new RegExp([
  '^(?:GPU|TPU|IPU|HPU) available: ', '^LOCAL_RANK: \\d{1,6} - CUDA_VISIBLE_DEVICES: ', '^Epoch \\d{1,9}, global step \\d{1,12}: ',
  '^Loading `train_dataloader` to estimate number of stepping batches', '^(?:Training|Validation|Sanity Checking|Testing|Predicting)(?: DataLoader \\d{1,4})?:? ',
  '^\\s{0,4}\\|\\s{0,4}Name\\s{1,40}\\|\\s{0,4}Type\\s', '^\\s{0,4}\\d{1,4}\\s{1,4}\\|\\s{0,4}[\\w.]{1,200}\\s{0,200}\\|\\s{0,4}\\w',
  '^-{20,400}\\s*$', '^[\\d.]{1,12}\\s?[KMGT]?\\s{2,40}(?:Trainable params|Non-trainable params|Total params|Total estimated model params size \\(MB\\)|Modules in (?:train|eval) mode|Total Flops)\\s*$',
].join('|'));
const LOOKS_LIKE = new RegExp(`^\\s*Epoch \\d{1,9}:\\s{0,3}\\d{1,3}%|${FIT_STOPPED.source}|^\\s*Monitored metric |${NOISE.source}`);

export const lightning: LineFormat = {
  name: 'lightning',
  titles: { lightning: 'PyTorch Lightning progress bar' },
  detect: (line) => LOOKS_LIKE.test(line),
  read: (line, ctx, state) => readLightning(line, ctx.raw, ctx.timestamp, state),
};

function readLightning(line: string, raw: string, timestamp: number | null, state: ParseState): ParseResult | null {
  if (!BAR.test(line)) return readOther(line, state);
  // every redraw on the line, in order: one epoch's 100% state may be followed by the next epoch's bar
  const segments = raw.includes('\r') || raw.includes('\b') ? raw.split(/[\r\b]/).map(stripAnsi) : [line];
  const finals = new Map<number, EpochRecord>();
  let lastBar: RegExpExecArray | null = null;
  for (const seg of segments) {
    const b = BAR.exec(seg);
    if (!b) continue;
    lastBar = b;
    const step = Number(b[3]);
    const total = b[4] === '?' ? null : Number(b[4]);
    if (total === null || total === 0 || step < total) continue;
    const rec = finalState(Number(b[1]), b[5] ?? '', timestamp, state);
    if (rec) finals.set(rec.epoch, rec);
    const stopped = FIT_STOPPED.exec(seg);
    if (stopped && rec) rec.epochs = Number(stopped[1]);
  }
  const done = [...finals.values()];
  const last = done.pop();
  if (!last) return lastBar ? batchPoint(lastBar, state) : { kind: 'ignored' };
  state.open = last;
  return { kind: 'epoch', format: 'lightning', epoch: last, revise: true, ...(done.length ? { earlier: done } : {}) };
}

/** The record of an epoch's finished bar, or null when its postfix holds none of our metrics. */
function finalState(n: number, postfix: string, timestamp: number | null, state: ParseState): EpochRecord | null {
  const values = postfixValues(postfix);
  const epoch = barEpoch(n, values, state);
  const m = pickMetrics((k) => values.get(k), LIGHTNING_NAMES, state);
  if (!m.any) return null;
  // a second fit() in the same log starts again at epoch 0
  if (epoch < state.lastEpoch && epoch === 1) startFit(state);
  state.lastEpoch = Math.max(state.lastEpoch, epoch);
  return epochOf(m, epoch, null, timestamp);
}

/** A mid-epoch redraw: its running training loss is a batch point. */
function batchPoint(b: RegExpExecArray, state: ParseState): ParseResult {
  const values = postfixValues(b[5] ?? '');
  const get = (k: string) => values.get(k);
  const loss = firstValue(get, ['train_loss_step', 'train_loss', 'loss'], false, state);
  const accuracy = firstValue(get, ['train_acc_step', 'train_acc', 'acc'], true, state);
  if (loss === null && accuracy === null) return { kind: 'ignored' };
  return { kind: 'batch', format: 'lightning', batch: { epoch: barEpoch(Number(b[1]), values, state), batch: Number(b[3]), loss, accuracy } };
}

/**
 * Lightning numbers epochs from 0 and its bar carries `v_num` (the logger's version); a
 * hand-written tqdm loop with an "Epoch N" description may count from 1, so without
 * v_num only a first epoch 0 says the log is 0-based.
 */
function barEpoch(n: number, values: Map<string, string>, state: ParseState): number {
  return values.has('v_num') ? zeroBasedEpoch(n, state) : shiftedEpoch(n, state);
}

function readOther(line: string, state: ParseState): ParseResult | null {
  const stopped = FIT_STOPPED.exec(line);
  if (stopped) {
    // the planned count was reached: the last epoch read is the last one planned
    if (!state.open || state.locked?.name !== 'lightning') return { kind: 'ignored' };
    state.open = { ...state.open, epochs: Number(stopped[1]) };
    return { kind: 'epoch', format: 'lightning', epoch: state.open, revise: true };
  }
  if (EARLY_STOP.test(line)) return { kind: 'stopped', format: 'lightning' };
  return NOISE.test(line) ? { kind: 'ignored' } : null;
}

/** "02:20<00:00,  2.78it/s, v_num=1, val_loss=3.850" → name → value text. */
function postfixValues(postfix: string): Map<string, string> {
  const values = new Map<string, string>();
  for (const part of postfix.split(',')) {
    const eq = part.indexOf('=');
    if (eq > 0) values.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
  }
  return values;
}
