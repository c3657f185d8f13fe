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
import { epochOf, pickMetrics, readValue, zeroBasedEpoch, type MetricNames } from './named-metrics.js';
import { IGNORED, note, startFit, type ParseResult, type ParseState } from './state.js';

const NAME = 'fastai' as const;
const HEADER = /^epoch(?: {1,40}[A-Za-z_][\w@.-]{0,60}){2,40} *$/;
const ROW = /^\d{1,9} {1,40}(?:[-\d.]|#na#|nan|inf)/;
const TIME = /^(?:(\d{1,4}):)?(\d{1,2}):(\d\d)$/;

/** The Recorder's columns that are ours; a metric column is on the validation set. */
const NAMES: MetricNames = { loss: ['train_loss'], accuracy: [], val_loss: ['valid_loss'], val_accuracy: ['accuracy', 'acc'] };
/** Read as the validation accuracy, 1 - value, when the table has no accuracy column. */
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
  // a column's field; "#na#" (not computed) is no value
  const value = (name: string): string | undefined => {
    const text = fields[columns.indexOf(name)];
    return text === '#na#' ? undefined : text;
  };
  const n = Number(value('epoch'));
  if (!Number.isInteger(n)) return null;
  if (n === 0 && state.lastEpoch > 0) startFit(state);
  const epoch = zeroBasedEpoch(n, state);
  const m = pickMetrics(value, NAMES, state);
  const rec = epochOf(m, epoch, null, timestamp);
  let any = m.any;
  const error = m.from.val_accuracy === undefined ? readValue(value(ERROR_RATE), null, state) : null;
  if (error) {
    rec.val_accuracy = error.value === null ? null : Number((1 - error.value).toPrecision(12));
    if (error.nonFinite) rec.non_finite.push('val_accuracy');
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
