// PyTorch Lightning's CSVLogger file (lightning_logs/version_N/metrics.csv):
//   train_loss,epoch,step,val_loss,val_acc,train_acc,test_acc
//   0.6941855549812317,0,49,,,,                       a metric logged every N steps
//   ,0,449,0.4812189042568207,0.7699999809265137,,    validation, at the epoch's end
//   ,0,449,,,0.7241666913032532,                      a metric logged on_epoch, its own row
//   ,5,2250,,,,0.8392500281333923                     trainer.test() after fit: the run's test metrics
// Rows are sparse: each holds what one self.log call time wrote. Epochs are 0-based; a
// column ending in _step, or one that comes twice in an epoch, is logged per step and
// gives batch points, not the epoch's value (Lightning's default for training_step logs).
// Every row of an epoch revises that epoch's record. Detected by a header with both an
// `epoch` and a `step` column.

import { csvFormat, readRow, rowEpoch, type CsvTable } from './csv-table.js';
import { firstValue, LIGHTNING_NAMES, pickMetrics, TEST_ACC, TEST_LOSS, zeroBasedEpoch, type MetricField } from './named-metrics.js';
import type { BatchRecord } from '../types.js';
import { emptyEpoch, startFit, type ParseResult, type ParseState } from './state.js';

const NAME = 'lightning-csv' as const;
const EVALUATION = /^(?:val|valid|validation|test)[_/]|_epoch$/;
const TEST = /^test[_/]/;

export const lightningCsv = csvFormat(NAME, 'PyTorch Lightning CSVLogger file',
  (columns) => columns.includes('step') && columns.length > 2, readDataRow);

function readDataRow(line: string, timestamp: number | null, state: ParseState): ParseResult | null {
  const row = readRow(line, NAME, state);
  const n = row && rowEpoch(row);
  if (!row || n === null) return null;
  const t = state.table!;
  const metrics = [...row.keys()].filter((c) => c !== 'epoch' && c !== 'step');
  if (!metrics.length) return { kind: 'ignored' };
  const get = (k: string) => row.get(k);
  if (metrics.every((c) => TEST.test(c))) {
    return { kind: 'test', format: 'lightning-csv', loss: firstValue(get, TEST_LOSS, false, state), accuracy: firstValue(get, TEST_ACC, true, state) };
  }
  const epoch = zeroBasedEpoch(n, state);
  if (epoch === 1 && state.lastEpoch > 1) startFit(state);
  for (const c of metrics) {
    if (c.endsWith('_step') || (!EVALUATION.test(c) && t.lastSeen.get(c) === epoch)) t.stepColumns.add(c);
    t.lastSeen.set(c, epoch);
  }
  if (state.open === null || state.open.epoch !== epoch) {
    state.open = emptyEpoch(epoch, null, timestamp);
    t.filledFrom = {};
  }
  const open = state.open;
  const from = t.filledFrom as Partial<Record<MetricField, { column: string; step: number | null }>>;
  const step = stepWithin(row, epoch, t);
  // a value taken from a column now known to be per-step was one batch's, not the epoch's:
  // it leaves the epoch, and becomes the batch point it was when this row is a batch row
  // (the first row of a file is one); a row that also holds an epoch column drops it
  const earlier = new Map<number, BatchRecord>();
  for (const [field, was] of Object.entries(from) as [MetricField, { column: string; step: number | null }][]) {
    if (!t.stepColumns.has(was.column)) continue;
    if ((field === 'loss' || field === 'accuracy') && was.step !== null) {
      const point = earlier.get(was.step) ?? { epoch, batch: was.step, loss: null, accuracy: null };
      point[field] = open[field];
      earlier.set(was.step, point);
    }
    open[field] = null;
    delete from[field];
  }
  const epochColumns = metrics.filter((c) => !t.stepColumns.has(c));
  if (!epochColumns.length) {
    const point = batchPoint(row, metrics, epoch, step, state);
    return earlier.size && point.kind === 'batch' ? { ...point, earlier: [...earlier.values()] } : point;
  }
  const m = pickMetrics((k) => (epochColumns.includes(k) ? row.get(k) : undefined), LIGHTNING_NAMES, state);
  if (!m.any) return { kind: 'ignored' };
  for (const [field, column] of Object.entries(m.from) as [MetricField, string][]) {
    open[field] = m.values[field];
    from[field] = { column, step };
    open.non_finite = open.non_finite.filter((f) => f !== field);
    if (m.non_finite.includes(field)) open.non_finite.push(field);
  }
  if (timestamp !== null) open.time = new Date(timestamp).toISOString();
  state.lastEpoch = Math.max(state.lastEpoch, epoch);
  return { kind: 'epoch', format: 'lightning-csv', epoch: { ...open, non_finite: [...open.non_finite] }, revise: true };
}

/** A per-step row: a batch point. */
function batchPoint(row: Map<string, string>, columns: string[], epoch: number, step: number | null, state: ParseState): ParseResult {
  const get = (k: string) => (columns.includes(k) ? row.get(k) : undefined);
  const loss = firstValue(get, ['train_loss_step', 'train_loss', 'loss_step', 'loss'], false, state);
  const accuracy = firstValue(get, ['train_acc_step', 'train_acc', 'acc_step', 'acc', 'accuracy'], true, state);
  if (loss === null && accuracy === null) return { kind: 'ignored' };
  return { kind: 'batch', format: 'lightning-csv', batch: { epoch, batch: step ?? ++state.batchInEpoch, loss, accuracy } };
}

/** The row's step counted within its epoch (the column is the global step), or null. */
function stepWithin(row: Map<string, string>, epoch: number, t: CsvTable): number | null {
  const step = Number(row.get('step'));
  if (!Number.isInteger(step) || step < 0) return null;
  const sb = t.stepBase;
  if (sb.epoch !== epoch) {
    sb.base = sb.epoch === -1 ? 0 : sb.last + 1;
    sb.epoch = epoch;
  }
  sb.last = step;
  return Math.max(1, step + 1 - sb.base);
}
