// The templates print sentences made in src/wording/; they do not compose them around
// numbers. A number-formatting helper may stand alone in a table cell or after a label
// ("Loss: {{loss x}}", "| {{pct a}} to {{pct b}} |"), never inside running text
// ("{{pct x}} (averaged over the epoch ...)"), where the sentence would be worded
// outside the wording module and a translator would not find it.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const FORMATTERS = ['loss', 'pct', 'pp', 'rel', 'signed', 'int', 'duration', 'measure'];
const CALL = new RegExp(`\\{\\{\\s*\\(?\\s*(?:\\w+\\s+\\()?(?:${FORMATTERS.join('|')})\\s[^}]*\\}\\}`, 'g');

/** The literal text of a template line: mustaches, comments and HTML tags become boundaries. */
function pieces(text: string): string[] {
  return text.split(/\{\{!--[\s\S]*?--\}\}|\{\{[^}]*\}\}|<[^>]*>|\|/);
}

/** "a few words" = two or more runs of letters: the mark of a sentence rather than a unit or a "to". */
function isWords(s: string): boolean {
  return (s.match(/\p{L}{2,}/gu) ?? []).length >= 2;
}

/** Formatting helpers with running text right before (not a "label:") or right after them. */
export function midSentenceNumbers(template: string): string[] {
  const found: string[] = [];
  for (const line of template.split('\n')) {
    for (const m of line.matchAll(CALL)) {
      const before = pieces(line.slice(0, m.index)).pop() ?? '';
      const after = pieces(line.slice(m.index + m[0].length))[0] ?? '';
      const labelled = /:\s*$/.test(before) || !isWords(before);
      if (!labelled || isWords(after)) found.push(line.trim());
    }
  }
  return found;
}

function templates(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? templates(join(dir, e.name)) : e.name.endsWith('.hbs') ? [join(dir, e.name)] : []);
}

test('the detector flags a number formatted inside a sentence, and not a labelled value or a cell', () => {
  assert.deepEqual(midSentenceNumbers('- Accuracy: {{pct a.x}} (averaged over the epoch while the weights changed)').length, 1);
  assert.deepEqual(midSentenceNumbers('<li>Accuracy: {{pct x}} ({{level l}} Wilson interval {{pct lo}} to {{pct hi}})</li>').length, 1);
  assert.deepEqual(midSentenceNumbers('The median epoch took {{duration t}}.').length, 1);
  assert.deepEqual(midSentenceNumbers('- Loss: {{loss a.final.loss}}'), []);
  assert.deepEqual(midSentenceNumbers('| {{pct recall_low}} to {{pct recall_high}} | {{pct f1}} |'), []);
  assert.deepEqual(midSentenceNumbers('<td class="num">{{int samples_per_second}}</td>'), []);
  assert.deepEqual(midSentenceNumbers('| {{prose (measure value unit)}} | {{#if when}}{{prose when}}{{/if}} |'), []);
});

test('no template formats a number in the middle of a sentence (sentences come from src/wording/)', () => {
  const offenders = templates('templates').flatMap((file) => midSentenceNumbers(readFileSync(file, 'utf8')).map((l) => `${file}: ${l}`));
  assert.deepEqual(offenders, []);
});
