// batch_end lines in the trainer's exact shape take a fast path (one regular
// expression instead of JSON.parse + the lenient reader). These tests hold it to
// the general path: same event, same key order, and every other shape — valid or
// not — gets the answer the general path gives, e.g. a batch_end without a usable
// epoch is still counted invalid with the reader's message.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SCHEMA, serializeEvent } from '../../src/events.js';
import { readEvent } from '../../src/parse/event-reader.js';
import { batchEndAsWritten } from '../../src/parse/batch-line.js';
import { parseJsonLine } from '../../src/parse/events.js';
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

/** A small deterministic generator (xorshift32), so that a failure can be replayed. */
function random(seed: number): () => number {
  let x = seed;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 4294967296;
  };
}

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

test('lines of runs whose ids share a start, in a row, each take the fast path with their own id', () => {
  const line = (run: string, batch: number) =>
    serializeEvent(createEventFactory(run, () => Date.UTC(2026, 10, 24, 7), 'MNISTTraining').batchEnd(1, batch, 0.5, 0.5));
  for (const [run, batch] of [['r', 1], ['r-2', 1], ['r', 2], ['r-2', 2], ['r-', 3]] as const) {
    const fast = batchEndAsWritten(line(run, batch));
    assert.equal(fast?.run_id, run);
    assert.equal(fast?.batch, batch);
  }
});

test('runs written in turn, and run ids with characters that mean something in a regular expression: each line gets its own id', () => {
  // the reader keeps an expression for the last ids it read twice in a row (batch-line.ts); "a.b" must not take "aXb"'s lines
  const ids = ['a.b', 'aXb', 'x+y', 'xxy', '(r)', '[1]', '1', '$^', 'a|b', 'a', 'b', 'a/b', 'a?', 'a*', '{2}', 'läuft ☃'];
  const line = (run: string, batch: number) =>
    serializeEvent(createEventFactory(run, () => Date.UTC(2026, 10, 24, 7) + batch, 'MNISTTraining').batchEnd(1, batch, 0.5, 0.25));
  const next = random(7);
  let batch = 0;
  for (let n = 0; n < 3000; n++) {
    // stretches of one run, of random length, in random order
    const run = ids[Math.floor(next() * ids.length)]!;
    for (let k = Math.floor(next() * 4); k >= 0; k--) {
      const text = line(run, ++batch);
      const fast = batchEndAsWritten(text);
      assert.equal(fast?.run_id, run, text);
      assert.equal(fast?.batch, batch);
      assert.deepEqual(fast, JSON.parse(text));
    }
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
    ['month 13', ok.replace('2026-11-24', '2026-13-24')],
    ['month 00', ok.replace('2026-11-24', '2026-00-24')],
    ['day 00', ok.replace('2026-11-24', '2026-11-00')],
    ['31 November', ok.replace('2026-11-24', '2026-11-31')],
    ['29 February 2026', ok.replace('2026-11-24', '2026-02-29')],
    ['29 February 2028 (valid)', ok.replace('2026-11-24', '2028-02-29')],
    ['29 February 2100', ok.replace('2026-11-24', '2100-02-29')],
    ['29 February 2000 (valid)', ok.replace('2026-11-24', '2000-02-29')],
    ['year 0000 (valid)', ok.replace('2026-11-24', '0000-01-01')],
    ['hour 24', ok.replace('T07:', 'T24:')],
    ['minute 60', ok.replace(/T07:00/, 'T07:60')],
    ['second 60, not a leap second', ok.replace(/T07:00:00/, 'T07:00:60')],
    ['leap second 23:59:60 (valid)', ok.replace(/T07:00:00/, 'T23:59:60')],
    ['lower-case t and z', ok.replace('T07', 't07').replace('Z"', 'z"')],
    ['fraction without digits', ok.replace('.000Z', '.Z')],
    ['time cut short', ok.replace('.000Z', '')],
    ['loss -0 (valid)', ok.replace('"loss":0.5', '"loss":-0')],
    ['loss 01', ok.replace('"loss":0.5', '"loss":01')],
    ['loss 1.', ok.replace('"loss":0.5', '"loss":1.')],
    ['loss 1e', ok.replace('"loss":0.5', '"loss":1e')],
    ['loss 1E+2 (valid)', ok.replace('"loss":0.5', '"loss":1E+2')],
    ['loss +1', ok.replace('"loss":0.5', '"loss":+1')],
    ['loss nul', ok.replace('"loss":0.5', '"loss":nul')],
    ['accuracy 1e999', ok.replace('"accuracy":0.75', '"accuracy":1e999')],
    ['accuracy -1e999', ok.replace('"accuracy":0.75', '"accuracy":-1e999')],
    ['both metrics null (valid)', ok.replace('"loss":0.5', '"loss":null').replace('"accuracy":0.75', '"accuracy":null')],
    ['epoch of 15 digits (valid)', ok.replace('"epoch":2', '"epoch":123456789012345')],
    ['batch of 16 digits (valid)', ok.replace('"batch":7', '"batch":1234567890123456')],
    ['batch 07', ok.replace('"batch":7', '"batch":07')],
    ['run_id with a backslash escape of a letter', ok.replace(/"run_id":"[^"]*"/, '"run_id":"a\\u0041"')],
    ['run_id with unicode (valid)', ok.replace(/"run_id":"[^"]*"/, '"run_id":"läuft-☃"')],
    ['run_id with a tab', ok.replace(/"run_id":"[^"]*"/, '"run_id":"a\tb"')],
    ['no closing brace', ok.slice(0, -1)],
    ['two closing braces', `${ok}}`],
    ['a second line after it', `${ok}\n${ok}`],
    ['schema key in capitals', ok.replace('"schema"', '"Schema"')],
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

test('thousands of one- and two-character edits of trainer lines, read in a row: the fast path agrees with the general path on each', () => {
  // In a row, so that the reader's memory of the last run id and date is exercised by lines that
  // share them, differ from them, and come back to them.
  const next = random(0x9e3779b9);
  const alphabet = '0123456789-+.eE:TZtz"\\{},[] nul\u0001\u00e9abcdefghijklmnopqrstuvwxyz_/';
  const bases = [
    trainerLine(2, 7, 0.5, 0.75),
    trainerLine(13, 1875, 0.012345678901234567, 0.96875, 86_400_123),
    serializeEvent(createEventFactory('run-b', () => Date.UTC(2028, 1, 29, 23, 59, 59, 999), 'MNISTTraining').batchEnd(1, 1, 2.302585092994046, 0.09375)),
  ];
  let fast = 0;
  let events = 0;
  for (let n = 0; n < 6000; n++) {
    const base = bases[Math.floor(next() * bases.length)]!;
    let line = base;
    const edits = next() < 0.15 ? 0 : next() < 0.7 ? 1 : 2;
    for (let e = 0; e < edits; e++) {
      const at = Math.floor(next() * line.length);
      const ch = alphabet[Math.floor(next() * alphabet.length)]!;
      const how = next();
      line = how < 0.34 ? line.slice(0, at) + line.slice(at + 1) : how < 0.67 ? line.slice(0, at) + ch + line.slice(at) : line.slice(0, at) + ch + line.slice(at + 1);
    }
    if (batchEndAsWritten(line)) fast++;
    // the JSON reader itself (what parseLine hands a line that starts with "{"), whatever the edit did to that "{"
    const r = parseJsonLine(line, createParseState());
    const g = general(line);
    assert.deepEqual(r, g, `edit ${n}: ${JSON.stringify(line)}`);
    if (r.kind === 'event' && g.kind === 'event') {
      events++;
      assert.equal(JSON.stringify(r.event), JSON.stringify(g.event), `key order, edit ${n}`);
    }
  }
  // the edits reach both sides: lines the fast path takes, and valid lines it leaves to the general path
  assert.ok(fast > 1000, `fast path taken ${fast} times`);
  assert.ok(events - fast > 50, `valid events left to the general path: ${events - fast}`);
});
