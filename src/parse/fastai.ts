// fastai's training table, as its ProgressCallback prints it on a console (fastprogress) for each fit:
//   "epoch     train_loss  valid_loss  error_rate  time    "      the header: the Recorder's columns
//   "0         0.741927    0.342162    0.103518    01:15     "     one row per epoch, from 0; time is mm:ss (h:mm:ss)
// train_loss is the epoch's training loss (smoothed), valid_loss and every metric column are on the
// validation set (fastai computes metrics there only): accuracy is the validation accuracy, and
// error_rate (1 - accuracy) is read as such, said in the report. "#na#" is a value not computed
// (no validation set). Each fit() prints its own header (fine_tune and fit_one_cycle after
// unfreeze() print two tables), so a header after epochs starts another run, as Keras' second
// "Epoch 1/N" does.

import type { LineFormat } from './format.js';
import { setTable } from './csv-table.js';
import { zeroBasedEpoch } from './named-metrics.js';
import { emptyEpoch, IGNORED, note, startFit, type ParseResult, type ParseState } from './state.js';
import { parseMetricValue } from './text.js';

const NAME = 'fastai' as const;
const HEADER = /^epoch(?: {1,40}[A-Za-z_][\w@.-]{0,60}){2,40} *$/;
const ROW = /^\d{1,9} {1,40}(?:[-\d.]|#na#|nan|inf)/;
const TIME = /^(?:(\d{1,4}):)?(\d{1,2}):(\d\d)$/;

/** Metric columns that are our validation accuracy, as is or as 1 - value. */
const ACCURACY = ['accuracy', 'acc'];
const ERROR_RATE = 'error_rate';

export const fastai: LineFormat = {
  name: NAME,
  titles: { fastai: "fastai's training table" },
  detect: (line) => ROW.test(line) || HEADER.test(line),
  read(line, ctx, state) {
    if (HEADER.test(line)) return header(line, state);
    return row(line, ctx.timestamp, state);
  },
};

function header(line: string, state: ParseState): ParseResult | null {
  const columns = line.trim().split(/ +/);
  if (!columns.includes('train_loss') && !columns.includes('valid_loss')) return null;
  // another fit(): its table starts its own run, whatever the stream read before
  if (state.lastEpoch > 0) startFit(state);
  setTable(state, NAME, { delimiter: ' ', columns });
  return IGNORED;
}

function row(line: string, timestamp: number | null, state: ParseState): ParseResult | null {
  const columns = state.table?.format === NAME ? state.table.columns : null;
  const fields = line.trim().split(/ +/);
  if (!columns || fields.length !== columns.length) return null;
  const value = (name: string): string | undefined => {
    const i = columns.indexOf(name);
    return i < 0 ? undefined : fields[i];
  };
  const n = Number(value('epoch'));
  if (!Number.isInteger(n)) return null;
  if (n === 0 && state.lastEpoch > 0) startFit(state);
  const rec = emptyEpoch(zeroBasedEpoch(n, state), null, timestamp);
  const read = (name: string, field: 'loss' | 'val_loss' | 'val_accuracy', map = (v: number) => v): boolean => {
    const text = value(name);
    if (text === undefined || text === '#na#') return false;
    const m = parseMetricValue(text);
    if (!m) return false;
    rec[field] = m.value === null ? null : map(m.value);
    if (m.nonFinite) rec.non_finite.push(field);
    return true;
  };
  let any = read('train_loss', 'loss');
  any = read('valid_loss', 'val_loss') || any;
  if (ACCURACY.some((name) => read(name, 'val_accuracy'))) any = true;
  else if (read(ERROR_RATE, 'val_accuracy', (v) => Number((1 - v).toPrecision(12)))) {
    any = true;
    note(state, 'accuracy_from_error_rate');
  }
  rec.duration_ms = duration(value('time'));
  state.lastEpoch = rec.epoch;
  // a row of "#na#" only: nothing to read, and no line lost
  return any ? { kind: 'epoch', format: NAME, epoch: rec } : IGNORED;
}

/** "01:15" or "1:02:03" → milliseconds; null otherwise. */
function duration(text: string | undefined): number | null {
  const m = text === undefined ? null : TIME.exec(text);
  if (!m) return null;
  return ((Number(m[1] ?? 0) * 60 + Number(m[2])) * 60 + Number(m[3])) * 1000;
}
