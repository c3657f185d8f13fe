// Escaping for strings that came from a log (run ids, quoted lines, error
// messages, hostnames). A log line is attacker-controlled text: in Markdown it
// must not open links, emphasis, code, tables or raw HTML; in HTML Handlebars'
// {{ }} escaping does the job, and the HTML template never uses {{{ }}} on log data.

import { createHash } from 'node:crypto';

const HASHED = /-[0-9a-f]{8}$/;

/**
 * Characters that change how the text around them reads: C0/C1 controls (ANSI
 * escapes, \r, \b, NUL) and the bidirectional controls (U+202E RIGHT-TO-LEFT
 * OVERRIDE makes "abc\u202Egpj.exe" display as "abcexe.jpg"), plus the line and
 * paragraph separators.
 */
const INVISIBLE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/** Those characters shown as visible \xNN / \uNNNN text (newline and tab as a space). */
export function visibleControls(s: string): string {
  return s.replace(INVISIBLE, (c) => {
    if (c === '\n' || c === '\t') return ' ';
    const code = c.charCodeAt(0);
    return code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}

/**
 * Log text for a line on stderr: visibleControls, and each character that could not be decoded (U+FFFD,
 * a byte that is not UTF-8) shown as \ufffd rather than as the terminal's replacement box.
 */
export function visibleText(s: string): string {
  return visibleControls(s).replace(/\ufffd/g, '\\ufffd');
}

/** A run id (or any log text) for a line on stderr: quoted, with invisible and bidi controls shown. */
export function shownId(id: string): string {
  return JSON.stringify(id).replace(INVISIBLE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/**
 * Escape for inline Markdown (also safe in a table cell): backslash-escapes the
 * characters that open emphasis, code, links, tables and strikethrough, turns
 * <, > and & into entities so a Markdown renderer never sees raw HTML, and
 * escapes a leading block marker (#, >, -, +, =, "1.") so a value cannot start
 * a heading or list. Newlines become spaces so a value cannot start a new block.
 */
export function escapeMarkdown(value: unknown): string {
  if (value === null || value === undefined) return '';
  return visibleControls(String(value).replace(/[\r\n]+/g, ' '))
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/[\\`*_{}[\]|~]/g, (c) => `\\${c}`)
    .replace(/^([#+=-]+|\d+[.)])(?=\s|$)/, (m) => `\\${m}`);
}

/**
 * A file-system-safe folder name for a run id: [A-Za-z0-9._-] only, no leading
 * dot, at most 64 characters; when anything was changed an 8-hex hash of the
 * original is appended so two different ids never share a folder. An id that
 * already ends like a hashed name ("a-b-c14cddc0") gets a hash too, else it would
 * share a folder with the id it looks like the slug of ("a/b").
 */
export function safeRunId(runId: string): string {
  let slug = runId.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^[.-]+/, '').replace(/-+$/, '').slice(0, 64);
  if (slug === runId && slug.length > 0 && !HASHED.test(slug)) return slug;
  slug = slug.replace(/[.-]+$/, '');
  return `${slug || 'run'}-${createHash('sha256').update(runId).digest('hex').slice(0, 8)}`;
}

/** Text or an attribute value in XML/SVG (our chart titles may quote a run id from the log). */
export function escapeXml(value: string): string {
  return visibleControls(value).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
