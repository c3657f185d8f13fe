// batch_end lines in the trainer's exact shape take a fast path (one regular
// expression instead of JSON.parse + the lenient reader). These tests hold it to
// the general path: same event, same key order, and every other shape — valid or
// not — gets the answer the general path gives, e.g. a batch_end without a usable
// epoch is still counted invalid with the reader's message.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SCHEMA, serializeEvent } from '../../src/events.js';
import { readEvent } from '../../src/parse/event-reader.js';
import { batchEndAsWritten } from '../../src/parse/events.js';
import { parseJsonOrPython } from '../../src/parse/python-json.js';
import { createParseState, parseLine, type ParseResult } from '../../src/parse/line.js';
import { createEventFactory } from '../../src/train/event-factory.js';
import { rec } from './helpers.js';

/** What the parser answered for a `{` line before the fast path existed (the oracle). */
function general(line: string): ParseResult {
  const p = parseJsonOrPython(line);
  if (!p.ok) {
    return line.includes(`"${SCHEMA}"`) ? { kind: 'invalid', errors: [`not JSON: ${p.error.message}`] } : { kind: 'unrecognised', reason: 'malformed JSON' };
  }
  const r = readEvent(p.value);
  return r.kind === 'foreign' ? { kind: 'unrecognised', reason: `JSON without schema "${SCHEMA}"` } : r;
}

const parse = (line: string): ParseResult => parseLine(rec(line), createParseState());

const trainerLine = (epoch: number, batch: number, loss: number, accuracy: number, clock = 0): string =>
  serializeEvent(createEventFactory('20261130T070537Z-f4b168', () => Date.UTC(2026, 10, 24, 7) + clock, 'MNISTTraining').batchEnd(epoch, batch, loss, accuracy));

test('trainer batch_end lines take the fast path and give what JSON.parse gives, key order included', () => {
  const lines = [
    trainerLine(1, 1, 0.3898439749353565, 0.8705052639295657),
    trainerLine(12, 1875, 2.5e-7, 1, 123),
    trainerLine(3, 40, 0, 0.03125, 59_999),
    trainerLine(200, 5000, 1234.5, -0, 7),
  ];
  for (const line of lines) {
    const fast = batchEndAsWritten(line);
    assert.ok(fast, `fast path for ${line}`);
    assert.equal(JSON.stringify(fast), JSON.stringify(JSON.parse(line)));
    const r = parse(line);
    assert.deepEqual(r, general(line));
    assert.equal(r.kind === 'event' && JSON.stringify(r.event), line);
  }
});

test('every other shape gets the general path\'s answer (valid, invalid or unrecognised)', () => {
  const ok = trainerLine(2, 7, 0.5, 0.75);
  const variants: [string, string][] = [
    ['epoch 0', ok.replace('"epoch":2', '"epoch":0')],
    ['batch 0', ok.replace('"batch":7', '"batch":0')],
    ['epoch 1.5', ok.replace('"epoch":2', '"epoch":1.5')],
    ['epoch -2', ok.replace('"epoch":2', '"epoch":-2')],
    ['epoch 02 (not JSON)', ok.replace('"epoch":2', '"epoch":02')],
    ['epoch 2e0 (valid)', ok.replace('"epoch":2', '"epoch":2e0')],
    ['epoch 2.0 (valid)', ok.replace('"epoch":2', '"epoch":2.0')],
    ['epoch of 16 digits (valid)', ok.replace('"epoch":2', '"epoch":1234567890123456')],
    ['epoch as a string', ok.replace('"epoch":2', '"epoch":"2"')],
    ['loss 1e999 (not finite)', ok.replace('"loss":0.5', '"loss":1e999')],
    ['loss "NaN"', ok.replace('"loss":0.5', '"loss":"NaN"')],
    ['loss NaN (not JSON)', ok.replace('"loss":0.5', '"loss":NaN')],
    ['loss .5 (not JSON)', ok.replace('"loss":0.5', '"loss":.5')],
    ['loss null, no non_finite (valid)', ok.replace('"loss":0.5', '"loss":null')],
    ['loss true', ok.replace('"loss":0.5', '"loss":true')],
    ['accuracy missing', ok.replace(',"accuracy":0.75', '')],
    ['non_finite listed (valid)', ok.replace('"loss":0.5', '"loss":null').replace('}', ',"non_finite":["loss"]}')],
    ['extra key (valid)', ok.replace('}', ',"lr":0.001}')],
    ['duplicate key', ok.replace('}', ',"epoch":0}')],
    ['run_id empty', ok.replace(/"run_id":"[^"]*"/, '"run_id":""')],
    ['run_id with an escape (valid)', ok.replace(/"run_id":"[^"]*"/, '"run_id":"a\\"b"')],
    ['run_id with a raw control character (not JSON)', ok.replace(/"run_id":"[^"]*"/, '"run_id":"a\u0001b"')],
    ['run_id a number', ok.replace(/"run_id":"[^"]*"/, '"run_id":7')],
    ['time with an offset', ok.replace(/Z"/, '+01:00"')],
    ['time without seconds', ok.replace(/:00\.000Z"/, 'Z"')],
    ['time with 9 fraction digits (valid)', ok.replace(/\.000Z"/, '.000000001Z"')],
    ['time with 10 fraction digits', ok.replace(/\.000Z"/, '.0000000001Z"')],
    ['event before time (valid)', ok.replace(/"time":("[^"]*"),"event":"batch_end"/, '"event":"batch_end","time":$1')],
    ['other schema version', ok.replace(SCHEMA, 'mnist-train/2')],
    ['whitespace (valid)', ok.replaceAll(',"', ', "').replaceAll('":', '": ')],
    ['trailing space (valid)', `${ok} `],
    ['trailing garbage', `${ok}x`],
    ['cut short', ok.slice(0, -3)],
    ['epoch_end keys under batch_end', ok.replace('"batch":7,', '"epochs":5,')],
  ];
  for (const [name, line] of variants) {
    assert.notEqual(line, ok, `${name}: the variant differs from the trainer's line`);
    assert.deepEqual(parse(line), general(line), name);
  }
  // and the interesting ones really are what their names say
  assert.equal(parse(variants[0]![1]).kind, 'invalid');
  const overflow = parse(variants[9]![1]);
  assert.ok(overflow.kind === 'event' && overflow.event.event === 'batch_end', 'loss 1e999 is a non-finite loss, not an invalid event');
  assert.deepEqual([overflow.event.loss, overflow.event.non_finite], [null, ['loss']]);
  assert.equal(parse(variants[5]![1]).kind, 'event');
  assert.equal(parse(variants[27]![1]).kind, 'event');
});
