// The published JSON Schema (schema/mnist-train-1.schema.json) is what src/events-schema.ts
// declares, and a real JSON Schema validator (ajv, 2020-12) accepts every line the
// trainer wrote in the committed fixture, so a Python or Go trainer can check its
// events against the file.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { schemaFileText, serializeEvent, validateEvent } from '../../src/events.js';

const FILE = 'schema/mnist-train-1.schema.json';
const FIXTURE = 'fixtures/mnist-train-5epochs.jsonl';

function ajvValidator() {
  const ajv = new Ajv2020({ strict: true, allErrors: true });
  addFormats.default(ajv);
  return ajv.compile(JSON.parse(readFileSync(FILE, 'utf8')));
}

test('the committed schema file is the one the declaration generates (run `npm run schema` when this fails)', () => {
  assert.equal(readFileSync(FILE, 'utf8'), schemaFileText());
});

test('ajv validates every line of the committed trainer fixture against the schema file', () => {
  const validate = ajvValidator();
  const lines = readFileSync(FIXTURE, 'utf8').split('\n').filter(Boolean);
  assert.equal(lines.length, 98);
  const kinds = new Set<string>();
  for (const [i, line] of lines.entries()) {
    const event = JSON.parse(line) as { event: string };
    assert.ok(validate(event), `${FIXTURE}:${i + 1}: ${JSON.stringify(validate.errors)}`);
    assert.ok(validateEvent(event).ok, `${FIXTURE}:${i + 1} fails the compiled validator`);
    kinds.add(event.event);
  }
  assert.deepEqual([...kinds].sort(), ['batch_end', 'epoch_end', 'evaluation', 'run_end', 'run_start']);
});

test('ajv and the compiled validator reject the same broken events', () => {
  const validate = ajvValidator();
  const epoch = JSON.parse(readFileSync(FIXTURE, 'utf8').split('\n').find((l) => l.includes('"epoch_end"'))!);
  const broken: Record<string, unknown>[] = [
    { ...epoch, epoch: 0 },
    { ...epoch, loss: '0.1' },
    { ...epoch, time: '2026-11-24T07:05:49+00:00' },
    { ...epoch, schema: 'mnist-train/2' },
    { ...epoch, extra: 1 },
    { ...epoch, memory: { rss_bytes: 1 } },
    { ...epoch, event: 'evaluation' },
  ];
  for (const e of broken) {
    assert.equal(validate(e), false, JSON.stringify(e).slice(0, 120));
    assert.equal(validateEvent(e).ok, false, JSON.stringify(e).slice(0, 120));
  }
  const { duration_ms: _, ...noDuration } = epoch;
  assert.equal(validate(noDuration), false, 'the writer must write duration_ms');
});

test('serializeEvent is strict: it refuses an event that breaks the contract', () => {
  const epoch = JSON.parse(readFileSync(FIXTURE, 'utf8').split('\n').find((l) => l.includes('"epoch_end"'))!);
  assert.throws(() => serializeEvent({ ...epoch, epoch: 0 }), /breaks mnist-train\/1: epoch must be an integer >= 1, got 0/);
  assert.throws(() => serializeEvent({ ...epoch, memory: {} }), /breaks mnist-train\/1: memory lacks rss_bytes, heap_used_bytes/);
  assert.equal(serializeEvent(epoch), JSON.stringify(epoch));
});
