// PyTorch's examples/mnist and the loops copied from it:
//   "Train Epoch: 1 [640/60000 (1%)]\tLoss: 2.350225"              a logged batch (every log_interval)
//   "Test set: Average loss: 0.0545, Accuracy: 9817/10000 (98%)"    the epoch's evaluation on the test set:
//                                                                  the run's per-epoch validation, n from the count,
//                                                                  named the test set by the line itself
// Variants print a tqdm bar per epoch instead of batch lines, and an epoch header:
//   "EPOCH: 0" | "Epoch:  1"                                       (0-based in many copies)
//   "Loss=0.0958 Batch_id=468 Accuracy=87.78: 100%|██████████| 469/469 [00:15<00:00, 30.20it/s]"
// The bar's Accuracy is the epoch's running training accuracy in percent; its loss is the
// last batch's, so it is a batch point and not the epoch's training loss.

import type { LineFormat } from './format.js';
import { emptyEpoch, finishTextEpoch, note, setHeader, type ParseResult, type ParseState } from './state.js';
import { parseMetricValue, percentToFraction, type TextMetrics } from './text.js';
import { COMPOSE_PREFIX } from './line-prefix.js';

const TRAIN = /^\s*Train Epoch: {0,4}(\d{1,9}) \[(\d{1,12})\/(\d{1,12}) \((\d{1,3})%\)\]\s{0,8}Loss: {0,4}(\S{1,40})/;
const TEST = /^\s*Test set: Av(?:erage|g\.) loss: {0,4}(\S{1,40}), Accuracy: {0,4}(\d{1,12})\/(\d{1,12}) \(/;
const HEADER = /^\s*EPOCH\s{0,4}:\s{0,4}(\d{1,9})\s*$/i;
/** tqdm's "<desc>: 100%|████| 469/469 [" (the description is optional). */
const BAR = /(?:^|: ?)\s{0,3}(\d{1,3})%\|[^|]{0,400}\| ?(\d{1,12})\/(\d{1,12}) \[/;
/** Lightning's bar's description. */
const LIGHTNING_DESC = /^\s*Epoch \d{1,9}$/;
const LOOKS_LIKE = /^\s*(?:Train Epoch: |Test set: Av|EPOCH\s{0,4}:\s{0,4}\d{1,9}\s*$)|\d%\|/i;

export const pytorchMnist: LineFormat = {
  name: 'pytorch-mnist',
  titles: { 'pytorch-mnist': 'PyTorch examples/mnist text output' },
  detect: (line) => LOOKS_LIKE.test(line),
  read(line, ctx, state) {
    const h = HEADER.exec(line);
    if (h) return header(Number(h[1]), state);
    const t = TRAIN.exec(line);
    if (t) return trainLine(Number(t[1]), Number(t[2]), Number(t[3]), t[5]!, state);
    const s = TEST.exec(line);
    if (s) return testLine(s[1]!, Number(s[2]), Number(s[3]), ctx.timestamp, state);
    const b = BAR.exec(line);
    if (!b) return null;
    const desc = line.slice(0, b.index);
    // "Epoch 2: 100%|…" is Lightning's bar (tried before this format for that): not this format's
    // progress, even in a stream this format read first (a Lightning run logged after a PyTorch one).
    // A bar behind docker compose's "trainer-1  | " is not taken whole either: line.ts reads past that prefix when no
    // format took the line, and every format then sees the bar as printed (a Lightning or Ultralytics one is theirs)
    return LIGHTNING_DESC.test(desc) || COMPOSE_PREFIX.test(desc) ? null : barLine(desc, Number(b[2]), Number(b[3]), ctx.timestamp, state);
  },
};

/**
 * "EPOCH: 0" numbers the epochs from 0: at the stream's start, and also after another run's epochs (a
 * capture catted after one numbered from 1), where setHeader starts the next fit (its epoch 1 after
 * epochs), numbered as alone: the shift is set first, so that the new fit keeps its note.
 */
function header(n: number, state: ParseState): ParseResult {
  const zeroBased = n === 0 && (state.lastEpoch > 0 || state.epoch === null);
  if (zeroBased) state.epochShift = 1;
  const epoch = n + state.epochShift;
  setHeader(state, epoch, null);
  if (zeroBased) note(state, 'zero_based_epochs');
  return { kind: 'header', format: 'pytorch-mnist', epoch, epochs: null };
}

/**
 * "[5120/60000 (9%)]" is samples seen of the dataset (batch_idx × batch size), not a batch number:
 * the batch size is not printed, so the batch's number is the logged line's within the epoch and
 * the line's own position goes with it (BatchRecord.sample).
 */
function trainLine(n: number, seen: number, total: number, lossText: string, state: ParseState): ParseResult {
  // its numbers are the epochs' own: a fit of these lines after an "EPOCH: 0" run is not shifted
  if (n <= 1 && state.lastEpoch > 0) state.epochShift = 0;
  if (state.epoch !== n || state.epochDone) setHeader(state, n, null);
  const loss = parseMetricValue(lossText);
  state.batchInEpoch++;
  // one literal each, not `{ ...batch, sample, samples }`: V8 (Node 20) took a slow path for that spread,
  // ~3 µs a line: a 1,003,000-line log of these (51 MB) took 4.0-4.1 s of CPU to read, 1.2 with literals
  const lossValue = loss?.value ?? null;
  return { kind: 'batch', format: 'pytorch-mnist', batch: total > 0 && seen <= total
    ? { epoch: n, batch: state.batchInEpoch, loss: lossValue, accuracy: null, sample: seen, samples: total }
    : { epoch: n, batch: state.batchInEpoch, loss: lossValue, accuracy: null } };
}

function testLine(lossText: string, correct: number, total: number, timestamp: number | null, state: ParseState): ParseResult {
  const loss = parseMetricValue(lossText);
  const open = state.open;
  state.open = null;
  const metrics: TextMetrics = {
    loss: null, accuracy: open?.accuracy ?? null,
    val_loss: loss?.value ?? null, val_accuracy: total > 0 ? correct / total : null,
    non_finite: loss?.nonFinite ? ['val_loss'] : [], any: true,
  };
  const rec = finishTextEpoch(state, metrics, null, timestamp);
  if (rec === null) return { kind: 'ignored' };
  if (total > 0) rec.val_samples = total;
  rec.val_named_test = 'Test set';
  return { kind: 'epoch', format: 'pytorch-mnist', epoch: rec };
}

/** A tqdm bar: its description's "key=value" pairs (Loss=…, Batch_id=…, Accuracy=…, epoch=…). */
function barLine(desc: string, step: number, total: number, timestamp: number | null, state: ParseState): ParseResult {
  const values = new Map<string, string>();
  for (const m of desc.matchAll(/([A-Za-z_]{1,20})\s{0,2}=\s{0,2}(\S{1,40})/g)) values.set(m[1]!.toLowerCase(), m[2]!.replace(/[:,]$/, ''));
  const epochText = values.get('epoch');
  if (epochText !== undefined && /^\d{1,9}$/.test(epochText) && Number(epochText) + state.epochShift !== state.epoch) {
    header(Number(epochText), state);
  }
  const loss = values.has('loss') ? parseMetricValue(values.get('loss')!) : null;
  const acc = values.has('accuracy') ? parseMetricValue(values.get('accuracy')!) : null;
  if (!loss && !acc) return { kind: 'ignored' }; // a bar of something else (a download, a dataset map)
  const epoch = state.epoch ?? state.lastEpoch + 1;
  const batchId = values.get('batch_id');
  const batch = batchId !== undefined && /^\d{1,12}$/.test(batchId) ? Number(batchId) + 1 : step;
  if (step >= total && acc?.value != null) {
    state.open ??= emptyEpoch(epoch, state.epochs, timestamp);
    state.open.accuracy = percentToFraction(acc.value);
    note(state, 'percent_accuracy');
  }
  return { kind: 'batch', format: 'pytorch-mnist', batch: { epoch, batch, loss: loss?.value ?? null, accuracy: acc?.value == null ? null : percentToFraction(acc.value) } };
}
