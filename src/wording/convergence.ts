// The convergence check's sentences (analyze/convergence.ts): a loss's trend over the last epochs, its rate
// per epoch, the range the log's printed digits allow, and the one of three things it says: still improving
// (more epochs would likely help), flat (converged; not settled while the training loss rises), or too few epochs to
// tell (checks.ts TOO_FEW).

import type { Analysis, LossTrend } from '../analyze/types.js';
import type { EpochRange } from '../types.js';
import { plural } from './plural.js';
import { fmtRel, fmtRelApart } from '../analyze/format.js';
import { nearlyEqual } from '../analyze/stats.js';

type Convergence = Analysis['convergence'];

/**
 * "fell by 0.5% an epoch over the last 5 epochs (11–15" and `notes`, then ")": the fitted rate and the epochs it
 * spans, saying the ones missing between them.
 */
export function trendPhrase(t: LossTrend, against: number | null = null, notes: string[] = []): string {
  const rate = against === null ? fmtRel(Math.abs(t.rate)) : fmtRelApart(Math.abs(t.rate), against);
  const missing = t.to - t.from + 1 - t.epochs;
  const over = missing > 0 ? `over epochs ${t.from}–${t.to} (the last ${t.epochs} in the log; ${missing === 1 ? '1 between them is' : `${missing} between them are`} not`
    : `over the last ${t.epochs} epochs (${t.from}–${t.to}`;
  return `${t.rate < 0 ? 'rose' : 'fell'} by ${rate} an epoch ${over}${notes.map((n) => `; ${n}`).join('')})`;
}

/**
 * "its 4 printed decimals allow 0.3% to 0.6% an epoch", when the rounding moves the rate by a tenth of the rate or the
 * threshold, whichever is larger (a float written in full, or a steep trend, moves it by nothing worth saying); null otherwise.
 */
function precision(t: LossTrend, threshold: number): string | null {
  if (t.high - t.low < 0.1 * Math.max(Math.abs(t.rate), threshold)) return null;
  const range = t.high < 0 ? `a rise of ${fmtRel(-t.high)} to ${fmtRel(-t.low)}`
    : t.low < 0 ? `anything from a rise of ${fmtRel(-t.low)} to a fall of ${fmtRel(t.high)}` : `${fmtRelApart(t.low, threshold)} to ${fmtRel(t.high)}`;
  return `its ${t.decimals} printed decimals allow ${range} an epoch`;
}

/**
 * `lowestEarlier`: with an improving trend, the earlier epoch whose validation loss is still lower than the last
 * one's (the loss rose at the end, or rose and fell back part of the way), else null. `endsShort`: the log's last epoch and the
 * planned count, when the run failed, was interrupted or its log ends (incomplete) before the planned epochs. `beyond`:
 * the epochs run_end counts past the log's last one (metrics.ts countedBeyondLog), else null.
 */
export function convergence(c: Convergence, threshold: number, lowestEarlier: number | null = null,
  endsShort: { epoch: number; planned: number } | null = null, beyond: EpochRange | null = null): string {
  const t = c.trend;
  if (c.reading === 'unknown' || t === null) {
    if (c.metric === null) return 'The log has no validation or training loss, so convergence cannot be judged.';
    return `The last epoch has no finite ${c.metric === 'val_loss' ? 'validation' : 'training'} loss, so convergence cannot be judged.`;
  }
  const subject = c.metric === 'val_loss' ? 'Validation loss' : 'Training loss (the log has no validation loss)';
  const lt = c.loss_trend;
  const notes = [precision(t, threshold), lt ? `training loss ${lt.rate < 0 ? 'rose' : 'fell'} by ${fmtRel(Math.abs(lt.rate))} an epoch` : null];
  const trend = trendPhrase(t, threshold, notes.filter((n): n is string => n !== null));
  const said = `${subject} ${trend}`;
  const help = c.metric === 'val_loss' ? 'the model had not converged and more epochs would likely help'
    : 'training had not converged, and more epochs would likely lower it further; without a validation loss, the log cannot show whether they would help on unseen data';
  switch (c.reading) {
    case 'worsening':
      return `${said}: it is not improving, so more epochs would not help (whether the rise is a problem is for the loss-rise, best-vs-final and overfitting checks).`;
    case 'plateau': {
      // a flat validation loss while the training loss climbs (fastai's one-cycle fit, say) is no settled minimum
      const unsettled = c.training_rose
        ? ', but the training loss rose over the same epochs, so training had not settled; the log cannot show whether more epochs would help.' : null;
      // a rate beyond the threshold (either way) that the rounding could put within it
      if (Math.abs(t.rate) >= threshold || nearlyEqual(Math.abs(t.rate), threshold)) {
        return `${said}, which the printed digits cannot show to be more than ${fmtRel(threshold)}: flat within the log's precision${unsettled ?? '; more epochs are unlikely to help much.'}`;
      }
      return `${said}, ${t.rate < 0 ? 'within' : 'below'} ${fmtRel(threshold)}: flat${unsettled ?? '; it has converged and more epochs are unlikely to help much.'}`;
    }
    case 'improving': {
      const above = `${nearlyEqual(t.low, threshold) ? 'not below' : 'above'} ${fmtRel(threshold)}`;
      if (lowestEarlier !== null && c.metric === 'val_loss') {
        return `${said}, but its last epoch is still above its lowest, at epoch ${lowestEarlier}, so this is not a sign that more epochs would help.`;
      }
      // run_end counts epochs past the log's last one: the run went on, how far it converged is not in the log
      if (beyond) {
        return `${subject} still ${trend}, ${above}, at epoch ${beyond.first - 1}, where the log ends; ` +
          `run_end counts ${plural(beyond.last, 'epoch', 'epochs')} completed, so whether the run converged by its last is not known.`;
      }
      // a log that ends before its planned epochs (interrupted, failed, cut, or still being written): the epochs
      // it has not got would help, not more than planned
      if (endsShort) {
        return `${subject} still ${trend}, ${above}: the model had not yet converged at epoch ${endsShort.epoch} (of ${endsShort.planned} planned), where the log ends; ` +
          'the planned epochs after it would likely help.';
      }
      return `${subject} still ${trend}, ${above}: ${help}.`;
    }
  }
}
