// Ultralytics YOLO training a classifier (task=classify), as its console prints it:
//   "      Epoch    GPU_mem       loss  Instances       Size"                  the header before each epoch
//   "       1/50     0.679G     0.2584         11         64: 100%|██████████| 30/30 [00:09<00:00,  3.30it/s]"
//                                   the epoch's training bar (1-based, of the planned count); at 100% its
//                                   loss is the epoch's mean training loss (before that, the mean so far)
//   "               classes   top1_acc   top5_acc: 100%|██████████| 1/1 […]"   the validation's bar
//   "                   all      0.591          1"                                 its top-1 and top-5 accuracy
// After the last epoch Ultralytics validates best.pt ("Validating runs/…/weights/best.pt...") and prints
// another "all" row: the best epoch's weights again, not an epoch. "val: Scanning …/test... 22 images, 0
// corrupt" gives the validation's size and the split it scores (the test folder, when the dataset has no val
// split: "val: None..."), "Overriding model.yaml nc=1000 with nc=3" (or a split's "found 22 images
// in 3 classes ✅") the model's class count. Its EarlyStopping line makes the run "stopped early", and its
// own status lines (version banner, engine/trainer arguments, model table, optimizer, AMP, dataset scans,
// "50 epochs completed in 0.092 hours.", "Results saved to …", the weights' download bar) are noise, as are the predictor's lines
// ("0: 64x64 rhinoceros 0.52, …", "Speed: …") a callback may print between epochs. A line that says
// ERROR or WARNING is never noise (a dataset with a class too many is reported in Data Quality).
// Detection's other tasks print several loss columns and other "all" rows: not read.

import type { LineFormat } from './format.js';
import { emptyEpoch, IGNORED, setHeader, startFit, type ParseResult, type ParseState } from './state.js';
import { parseMetricValue } from './text.js';

const EPOCH_ROW = /^\s{0,20}(\d{1,9})\/(\d{1,9})\s{1,20}\d[\d.]{0,12}G\s{1,20}(\S{1,40})\s{1,20}\d{1,12}\s{1,20}\d{1,6}:\s{0,3}\d{1,3}%(?:\|[^|]{0,400}\|)?\s{0,3}(\d{1,12})\/(\d{1,12})/;
const ALL_ROW = /^\s{1,40}all\s{1,40}(\d[\d.]{0,12})\s{1,40}(\d[\d.]{0,12})\s*$/;
const VAL_SCAN = /^val: Scanning (\S.{0,1000}?)\.\.\. (\d{1,12}) images, \d{1,12} corrupt: /;
/** The folder the validation scans, by name: the dataset's test split (no val split: "val: None...") or its own val split. */
const SPLIT_FOLDER = /[\\/](?:(test)|(val|valid|validation))[\\/]?$/i;
const ENGINE = /^engine\/trainer: task=/;
/** The model's class count: "Overriding model.yaml nc=1000 with nc=3", or a dataset split found whole ("test: …/test... found 22 images in 3 classes ✅"). */
const CLASSES = /^Overriding model\.yaml nc=\d{1,9} with nc=(\d{1,9})\s*$|^(?:train|val|test): \S.{0,1000}\.\.\. found \d{1,12} images in (\d{1,9}) classes ✅\s*$/;
const EARLY_STOP = /^(?:EarlyStopping: )?(?:Stopping training early|Training stopped early) as no improvement observed in last \d{1,9} epochs\. /;
const NOISE = new RegExp([
  '^\\s{0,10}Epoch\\s{1,20}GPU_mem\\s', '^\\s{0,40}classes\\s{1,20}top1_acc\\s{1,20}top5_acc', '^Ultralytics (?:YOLO|YOLOv8)\\S{0,20} ',
  '^Starting training for \\d{1,9} epochs\\.\\.\\.\\s*$', '^\\s{10,40}from\\s{1,10}n\\s{1,10}params\\s{1,10}module\\s{1,60}arguments\\s*$',
  '^\\s{0,3}\\d{1,4}\\s{1,30}(?:-?\\d{1,4}|\\[[-\\d, ]{1,60}\\])\\s{1,30}\\d{1,6}\\s{1,30}\\d{1,12}\\s{1,4}(?:ultralytics|torch)\\.\\S',
  '^YOLO\\S{0,30} summary(?: \\(fused\\))?: \\d', '^Transferred \\d{1,6}/\\d{1,6} items from pretrained weights',
  '^(?:TensorBoard|AMP|optimizer|albumentations): ', '^Overriding model\\.yaml nc=\\d{1,9} with nc=\\d{1,9}',
  '^Image sizes \\d{1,6} train, \\d{1,6} val\\s*$', '^Using \\d{1,4} dataloader workers\\s*$', '^Logging results to \\S',
  '^\\d{1,9} epochs completed in [\\d.]{1,12} hours\\.\\s*$', '^Optimizer stripped from \\S', '^Validating \\S.{0,1000}\\.pt\\.\\.\\.\\s*$',
  '^Results saved to \\S', '^New https://pypi\\.org/project/ultralytics/\\S{1,40} available', '^Downloading https://github\\.com/ultralytics/\\S',
  '^(?:train|val|test): \\S.{0,1000}\\.\\.\\. found \\d{1,12} images in \\d{1,9} classes ✅\\s*$', '^val: None\\.\\.\\.\\s*$',
  '^train: Scanning \\S.{0,1000}\\.\\.\\. \\d{1,12} images, \\d{1,12} corrupt: ',
  '^\\d{1,6}: \\d{1,5}x\\d{1,5} \\S', '^Speed: [\\d.]{1,12}ms preprocess, [\\d.]{1,12}ms inference, (?:[\\d.]{1,12}ms loss, )?[\\d.]{1,12}ms postprocess per image',
  '^Closing dataloader mosaic\\s*$', '^\\s{0,3}100%\\|[^|]{0,400}\\|\\s{0,3}[\\d.]{1,12}[kMG]/[\\d.]{1,12}[kMG] \\[',
  '^To update EarlyStopping\\(patience=\\d{1,9}\\) pass a new patience value',
].join('|'));
const LOOKS_LIKE = new RegExp(`^\\s{0,20}\\d{1,9}/\\d{1,9}\\s{1,20}\\d[\\d.]{0,12}G\\s|^\\s{1,40}all\\s{1,40}\\d|^val: Scanning |^engine/trainer: task=|^(?:EarlyStopping: )?(?:Stopping|Training stopped) |${NOISE.source}`);
/** Never noise, whatever its prefix: the user should see it. */
const ALERT = /ERROR|WARNING|❌|⚠️/;

export const ultralytics: LineFormat = {
  name: 'ultralytics',
  titles: { ultralytics: 'Ultralytics YOLO classify log' },
  detect: (line) => LOOKS_LIKE.test(line),
  read(line, ctx, state) {
    const e = EPOCH_ROW.exec(line);
    if (e) return epochRow(Number(e[1]), Number(e[2]), e[3]!, Number(e[4]), Number(e[5]), ctx.timestamp, state);
    const a = ALL_ROW.exec(line);
    if (a) return allRow(a[1]!, state);
    if (ALERT.test(line)) return null;
    const scan = VAL_SCAN.exec(line);
    if (scan) {
      state.valSamples = Number(scan[2]);
      const split = SPLIT_FOLDER.exec(scan[1]!);
      state.valSplit = split ? (split[1] ? 'test' : 'val') : null;
      return IGNORED;
    }
    const classes = CLASSES.exec(line);
    if (classes) {
      state.classes = Number(classes[1] ?? classes[2]);
      return IGNORED;
    }
    if (ENGINE.test(line)) {
      // another train() in the same log: its dataset lines come before its first epoch
      if (state.lastEpoch > 0) startFit(state);
      return IGNORED;
    }
    if (EARLY_STOP.test(line)) return { kind: 'stopped', format: 'ultralytics' };
    return NOISE.test(line) ? IGNORED : null;
  },
};

/** The training bar: only its 100% state is the epoch's (its loss the epoch's mean); before that, progress. */
function epochRow(n: number, planned: number, lossText: string, step: number, total: number, timestamp: number | null, state: ParseState): ParseResult | null {
  const loss = parseMetricValue(lossText);
  if (!loss) return null;
  if (total === 0 || step < total) return IGNORED;
  const { valSamples, classes, valSplit } = state;
  setHeader(state, n, planned);
  // said before the first epoch; a new fit (setHeader) would drop them
  state.valSamples = valSamples;
  state.classes = classes;
  state.valSplit = valSplit;
  state.lastEpoch = n;
  const rec = emptyEpoch(n, planned, timestamp);
  rec.loss = loss.value;
  if (classes !== null) rec.classes = classes;
  if (valSplit !== null) rec.val_split = valSplit;
  if (loss.nonFinite) rec.non_finite.push('loss');
  state.open = rec;
  return { kind: 'epoch', format: 'ultralytics', epoch: { ...rec, non_finite: [...rec.non_finite] } };
}

/** The validation's "all" row revises the epoch just trained; another (best.pt's, after the last epoch) is no epoch. */
function allRow(top1Text: string, state: ParseState): ParseResult | null {
  const top1 = parseMetricValue(top1Text);
  if (!top1 || top1.value === null || top1.value > 1) return null;
  const open = state.open;
  if (!open || state.epochDone || open.epoch !== state.epoch) return IGNORED;
  state.epochDone = true;
  const rec = { ...open, val_accuracy: top1.value, non_finite: [...open.non_finite] };
  if (state.valSamples !== null) rec.val_samples = state.valSamples;
  state.open = rec;
  return { kind: 'epoch', format: 'ultralytics', epoch: rec, revise: true };
}
