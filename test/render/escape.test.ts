import { test } from 'node:test';
import assert from 'node:assert/strict';
import { escapeMarkdown, safeRunId, shownId, visibleControls } from '../../src/render/escape.js';
import { insideOut } from '../../src/render/write.js';

test('escapeMarkdown neutralises HTML, links, emphasis, code, pipes and block starts', () => {
  assert.equal(escapeMarkdown('<script>alert(1)</script>'), '&lt;script&gt;alert(1)&lt;/script&gt;');
  assert.equal(escapeMarkdown('[x](javascript:alert(1))'), '\\[x\\](javascript:alert(1))');
  assert.equal(escapeMarkdown('a|b *c* _d_ `e` ~f~'), 'a\\|b \\*c\\* \\_d\\_ \\`e\\` \\~f\\~');
  assert.equal(escapeMarkdown('# heading'), '\\# heading');
  assert.equal(escapeMarkdown('- item'), '\\- item');
  assert.equal(escapeMarkdown('1. item'), '\\1. item');
  assert.equal(escapeMarkdown('line1\nline2\r\n| x |'), 'line1 line2 \\| x \\|');
  assert.equal(escapeMarkdown('&lt;'), '&amp;lt;');
  assert.equal(escapeMarkdown('0.0749'), '0.0749');
  assert.equal(escapeMarkdown('-0.02'), '-0.02');
  assert.equal(escapeMarkdown(null), '');
});

test('visibleControls shows ANSI escapes and backspaces as text', () => {
  assert.equal(visibleControls('\u001b[1m\bok\u0000'), '\\x1b[1m\\x08ok\\x00');
});

test('safeRunId: a slug of allowed characters, hash suffix when changed, never a path', () => {
  assert.equal(safeRunId('20261130T070537Z-f4b168'), '20261130T070537Z-f4b168');
  const hostile = safeRunId('../../etc/<script>alert(1)</script>');
  assert.match(hostile, /^[A-Za-z0-9][A-Za-z0-9._-]*-[0-9a-f]{8}$/);
  assert.ok(!hostile.includes('/') && !hostile.startsWith('.'));
  assert.notEqual(safeRunId('a/b'), safeRunId('a b'));
  assert.match(safeRunId('..'), /^run-[0-9a-f]{8}$/);
  assert.match(safeRunId(''), /^run-[0-9a-f]{8}$/);
  assert.match(safeRunId('.hidden'), /^hidden-[0-9a-f]{8}$/);
  const long = safeRunId('x'.repeat(500));
  assert.ok(long.length <= 64 + 9, String(long.length));
});

test('insideOut refuses paths that leave the output folder', () => {
  assert.equal(insideOut('/tmp/out', 'run', 'report.md'), '/tmp/out/run/report.md');
  assert.throws(() => insideOut('/tmp/out', '../x'), /outside the output folder/);
  assert.throws(() => insideOut('/tmp/out', 'run', '/etc/passwd'), /outside the output folder/);
  assert.throws(() => insideOut('/tmp/out', '..', 'out2', 'x'), /outside the output folder/);
  // -o / (or //): the root folder holds its runs (it ended in an internal error with a stack trace)
  assert.equal(insideOut('/', 'run'), '/run');
  assert.equal(insideOut('//', 'run', 'report.md'), '/run/report.md');
});

test('safeRunId: an id that looks like a hashed slug gets its own hash (a/b and a-b-<hash> never share a folder)', () => {
  const hashed = safeRunId('a/b');
  assert.match(hashed, /^a-b-[0-9a-f]{8}$/);
  assert.notEqual(safeRunId(hashed), hashed);
  assert.match(safeRunId(hashed), new RegExp(`^${hashed}-[0-9a-f]{8}$`));
});

test('visibleControls and shownId show bidi and C1 controls', () => {
  assert.equal(visibleControls('abc\u202Egpj\u2066\u0085'), 'abc\\u202egpj\\u2066\\x85');
  assert.equal(shownId('a\u202Eb\n'), '"a\\u202eb\\n"');
});
