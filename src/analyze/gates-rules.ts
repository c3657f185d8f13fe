// Quality-gate rules: `--fail-on RULE` (repeatable) and `--gates FILE` (one rule
// per line). A rule names the condition that FAILS the gate, e.g. val_accuracy<0.97.
// Parsing is pure: the CLI reads the file and hands its text here.

import { UserError } from '../errors.js';

/** Final-epoch metrics (and derived gaps), and the final evaluation's, that a threshold rule can test. */
export const GATE_METRICS = ['val_accuracy', 'accuracy', 'val_loss', 'loss', 'gap', 'loss_gap', 'test_accuracy', 'test_loss', 'min_recall', 'ece'] as const;
export type GateMetric = (typeof GATE_METRICS)[number];
/**
 * The metrics that are fractions, which the report prints as percentages: a threshold may be written as
 * one, or as a percentage (ece>1% is ece>0.01, as val_accuracy<97% is val_accuracy<0.97).
 */
export const FRACTION_METRICS: readonly GateMetric[] = ['val_accuracy', 'accuracy', 'test_accuracy', 'min_recall', 'ece'];

/** Rules without a threshold: a fact about the run that fails the gate when true. */
export const GATE_FLAGS = ['nan', 'overfitting', 'incomplete', 'failed', 'attention', 'regression', 'below_history'] as const;
export type GateFlag = (typeof GATE_FLAGS)[number];

export type GateOp = '<' | '<=' | '>' | '>=';

export type GateRule =
  | { kind: 'threshold'; rule: string; origin: string; metric: GateMetric; op: GateOp; threshold: number }
  | { kind: 'flag'; rule: string; origin: string; flag: GateFlag };

/** A rule's text and where it came from ("--fail-on", "gates.txt:3") for error messages. */
export interface GateSource {
  text: string;
  origin: string;
}

/** What --help and every parse error print: the accepted forms, one place. */
export const GATE_FORMS =
  `METRIC<N, METRIC<=N, METRIC>N or METRIC>=N with METRIC one of ${GATE_METRICS.join(', ')} ` +
  `(N a number; for the accuracies, min_recall and ece also a percentage such as 97%; gap is validation − training accuracy in percentage points, written with pp: gap<-2pp), ` +
  `or one of ${GATE_FLAGS.join(', ')}`;

const THRESHOLD = /^([a-z_]+)\s*(<=|>=|<|>)\s*([+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:e[+-]?\d+)?)\s*(%|pp)?$/i;

/** Parse every rule; the first bad one is a UserError naming it and the accepted forms. */
export function parseGateRules(sources: GateSource[]): GateRule[] {
  const rules: GateRule[] = [];
  const seen = new Set<string>();
  for (const { text, origin } of sources) {
    const rule = parseOne(text.trim(), origin);
    if (seen.has(rule.rule)) continue; // the same rule from --fail-on and a gates file counts once
    seen.add(rule.rule);
    rules.push(rule);
  }
  return rules;
}

/** The rules in a gates file's text: one per line, `#` comments and blank lines skipped. */
export function gatesFileSources(text: string, file: string): GateSource[] {
  const out: GateSource[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.replace(/#.*$/, '').trim();
    if (line) out.push({ text: line, origin: `${file}:${i + 1}` });
  });
  return out;
}

/**
 * The gate metric a name not among them most likely means: Keras 1's and many scripts' short names
 * (val_acc, acc, test_acc), a `valid_` or `validation_` prefix, or the one name it is likely a slip of
 * (likelyName). Null when none fits.
 */
export function likelyMetric(name: string): string | null {
  const spelled = name.replace(/^valid(ation)?_/, 'val_').replace(/(^|_)acc$/, '$1accuracy');
  if ((GATE_METRICS as readonly string[]).includes(spelled)) return spelled;
  return likelyName(name, GATE_METRICS);
}

/**
 * The one name of `names` that `name` is likely a slip of: the start of exactly one of them (val_acc… →
 * val_accuracy, overfit → overfitting), the same with `-` or a space for `_` (below-history), or, for a
 * name of 5 letters or more, exactly one within 2 letters' edits (overfiting, regresion). Null when none
 * or more than one fits.
 */
function likelyName(name: string, names: readonly string[]): string | null {
  const n = name.toLowerCase().replace(/[-\s]+/g, '_');
  if (names.includes(n)) return n;
  const one = (fits: (m: string) => boolean): string | null => {
    const found = names.filter(fits);
    return found.length === 1 ? found[0]! : null;
  };
  return (n.length >= 3 ? one((m) => m.startsWith(n)) : null) ?? (n.length >= 5 ? one((m) => editDistance(n, m) <= 2) : null);
}

/** Levenshtein distance: insertions, deletions and substitutions, one letter each. */
function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) row.push(Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1)));
    prev = row;
  }
  return prev[b.length]!;
}

/**
 * The values a metric can take: the fractions 0 to 1, a loss 0 or more, the gap −100 to +100 points, the loss
 * gap any number. A rule whose threshold leaves no value on one side can never fail, or fails every run.
 */
const METRIC_RANGE: Record<GateMetric, { low: number; high: number; words: string }> = {
  val_accuracy: { low: 0, high: 1, words: 'between 0% and 100%' },
  accuracy: { low: 0, high: 1, words: 'between 0% and 100%' },
  test_accuracy: { low: 0, high: 1, words: 'between 0% and 100%' },
  min_recall: { low: 0, high: 1, words: 'between 0% and 100%' },
  ece: { low: 0, high: 1, words: 'between 0% and 100%' },
  val_loss: { low: 0, high: Infinity, words: 'never below 0' },
  loss: { low: 0, high: Infinity, words: 'never below 0' },
  test_loss: { low: 0, high: Infinity, words: 'never below 0' },
  gap: { low: -100, high: 100, words: 'between −100 pp and +100 pp' },
  loss_gap: { low: -Infinity, high: Infinity, words: 'any number' },
};

/** Whether `value op threshold` (the rule fails) holds for no value in the metric's range, or for every one; null: for some. */
function outOfRange(metric: GateMetric, op: GateOp, threshold: number): 'never fails' | 'always fails' | null {
  const { low, high } = METRIC_RANGE[metric];
  const [never, always] = op === '<' ? [threshold <= low, threshold > high]
    : op === '<=' ? [threshold < low, threshold >= high]
    : op === '>' ? [threshold >= high, threshold < low]
    : [threshold > high, threshold <= low];
  return never ? 'never fails' : always ? 'always fails' : null;
}

function parseOne(text: string, origin: string): GateRule {
  const flag = text.toLowerCase();
  if ((GATE_FLAGS as readonly string[]).includes(flag)) {
    return { kind: 'flag', rule: flag, origin, flag: flag as GateFlag };
  }
  const m = THRESHOLD.exec(text);
  if (!m) {
    // a slip of a rule without a threshold (overfit, below-history) gets its name, as a metric's does
    const meant = likelyName(text, GATE_FLAGS);
    throw badRule(text, origin, `not a rule${meant ? ` (did you mean ${meant}?)` : ''}`);
  }
  const [, name = '', op = '<', num = '', unit = ''] = m;
  const metric = name.toLowerCase();
  if (!(GATE_METRICS as readonly string[]).includes(metric)) {
    const meant = likelyMetric(metric);
    throw badRule(text, origin, `unknown metric "${name}"${meant ? ` (did you mean ${meant}?)` : ''}`);
  }
  // The gap has one convention everywhere (validation − training, percentage points);
  // its unit is required so that a rule written for the old train − val fraction cannot pass silently.
  const pp = unit.toLowerCase() === 'pp';
  if (metric === 'gap' && !pp) throw badRule(text, origin, 'gap is validation − training accuracy in percentage points: write the unit, e.g. gap<-2pp (fails when training is more than 2 points ahead)');
  if (metric !== 'gap' && pp) throw badRule(text, origin, 'only gap is in percentage points (pp)');
  const pct = unit === '%';
  // 15 digits: 0.7% is 0.007, not 0.006999999999999999 (the rule is printed: on stderr, in the gate table)
  const threshold = pct ? Number((Number(num) / 100).toPrecision(15)) : Number(num);
  if (!Number.isFinite(threshold)) throw badRule(text, origin, 'the threshold is not a finite number');
  // Accuracies, recall and calibration error are fractions: val_accuracy<97 would compare 0.97 with 97 and always fail.
  const fraction = (FRACTION_METRICS as readonly string[]).includes(metric);
  if (fraction && !pct && Math.abs(threshold) > 1) {
    const asFraction = Number(num) / 100;
    throw badRule(text, origin, `${metric} is a fraction (${asFraction} is ${num}%): write ${metric}${op}${asFraction} or ${metric}${op}${num}%`);
  }
  // only the losses are left: a loss has no 100%
  if (!fraction && pct) throw badRule(text, origin, `${metric} is not a percentage: give it as a number (e.g. ${metric}${op}0.1)`);
  // a threshold at or past the end of the metric's range makes a gate that never fails or always does, whatever the run
  const out = outOfRange(metric as GateMetric, op as GateOp, threshold);
  if (out) {
    const given = `${metric}${op}${num}${unit}`;
    throw badRule(text, origin, `${metric} is ${METRIC_RANGE[metric as GateMetric].words}, so ${given} ${out === 'never fails' ? 'can never fail' : 'fails every run'}`);
  }
  return {
    kind: 'threshold', rule: `${metric}${op}${threshold}${pp ? 'pp' : ''}`, origin,
    metric: metric as GateMetric, op: op as GateOp, threshold,
  };
}

function badRule(text: string, origin: string, why: string): UserError {
  const shown = text.length > 80 ? `${text.slice(0, 80)}…` : text;
  return new UserError(`bad quality gate ${JSON.stringify(shown)} (${origin}): ${why}; accepted: ${GATE_FORMS}`);
}
