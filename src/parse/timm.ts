// timm's train.py (pytorch-image-models), its logger's lines as printed:
//   "Scheduled epochs: 310"                                                    the planned count
//   "Train: 1 [  50/73 ( 70%)]  Loss: 3.23 (3.76)  Time: …  LR: 1.001e-02  Data: …"
//                                                 a logged batch of epoch 1 (0-based): its loss, then in
//                                                 brackets the epoch's running average
//   "Test: [  30/30]  Time: …  Loss:   1.462 ( 1.867)  Acc@1:  63.529 ( 39.261)  Acc@5: …"
//                                                 the evaluation after the epoch; the line whose index is
//                                                 its total ends it, and its bracketed averages are the
//                                                 epoch's validation loss and top-1 accuracy (in percent)
//   "Test (EMA): [ 195/195]  …"                   the EMA model's evaluation after it, which timm keeps as
//                                                 the epoch's metrics (summary.csv, best checkpoint)
// Older timm prints "Loss:  6.926911 (6.9269)" and "Acc@1: 87.5000 (87.5000)": the same fields.
// timm calls the evaluation "Test", but it runs on --val-split: it is the validation, not a test set.
// The running average of the epoch's last batch ("[72/73 (100%)]") is the epoch's training loss
// (what timm writes to summary.csv); an epoch whose last batch was not logged has none.
// Also read as timm's own noise: "Model resnet50 created, param count:…", "*** Best metric: …",
// and the checkpoint saver's "Current checkpoints:" with the list under it.

import type { LineFormat } from './format.js';
import { zeroBasedEpoch } from './named-metrics.js';
import { emptyEpoch, IGNORED, note, setHeader, type ParseResult, type ParseState } from './state.js';
import { isoTime, parseMetricValue, percentToFraction, type MetricValue } from './text.js';

const TRAIN = /^\s*Train: (\d{1,9}) \[\s{0,12}(\d{1,12})\/(\d{1,12})\s{0,4}\(\s{0,3}\d{1,3}%\)\]\s{1,8}Loss:/;
const TEST = /^\s*Test( \(EMA\))?: \[\s{0,12}(\d{1,12})\/(\d{1,12})\]\s/;
const SCHEDULED = /^\s*Scheduled epochs: (\d{1,9})\.?\s*$/;
const NOISE = /^(?:\*\*\* Best metric: \S{1,40} \(epoch \d{1,9}\)|Current checkpoints:| \('[^']{1,1000}\.pth\.tar', [^)]{1,40}\)|Model \S{1,200} created, param count: ?\d{1,15})\s*$/;
const LOOKS_LIKE = /^\s*(?:Train: \d{1,9} \[|Test(?: \(EMA\))?: \[|Scheduled epochs: \d)|^(?:\*\*\* Best metric: |Current checkpoints:| \('|Model \S{1,200} created, param count:)/;

export const timm: LineFormat = {
  name: 'timm',
  titles: { timm: "timm's train.py log" },
  detect: (line) => LOOKS_LIKE.test(line),
  read(line, ctx, state) {
    const t = TRAIN.exec(line);
    if (t) return trainLine(line, t, ctx.timestamp, state);
    const s = TEST.exec(line);
    if (s) return testLine(line, s[1] !== undefined, Number(s[2]), Number(s[3]), ctx.timestamp, state);
    const planned = SCHEDULED.exec(line);
    if (planned) {
      state.epochs = Number(planned[1]);
      return IGNORED;
    }
    return NOISE.test(line) ? IGNORED : null;
  },
};

/** "Loss: 3.23 (3.76)" after `label`: the value and its running average, or null. */
function valueAndAverage(line: string, label: string): { value: MetricValue; average: MetricValue } | null {
  const at = line.indexOf(label);
  if (at < 0) return null;
  const m = AFTER_LABEL.exec(line.slice(at + label.length, at + label.length + 120));
  if (!m) return null;
  const value = parseMetricValue(m[1]!);
  const average = parseMetricValue(m[2]!);
  return value && average ? { value, average } : null;
}
const AFTER_LABEL = /^\s{0,12}(\S{1,40})\s{1,8}\(\s{0,12}([^\s)]{1,40})\)/;

/** A logged batch: its loss is a batch point; the epoch's last batch gives the epoch's training loss. */
function trainLine(line: string, t: RegExpExecArray, timestamp: number | null, state: ParseState): ParseResult | null {
  const loss = valueAndAverage(line, 'Loss:');
  if (!loss) return null;
  const epoch = zeroBasedEpoch(Number(t[1]), state);
  const index = Number(t[2]);
  const total = Number(t[3]);
  if (state.epoch !== epoch || state.epochDone) {
    setHeader(state, epoch, state.epochs);
    state.open = null;
  }
  if (total > 0 && index + 1 >= total) {
    const rec = emptyEpoch(epoch, state.epochs, timestamp);
    rec.loss = loss.average.value;
    if (loss.average.nonFinite) rec.non_finite.push('loss');
    state.open = rec;
  }
  return { kind: 'batch', format: 'timm', batch: { epoch, batch: index + 1, loss: loss.value.value, accuracy: null } };
}

/**
 * An evaluation line. Only the last ("[30/30]") ends the epoch; before it, the running
 * averages are progress. The EMA model's evaluation revises the epoch just read, as timm
 * keeps its metrics.
 */
function testLine(line: string, ema: boolean, index: number, total: number, timestamp: number | null, state: ParseState): ParseResult | null {
  const loss = valueAndAverage(line, 'Loss:');
  const top1 = valueAndAverage(line, 'Acc@1:');
  if (!loss || !top1) return null;
  if (index < total) return IGNORED;
  // validate.py, or an evaluation before any training line: no training epoch to give it to
  if (state.epoch === null) return null;
  const epoch = state.epoch;
  if (ema !== state.epochDone) return null; // an EMA evaluation without the epoch's own, or a second one
  const open = state.open?.epoch === epoch ? state.open : null;
  const rec = open ? { ...open, non_finite: open.non_finite.filter((f) => !f.startsWith('val_')) } : emptyEpoch(epoch, state.epochs, timestamp);
  rec.val_loss = loss.average.value;
  rec.val_accuracy = top1.average.value === null ? null : percentToFraction(top1.average.value);
  if (loss.average.nonFinite) rec.non_finite.push('val_loss');
  if (top1.average.nonFinite) rec.non_finite.push('val_accuracy');
  if (timestamp !== null) rec.time = isoTime(timestamp);
  note(state, 'percent_accuracy');
  state.open = rec;
  state.epochDone = true;
  state.lastEpoch = epoch;
  return { kind: 'epoch', format: 'timm', epoch: { ...rec, non_finite: [...rec.non_finite] }, ...(ema ? { revise: true } : {}) };
}
