// The charts' words: titles, subtitles, the alt text (the SVG's <desc> and the
// figure's caption), each point's hover text and the labels drawn on the marks.
// render/ builds the specs and lays them out; what a chart says is worded here.
// Axis titles and legend entries stay beside the spec that draws them: they are
// a chart's column headers (one or two words, no number, no finding).

import type { BestEpoch } from '../analyze/types.js';
import type { EvaluationAnalysis } from '../analyze/evaluation.js';
import { fmtInt, fmtLevel, fmtPct } from '../analyze/format.js';
import { plural } from './plural.js';
import { batchPlace } from './checks.js';
import { allTogether, classNoun } from './evaluation.js';
import { bandSpread } from './history.js';

type BatchPlace = Parameters<typeof batchPlace>[0];

/** The titles of the charts whose title carries no number. */
export const CHART_TITLES = {
  loss: 'Loss per epoch',
  accuracy: 'Accuracy per epoch',
  gap: 'Generalization gap per epoch (validation − training)',
  confusion: 'Confusion matrix (counts; colour = share of the true class)',
  reliability: 'Reliability diagram (accuracy per confidence bin)',
  'wrong-digits': 'The most confidently wrong test images (true → predicted, confidence)',
  'runs-accuracy': 'Validation accuracy per epoch, by run',
} as const;

// ---- per-epoch charts (render/charts.ts, render/chart-marks.ts) ----

/** A thinned chart says so under its title. */
export function thinnedSubtitle(every: number): string {
  return `lines through the first, last, min and max of every ${every} epochs`;
}

/** ` (… every N epochs)` for a thinned chart's alt text. */
function thinnedAlt(every: number): string {
  return every > 1 ? ` (drawn through the first, last, lowest and highest value of every ${every} epochs)` : '';
}

/** A point's hover text: "epoch 3: validation accuracy 97.68%". */
export function epochPoint(epoch: number, who: string, metric: string, shown: string): string {
  return `epoch ${epoch}: ${who} ${metric} ${shown}`;
}

/** What the markers on a per-epoch chart mean, for its alt text ("" when it has none). */
export function marksAlt(m: { best: number | null; onset: number | null; notRun: number; nonFinite: boolean }): string {
  const out: string[] = [];
  if (m.best !== null) out.push(`the dotted vertical line is the best epoch (${m.best})`);
  if (m.onset !== null) out.push(`the red band marks overfitting from epoch ${m.onset}`);
  if (m.notRun > 0) out.push(`the grey band is the ${plural(m.notRun, 'planned epoch', 'planned epochs')} that never ran`);
  if (m.nonFinite) out.push('red crosses on the top edge are epochs whose value was not finite');
  return out.length ? `; ${out.join('; ')}` : '';
}

/** The loss or accuracy chart's alt text; `drawn`: which of the run's two series have a point (the caption names only those). */
export function pairChartAlt(title: string, metric: string, log: boolean, every: number, baselineRunId: string | null, marks: string,
  drawn: { training: boolean; validation: boolean } = { training: true, validation: true }): string {
  const baseline = baselineRunId !== null ? `; the baseline run ${baselineRunId} in lighter dotted lines` : '';
  const which = drawn.training && drawn.validation ? 'training and validation' : drawn.training ? 'training' : 'validation';
  return `${title}: ${which} ${metric} for each epoch${log ? ' on a log scale' : ''}${thinnedAlt(every)}${baseline}${marks}.`;
}

export function gapChartAlt(every: number, marks: string): string {
  return `Validation minus epoch-averaged training accuracy (percentage points) and loss, per epoch${thinnedAlt(every)}; the dashed line is zero${marks}.`;
}

/** The gap chart's hover text: "epoch 3: accuracy gap −0.42 pp". */
export function gapPoint(epoch: number, metric: 'accuracy' | 'loss', shown: string): string {
  return `epoch ${epoch}: ${metric} gap ${shown}`;
}

/** A cross on the top edge: the metric was not finite at that epoch. */
export function nonFinitePoint(epoch: number, metric: string): string {
  return `epoch ${epoch}: ${metric} is not finite (NaN or infinite)`;
}

/** The band of planned epochs that never ran: its hover text and the label drawn on it. */
export function notRunBand(seen: number, last: number): { label: string; text: string } {
  return { label: `epochs ${seen + 1}-${last} of ${last} planned: not run`, text: `not run (${last} planned)` };
}

/** The overfitting band from its onset: hover text and drawn label. */
export function overfittingBand(onset: number): { label: string; text: string } {
  return { label: `overfitting from epoch ${onset}: validation loss rose while training loss fell`, text: `overfitting from ${onset}` };
}

/** The best epoch's rule: hover text and drawn label; `by`, what chose it (analyze/types.ts BestEpoch). */
export function bestEpochRule(best: number, by: BestEpoch['by'] = 'val_loss'): { label: string; text: string } {
  return { label: `best epoch ${best} (${by === 'val_loss' ? 'lowest validation loss' : 'highest validation accuracy'})`, text: `best ${best}` };
}

/** mnist-train's batch_end carries the running average over the epoch so far, not one batch's loss. */
export function batchLossTitle(runningAverage: boolean): string {
  return runningAverage ? 'Batch loss as logged (running average within each epoch)' : 'Batch loss as logged';
}

/**
 * `onlyLoss`: the log has no epoch training loss, so these batches are all the training loss it has:
 * said here, beside them (the checks that say the log lacks it name no chart, which -o - does not draw).
 */
export function batchLossAlt(log: boolean, nonFinite: boolean, onlyLoss = false): string {
  return `Training loss at each logged batch across the run${log ? ' on a log scale' : ''} (downsampled with spikes kept); red points are spikes` +
    `${nonFinite ? ', red crosses on the top edge are batches whose loss was missing or not finite' : ''}` +
    `${onlyLoss ? '. The log has no epoch training loss: these batches are all the training loss it has' : ''}.`;
}

export function batchSpike(b: BatchPlace, shown: string): string {
  return `${batchPlace(b)}: loss spike ${shown}`;
}

export function batchNonFinite(b: BatchPlace): string {
  return `${batchPlace(b)}: loss missing or not finite`;
}

// ---- the Evaluation section's charts (render/evaluation-charts.ts) ----

export function confusionAlt(e: Pick<EvaluationAnalysis, 'size' | 'set' | 'source'>): string {
  return `Confusion matrix of ${e.size === null ? 'the' : fmtInt(e.size)} ${e.set ?? 'evaluated'} images: rows are the true ${classNoun(e)}, columns the prediction; each cell holds its count (empty cells are 0), shaded by its share of the row.`;
}

/** A confusion-matrix cell: "digit 3 predicted as 5: 12 of 1,010 images (1.2%)", "digit 0 predicted right: 970 of 980 images (99.0%)". */
export function confusionCell(e: Pick<EvaluationAnalysis, 'source'>, label: string, predicted: string, count: number, row: number): string {
  const what = label === predicted ? 'predicted right' : `predicted as ${predicted}`;
  return `${classNoun(e, true)} ${label} ${what}: ${fmtInt(count)} of ${plural(row, 'image', 'images')}${row ? ` (${fmtPct(count / row, 1)})` : ''}`;
}

export function recallTitle(e: Pick<EvaluationAnalysis, 'source' | 'level'>): string {
  return `Recall per ${classNoun(e, true)} with its ${fmtLevel(e.level)} interval`;
}

export function recallAlt(e: Pick<EvaluationAnalysis, 'source' | 'level' | 'flag_level' | 'classes'>): string {
  return `Recall of each ${classNoun(e, true)} (share of its images predicted right) with its ${fmtLevel(e.level)} Wilson interval; the dashed line is the mean recall; a red point is a recall significantly below the others' (its ${fmtLevel(e.flag_level)} interval${e.flag_level === e.level ? '' : `, ${allTogether(e)},`} lies below their mean).`;
}

/** A class's point: "digit 0: recall 99.08% (971 of 980 images), 95% interval 98.14% to 99.55%", and when it is weak, so. */
export function recallPoint(e: Pick<EvaluationAnalysis, 'source' | 'level'>, c: { label: string; recall: number; support: number; low: number; high: number }, weak: boolean): string {
  return `${classNoun(e, true)} ${c.label}: recall ${fmtPct(c.recall)} (${fmtInt(c.recall * c.support)} of ${fmtInt(c.support)} images), ` +
    `${recallInterval(e, c)}${weak ? '; significantly below the others' : ''}`;
}

/** A class's interval bar: "digit 0: 95% interval of the recall 98.14% to 99.55%". */
export function recallIntervalBar(e: Pick<EvaluationAnalysis, 'source' | 'level'>, c: { label: string; low: number; high: number }): string {
  return `${classNoun(e, true)} ${c.label}: ${fmtLevel(e.level)} interval of the recall ${fmtPct(c.low)} to ${fmtPct(c.high)}`;
}

function recallInterval(e: Pick<EvaluationAnalysis, 'level'>, c: { low: number; high: number }): string {
  return `${fmtLevel(e.level)} interval ${fmtPct(c.low)} to ${fmtPct(c.high)}`;
}

/** The dashed line: "mean recall of the 10 digits 97.63%". */
export function recallMean(e: Pick<EvaluationAnalysis, 'source'>, classes: number, mean: number): string {
  return `mean recall of the ${classes} ${classNoun(e)} ${fmtPct(mean)}`;
}

/** A bin's bar: "confidence 26.7% to 33.3%: accuracy 0.0% (0 of 3 images)". */
export function reliabilityBin(b: { lower: number; upper: number; accuracy: number | null; count: number }): string {
  const right = b.accuracy === null ? '' : `${fmtInt(b.accuracy * b.count)} of `;
  return `${binRange(b)}: accuracy ${fmtPct(b.accuracy, 1)} (${right}${plural(b.count, 'image', 'images')})`;
}

/** A bin's point: "confidence 26.7% to 33.3%: mean confidence 29.5%, accuracy 0.0%". */
export function reliabilityPoint(b: { lower: number; upper: number; accuracy: number | null; confidence: number | null }): string {
  return `${binRange(b)}: mean confidence ${fmtPct(b.confidence, 1)}, accuracy ${fmtPct(b.accuracy, 1)}`;
}

/** The diagonal's name for screen readers (a line has no hover text). */
export const RELIABILITY_DIAGONAL = 'dashed diagonal: perfect calibration, accuracy equal to confidence';

function binRange(b: { lower: number; upper: number }): string {
  return `confidence ${fmtPct(b.lower, 1)} to ${fmtPct(b.upper, 1)}`;
}

export function reliabilityAlt(bins: number, ece: number): string {
  return `Accuracy of the images in each of ${bins} equal-width confidence bins (bars) against the diagonal of perfect calibration (dashed); points mark each bin's mean confidence. Expected calibration error ${fmtPct(ece)}.`;
}

/** A wrong image's caption under it ("3 → 5, 97.1%"); its hover text adds the image's index. */
export function wrongImage(label: string, predicted: string, confidence: number): string {
  return `${label} → ${predicted}, ${fmtPct(confidence, 1)}`;
}

export function wrongImageHover(index: number, caption: string): string {
  return `image ${index}: ${caption}`;
}

export function wrongDigitsAlt(count: number): string {
  return `The ${count} test images the model got wrong with the highest confidence, drawn from the pixels in the log, each labelled true → predicted and the confidence.`;
}

// ---- the History chart (render/history-chart.ts) ----

export function historyTitle(runs: number, model: string | null): string {
  return `This run against the previous ${plural(runs, 'run', 'runs')} of model ${model ?? 'unknown'}`;
}

/** A run's point: "run-7: final validation accuracy 97.68%", "this run, run-9: …". */
export function historyPoint(runId: string, current: boolean, metric: string, shown: string): string {
  return `${current ? 'this run, ' : ''}${runId}: ${metric} ${shown}`;
}

/** The band's and the median's hover texts. */
export function historyBand(range: string): string {
  return `band ${range}`;
}

export function historyMedian(shown: string): string {
  return `median of the previous runs ${shown}`;
}

/** The label drawn beside this run's diamond. */
export const HISTORY_THIS_RUN = 'this run';

/** What the shading means, or that there is none. */
function historyBandNote(rule: string | null): string {
  return rule !== null ? `shaded: ${rule} of the previous runs; dashed: their median` : 'too few runs for a band';
}

/**
 * The subtitle's lines: short, as vega measures text without a canvas by estimate and the longest
 * line sets the picture's width. The band's full rule is in the History section's text and the alt.
 */
export function historySubtitle(banded: boolean): string[] {
  return banded
    ? [`shaded: previous runs' band (median ± ${bandSpread()}, widened)`, 'dashed: their median; red diamond: this run']
    : [`${historyBandNote(null)}; red diamond: this run`];
}

export function historyAlt(title: string, timed: boolean, rule: string | null): string {
  return `${title}: final validation accuracy (top) and loss (bottom) of each earlier run as blue points joined in order of ${timed ? 'start time' : 'the log'}, ` +
    `this run as a red diamond; ${historyBandNote(rule)}.`;
}

// ---- the --run all index's chart (render/index-chart.ts) ----

export function indexPoint(runId: string, epoch: number, shown: string): string {
  return `${runId}, epoch ${epoch}: validation accuracy ${shown}`;
}

export function indexChartAlt(runs: number): string {
  return `${CHART_TITLES['runs-accuracy']}: one line per run (${runs}), each with its own colour and dash.`;
}
