// The Handlebars environment of the report templates: an isolated instance
// (no global helpers), the number formatters, and the Markdown escapers.

import Handlebars from 'handlebars';
import * as f from '../analyze/format.js';
import { escapeMarkdown, visibleControls } from './escape.js';

const STATUS_ICON: Record<string, string> = { pass: '✅ pass', warn: '⚠️ warn', fail: '❌ fail', info: 'ℹ️ info' };
const VERDICT_MARK: Record<string, string> = { healthy: '✅ healthy', 'needs attention': '⚠️ needs attention', failed: '❌ failed' };

export function createHandlebars(): typeof Handlebars {
  const hb = Handlebars.create();
  const fmt = (fn: (x: number | null) => string) => (x: unknown): string => fn(typeof x === 'number' ? x : null);
  hb.registerHelper({
    /** Log data in Markdown: every metacharacter escaped. */
    md: (s: unknown) => new hb.SafeString(escapeMarkdown(s)),
    /** Our sentences in Markdown: they may embed log text (error messages), so the same escaping. */
    prose: (s: unknown) => new hb.SafeString(escapeMarkdown(s)),
    /** Our sentences that name a command in backticks (the next steps), in Markdown: the command as code, the rest escaped. */
    proseCode: (s: unknown) => new hb.SafeString(codeSpans(s).map(([code, t]) => (code ? `\`${t}\`` : escapeMarkdown(t))).join('')),
    /** The same in HTML: the command in <code>, every piece escaped. */
    textCode: (s: unknown) => new hb.SafeString(codeSpans(s)
      .map(([code, t]) => (code ? `<code>${hb.escapeExpression(t)}</code>` : hb.escapeExpression(t))).join('')),
    /** Text for the HTML template: control characters made visible; {{ }} escapes the rest. */
    text: visibleText,
    /** The same inside <code>, escaped here, with <wbr> where an identifier may break (CODE_BREAK). */
    codeText: (s: unknown) => new hb.SafeString(visibleText(s).split(CODE_BREAK).map((t) => hb.escapeExpression(t)).join('<wbr>')),
    loss: fmt(f.fmtLoss),
    pct: fmt((x) => f.fmtPct(x)),
    pp: fmt(f.fmtPp),
    rel: fmt(f.fmtRel),
    signed: fmt(f.fmtSigned),
    int: fmt(f.fmtInt),
    duration: fmt(f.fmtDuration),
    // {{status status}} → "✅ pass"; a bare {{status}} inside a check means the field itself, not the helper
    status: function (this: { status?: unknown }, ...args: unknown[]) {
      if (args.length < 2) return String(this?.status ?? '');
      const s = String(args[0]);
      return STATUS_ICON[s] ?? s;
    },
    /** "⚠️ needs attention": the verdict with its mark (the mark is not the only signal: the word is there). */
    verdictMark: (v: unknown) => VERDICT_MARK[String(v)] ?? String(v),
    value: (v: unknown) => (v === null || v === undefined ? '—' : typeof v === 'number' ? compactNumber(v) : String(v)),
    /** A check's value or threshold in its unit ({{measure value unit}}), so a fraction never shows beside a percentage. */
    measure: (v: unknown, unit: unknown) => {
      if (typeof v !== 'number') return showValue(v);
      // a whole number here is a count (10,000 validation samples, 3 spikes)
      return unit === 'pp' ? f.fmtPp(v / 100) : unit === 'rel' ? f.fmtRel(v) : unit === 'ratio' ? f.fmtRatio(v) : unit === 'pct' ? f.fmtPct(v)
        : Number.isInteger(v) ? f.fmtInt(v) : showValue(v);
    },
    /** A class name from a value: "needs attention" → "needs-attention". */
    slug: (s: unknown) => String(s ?? '').toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, ''),
    eq: (a: unknown, b: unknown) => a === b,
    or: (...args: unknown[]) => args.slice(0, -1).some(Boolean),
    inc: (n: unknown) => (typeof n === 'number' ? n + 1 : n),
  });
  return hb;
}

/**
 * Where a check id, gate rule, field or path in <code> may break on a narrow screen: after a run of
 * . _ / (validation.|holdout, val_|accuracy, fixtures/|…) and before a comparison, which stays with its
 * number (accuracy|>=0.97); never inside a word or a number's decimal point. CSS alone cannot add
 * these: break-all broke "validat|ion.holdout", and without it a code's only breaks are its spaces and hyphens.
 */
const CODE_BREAK = /(?<=[._/])(?=[^._/<>=])(?<!\d\.(?=\d))|(?<=[^<>=])(?=[<>=])/;

/** A value as text ('' for none), control characters made visible. */
function visibleText(s: unknown): string {
  return s === null || s === undefined ? '' : visibleControls(String(s));
}

/**
 * A sentence cut at its backticks into [isCode, text] pieces, controls made visible. Unbalanced
 * backticks (one that came from log text, e.g. an error name) make it all plain text.
 */
export function codeSpans(s: unknown): [boolean, string][] {
  const text = visibleText(s);
  const parts = text.split('`');
  if (parts.length % 2 === 0) return [[false, text]];
  return parts.map((t, i): [boolean, string] => [i % 2 === 1, t]).filter(([code, t]) => code || t !== '');
}

function showValue(v: unknown): string {
  return v === null || v === undefined ? '—' : typeof v === 'number' ? compactNumber(v) : String(v);
}

function compactNumber(v: number): string {
  if (Number.isInteger(v)) return String(v);
  return Math.abs(v) >= 100 ? v.toFixed(1) : String(Number(v.toPrecision(4)));
}
