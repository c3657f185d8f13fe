// mnist-train's lines on stderr (the CLI puts "mnist-train: " before each), its flags' errors
// that depend on the machine, and the backend with its reason as the report also shows it.

import { fmtDuration, fmtInt } from '../analyze/format.js';
import { plural } from './plural.js';
import { given } from './usage.js';

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

/**
 * The backend and why it ran, as stderr and the report's Infrastructure section say it: a dash, not
 * brackets, as the reason has its own ("wasm — tfjs-node not installed; wasm loaded (SIMD)").
 */
export function backendShown(backend: string, reason: string | undefined): string {
  return `${backend}${reason !== undefined ? ` — ${reason}` : ''}`;
}

/** The backend line, before training: "backend wasm — tfjs-node not installed; wasm loaded (SIMD)". */
export function backendLine(backend: string, reason: string | undefined): string {
  return `backend ${backendShown(backend, reason)}`;
}

/** The first SIGTERM or SIGINT: the run ends after this batch (a second one stops it at once). */
export function stopping(signal: string): string {
  return `${signal}: finishing the current batch, then stopping`;
}

/** --log-group: where the events go besides stdout. */
export function shippingTo(logGroup: string, logStream: string): string {
  return `shipping events to CloudWatch Logs group ${logGroup}, stream ${logStream}`;
}

/** stdout failed (its reader went away): training goes on, --out and CloudWatch still get the events. */
export function stdoutGone(why: string): string {
  return `stdout: ${why}; no more events there, training goes on`;
}

/** --save-model, after the model is written. */
export function modelSaved(dir: string): string {
  return `model saved to ${dir}`;
}

/** Each epoch's line; its time as the report writes durations (a 40 ms epoch printed "0.0s"). */
export function epochDone(e: { epoch: number; loss: number; accuracy: number; valLoss: number; valAccuracy: number; durationMs: number }, epochs: number): string {
  return `epoch ${e.epoch}/${epochs} loss ${e.loss.toFixed(4)} acc ${e.accuracy.toFixed(4)} val_loss ${e.valLoss.toFixed(4)} ` +
    `val_acc ${e.valAccuracy.toFixed(4)} ${fmtDuration(e.durationMs)}`;
}

/** A number flag out of its range; counts written as every count is ("between 1 and 60,000"). */
export function intBad(flag: string, min: number, max: number | null, text: string): string {
  const range = max === null ? `>= ${fmtInt(min)}` : `between ${fmtInt(min)} and ${fmtInt(max)}`;
  return `--${flag} must be an integer ${range}, got ${given(text)}`;
}
