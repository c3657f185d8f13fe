// Hugging Face Accelerate's example scripts (examples/nlp_example.py and the scripts built on it) print
// the evaluation after each epoch as a Python dict, the epoch from 0:
//   "epoch 0: {'accuracy': 0.6838235294117647, 'f1': 0.8122270742358079}"
// The dict is what `evaluate`'s metrics computed on the evaluation set, so its accuracy is the validation
// accuracy (and an eval_loss, when a script adds one, the validation loss); other metrics (f1) are not
// ours. Read as Python prints it: single quotes, True/False/None, nan/inf (python-json.ts).
// Under accelerate launch on SageMaker the line comes behind mpirun's "[1,mpirank:0,algo-1]<stdout>:"
// (line-prefix.ts); only the main process prints it (accelerator.print).

import type { LineFormat } from './format.js';
import { epochOf, pickMetrics, zeroBasedEpoch, type MetricNames } from './named-metrics.js';
import { parsePythonDict } from './python-json.js';
import { startFit, type ParseResult, type ParseState } from './state.js';

const NAME = 'accelerate' as const;
const LINE = /^epoch (\d{1,9}): (\{.{1,4000}\})\s*$/;

/** The evaluation's names: all of it is the validation, but a train_loss a script adds. */
const NAMES: MetricNames = {
  loss: ['train_loss'], accuracy: [],
  val_loss: ['eval_loss', 'val_loss'], val_accuracy: ['accuracy', 'eval_accuracy', 'val_accuracy'],
};

/**
 * A dict with Keras' validation names (val_accuracy, val_loss: a Keras callback's print(f"epoch {epoch}: {logs}")
 * prints the same line shape) or an eval_accuracy has the training's metrics under the bare names; an
 * Accelerate script's dict with an eval_loss added beside its accuracy does not (its accuracy is the evaluation's).
 */
const NAMES_BESIDE_VALIDATION: MetricNames = {
  loss: ['loss', 'train_loss'], accuracy: ['accuracy', 'acc', 'train_accuracy'],
  val_loss: ['val_loss', 'eval_loss'], val_accuracy: ['val_accuracy', 'val_acc', 'eval_accuracy'],
};
const VALIDATION_KEY = /^val_|^eval_acc/;

export const accelerate: LineFormat = {
  name: NAME,
  titles: { accelerate: "an Accelerate example's epoch lines" },
  detect: (line) => line.startsWith('epoch ') && LINE.test(line),
  read(line, ctx, state) {
    const m = LINE.exec(line);
    return m ? epochLine(Number(m[1]), m[2]!, ctx.timestamp, state) : null;
  },
};

function epochLine(n: number, dict: string, timestamp: number | null, state: ParseState): ParseResult | null {
  const values = parsePythonDict(dict);
  if (values === null) return null;
  const get = (key: string): string | undefined => {
    const v = values[key];
    return typeof v === 'number' || typeof v === 'string' ? String(v) : undefined;
  };
  const metrics = pickMetrics(get, Object.keys(values).some((k) => VALIDATION_KEY.test(k)) ? NAMES_BESIDE_VALIDATION : NAMES, state);
  // a dict of other metrics only (f1, matthews_correlation): nothing of ours in it, so said as unread
  if (!metrics.any) return null;
  if (n === 0 && state.lastEpoch > 0) startFit(state);
  const rec = epochOf(metrics, zeroBasedEpoch(n, state), null, timestamp);
  state.lastEpoch = rec.epoch;
  return { kind: 'epoch', format: NAME, epoch: rec };
}
