// The wording of the baseline comparison, in one place (tests assert against it).

import type { DeltaRow } from './baseline.js';
import { fmtList } from './format.js';

export function baselineSummary(baselineRunId: string, rows: DeltaRow[]): string {
  const quality = rows.filter((r) => r.metric !== 'epoch_ms' && r.metric !== 'samples_per_second');
  const names = (v: DeltaRow['verdict']) => quality.filter((r) => r.verdict === v).map((r) => r.name.toLowerCase());
  const better = names('improved');
  const worse = names('regressed');
  const va = rows.find((r) => r.metric === 'val_accuracy');
  const parts = [`Against baseline run ${baselineRunId}:`];
  if (!better.length && !worse.length) parts.push('no quality metric changed at the printed precision.');
  else {
    if (better.length) parts.push(`improved ${fmtList(better)}${worse.length ? ';' : '.'}`);
    if (worse.length) parts.push(`regressed ${fmtList(worse)}.`);
  }
  if (va && va.within_noise === true && va.verdict !== 'unchanged') {
    parts.push(`The validation-accuracy change (${va.shown.delta}) is within the 95% sampling noise of the validation set, so it is not evidence of a real difference.`);
  } else if (va && va.within_noise === false) {
    parts.push(`The validation-accuracy change (${va.shown.delta}) is larger than the 95% sampling noise of the validation set.`);
  }
  return parts.join(' ');
}
