// mnist-train's lines about its flags that depend on the machine (the CLI puts "mnist-train: "
// before none of them: each names its flag first).

import { fmtInt } from '../analyze/format.js';
import { plural } from './plural.js';

const mb = (bytes: number): string => `${fmtInt(bytes / 1e6)} MB`;

/**
 * --batch-size whose batch does not fit in the fused step's wasm memory: `fits` is the largest batch
 * within wasm's 4 GiB when the batch is past it, null when it is within it but this machine refused it
 * (then no size is known to fit, and repeating the refused one would be wrong advice).
 */
export function batchTooLarge(batch: number, bytes: number, fits: number | null): string {
  const needs = `--batch-size ${batch}: a batch of ${fmtInt(batch)} images needs ${mb(bytes)} of wasm memory for the fused training step`;
  return fits === null
    ? `${needs}, more than this machine gave (it is within wasm's 4,295 MB); give a smaller --batch-size, or --no-fused-step`
    : `${needs}, more than a wasm memory holds (4,295 MB at most); give --batch-size ${fits} or less, or --no-fused-step`;
}

/** The trainer's first progress line on stderr. */
export function trainingStarts(runId: string, model: string, trainSamples: number, epochs: number): string {
  return `run ${runId}: ${model}, ${plural(trainSamples, 'training sample', 'training samples')}, ${plural(epochs, 'epoch', 'epochs')}`;
}

/** The line before the final evaluation. */
export function evaluatingOn(images: number): string {
  return `evaluating on the ${plural(images, 'test image', 'test images')}`;
}
