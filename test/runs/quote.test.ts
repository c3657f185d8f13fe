// A quoted unusable line, cut for a one-line message, never ends in half an escape.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { clipQuote, quote } from '../../src/runs/quality.js';

test('clipQuote cuts a quoted line before an escape it would split, and marks the cut', () => {
  // 58 printable characters, then NUL NUL: "\x00" would be cut to "\x0" at 60
  const q = quote(`${'a'.repeat(58)}\u0000\u0000`);
  assert.equal(q, `${'a'.repeat(58)}\\x00\\x00`);
  assert.equal(clipQuote(q, 60), `${'a'.repeat(58)}…`);
  assert.equal(clipQuote(q, 61), `${'a'.repeat(58)}…`);
  assert.equal(clipQuote(q, 62), `${'a'.repeat(58)}\\x00…`);
  assert.equal(clipQuote(quote(`${'b'.repeat(59)}\r`), 60), `${'b'.repeat(59)}…`);
  assert.equal(clipQuote('short', 60), 'short');
});
