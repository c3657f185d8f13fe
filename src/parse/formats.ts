// Every text log format the report reads, in the order detection tries them (see
// format.ts for the interface). Adding a format: one file under src/parse/, one line here,
// its name in LogFormat (src/types.ts), and a real capture in fixtures/formats/.

import type { LogFormat } from '../types.js';
import type { LineFormat } from './format.js';
import { accelerate } from './accelerate.js';
import { fastai } from './fastai.js';
import { genericJson } from './generic-json.js';
import { hfTrainer } from './hf-trainer.js';
import { kerasCsv } from './keras-csv.js';
import { keras } from './keras.js';
import { lightningCsv } from './lightning-csv.js';
import { lightning } from './lightning.js';
import { mmengine } from './mmengine.js';
import { plainPrint } from './plain-print.js';
import { pytorchMnist } from './pytorch-mnist.js';
import { tfjsNode } from './tfjs-node.js';
import { timm } from './timm.js';
import { ultralytics } from './ultralytics.js';

export const FORMATS: readonly LineFormat[] = [
  keras,
  tfjsNode,
  ultralytics, // before pytorch-mnist, whose tqdm reader takes its epoch bar for some other progress
  lightning, // before pytorch-mnist, whose tqdm reader would take its bar as some other progress
  pytorchMnist,
  hfTrainer,
  plainPrint,
  genericJson,
  kerasCsv,
  lightningCsv,
  timm,
  fastai,
  mmengine,
  accelerate,
];

/** The names --log-format takes. */
export const FORMAT_NAMES: readonly string[] = FORMATS.map((f) => f.name);

export function formatByName(name: string): LineFormat | null {
  return FORMATS.find((f) => f.name === name) ?? null;
}

/** How the report names each LogFormat. */
export const FORMAT_TITLES: Record<LogFormat, string> = Object.assign(
  // scikit-learn's tables are read beside any format (parse/sklearn.ts), not as a LineFormat
  { events: 'mnist-train JSON events', 'scikit-learn': "scikit-learn's printed evaluation" } as Record<LogFormat, string>,
  ...FORMATS.map((f) => f.titles),
);
