// Keras `model.fit` output, as it lands in a log:
//   Keras 2, verbose 1:  "1875/1875 [==============================] - 3s 2ms/step - loss: 0.2950 - accuracy: 0.9140 - val_loss: …"
//                        (mid-epoch redraws "  32/1875 [>....] - ETA: 3:07 - loss: …" joined by \r or \b on one line)
//   Keras 2, verbose 2:  "1875/1875 - 3s - loss: 0.2950 - accuracy: 0.9140 - val_loss: … - 3s/epoch - 2ms/step"
//   Keras 3:             "1875/1875 ━━━━━━━━━━━━━━━━━━━━ 3s 1ms/step - accuracy: 0.8601 - loss: 0.4822 - …" (ANSI-coloured)
//   Keras 1/2.0, verbose 2: "412s - loss: 0.0211 - acc: 0.9934 - val_loss: 0.0650 - val_acc: 0.9861" (or " - 88s - loss: …")
// and "Epoch 3/5" headers (also after a prefix: "# Epoch 7/12", "[worker-0] Epoch 3/5"). Also:
//   a finished bar with no metrics (a dataset download, "11490434/11490434 ━━━━ 1s 0us/step"): never an epoch,
//   nor is the "Downloading data from https://…" line before it (ignored, as Keras' own noise);
//   a finished bar after the epoch's own (model.evaluate): the run's test metrics;
//   "Epoch 00017: early stopping" (EarlyStopping, verbose 1): the run stopped early, on purpose;
//   "Epoch 00001: saving model to weights_best.h5" (ModelCheckpoint, verbose 1): Keras' own noise;
//   "Train on 60000 samples, validate on 10000 samples" (Keras 1/2.0): n of the validation set;
//   a header that starts again at epoch 1: another fit() call, so another run (state.ts).
// The caller has already taken the last redraw and removed ANSI codes.

import type { LineContext, LineFormat } from './format.js';
import { finishTextEpoch, setHeader, startFit, type ParseResult, type ParseState, type TextFormat } from './state.js';
import { parseDuration, parseStep, readMetrics, type TextMetrics } from './text.js';

/** "Epoch 3/5", after an optional prefix that ends in a space, "#", "]", ":", ">" or "|". */
const HEADER = /^(?:.{0,80}?[\s#\]:>|])?Epoch (\d{1,9})\/(\d{1,9})$/;
const UNKNOWN_TARGET = /^ {0,12}\d{1,12}\/Unknown( |$)/;
/** Keras 1/2.0 verbose 2: the epoch's seconds, then the metrics. */
const RESULT = /^(?:- )?(\d{1,7}(?:\.\d{1,6})?(?:s|ms))(?: \d{1,9}(?:ms|us)\/step)? - [A-Za-z_][A-Za-z0-9_]{0,60}: /;
const EARLY_STOP = /^Epoch (\d{1,9}): early stopping$/;
/** ModelCheckpoint(verbose=1) saving at an epoch's end (Keras 2 pads the epoch to 5 digits). */
const CHECKPOINT = /^Epoch \d{1,9}: saving model to \S.{0,2000}$/;
const SAMPLES = /^Train on (\d{1,12}) samples, validate on (\d{1,12}) samples$/;
/** keras.utils.get_file announcing a dataset download (its bar follows): Keras' own noise. */
const DOWNLOADING = /^Downloading data from \S{1,2000}$/;
const LOOKS_LIKE = new RegExp(
  '^\\s*(?:\\d{1,12}\\/(?:\\d{1,12}|Unknown)(?: |$)|(?:- )?\\d{1,7}(?:\\.\\d{1,6})?m?s(?: \\d{1,9}[mu]s\\/step)? - \\w{1,60}: |' +
  'Epoch \\d{1,9}: (?:early stopping\\s*$|saving model to \\S)|Train on \\d{1,12} samples, validate on |Downloading data from )|Epoch \\d{1,9}\\/\\d{1,9}\\s*$',
);

export const keras: LineFormat = {
  name: 'keras',
  titles: { keras2: 'Keras 1/2 text output', keras3: 'Keras 3 text output' },
  detect: (line) => LOOKS_LIKE.test(line),
  read: (line, ctx, state) => parseKerasLine(line, ctx, state),
};

/** Returns null when the line is not Keras output. */
function parseKerasLine(clean: string, ctx: LineContext, state: ParseState): ParseResult | null {
  const hadAnsi = ctx.hadAnsi;
  const trimmed = clean.trim();
  const h = HEADER.exec(trimmed);
  if (h) {
    setHeader(state, Number(h[1]), Number(h[2]));
    return { kind: 'header', format: hadAnsi ? 'keras3' : 'keras2', epoch: Number(h[1]), epochs: Number(h[2]) };
  }
  if (EARLY_STOP.test(trimmed)) return { kind: 'stopped', format: hadAnsi ? 'keras3' : 'keras2' };
  if (DOWNLOADING.test(trimmed) || CHECKPOINT.test(trimmed)) return { kind: 'ignored' };
  const n = SAMPLES.exec(trimmed);
  if (n) {
    // printed before the first header of a fit(): after epochs, it opens the next run
    if (state.lastEpoch > 0) startFit(state);
    state.valSamples = Number(n[2]);
    return { kind: 'ignored' };
  }
  const r = RESULT.exec(trimmed);
  if (r) return finished(valuesOf(trimmed.split(' - ')), parseDuration(r[1]!), 'keras2', ctx, state);
  // "   1875/Unknown - 3s …": an epoch whose length Keras does not know yet (tf.data); the
  // finished bar of that epoch is printed as "1875/1875" again, so these are progress.
  if (UNKNOWN_TARGET.test(clean)) return { kind: 'ignored' };
  const step = parseStep(clean);
  if (!step || step.total < 1) return null;
  const parts = step.rest.split(' - ');
  const lead = (parts[0] ?? '').trim();
  // What follows "step/total" must be a bar, or nothing (verbose 2); otherwise not Keras.
  const bar = lead.startsWith('[') ? 'keras2' : lead.startsWith('━') ? 'keras3' : lead === '' ? 'none' : null;
  if (bar === null) return null;
  const format: TextFormat = bar === 'keras3' || hadAnsi || (bar === 'none' && isKeras3Verbose2(parts)) ? 'keras3' : 'keras2';
  const metrics = valuesOf(parts);
  if (step.step < step.total) {
    if (!metrics.any) return { kind: 'ignored' };
    const epoch = state.epoch ?? state.lastEpoch + 1;
    return { kind: 'batch', format, batch: { epoch, batch: step.step, loss: metrics.loss, accuracy: metrics.accuracy } };
  }
  return finished(metrics, elapsed(lead, parts), format, ctx, state);
}

/** The metrics of " - name: value" parts (the first part is the counter/bar or the time). */
function valuesOf(parts: string[]): TextMetrics {
  const values = new Map<string, string>();
  for (let i = 1; i < parts.length; i++) {
    const p = parts[i]!;
    const colon = p.indexOf(': ');
    if (colon > 0) values.set(p.slice(0, colon).trim(), p.slice(colon + 2));
  }
  return readMetrics(values);
}

/**
 * A finished bar or result line: the header's epoch the first time; with no metrics a
 * progress bar of something else (a download); after the epoch's own, model.evaluate.
 */
function finished(metrics: TextMetrics, durationMs: number | null, format: TextFormat, ctx: LineContext, state: ParseState): ParseResult {
  if (!metrics.any) return { kind: 'ignored' };
  const rec = finishTextEpoch(state, metrics, durationMs, ctx.timestamp);
  if (rec === null) return { kind: 'test', format, loss: metrics.loss, accuracy: metrics.accuracy };
  return { kind: 'epoch', format, epoch: rec };
}

/** Keras 3 verbose 2 puts "Nms/step" right after the time; Keras 2 ends with "…/epoch - …/step". */
function isKeras3Verbose2(parts: string[]): boolean {
  return (parts[2] ?? '').trim().endsWith('/step') && !parts.some((p) => p.trim().endsWith('/epoch'));
}

/** Epoch wall time: the first duration after the bar ("3s" in "… 3s 2ms/step", "1m 3s" in Keras 3). */
function elapsed(lead: string, parts: string[]): number | null {
  // Keras 3's bar characters (━, ─) written as escapes: they were the only characters above U+00FF in
  // the bundled CLI, and V8 keeps a script's source with any such character at two bytes a character
  // (the 1.6 MB bundle: 3.2 MB of heap held for the whole run, instead of 1.6).
  const afterBar = lead.startsWith('[') ? lead.slice(lead.indexOf(']') + 1) : lead.replace(/^[\u2501\u2500\s]*/, '');
  const candidates = [afterBar, ...parts.slice(1)];
  for (const c of candidates) {
    if (c.includes(':')) continue;
    const tokens: string[] = [];
    for (const t of c.trim().split(' ')) {
      if (!t || t.includes('/')) break;
      tokens.push(t);
    }
    if (tokens.length) {
      const ms = parseDuration(tokens.join(' '));
      if (ms !== null) return ms;
    }
  }
  return null;
}
