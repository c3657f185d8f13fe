// Small pure helpers shared by the trainer-text parsers. None of them uses a
// regex that can backtrack on a long line: a Keras verbose-1 line can hold
// thousands of redraws.

import type { Metric } from '../events.js';

/** The text a terminal would show last: the final non-blank segment after `\r`/`\b` redraws. */
export function lastRedraw(message: string): string {
  let end = message.length;
  for (let i = message.length - 1; i >= -1; i--) {
    const c = i >= 0 ? message.charCodeAt(i) : 13;
    if (c === 13 || c === 8) {
      const seg = message.slice(i + 1, end);
      if (seg.trim()) return seg;
      end = i;
    }
  }
  return '';
}

/** Removes ANSI escape sequences (CSI `ESC [ … final` and two-byte `ESC x`). */
export function stripAnsi(s: string): string {
  if (s.indexOf('\x1b') === -1) return s;
  let out = '';
  let i = 0;
  while (i < s.length) {
    const c = s.charCodeAt(i);
    if (c !== 27) { out += s[i]; i++; continue; }
    if (s[i + 1] === '[') {
      i += 2;
      while (i < s.length) {
        const d = s.charCodeAt(i++);
        if (d >= 0x40 && d <= 0x7e) break;
      }
    } else {
      i += 2;
    }
  }
  return out;
}

export interface MetricValue {
  value: Metric;
  nonFinite: boolean;
}

/** "0.2950", "1.2e-04", "nan", "inf", "-inf", "NaN", "Infinity" → a metric; anything else → null. */
export function parseMetricValue(text: string): MetricValue | null {
  const t = text.trim();
  if (!t) return null;
  const lower = t.toLowerCase();
  if (lower === 'nan' || lower === '-nan' || lower === 'inf' || lower === '-inf' || lower === 'infinity' || lower === '-infinity') {
    return { value: null, nonFinite: true };
  }
  const c = t.charCodeAt(0);
  if (!((c >= 48 && c <= 57) || c === 45 || c === 46)) return null;
  const v = Number(t);
  return Number.isFinite(v) ? { value: v, nonFinite: false } : null;
}

const UNIT_MS: Record<string, number> = { h: 3_600_000, m: 60_000, s: 1000, ms: 1, us: 0.001, µs: 0.001 };

/** "3s", "45ms", "1m 3s", "1h 2m" → milliseconds; null when the text is not a duration. */
export function parseDuration(text: string): number | null {
  const parts = text.trim().split(' ').filter(Boolean);
  if (!parts.length) return null;
  let total = 0;
  for (const p of parts) {
    let j = 0;
    while (j < p.length && ((p.charCodeAt(j) >= 48 && p.charCodeAt(j) <= 57) || p[j] === '.')) j++;
    const unit = UNIT_MS[p.slice(j)];
    if (j === 0 || unit === undefined) return null;
    total += Number(p.slice(0, j)) * unit;
  }
  return Number.isFinite(total) ? total : null;
}

/** Reads a leading "step/total" (e.g. "  32/1875"); null when the text does not start with one. */
export function parseStep(text: string): { step: number; total: number; rest: string } | null {
  let i = 0;
  while (text[i] === ' ') i++;
  const a = i;
  while (i < text.length && text.charCodeAt(i) >= 48 && text.charCodeAt(i) <= 57) i++;
  if (i === a || text[i] !== '/' || i - a > 12) return null;
  const b = ++i;
  while (i < text.length && text.charCodeAt(i) >= 48 && text.charCodeAt(i) <= 57) i++;
  if (i === b || i - b > 12) return null;
  if (i < text.length && text[i] !== ' ') return null;
  return { step: Number(text.slice(a, b - 1)), total: Number(text.slice(b, i)), rest: text.slice(i) };
}

/** The ISO time of a CloudWatch timestamp, or null. */
export function isoTime(timestamp: number | null): string | null {
  if (timestamp === null) return null;
  const d = new Date(timestamp);
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
}

/** Keras' names for the metrics we report, in order of preference (tfjs-node uses the first two). */
const ACCURACY_NAMES = ['accuracy', 'acc', 'sparse_categorical_accuracy', 'categorical_accuracy'];
const VAL_ACCURACY_NAMES = ACCURACY_NAMES.map((n) => `val_${n}`);

export interface TextMetrics {
  loss: Metric;
  accuracy: Metric;
  val_loss: Metric;
  val_accuracy: Metric;
  non_finite: string[];
  /** At least one of the four metrics was present. */
  any: boolean;
}

/** Picks loss/accuracy (and val_) out of "name: value" pairs from Keras or tfjs-node. */
export function readMetrics(values: Map<string, string>): TextMetrics {
  const out: TextMetrics = { loss: null, accuracy: null, val_loss: null, val_accuracy: null, non_finite: [], any: false };
  const take = (target: 'loss' | 'accuracy' | 'val_loss' | 'val_accuracy', names: string[]): void => {
    for (const name of names) {
      const text = values.get(name);
      if (text === undefined) continue;
      const m = parseMetricValue(text);
      if (!m) continue;
      out[target] = m.value;
      out.any = true;
      if (m.nonFinite) out.non_finite.push(target);
      return;
    }
  };
  take('loss', ['loss']);
  take('accuracy', ACCURACY_NAMES);
  take('val_loss', ['val_loss']);
  take('val_accuracy', VAL_ACCURACY_NAMES);
  return out;
}

/** 98.02 (percent) → 0.9802, without the float noise of a bare division (95.9719 / 100 = 0.9597190000000001). */
export function percentToFraction(v: number): number {
  return Number((v / 100).toPrecision(15));
}
