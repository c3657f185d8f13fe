// Trainers that count steps or iterations and print no epochs: their logs are not read (an epoch would
// have to be invented), but a line of one is named, so that "no training run found" can say what the
// input is rather than only that no format read it. Tried only on a line nothing read (line.ts), on
// the text after its prefix (TensorFlow's "INFO:tensorflow:" is Python logging's, parse/line-prefix.ts):
//
//   TensorFlow 1 Estimator   "INFO:tensorflow:loss = 2.44919, step = 1", "… global_step/sec: 602.544",
//                            "… Saving dict for global step 1000: accuracy = 0.9189, …"
//   detectron2               "[09/02 02:37:24 d2.utils.events]:  eta: 0:05:22  iter: 19  total_loss: 1.986 …" (its
//                            console), "[09/02 02:37:24] d2.utils.events INFO:  eta: …  iter: 19 …" (its log.txt)
//   mmengine by iteration    "08/18 20:27:22 - mmengine - INFO - Iter(train) [  100/90000]  lr: …"

import type { StepLog } from '../types.js';

const PATTERNS: [StepLog, RegExp][] = [
  ['tf-estimator', /^(?:loss = [^\s,]{1,40}, step = \d{1,12}\b|global_step\/sec: [\d.]{1,20}\s*$|Saving dict for global step \d{1,12}: )/],
  ['detectron2', /^\[\d\d\/\d\d \d\d:\d\d:\d\d(?: d2\.utils\.events\]:|\] d2\.utils\.events INFO:) {1,4}(?:eta: \S{1,20} {1,4})?iter: \d{1,12} /],
  ['mmengine-iter', /^(?:\d\d\/\d\d \d\d:\d\d:\d\d - [\w.-]{1,60} - INFO - )?Iter\((?:train|val)\) \[\s{0,12}\d{1,12}\/\d{1,12}\]/],
];

/** Which step-based trainer printed this line no format read, or null. */
export function stepLog(line: string): StepLog | null {
  for (const [name, re] of PATTERNS) if (re.test(line)) return name;
  return null;
}
