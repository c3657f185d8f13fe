// Escaping for strings that came from a log (run ids, quoted lines, error
// messages, hostnames). A log line is attacker-controlled text: in Markdown it
// must not open links, emphasis, code, tables or raw HTML; in HTML Handlebars'
// {{ }} escaping does the job, and the HTML template never uses {{{ }}} on log data.

import { createHash } from 'node:crypto';

/** Control characters (ANSI escapes, \r, \b, NUL) shown as visible \xNN text. */
export function visibleControls(s: string): string {
  return s.replace(/[\u0000-\u001f\u007f]/g, (c) => (c === '\n' || c === '\t' ? ' ' : `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`));
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
 * original is appended so two different ids never share a folder.
 */
export function safeRunId(runId: string): string {
  let slug = runId.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^[.-]+/, '').replace(/-+$/, '').slice(0, 64);
  if (slug === runId && slug.length > 0) return slug;
  slug = slug.replace(/[.-]+$/, '');
  return `${slug || 'run'}-${createHash('sha256').update(runId).digest('hex').slice(0, 8)}`;
}

/** Text or an attribute value in XML/SVG (our chart titles may quote a run id from the log). */
export function escapeXml(value: string): string {
  return visibleControls(value).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
