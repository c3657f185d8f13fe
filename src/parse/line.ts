// One log record → what it means. Pure: the only memory is the per-stream ParseState.
//   continuation of a cut line? ──▶ fragment
//   starts with "{"             ──▶ our events (or other JSON)       parse/events.ts
//   otherwise                   ──▶ last redraw, ANSI removed ──▶ Keras | tfjs-node | scikit-learn | unrecognised

import type { LogRecord } from '../types.js';
import { continuesFragment, parseJsonLine } from './events.js';
import { parseKerasLine } from './keras.js';
import type { ParseResult, ParseState } from './state.js';
import { parseTfjsLine } from './tfjs-node.js';
import { lastRedraw, stripAnsi } from './text.js';
import { createSklearnReader } from './sklearn.js';

export { createParseState } from './state.js';
export type { ParseResult, ParseState, TextFormat } from './state.js';

const IGNORED: ParseResult = { kind: 'ignored' };
const FRAGMENT: ParseResult = { kind: 'fragment' };

export function parseLine(record: LogRecord, state: ParseState): ParseResult {
  const msg = record.message;
  if (state.fragmentOpen && continuesFragment(msg, state)) return FRAGMENT;
  // A cheap first-character test keeps JSON.parse away from text lines.
  const c = msg.charCodeAt(0);
  if (c === 123) return parseJsonLine(msg, state);
  if (c === 32 || c === 9) {
    const t = msg.trimStart();
    if (t.charCodeAt(0) === 123) return parseJsonLine(t, state);
  }
  return parseText(record, state);
}

function parseText(record: LogRecord, state: ParseState): ParseResult {
  const msg = record.message;
  const seg = msg.includes('\r') || msg.includes('\b') ? lastRedraw(msg) : msg;
  const hadAnsi = seg.includes('\x1b');
  const clean = hadAnsi ? stripAnsi(seg) : seg;
  if (!clean.trim()) return IGNORED;
  const r = parseKerasLine(clean, hadAnsi, record, state) ?? parseTfjsLine(clean, record, state);
  if (r) return r;
  const sklearn = (state.sklearn ??= createSklearnReader());
  if (sklearn.read(clean)) return { kind: 'evaluation', evaluation: sklearn.result() };
  return { kind: 'unrecognised', reason: unrecognisedReason(msg) };
}

function unrecognisedReason(msg: string): string {
  if (msg.includes('\u0000') || msg.includes('\ufffd')) return 'binary data';
  return 'not a known log line (our events, Keras or tfjs-node output)';
}
