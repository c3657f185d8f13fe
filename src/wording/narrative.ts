// Key Observations, Conclusion and Next Steps: every sentence is chosen and filled
// in from the readings, so the report never claims what the log does not show.

import type { Analysis, Check, CheckId } from '../analyze/types.js';
import { fmtDuration, fmtEpochRanges, fmtEpochs, fmtInt, fmtList, fmtLoss, fmtPct, fmtPp, fmtRel } from '../analyze/format.js';
import { significantDrop, type SettingChange } from '../analyze/baseline.js';
import { belowBand } from '../analyze/history.js';
import { suspectLines, unusableLines } from '../runs/quality.js';
import { checkById } from '../analyze/checks.js';
import { countedBeyondLog, endedShort, lowestEarlier, MNIST_TRAIN_SIZE, tracebackEndLines } from '../analyze/metrics.js';
import { isNum } from '../analyze/stats.js';
import { readAs } from '../analyze/evaluation.js';
import { classNoun, theClass } from './evaluation.js';
import { batchPlace, capitalise } from './checks.js';
import { trendPhrase } from './convergence.js';
import { FINDING_SECTIONS, verdictBelowHistory } from './verdict.js';
import type { VerdictFinding } from '../analyze/verdict.js';
import { differenceInterval } from './baseline.js';
import { testEvaluation } from './document.js';
import { everyOf, plural } from './plural.js';

type Readings = Omit<Analysis, 'verdict' | 'observations' | 'conclusion' | 'next_steps'>;

function byId(a: Readings, id: CheckId): Check | undefined {
  return checkById(a.checks, id);
}

/** The checks each observation topic quotes, by typed id (a renamed check fails to compile here). */
const PERFORMANCE: readonly CheckId[] = ['confidence.val_accuracy', 'generalization.gap', 'best_vs_final', 'overfitting'];
const STABILITY: readonly CheckId[] = ['stability.loss_rises', 'metrics.finite', 'loss.divergence', 'stability.batch_spikes'];

export function observations(a: Readings): Analysis['observations'] {
  if (!a.epochs.length) return [{ topic: 'Run', sentences: [byId(a, 'run.status')?.message ?? ''] }];
  const perf = PERFORMANCE.map((id) => byId(a, id)?.message).filter((m): m is string => !!m);
  if (a.test && a.test.accuracy !== null) {
    perf.push(a.generalization.validation_is_test_set
      ? `${testEvaluation(a)} (loss ${fmtLoss(a.test.loss)}, accuracy ${fmtPct(a.test.accuracy)}) uses the same test images that served as validation data, so it is not an independent check.`
      : `${testEvaluation(a, 'reports')}: loss ${fmtLoss(a.test.loss)}, accuracy ${fmtPct(a.test.accuracy)}.`);
  }
  const stab = STABILITY.map((id) => byId(a, id)?.message).filter((m): m is string => !!m);
  return [
    { topic: 'Model performance', sentences: perf },
    { topic: 'Training stability', sentences: stab },
    { topic: 'Resources and timing', sentences: timingSentences(a) },
  ];
}

/**
 * How long the run took, and by which clock: run_end's duration, our events' own times, or (trainer
 * text from CloudWatch) the times its lines were shipped, or its epochs' printed durations when those
 * add up to more than the shipping times span.
 */
function runTook(t: Readings['timing'], hasEnd: boolean): string {
  if (t.total_ms === null) return '';
  const took = fmtDuration(t.total_ms);
  if (t.shipped?.total_from === 'epoch durations') {
    return `Its epochs took ${took} in all by the durations the trainer printed (their sum); CloudWatch's event times of its lines ` +
      `span only ${fmtDuration(t.shipped.span_ms)}, so they are when the lines were shipped (buffered output arrives in bursts) and cannot be the training's times.`;
  }
  if (t.shipped) {
    return `The run took ${took} in all by CloudWatch's event times (when the lines were shipped, which for buffered output can be far from when they were printed).`;
  }
  return `The run took ${took} in all${hasEnd ? '' : ' (first to last event)'}.`;
}

function timingSentences(a: Readings): string[] {
  const t = a.timing;
  const out: string[] = [];
  const n = a.epochs.length;
  const total = runTook(t, a.run.has_end_event === true);
  if (t.median_epoch_ms !== null) {
    const range = t.min_epoch_ms !== null && t.max_epoch_ms !== null && n > 1
      ? ` (range ${fmtDuration(t.min_epoch_ms)} to ${fmtDuration(t.max_epoch_ms)})` : '';
    out.push(`The median epoch took ${fmtDuration(t.median_epoch_ms)}${range} over ${plural(n, 'epoch', 'epochs')}.${total ? ` ${total}` : ''}`);
  } else if (total && t.shipped) {
    out.push(total);
  }
  if (t.median_samples_per_second !== null) {
    const backend = a.runtime?.backend !== undefined ? ` on the ${a.runtime.backend} backend` : '';
    out.push(`Throughput: a median of ${fmtInt(t.median_samples_per_second)} training samples per second${backend}.`);
  }
  const ecs = a.runtime?.ecs;
  if (ecs && (ecs.launch_type || ecs.region || ecs.cluster)) {
    const facts = [ecs.launch_type && `launch type ${ecs.launch_type}`, ecs.cluster && `cluster ${ecs.cluster}`,
      ecs.region && `region ${ecs.region}`].filter(Boolean) as string[];
    out.push(`The run_start event says it ran as an ECS task (${fmtList(facts)}).`);
  }
  const mem = memorySentence(a);
  if (mem) out.push(mem);
  const stall = byId(a, 'timing.stalls');
  if (stall) out.push(stall.message);
  return out;
}

/** Memory per epoch from epoch_end.memory: RSS and heap each epoch, and whether the tensor count grew (a leak). */
function memorySentence(a: Readings): string | null {
  const rows = a.epochs.filter((r) => r.memory !== null);
  if (!rows.length) return null;
  const mb = (b: number): string => `${fmtInt(b / 1_048_576)} MiB`;
  const per = rows.length <= 10
    ? rows.map((r) => `${r.epoch}: ${mb(r.memory!.rss_bytes)}`).join(', ')
    : `${mb(Math.min(...rows.map((r) => r.memory!.rss_bytes)))} to ${mb(Math.max(...rows.map((r) => r.memory!.rss_bytes)))} over ${rows.length} epochs`;
  const heap = rows.map((r) => r.memory!.heap_used_bytes);
  const tensors = rows.map((r) => r.memory!.tensors).filter((t): t is number => t !== null);
  const leak = tensors.length > 1
    ? tensors[tensors.length - 1]! > tensors[0]! ? `; live tensors grew from ${tensors[0]} to ${tensors[tensors.length - 1]} (a leak?)` : `; live tensors stayed at ${tensors[0]}`
    : '';
  return `Memory per epoch (process RSS at epoch end): ${per}; JavaScript heap ${mb(Math.min(...heap))} to ${mb(Math.max(...heap))}${leak}.`;
}

/** `findings`: the verdict's, once it is decided with the comparisons (none before them). */
export function conclusion(a: Readings, findings: readonly VerdictFinding[]): string[] {
  // first what the verdict found in the checks, as it words them; a check quoted there is not said again
  const found = findings.filter((f) => f.check !== null);
  const said = new Set(found.map((f) => f.check));
  const out = found.map((f) => (/[.!?]$/.test(f.reason) ? f.reason : `${f.reason}.`));
  // the final accuracy and its interval are the confidence check's finding, quoted (worded once)
  const status = byId(a, 'run.status');
  const failing = a.checks.filter((c) => c.status === 'fail' && c.id !== 'run.status');
  // the run ended as it should, but a check fails (NaN, divergence, chance): the verdict is failed, and
  // the Conclusion opens with that, not with "The run completed", then says why
  if (status && status.status !== 'fail' && failing.length) out.unshift(failedDespiteEnd(a, failing));
  else if (status && !said.has(status.id)) out.push(status.message);
  if (a.final) {
    for (const id of ['confidence.val_accuracy', 'convergence'] as const) {
      const c = byId(a, id);
      if (c && !said.has(c.id)) out.push(c.message);
    }
  }
  out.push(...comparisonFindings(findings));
  out.push(checkSummary(a.checks));
  return out;
}

/**
 * The comparisons' findings (--baseline, --history): the verdict's findings not read from a check,
 * as it worded them, with the section that holds them. The report CLI adds the comparisons after
 * the analysis and decides the verdict, then the conclusion, again (analyze.ts, withComparison).
 */
function comparisonFindings(findings: readonly VerdictFinding[]): string[] {
  return findings.filter((f) => f.check === null).map((f) => `${f.reason}; see ${FINDING_SECTIONS[f.rule]}.`);
}

/** "The run failed: 2 checks fail (metrics.finite, loss.divergence), though its training reached epoch 5 of 5 and run_end says completed." */
function failedDespiteEnd(a: Readings, failing: Check[]): string {
  const last = a.epochs[a.epochs.length - 1]?.epoch;
  const planned = a.run.epochs_planned;
  const reached = last === undefined ? '' : `, though its training reached epoch ${last}${planned === null ? '' : ` of ${planned}`}` +
    (a.run.has_end_event ? ` and run_end says ${a.run.outcome}` : '');
  return `The run failed: ${failing.length === 1 ? '1 check fails' : `${failing.length} checks fail`} (${failing.map((c) => c.id).join(', ')})${reached}.`;
}

/** "15 checks: 0 fail, 1 warn (overfitting), 3 info, 11 pass." */
export function checkSummary(checks: Check[]): string {
  const of = (s: Check['status']): Check[] => checks.filter((c) => c.status === s);
  const names = (cs: Check[]): string => (cs.length ? ` (${cs.map((c) => c.id).join(', ')})` : '');
  return `${plural(checks.length, 'check', 'checks')}: ${of('fail').length} fail${names(of('fail'))}, ${of('warn').length} warn${names(of('warn'))}, ` +
    `${of('info').length} info, ${of('pass').length} pass.`;
}

/** A trainer command line that changes one setting; every next step names the flag to change. */
function train(flags: string): string {
  return `\`mnist-train ${flags}\``;
}

/**
 * Next steps name mnist-train's flags only for its own log (run.format 'events'); another
 * trainer's log (Keras, Lightning, Hugging Face, PyTorch, ...) gets the setting to change in words.
 */
export function nextSteps(a: Readings): string[] {
  const out: string[] = [];
  // the checks that fail or warn which a step addresses: every other one gets the pointer at the end, so
  // whatever rule heads the verdict has a step (test/analyze/next-steps.test.ts)
  const addressed = new Set<CheckId>();
  const step = (text: string, ...checks: CheckId[]): void => {
    out.push(text);
    for (const id of checks) addressed.add(id);
  };
  const o = a.run.outcome;
  const c = a.config;
  const ours = a.run.format === 'events';
  const planned = a.run.epochs_planned;
  const lastEpoch = a.epochs[a.epochs.length - 1]?.epoch ?? null;
  const short = planned !== null && lastEpoch !== null && lastEpoch < planned;
  // a run that failed or stopped before its planned epochs is rerun to completion first, not trained longer than planned
  const rerun = endedShort(o, lastEpoch, planned) !== null;
  // the last epoch the run reached: run_end's count when the log stops before it
  const reached = countedBeyondLog(a)?.last ?? lastEpoch;
  if (o === 'no epochs') return noEpochSteps(a);
  // the error's message says what to fix ("train-images-idx3-ubyte: magic number 0"), its name alone ("Error") does not
  if (o === 'failed') step(`Fix the failure${a.run.error ? ` (${a.run.error.name}: ${a.run.error.message})` : ''} and rerun the training with the same ${ours ? 'flags' : 'settings'}.`, 'run.status');
  if (o === 'incomplete' && a.follow_stopped) {
    // --follow stopped reading (a signal, a failed read): the log may well go on; what is missing is a read of it
    const f = a.follow_stopped;
    step(f.signal !== null
      ? `Report the run again once it has ended (the same command without --follow): this report holds only what --follow read before ${f.signal}.`
      : 'Report the run again once its log can be read (the same command, with or without --follow): this report holds only what --follow read before reading failed.', 'run.status');
  } else if ((o === 'interrupted' || o === 'incomplete') && planned !== null && lastEpoch !== null && !short) {
    // every planned epoch is in the log: what is missing is the log's end, not epochs
    const all = everyOf(planned, 'planned epoch', 'planned epochs');
    const logged = `${all} ${planned === 1 ? 'was' : 'were'} logged: no epoch is missing`;
    step(o === 'incomplete'
      ? `${capitalise(all)} ${planned === 1 ? 'is' : 'are'} in the log, but it ends without run_end: find out whether the log was cut or the task stopped after its last epoch (run_end carries the outcome and the test metrics); no epoch is missing.`
      : ours ? `The run was interrupted after ${logged}; find out what stopped the task if you need what comes after the epochs (run_end's test metrics).`
      : `The run was interrupted (KeyboardInterrupt) after ${logged}, but what the script does after training (an evaluation, saving the model) may not have run.`, 'run.status');
  } else if (o === 'interrupted' && !ours) {
    // trainer text's interruption is the KeyboardInterrupt of its traceback: someone or something sent it Ctrl-C / SIGINT
    step(`Rerun the training to completion${planned === null ? '' : ` (${everyOf(planned, 'epoch', 'epochs')})`}: a KeyboardInterrupt (Ctrl-C, or a SIGINT sent to the script) stopped it.`, 'run.status');
  } else if (o === 'interrupted' || o === 'incomplete') {
    const how = planned === null ? '' : `: ${ours ? train(`--epochs ${planned}`) : everyOf(planned, 'epoch', 'epochs')}`;
    step(`Find out why the run stopped early (task stop, out of memory, log cut) and rerun it to completion${how}.`, 'run.status');
  } else if (o === 'completed' && planned !== null && reached !== null && reached < planned) {
    // run_end says completed, but before the planned last epoch (run.status warns)
    step(`The run says it completed, but its last epoch is ${reached} of ${planned} planned: find out what ended it early, and rerun it to completion` +
      `${ours ? `: ${train(`--epochs ${planned}`)}` : ` (${everyOf(planned!, 'epoch', 'epochs')})`}.`, 'run.status');
  }
  if (a.stability.diverged || a.stability.non_finite.length) {
    const lr = c?.learning_rate !== undefined ? Number((c.learning_rate / 10).toPrecision(3)) : null;
    const how = ours
      ? (lr !== null ? `${train(`--learning-rate ${lr}`)} (now ${c!.learning_rate})` : 'a lower `--learning-rate`')
      : (lr !== null ? `${lr} (now ${c!.learning_rate}; your trainer's learning-rate setting)` : "your trainer's learning-rate setting");
    step(`Lower the learning rate tenfold: ${how}; the loss became non-finite or diverged.`, 'metrics.finite', 'loss.divergence');
  }
  // the lowest validation loss is a.best's; early stopping's kept epoch is named only when it is that epoch
  const best = a.best?.epoch;
  const overfit = a.overfitting.onset_epoch !== null;
  if (best !== undefined && (overfit || byId(a, 'best_vs_final')?.status === 'warn')) {
    const p = a.overfitting.patience;
    const es = a.overfitting.kept_epoch === best ? `patience-${p} early stopping would keep epoch ${best}`
      : `patience-${p} early stopping would stop sooner, after epoch ${a.overfitting.stop_epoch}, and keep epoch ${a.overfitting.kept_epoch}`;
    step(ours
      ? `Stop at the epoch with the lowest validation loss: ${train(`--epochs ${best}`)} (${es}).`
      : `Stop at the epoch with the lowest validation loss, epoch ${best}: your trainer's epochs setting, or early stopping that restores the best weights (${es}).`,
    'best_vs_final', 'overfitting');
  }
  // a last epoch still above an earlier, lower validation loss fell back part of the way: the step
  // above (stop at the lowest) is the one to take, not more epochs (the convergence check says so too)
  const now = planned ?? a.epochs.length;
  const more = Math.max(now * 2, a.epochs.length + 1);
  const gapWarns = byId(a, 'generalization.gap')?.status === 'warn';
  let trainLonger = false;
  if (a.convergence.reading === 'improving' && !overfit && !rerun && lowestEarlier(a) === null && !countedBeyondLog(a)) {
    // (not when run_end counts epochs past the log's last: the run went on, the log does not say how it ended)
    const why = `${lossName(a)} still ${trendPhrase(a.convergence.trend!)}`;
    out.push(ours ? `Train longer: ${train(`--epochs ${more}`)}; ${why}.`
      : `Train longer: about ${more} epochs instead of ${now} (your trainer's epochs setting); ${why}.`);
    trainLonger = true;
  } else if (overfit || (gapWarns && !rerun)) {
    // (a run cut short whose training accuracy is ahead: the step is to finish it, not to regularise yet)
    // a model that overfits, or fits its training data far better than the validation data, is not
    // helped by more epochs or a larger model (the plateau step's advice)
    const than = overfit && best !== undefined ? ` than epoch ${best}` : ' on the validation data';
    step(`More epochs or a larger model would overfit more: to do better${than}, regularise instead (${REGULARISE}${ours ? NO_FLAG : ''}).`, 'overfitting', 'generalization.gap');
  } else if (a.convergence.reading === 'plateau' && !a.convergence.training_rose) {
    out.push(ours ? `More epochs are unlikely to help much: try a larger model (${train('--model cnn')}) or another learning rate (\`--learning-rate\`).`
      : 'More epochs are unlikely to help much: try a larger model or another learning rate.');
  }
  if (gapWarns && !addressed.has('generalization.gap')) {
    // training accuracy ahead, but the run is still improving or stopped early: the step above (train longer,
    // finish it) comes first, and the gap is what to watch in the next run
    step(`Training accuracy is ahead of validation accuracy (gap, validation − training, ${fmtPp(a.generalization.final_gap_accuracy)}): ` +
      `${rerun ? 'once the run has run to completion' : 'as it trains longer'}, see whether the gap stays; if it does, regularise (${REGULARISE}${ours ? NO_FLAG : ''}).`, 'generalization.gap');
  }
  const chance = byId(a, 'accuracy.chance');
  if (chance?.status === 'fail') step(chanceStep(a, ours), 'accuracy.chance');
  // warns only when the log's own evaluation contradicts a validation accuracy at chance (analyze/checks.ts)
  else if (chance?.status === 'warn') {
    step("Check how the script computes its validation accuracy: its own evaluation's share of right answers says otherwise, " +
      'and until the two agree neither is a measure of the model.', 'accuracy.chance');
  }
  // above chance, but barely (never with the two above: accuracy.learned is information at chance)
  if (byId(a, 'accuracy.learned')?.status === 'warn') step(barelyStep(a, ours), 'accuracy.learned');
  // short of converged (still improving, one epoch, or stopped early): train longer first; else the data, not the epochs
  const learning = a.convergence.reading === 'improving' || byId(a, 'convergence')?.too_few !== undefined || rerun;
  const weak = weakClassStep(a, ours, learning, trainLonger ? null : more);
  if (weak) step(weak, 'evaluation.recall');
  // (a run that never finished an epoch has nothing validated yet: its next steps are the failure's)
  if (a.generalization.validation_is_test_set && a.epochs.length > 0) {
    out.push(`Validate on a held-out part of the training set and evaluate the test set once at the end${ours ? `: ${train('--validation-split 0.1')}` : ''}.`);
  }
  if (a.timing.stalls.length) step(`Look at what the host was doing before ${fmtEpochs(a.timing.stalls.map((s) => s.epoch))} (stalls).`, 'timing.stalls');
  const q = a.quality;
  if (suspectLines(q, tracebackEndLines(a.run.outcome, q)) > 0) step('Look at the unrecognised or invalid lines quoted under Data Quality.', 'data.quality');
  if (a.quality.duplicate_epochs.length) {
    step(ours ? 'Make sure a restarted task writes a new run id (`mnist-train --run-id ID`), so its epochs do not mix with the first attempt.'
      : 'Make sure a restarted run writes a new log (or run id), so its epochs do not mix with the first attempt.', 'epochs.sequence');
  }
  if (a.quality.missing_epochs.length) {
    const beyond = countedBeyondLog(a);
    const within = a.quality.missing_epochs.length > (beyond ? 1 : 0);
    const judged = [...(within ? ['the checks that compare an epoch with the one before it compare across the gap'] : []),
      ...(beyond ? [beyond.first > 1 ? `the run is judged as of epoch ${beyond.first - 1}, the last in the log` : "the log holds none of the run's epochs, so nothing of it is judged"] : [])];
    step(`Find out where the lines of ${fmtEpochRanges(a.quality.missing_epochs)} went (a line cut at the size limit, a log cut or filtered, a trainer that ` +
      `crashed mid-epoch and restarted): ${judged.join('; ')}.`, 'epochs.sequence', ...(a.epochs.length ? [] : ['run.status' as const]));
  }
  const spikes = a.stability.spikes;
  if (byId(a, 'stability.batch_spikes')?.status === 'warn' && spikes.length) {
    const top = [...spikes].sort((x, y) => y.ratio - x.ratio)[0]!;
    step(`Look at the batches where the loss spiked (${plural(spikes.length, 'spike', 'spikes')}, the largest ${top.ratio.toFixed(1)}× the recent median at ${batchPlace(top)}; ` +
      `each listed under Checks): a bad sample in the data shows at the same place each epoch; spikes that come with rises in the epoch loss point to a learning rate near its limit${ours ? ' (`--learning-rate`)' : ''}.`, 'stability.batch_spikes');
  }
  const rise = a.stability.largest_rise;
  if (byId(a, 'stability.loss_rises')?.status === 'warn' && rise) {
    step(`Look at ${rise.from === undefined ? 'epoch ' : `epochs ${rise.from} to `}${rise.epoch}, where ${rise.metric} rose by ${fmtRel(rise.relative)} (the largest rise): ` +
      `rises that recur point to a learning rate too high for that stage of training, which a lower one, or one that decays, steadies${ours ? ' (`--learning-rate`)' : ''}.`, 'stability.loss_rises');
  }
  out.push(...comparisonSteps(a));
  // a check that fails or warns with no step above (not one that points to another's finding): named, so that no finding goes without one
  const left = a.checks.filter((x) => (x.status === 'fail' || x.status === 'warn') && !addressed.has(x.id)).map((x) => x.id);
  if (left.length) {
    out.push(`Look at the ${left.length === 1 ? 'check' : 'checks'} that ${left.length === 1 ? 'warns or fails' : 'warn or fail'} under Checks (${fmtList(left)}); this report has no more specific next step for ${left.length === 1 ? 'it' : 'them'}.`);
  } else if (!out.length) {
    out.push('No problem found in the log; compare the next change against this run (`mnist-report --baseline report.json`).');
  }
  return out;
}

/** The loss the convergence check read its trend on. */
function lossName(a: Readings): string {
  return a.convergence.metric === 'loss' ? 'training loss' : 'validation loss';
}

/** What regularising means here, and that mnist-train has no flag for it. */
const REGULARISE = 'more dropout, weight decay, data augmentation';
const NO_FLAG = ': in the model\'s code, mnist-train has no flag for them';

/** The chance steps' advice for a loss that is non-finite or diverging: that first. */
const DIVERGED_FIRST = ': with the loss non-finite or diverging, lower the learning rate first (the step above), then check again.';
/** The chance steps' advice for a model that learned its training data and not the validation data. */
const NOT_CARRIED_OVER = ': what the model learned does not carry over, so check that the validation images and labels are paired and prepared as the ' +
  'training ones are (the same normalisation, labels not shuffled apart from their images).';

/** The epoch training losses of the log, first to last. */
function trainingLosses(a: Readings): number[] {
  return a.epochs.map((r) => r.loss).filter((l): l is number => isNum(l));
}

/** "(the log has no epoch training loss to say)", or "too few": why the training loss cannot say more. */
function noLossesToSay(losses: readonly number[]): string {
  return losses.length ? '(the log has too few epoch training losses to say)' : '(the log has no epoch training loss to say)';
}

/** "your trainer's setting, now 0.001" / "`--learning-rate`": where the learning rate is set. */
function learningRateSetting(a: Readings, ours: boolean): string {
  const lr = a.config?.learning_rate;
  return `${ours ? '`--learning-rate`' : "your trainer's setting"}${lr === undefined ? '' : `, now ${lr}`}`;
}

/**
 * Validation accuracy no better than chance (accuracy.chance fails): what the training loss says about why. A loss that
 * fell means the model learned the training data and it did not carry over (validation data or labels paired or
 * prepared differently); one that did not fall, that it learned nothing (labels, learning rate).
 */
function chanceStep(a: Readings, ours: boolean): string {
  const acc = `Validation accuracy ${fmtPct(a.final?.val_accuracy ?? null)} is no better than guessing`;
  if (a.stability.diverged || a.stability.non_finite.length) return `${acc}${DIVERGED_FIRST}`;
  const losses = trainingLosses(a);
  const first = losses[0];
  const last = losses[losses.length - 1];
  if (first === undefined || last === undefined || losses.length < 2) {
    return `${acc}: check that the labels belong to their images in both the training and the validation data, and that the training loss falls at all ${noLossesToSay(losses)}.`;
  }
  const fell = last < first ? `fell only ${fmtRel((first - last) / first)}` : 'did not fall';
  return last < first * 0.9
    ? `${acc}, though training loss fell from ${fmtLoss(first)} to ${fmtLoss(last)}${NOT_CARRIED_OVER}`
    : `${acc}, and training loss ${fell} (${fmtLoss(first)} to ${fmtLoss(last)}): the model learned nothing, so check that the labels belong to their images ` +
      `and try another learning rate (${learningRateSetting(a, ours)}).`;
}

/**
 * Validation accuracy above chance but barely (accuracy.learned warns): a model that learned little. Training
 * accuracy far ahead of it (the gap check warns) means what it learned does not carry over; otherwise it has
 * learned little on its training data too: more training, or another learning rate, before anything else.
 */
function barelyStep(a: Readings, ours: boolean): string {
  const acc = `Validation accuracy ${fmtPct(a.final?.val_accuracy ?? null)} is barely better than guessing`;
  if (a.stability.diverged || a.stability.non_finite.length) return `${acc}${DIVERGED_FIRST}`;
  if (byId(a, 'generalization.gap')?.status === 'warn') {
    return `${acc}, while training accuracy reached ${fmtPct(a.final?.accuracy ?? null)}${NOT_CARRIED_OVER}`;
  }
  const losses = trainingLosses(a);
  const first = losses[0];
  const last = losses[losses.length - 1];
  const loss = first === undefined || last === undefined || losses.length < 2 ? ''
    : ` (training loss ${last < first ? `fell ${fmtRel((first - last) / first)}` : 'did not fall'}, ${fmtLoss(first)} to ${fmtLoss(last)})`;
  return `${acc}${loss}: the model has learned little so far, so train it longer or try another learning rate (${learningRateSetting(a, ours)}), ` +
    'and check that the labels belong to their images.';
}

/**
 * The classes the evaluation finds weak (evaluation.recall warns): what the confusion matrix says they are
 * read as, then what would help: with a run short of converged (`learning`), more epochs first (`more`: null when
 * the train-longer step says how many), and for
 * mnist-train more of its training images when it used a subset; else the data: augmentation, class balance (and
 * why not more epochs, only as far as the log says: levelled off, rose at the end, or not known).
 */
function weakClassStep(a: Readings, ours: boolean, learning: boolean, more: number | null): string | null {
  const e = a.evaluation;
  if (!e || !e.weak_classes.length || byId(a, 'evaluation.recall')?.status !== 'warn') return null;
  const w = e.weak_classes;
  const noun = classNoun(e, w.length === 1);
  const read = w.map((c) => {
    const top = readAs(e, c.label, 2);
    return top.length ? `${c.label} as ${fmtList(top.map((p) => `${p.predicted} (${plural(p.count, 'time', 'times')}, ${fmtPct(p.share, 1)} of ${theClass(c.label)})`))}` : null;
  }).filter((x): x is string => x !== null);
  const shows = `${capitalise(noun)} ${fmtList(w.map((c) => `${c.label} (recall ${fmtPct(c.recall)})`))} ${w.length === 1 ? 'is' : 'are'} missed most` +
    (read.length ? `; the evaluation reads ${read.join('; ')}` : '');
  const subset = ours && a.config?.train_samples !== undefined && a.config.train_samples < MNIST_TRAIN_SIZE ? a.config.train_samples : null;
  const why = a.convergence.reading === 'improving' ? `${lossName(a)} was still falling`
    : byId(a, 'convergence')?.too_few ? `${plural(a.epochs.length, 'epoch', 'epochs')} cannot show whether the model has converged` : 'the run stopped before its planned epochs';
  const data = subset !== null ? ` and on more of the ${fmtInt(MNIST_TRAIN_SIZE)} training images than ${fmtInt(subset)} (${train(`--train-samples ${MNIST_TRAIN_SIZE}`)})` : '';
  const them = w.length === 1 ? 'it' : 'them';
  // only a run whose validation loss stopped falling is said to be past what more epochs would do
  const epochs = a.convergence.reading === 'plateau' && a.convergence.training_rose ? `the log cannot say whether more epochs would fix ${them} (${lossName(a)} has levelled off, but the training loss was still rising)`
    : a.convergence.reading === 'plateau' ? `more epochs are unlikely to fix ${them} (${lossName(a)} has levelled off)`
    : a.convergence.reading === 'worsening' || a.overfitting.onset_epoch !== null ? `more epochs would not fix ${them} (validation loss rose at the end)`
    : !a.epochs.length ? 'the log has no training epochs to say whether more training would help'
    : 'the log cannot say whether more epochs would help (no validation loss to read)';
  const help = learning
    ? `${why}, so train longer first${more === null ? ' (the step above)' : ours ? ` (${train(`--epochs ${more}`)})` : ''}${data}, then see in the next run's Evaluation whether ${w.length === 1 ? 'it catches' : 'they catch'} up`
    : `${epochs}: augment ${w.length === 1 ? 'its' : 'their'} training images (small shifts, rotations, stroke widths${ours ? NO_FLAG : ''}), ` +
      `check how many training images each ${classNoun(e, true)} has (class balance: the log does not say), and look at ${w.length === 1 ? 'its' : 'their'} misread images under Evaluation`;
  return `${shows}: ${help}.`;
}

/**
 * A run with no epochs and no end (outcome 'no epochs'): lines that could not be read may be its epochs, so
 * the input is checked; else it has started and is in its first epoch or stopped in it: report it again
 * later (the CLI exits 4 until then), or find what stopped it; and the input's latest run with epochs, when
 * it has one, can be reported instead.
 */
function noEpochSteps(a: Readings): string[] {
  if (unusableLines(a.quality)) return ['Check that the input is the training log of the run you meant (see Data Quality), then rerun the report.'];
  if (a.follow_stopped) {
    return [`Report the run again once it has logged an epoch (the same command, with or without --follow): this report holds only what --follow read before ${a.follow_stopped.signal ?? 'reading failed'}.`];
  }
  const last = a.run.last_time ?? a.run.first_time;
  const out = [
    'Report the run again once it has logged its first epoch (until then mnist-report exits 4), or follow it as it trains: the same command with `--follow`.',
    `If it is no longer running, find out what stopped it before its first epoch ended (a task stop, out of memory, a crash at start-up: the task's own exit code and logs)${last === null ? '' : `; its log holds nothing after ${last}`}.`,
  ];
  const e = a.run.earlier_with_epochs;
  if (e) out.push(`To report the input's latest run with epoch results instead: the same command with \`--run ${e.run_id}\`.`);
  return out;
}

/**
 * The steps of the comparisons the report CLI adds after the analysis (--baseline, --history),
 * which then decides the next steps again (analyze.ts, withComparison): a tested regression
 * against the baseline, a final validation accuracy below the history's band.
 */
function comparisonSteps(a: Readings): string[] {
  const out: string[] = [];
  const drop = significantDrop(a.baseline);
  if (a.baseline && drop) {
    const iv = drop.interval ? ` (${differenceInterval(drop.interval)})` : '';
    const differ = changed(a.baseline.settings);
    out.push(`Validation accuracy regressed against baseline run ${a.baseline.baseline.run_id}: ${drop.shown.baseline} → ${drop.shown.current}, ` +
      `${drop.shown.delta}${iv}. Compare the two runs' Training Configuration sections: ` +
      (differ ? `${differ} (${FINDING_SECTIONS.regression}); undo ${a.baseline.settings.length === 1 ? 'it and rerun to see whether it is the cause' : 'them one at a time and rerun to find the cause'}.`
        : 'no logged setting differs, so look for a change the logs do not record (code, data, host).'));
  }
  const h = belowBand(a.history);
  if (h) {
    // the previous run is often the best one too: then it is named once, as History's table does
    const previous = h.changes.find((c) => c.against === 'previous');
    const best = h.changes.find((c) => c.against === 'best');
    const against = [
      previous && `the previous${best?.run_id === previous.run_id ? ' and best' : ''} run ${previous.run_id}, ${changedOrNot(previous.settings)}`,
      best && best.run_id !== previous?.run_id && `the best run ${best.run_id}, ${changedOrNot(best.settings)}`,
    ].filter((x): x is string => !!x);
    out.push(`${verdictBelowHistory(h)}: compare this run's Training Configuration with the earlier runs' under History.` +
      `${against.length ? ` Against ${against.join('; against ')}.` : ''}`);
  }
  return out;
}

const changedOrNot = (settings: readonly SettingChange[]): string => changed(settings) ?? 'no logged setting differs';

/** "learning rate 0.001 → 0.01 and batch size 64 → 128 differ" (earlier run's → this run's), or null when no logged setting does. */
function changed(settings: readonly SettingChange[]): string | null {
  if (!settings.length) return null;
  return `${fmtList(settings.map((c) => `${c.setting} ${c.baseline} → ${c.current}`))} ${settings.length === 1 ? 'differs' : 'differ'}`;
}
