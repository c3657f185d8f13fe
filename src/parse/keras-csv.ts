// Keras' CSVLogger file (callbacks=[CSVLogger('training.log')]):
//   epoch,accuracy,loss,val_accuracy,val_loss          Keras 2.3+ and 3 (keys sorted)
//   epoch,acc,loss,val_acc,val_loss                    Keras 1 / 2.0-2.2
//   0,0.9418667,0.19958884770199656,0.9679,0.10217399864746257
// One row per epoch, numbered from 0; extra columns (lr, other metrics) are left alone.
// `append=True` continues the file: a row for epoch 0 after others is another fit().
// Detected by the header row (first column `epoch`, no `step` column: that is Lightning's).

import { csvFormat, readRow, rowEpoch } from './csv-table.js';
import { shiftedEpoch } from './named-metrics.js';
import { emptyEpoch, startFit, type ParseResult, type ParseState } from './state.js';
import { readMetrics } from './text.js';

const NAME = 'keras-csv' as const;
/** Column names Keras gives the metrics we report (readMetrics in text.ts takes the same). */
const KERAS_METRIC = /^(?:val_)?(?:loss|acc|accuracy|sparse_categorical_accuracy|categorical_accuracy)$/;

export const kerasCsv = csvFormat(NAME, 'Keras CSVLogger file',
  (columns) => columns[0] === 'epoch' && !columns.includes('step') && columns.some((c) => KERAS_METRIC.test(c)),
  readDataRow);

function readDataRow(line: string, timestamp: number | null, state: ParseState): ParseResult | null {
  const row = readRow(line, NAME, state);
  const n = row && rowEpoch(row);
  if (!row || n === null) return null;
  const metrics = readMetrics(row);
  if (!metrics.any) return { kind: 'ignored' };
  if (n === 0 && state.lastEpoch > 0) startFit(state);
  const epoch = shiftedEpoch(n, state);
  state.lastEpoch = epoch;
  const rec = emptyEpoch(epoch, null, timestamp);
  rec.loss = metrics.loss;
  rec.accuracy = metrics.accuracy;
  rec.val_loss = metrics.val_loss;
  rec.val_accuracy = metrics.val_accuracy;
  rec.non_finite = metrics.non_finite;
  return { kind: 'epoch', format: 'keras-csv', epoch: rec };
}
