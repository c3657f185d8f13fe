// mmengine's runner (OpenMMLab: MMPretrain, MMDetection, …) training by epoch, its logger's lines as printed:
//   "08/18 20:27:22 - mmengine - INFO - Epoch(train) [1][5/5]  lr: 1.0000e-03  eta: …  loss: 6.7576"
//        a logged iteration of epoch 1 (1-based), the 5th of 5: its loss is smoothed over the last
//        logging window (10 iterations by default, across epochs), not the epoch's, so it is a batch point only
//   "08/18 20:27:23 - mmengine - INFO - Epoch(val) [1][5/5]    accuracy: 7.5000  data_time: …  time: …"
//        the validation after epoch 1: the line with metrics (its progress lines have none); an accuracy,
//        as OpenMMLab's Accuracy metric reports it, is in percent
//   "… - INFO - Saving checkpoint at 1 epochs", "… - INFO - Exp name: 20230818_202715"      its own noise
// The prefix is mmengine's "%(asctime)s - %(name)s - %(levelname)s - " with the date as "%m/%d %H:%M:%S";
// a line read here is taken with it, the others (a WARNING, an unknown INFO) are left to the lines no format reads.
// Older mmengine prints "Epoch(train)   [1][ 100/3125]" (padded); the same fields. Iteration-based training
// ("Iter(train) [  100/90000]") has no epochs and is not read (parse/step-logs.ts names it).

import type { LineFormat } from './format.js';
import { emptyEpoch, IGNORED, note, setHeader, type ParseResult, type ParseState } from './state.js';
import { parseMetricValue, percentToFraction } from './text.js';

const NAME = 'mmengine' as const;
const PREFIX = /^(?:\d\d\/\d\d \d\d:\d\d:\d\d - [\w.-]{1,60} - (?:INFO|DEBUG) - )?/;
const EPOCH = /^Epoch\((train|val)\)\s{1,12}\[(\d{1,9})\]\[\s{0,12}(\d{1,12})\/(\d{1,12})\]\s/;
const NOISE = /^(?:Saving checkpoint at \d{1,9} epochs|Exp name: \S{1,300})\s*$/;
const LOOKS_LIKE = /^(?:\d\d\/\d\d \d\d:\d\d:\d\d - [\w.-]{1,60} - (?:INFO|DEBUG) - )?(?:Epoch\((?:train|val)\)\s|Saving checkpoint at |Exp name: )/;
/** "name: value" pairs after the brackets; a name may hold "/" (accuracy/top1) or "." */
const PAIR = /([\w/.@-]{1,80}): (\S{1,40})/g;

/** The validation accuracy's names, most specific first (MMPretrain's accuracy/top1, a custom metric's accuracy). */
const ACCURACY = ['accuracy/top1', 'accuracy', 'acc', 'top1'];

export const mmengine: LineFormat = {
  name: NAME,
  titles: { mmengine: "mmengine's runner log" },
  detect: (line) => LOOKS_LIKE.test(line),
  read(line, ctx, state) {
    const text = line.slice(PREFIX.exec(line)![0].length);
    const e = EPOCH.exec(text);
    if (e) {
      const values = new Map<string, string>();
      for (const m of text.slice(e[0].length).matchAll(PAIR)) values.set(m[1]!, m[2]!);
      const at = { epoch: Number(e[2]), index: Number(e[3]), total: Number(e[4]) };
      return e[1] === 'train' ? trainLine(values, at, state) : valLine(values, at.epoch, ctx.timestamp, state);
    }
    return NOISE.test(text) ? IGNORED : null;
  },
};

/** A logged iteration: a batch point; the first of a new epoch sets it (epoch 1 after others: another fit). */
function trainLine(values: Map<string, string>, at: { epoch: number; index: number }, state: ParseState): ParseResult | null {
  const loss = parseMetricValue(values.get('loss') ?? '');
  if (!loss) return null;
  if (state.epoch !== at.epoch || state.epochDone) setHeader(state, at.epoch, state.epochs);
  return { kind: 'batch', format: NAME, batch: { epoch: at.epoch, batch: at.index, loss: loss.value, accuracy: null } };
}

/** The validation's metrics line ends the epoch; its progress lines (no metric) are ignored. */
function valLine(values: Map<string, string>, epoch: number, timestamp: number | null, state: ParseState): ParseResult | null {
  const name = ACCURACY.find((n) => values.has(n));
  const lossText = values.get('loss');
  if (name === undefined && lossText === undefined) return IGNORED;
  // a validation with no training line before it (tools/test.py, a resumed log's first line) is no epoch of a run
  if (state.epoch !== epoch) return null;
  const rec = emptyEpoch(epoch, state.epochs, timestamp);
  if (name !== undefined) {
    const acc = parseMetricValue(values.get(name)!);
    if (!acc) return null;
    // always in percent (OpenMMLab's Accuracy), even below 1
    rec.val_accuracy = acc.value === null ? null : percentToFraction(acc.value);
    if (acc.nonFinite) rec.non_finite.push('val_accuracy');
    note(state, 'percent_accuracy');
  }
  const loss = lossText === undefined ? null : parseMetricValue(lossText);
  if (loss) {
    rec.val_loss = loss.value;
    if (loss.nonFinite) rec.non_finite.push('val_loss');
  }
  state.epochDone = true;
  state.lastEpoch = epoch;
  return { kind: 'epoch', format: NAME, epoch: rec };
}
