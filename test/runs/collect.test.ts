import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { collectRuns } from '../../src/runs/collect.js';
import { readFileRecords } from '../../src/sources/file.js';
import { readInputs } from '../../src/sources/inputs.js';
import type { LogRecord } from '../../src/types.js';
import { constants as zlibConstants, gunzipSync, gzipSync } from 'node:zlib';
import { assertQualitySums } from '../support/quality-sum.js';
import { SCHEMA, encodeLooseEvent } from '../../src/events.js';
import { batchEvent, epochEvent, iterate, rec } from '../parse/helpers.js';

const fromFile = (path: string) => collectRuns(readFileRecords(path));
const epochTable = (run: { epochs: { epoch: number; loss: number | null }[] }) => run.epochs.map((e) => [e.epoch, e.loss]);

test('empty file: zero runs, zero records, no throw', async () => {
  const log = await fromFile('fixtures/bad/empty.log');
  assert.deepEqual(log, {
    runs: [],
    quality: { records: 0, recognised: 0, ignored: 0, unrecognised: 0, invalid_events: 0, fragments: 0, duplicate_records: 0, examples: [], field_gaps: [], unknown_events: [] },
  });
});

test('binary garbage: zero runs, every line unrecognised as binary, five quoted', async () => {
  const log = await fromFile('fixtures/bad/garbage.bin');
  assert.equal(log.runs.length, 0);
  assert.equal(log.quality.recognised, 0);
  assert.ok(log.quality.unrecognised > 5);
  assert.equal(log.quality.unrecognised + log.quality.ignored, log.quality.records);
  assert.equal(log.quality.examples.length, 5);
  for (const e of log.quality.examples) {
    assert.equal(e.reason, 'binary data');
    assert.ok(e.text.length <= 200);
    assert.doesNotMatch(e.text, /[\u0000-\u001f]/, 'control characters are shown escaped');
  }
  assert.deepEqual(log.quality.examples.map((e) => e.line), [1, 2, 3, 4, 5]);
});

test('no epoch events: one run with a failed end and no epochs', async () => {
  const { runs } = await fromFile('fixtures/bad/no-epochs.jsonl');
  assert.equal(runs.length, 1);
  assert.deepEqual([runs[0]!.epochs, runs[0]!.end?.status, runs[0]!.start?.config?.epochs], [[], 'failed', 5]);
});

test('stopped after epoch 2: epochs 1-2, no end', async () => {
  const { runs } = await fromFile('fixtures/bad/stopped-after-epoch-2.jsonl');
  assert.deepEqual(epochTable(runs[0]!), [[1, 0.3012], [2, 0.1487]]);
  assert.equal(runs[0]!.end, null);
  assert.deepEqual(runs[0]!.missing_epochs, []);
});

test('NaN loss: null with non_finite, then divergence, all kept', async () => {
  const { runs } = await fromFile('fixtures/bad/nan-loss.jsonl');
  const r = runs[0]!;
  assert.deepEqual(epochTable(r), [[1, 0.4113], [2, 0.3875], [3, null], [4, 5.8312], [5, 27.4405]]);
  assert.deepEqual(r.epochs.map((e) => e.non_finite), [[], [], ['loss', 'val_loss'], [], ['val_loss']]);
});

test('hostile run id is kept verbatim (escaping is the renderer\'s job)', async () => {
  const { runs } = await fromFile('fixtures/bad/hostile-run-id.jsonl');
  assert.equal(runs[0]!.run_id, '../../etc/<script>alert(1)</script>');
  assert.equal(runs[0]!.epochs.length, 3);
});

test('restarted task: duplicate epochs 2 and 3, the later numbers win', async () => {
  const { runs } = await fromFile('fixtures/bad/restarted-task.jsonl');
  const r = runs[0]!;
  assert.deepEqual(epochTable(r), [[1, 0.2961], [2, 0.1436], [3, 0.1070], [4, 0.0879], [5, 0.0748]]);
  assert.deepEqual([r.duplicate_epochs, r.missing_epochs], [[2, 3], []]);
  assert.equal(r.start?.time, '2026-11-24T06:02:00.000Z');
});

test('fragment: the cut line counts as two fragments and epoch 2 is missing', async () => {
  const log = await fromFile('fixtures/bad/fragment.log');
  assert.deepEqual([log.quality.fragments, log.quality.unrecognised, log.quality.recognised], [2, 0, 4]);
  assert.deepEqual(log.runs[0]!.missing_epochs, [{ first: 2, last: 2 }]);
  assert.deepEqual(log.quality.examples.map((e) => [e.line, e.reason]), [
    [3, 'fragment: part of a line that awslogs cut at 256 KB'], [4, 'fragment: part of a line that awslogs cut at 256 KB'],
  ]);
});

test('CloudWatch duplicates are dropped by eventId and counted', async () => {
  const cw = (id: string, message: string, stream = 's1') => rec(message, { eventId: id, stream, source: 'cloudwatch:/ecs/mnist-training', timestamp: 1 });
  const log = await collectRuns(iterate([
    cw('1', epochEvent('r', 1, 0.5)), cw('2', batchEvent('r', 2, 1, 0.4)), cw('1', epochEvent('r', 1, 0.5)),
    cw('3', epochEvent('r', 2, 0.3)), cw('2', batchEvent('r', 2, 1, 0.4)), cw('4', 'hello'), cw('4', 'hello'),
  ]));
  assert.equal(log.quality.duplicate_records, 3);
  assert.equal(log.quality.unrecognised, 1);
  assert.deepEqual(log.runs[0]!.duplicate_epochs, []);
  assert.equal(log.runs[0]!.batch_count, 1);
});

/** A file holding `text`, read as the report reads it. */
async function fromText(name: string, text: string | Buffer) {
  const dir = mkdtempSync(join(tmpdir(), 'collect-'));
  try {
    writeFileSync(join(dir, name), text);
    return await fromFile(join(dir, name));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('a file with its events twice (cat f f): the second copy is dropped and counted, the run is not restarted', async () => {
  const text = readFileSync('fixtures/mnist-train-5epochs.jsonl', 'utf8');
  const lines = text.trimEnd().split('\n').length;
  const [once, twice] = await Promise.all([fromFile('fixtures/mnist-train-5epochs.jsonl'), fromText('mnist-train-5epochs.jsonl', text + text)]);
  assert.deepEqual([twice.quality.records, twice.quality.recognised, twice.quality.duplicate_records], [2 * lines, lines, lines]);
  assert.deepEqual(twice.runs[0]!.duplicate_epochs, []);
  // the run counts the dropped copies in its own quality; the rest of it is the file read once
  assert.deepEqual([twice.runs[0]!.quality.records, twice.runs[0]!.quality.duplicate_records], [2 * lines, lines]);
  const strip = (r: (typeof once.runs)[number]) => ({ ...r, streams: [], quality: null }); // the file's name
  assert.deepEqual(twice.runs.map(strip), once.runs.map(strip));
});

test('the same run in two inputs (its stdout and the aws logs export of it, or a copy): read once, counted as in two inputs, not restarted', async () => {
  const jsonl = 'fixtures/mnist-train-5epochs.jsonl';
  const aws = 'fixtures/cloudwatch-filter-log-events.json';
  const lines = readFileSync(jsonl, 'utf8').trimEnd().split('\n').length;
  const dir = mkdtempSync(join(tmpdir(), 'mnist-two-inputs-'));
  try {
    const copy = join(dir, 'copy.jsonl');
    writeFileSync(copy, readFileSync(jsonl));
    const once = await fromFile(jsonl);
    const strip = (r: (typeof once.runs)[number]) => ({ ...r, streams: [], quality: null });
    for (const files of [[jsonl, aws], [aws, jsonl], [jsonl, copy]]) {
      const log = await collectRuns(readInputs(files));
      // before: 196 recognised, "Epochs 1, 2, 3, 4 and 5 logged more than once (a restarted task?)"
      assert.deepEqual([log.quality.records, log.quality.recognised, log.quality.duplicate_records, log.quality.duplicate_across_inputs], [2 * lines, lines, lines, lines], files.join(' '));
      assert.deepEqual(log.runs.map((r) => [r.duplicate_epochs, r.quality!.duplicate_across_inputs]), [[[], lines]], files.join(' '));
      assert.deepEqual(log.runs.map(strip), once.runs.map(strip), files.join(' '));
    }
    // a file with its events twice, then a copy of it: the first repeats are of the file, the rest of another input
    const twice = join(dir, 'twice.jsonl');
    writeFileSync(twice, readFileSync(jsonl, 'utf8').repeat(2));
    const log = await collectRuns(readInputs([twice, copy]));
    assert.deepEqual([log.quality.recognised, log.quality.duplicate_records, log.quality.duplicate_across_inputs], [lines, 2 * lines, lines]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a restarted task split over two inputs still reads as restarted; a third input with all of it adds nothing', async () => {
  const text = readFileSync('fixtures/bad/restarted-task.jsonl', 'utf8').trimEnd().split('\n');
  const dir = mkdtempSync(join(tmpdir(), 'mnist-two-inputs-'));
  try {
    const [first, restart] = [join(dir, 'first.jsonl'), join(dir, 'restart.jsonl')];
    writeFileSync(first, `${text.slice(0, 4).join('\n')}\n`);
    writeFileSync(restart, `${text.slice(4).join('\n')}\n`);
    const whole = await fromFile('fixtures/bad/restarted-task.jsonl');
    const split = await collectRuns(readInputs([first, restart]));
    assert.deepEqual([split.quality.duplicate_records, split.runs[0]!.duplicate_epochs], [0, [2, 3]]);
    const three = await collectRuns(readInputs([first, restart, 'fixtures/bad/restarted-task.jsonl']));
    assert.deepEqual([three.quality.duplicate_records, three.quality.duplicate_across_inputs], [text.length, text.length]);
    const strip = (r: (typeof whole.runs)[number]) => ({ ...r, streams: [], quality: null });
    assert.deepEqual(three.runs.map(strip), whole.runs.map(strip));
    assert.deepEqual(whole.runs[0]!.duplicate_epochs, [2, 3]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('two inputs: an event is one of another input only when the same, at the same time, or without a time the same line', async () => {
  const inputs = (a: LogRecord[], b: LogRecord[]) => iterate([...a.map((r) => ({ ...r, source: 'a.jsonl' })), ...b.map((r) => ({ ...r, source: 'b.jsonl' }))]);
  const untimed = { time: undefined };
  const log = await collectRuns(inputs(
    [rec(epochEvent('r', 1, 0.5)), rec(batchEvent('r', 2, 1, 0.4)), rec(epochEvent('r', 3, 0.2, untimed)), rec(epochEvent('r', 4, 0.1, untimed))],
    [
      rec(epochEvent('r', 1, 0.5)), rec(batchEvent('r', 2, 1, 0.4)), // the same: dropped
      rec(epochEvent('r', 1, 0.5, { time: '2026-11-24T07:10:02.000Z' })), // another time: a restart
      rec(batchEvent('r', 2, 1, 0.41)), // other numbers at the same time: kept
      rec(epochEvent('r', 3, 0.2, untimed)), // no time of its own, the same line: dropped
      rec(epochEvent('r', 4, 0.15, untimed)), // no time, other numbers: a restart
      rec(epochEvent('q', 1, 0.5)), // another run, the same numbers and time
    ],
  ));
  assert.deepEqual([log.quality.duplicate_records, log.quality.duplicate_across_inputs], [3, 3]);
  assert.deepEqual(log.runs.map((r) => [r.run_id, r.duplicate_epochs, r.batch_count]), [['r', [1, 4], 2], ['q', [], 0]]);
});

test('mnist-train events without times, the same file given twice (two names): read once, counted as in two inputs; a restart split over two inputs is still one', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'mnist-untimed-'));
  const untimed = (path: string) => readFileSync(path, 'utf8').trimEnd().split('\n').map((l) => {
    const { time: _, ...e } = JSON.parse(l) as Record<string, unknown>;
    return JSON.stringify(e);
  });
  try {
    const lines = untimed('fixtures/mnist-train-5epochs.jsonl');
    const [a, b] = [join(dir, 'stdout.jsonl'), join(dir, 'stdout-copy.jsonl')];
    for (const f of [a, b]) writeFileSync(f, `${lines.join('\n')}\n`);
    const once = await fromFile(a);
    const twice = await collectRuns(readInputs([a, b]));
    // before: 196 recognised, "Epochs 1–5 logged more than once (a restarted task?)"
    assert.deepEqual([twice.quality.recognised, twice.quality.duplicate_across_inputs], [lines.length, lines.length]);
    assert.deepEqual(twice.runs.map((r) => [r.duplicate_epochs, r.epochs.length]), [[[], 5]]);
    assert.deepEqual(twice.runs[0]!.epochs, once.runs[0]!.epochs);
    const restarted = untimed('fixtures/bad/restarted-task.jsonl');
    const [first, restart] = [join(dir, 'first.jsonl'), join(dir, 'restart.jsonl')];
    writeFileSync(first, `${restarted.slice(0, 4).join('\n')}\n`);
    writeFileSync(restart, `${restarted.slice(4).join('\n')}\n`);
    const split = await collectRuns(readInputs([first, restart]));
    // the restart's run_start, without its time, is the first one's line again: that one is dropped; its epochs are others
    assert.deepEqual([split.quality.duplicate_across_inputs, split.runs[0]!.duplicate_epochs], [1, [2, 3]]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a gzip file cut short: its run from the lines before the cut; the line cut there is a fragment of the run, not read', async () => {
  const text = readFileSync('fixtures/formats/pytorch-mnist.log', 'utf8');
  const gz = gzipSync(text);
  // a cut inside a loss's digits ("Loss: 0.20" of "Loss: 0.203350"), which read as a batch line would be a wrong loss
  const partialAt = (n: number) => gunzipSync(gz.subarray(0, n), { finishFlush: zlibConstants.Z_SYNC_FLUSH }).toString('utf8').split('\n').at(-1)!;
  let cut = 4000;
  while (!/Loss: \d+\.\d+$/.test(partialAt(cut))) cut++;
  const partial = partialAt(cut);
  const whole = text.split('\n').find((l) => l.startsWith(partial))!;
  assert.ok(whole.length > partial.length, `${partial} is cut`);
  const log = await fromText('pytorch-mnist.log.gz', gz.subarray(0, cut));
  const q = log.quality;
  assert.deepEqual([log.runs.length, q.fragments, q.gzip_ended_early], [1, 1, [{ source: q.examples[0]!.source, byte: cut, partial_line: true }]]);
  assert.match(q.examples[0]!.reason, new RegExp(`^fragment: the gzip data ended at byte ${cut.toLocaleString('en-US')}, inside this line`));
  assert.equal(q.examples[0]!.text, partial.replace('\t', '\\t'));
  const run = log.runs[0]!;
  assert.deepEqual([run.quality!.fragments, run.quality!.gzip_ended_early, run.quality!.records], [1, q.gzip_ended_early, q.records]);
  const loss = Number(/Loss: (\S+)$/.exec(partial)![1]);
  assert.ok(run.batches.every((b) => b.loss !== loss), `no batch point of loss ${loss}`);
  assertQualitySums('cut gzip', q, log.runs.map((r) => r.quality!), log.no_run);
});

test('a file: only events with a run id and a time of their own are dropped as duplicates', async () => {
  const log = await collectRuns(iterate([
    rec(epochEvent('r', 1, 0.5)), rec(batchEvent('r', 2, 1, 0.4)), rec(epochEvent('r', 2, 0.3)),
    rec(epochEvent('r', 1, 0.5)), rec(batchEvent('r', 2, 1, 0.4)), // the same again: dropped
    rec(epochEvent('r', 2, 0.3, { time: '2026-11-24T07:10:02.000Z' })), // epoch 2 again at another time: a restart
    rec(epochEvent('r', 3, 0.2, { time: undefined })), rec(epochEvent('r', 3, 0.2, { time: undefined })), // no time: as written
  ]));
  assert.equal(log.quality.duplicate_records, 2);
  assert.equal(log.runs[0]!.batch_count, 1);
  assert.deepEqual(log.runs[0]!.duplicate_epochs, [2, 3]);
});

test('a file: batch points at one time differ by what they hold; a stretch written again is dropped, one out of order is kept', async () => {
  const at = (ms: number) => ({ time: new Date(Date.parse('2026-11-24T07:00:00.000Z') + ms).toISOString() });
  const batch = (e: number, b: number, loss: number, ms: number) => rec(encodeLooseEvent({ schema: SCHEMA, event: 'batch_end', run_id: 'r', ...at(ms), epoch: e, batch: b, loss, accuracy: 0.9 }));
  const stretch = [batch(1, 1, 0.5, 0), batch(1, 2, 0.5, 0), batch(1, 3, 0.4, 1), batch(1, 3, 0.45, 1), batch(1, 4, 0.3, 2)];
  const log = await collectRuns(iterate([
    ...stretch,
    batch(1, 5, 0.2, 3),
    ...stretch.slice(1), // written again: all four dropped
    batch(1, 6, 0.2, 4),
    batch(1, 2, 0.5, 10_000), // a restart's batch: same numbers, another time
    batch(1, 9, 0.1, 1), // out of order, not seen before: kept
  ]));
  assert.equal(log.quality.duplicate_records, 4);
  assert.equal(log.runs[0]!.batch_count, 9);
});

test('text logs are never dropped as duplicates: a restarted trainer prints the same lines again', async () => {
  const print = readFileSync('fixtures/formats/plain-print.log');
  const plain = await fromText('plain-print.log', Buffer.concat([print, print]));
  assert.equal(plain.quality.duplicate_records, 0);
  assert.deepEqual(plain.runs.map((r) => [r.run_id, r.duplicate_epochs]), [['plain-print', [1, 2, 3, 4]]]);
  const keras = readFileSync('fixtures/keras2-verbose2.log');
  const fits = await fromText('keras2-verbose2.log', Buffer.concat([keras, keras]));
  assert.equal(fits.quality.duplicate_records, 0);
  assert.deepEqual(fits.runs.map((r) => [r.run_id, r.epochs.length]), [['keras2-verbose2', 5], ['keras2-verbose2-fit2', 5]]);
});

// Two trainers' captures in one file, one after the other (fixtures/ holds each as it was logged).
const capture = (path: string): string => {
  const text = readFileSync(path, 'utf8');
  return text.endsWith('\n') ? text : `${text}\n`;
};
const linesOf = (path: string): string[] => capture(path).split('\n').slice(0, -1);
/** Each run as [id, format, epoch numbers]. */
const runShapes = (runs: { run_id: string; format: string | null; epochs: { epoch: number }[] }[]) => runs.map((r) => [r.run_id, r.format, r.epochs.map((e) => e.epoch)]);

test('two trainers in one file: the second format\'s output is the next run (name-fit2), whatever its first epoch', async () => {
  const [plain, keras] = await Promise.all([fromFile('fixtures/formats/plain-print.log'), fromFile('fixtures/keras2-verbose2.log')]);
  // a Keras fit() resumed at epoch 3 (initial_epoch=2) after a plain-print loop: the capture from its "Epoch 3/5" on
  const resumed = linesOf('fixtures/keras2-verbose2.log');
  const two = await fromText('two.log', capture('fixtures/formats/plain-print.log') + `${resumed.slice(resumed.indexOf('Epoch 3/5')).join('\n')}\n`);
  assert.deepEqual(runShapes(two.runs), [['two', 'plain-print', [1, 2, 3, 4]], ['two-fit2', 'keras2', [3, 4, 5]]]);
  assert.deepEqual(two.runs[0]!.epochs, plain.runs[0]!.epochs);
  assert.deepEqual(two.runs[1]!.epochs, keras.runs[0]!.epochs.slice(2));
  assert.deepEqual(two.runs.map((r) => [r.duplicate_epochs, r.text_test, r.format_notes]), [
    [[], plain.runs[0]!.text_test, ['percent_accuracy']],
    [[], null, []],
  ]);
  // the other way round: plain prints numbered from 1 again were Keras' epochs 1-4 printed twice
  const back = await fromText('back.log', capture('fixtures/keras2-verbose2.log') + capture('fixtures/formats/plain-print.log'));
  assert.deepEqual(runShapes(back.runs), [['back', 'keras2', [1, 2, 3, 4, 5]], ['back-fit2', 'plain-print', [1, 2, 3, 4]]]);
  assert.deepEqual(back.runs.map((r) => r.epochs), [keras.runs[0]!.epochs, plain.runs[0]!.epochs]);
  assert.deepEqual(back.runs.map((r) => r.duplicate_epochs), [[], []]);
});

test('two trainers in one file: a Lightning bar after a PyTorch examples/mnist run is Lightning\'s epochs, not PyTorch progress', async () => {
  const [torch, bar] = await Promise.all([fromFile('fixtures/formats/pytorch-mnist.log'), fromFile('fixtures/formats/lightning-bar.log')]);
  const two = await fromText('two.log', capture('fixtures/formats/pytorch-mnist.log') + capture('fixtures/formats/lightning-bar.log'));
  assert.deepEqual(runShapes(two.runs), [['two', 'pytorch-mnist', torch.runs[0]!.epochs.map((e) => e.epoch)], ['two-fit2', 'lightning', bar.runs[0]!.epochs.map((e) => e.epoch)]]);
  assert.deepEqual(two.runs.map((r) => r.epochs), [torch.runs[0]!.epochs, bar.runs[0]!.epochs]);
});

test('two trainers in one file: any two captures of different formats, one after the other, are the runs of each', async () => {
  const captures = ['fixtures/keras2-verbose1.log', 'fixtures/keras3.log', 'fixtures/tfjs-node.log', 'fixtures/formats/pytorch-mnist.log',
    'fixtures/formats/pytorch-mnist-tqdm.log', 'fixtures/formats/hf-trainer.log', 'fixtures/formats/plain-print.log',
    'fixtures/formats/lightning-bar.log', 'fixtures/formats/generic-json.jsonl', 'fixtures/formats/keras1-verbose2.log'];
  const alone = new Map(await Promise.all(captures.map(async (p) => [p, (await fromFile(p)).runs] as const)));
  for (const a of captures) {
    for (const b of captures) {
      const [ra, rb] = [alone.get(a)!, alone.get(b)!];
      if (ra[0]!.format === rb[0]!.format) continue; // one format twice: a restart at epoch 1 (the test above this one's), or one run
      const two = await fromText('two.log', capture(a) + capture(b));
      const want = [...ra, ...rb].map((r, i) => [i === 0 ? 'two' : `two-fit${i + 1}`, r.format, r.epochs]);
      assert.deepEqual(two.runs.map((r) => [r.run_id, r.format, r.epochs]), want, `${a} then ${b}`);
    }
  }
});

test('one format twice in one file: PyTorch examples/mnist and its tqdm variant, either order, each run numbered and noted as alone', async () => {
  // the tqdm capture numbers from 0 ("EPOCH: 0"): after the 1-based capture's epochs, its run was numbered 0-14, not 1-15,
  // and after it the 1-based capture's run said its epochs were renumbered and its accuracies were percentages
  const captures = ['fixtures/formats/pytorch-mnist.log', 'fixtures/formats/pytorch-mnist-tqdm.log'];
  const alone = new Map(await Promise.all(captures.map(async (p) => [p, (await fromFile(p)).runs] as const)));
  const shape = (r: Awaited<ReturnType<typeof fromFile>>['runs'][number]) => [r.format, r.epochs, r.batches, r.format_notes, r.text_test];
  for (const [a, b] of [captures, [...captures].reverse()] as const) {
    const two = await fromText('two.log', capture(a!) + capture(b!));
    assert.deepEqual(two.runs.map((r) => r.run_id), ['two', 'two-fit2'], `${a} then ${b}`);
    assert.deepEqual(two.runs.map(shape), [...alone.get(a!)!, ...alone.get(b!)!].map(shape), `${a} then ${b}`);
  }
  assert.deepEqual(alone.get(captures[1]!)![0]!.epochs.map((e) => e.epoch), Array.from({ length: 15 }, (_, i) => i + 1));
});

test('two trainers in one file: runtime chatter, warnings and other progress bars between a run\'s lines do not split it', async () => {
  // from the captures: TensorFlow's I lines, cpu_feature_guard's hint, a UserWarning and its source line, tqdm bars
  // (hf-trainer.log), Keras' dataset download and its bar, another UserWarning (keras3-download-evaluate.log)
  const hf = linesOf('fixtures/formats/hf-trainer.log');
  const noise = [...hf.slice(0, 6), ...hf.filter((l) => l.includes('%|')), ...linesOf('fixtures/formats/keras3-download-evaluate.log').slice(0, 4)];
  assert.ok(noise.length >= 12 && noise.some((l) => l.includes('Warning')) && noise.some((l) => l.includes(': I tensorflow')));
  for (const path of ['fixtures/formats/plain-print.log', 'fixtures/keras2-verbose2.log', 'fixtures/formats/pytorch-mnist-tqdm.log']) {
    const alone = (await fromFile(path)).runs;
    const mixed = await fromText('mixed.log', linesOf(path).map((l) => `${l}\n${noise.join('\n')}\n`).join(''));
    assert.deepEqual(mixed.runs.map((r) => [r.run_id, r.format, r.epochs, r.text_test]), alone.map((r) => ['mixed', r.format, r.epochs, r.text_test]), path);
    assert.equal(mixed.quality.unrecognised, 0, path);
  }
});

test('two trainers in one file: mnist-train events between them keep their run_id, and do not split a text run', async () => {
  const events = await fromFile('fixtures/mnist-train-5epochs.jsonl');
  const id = events.runs[0]!.run_id;
  const two = await fromText('two.log', capture('fixtures/keras2-verbose2.log') + capture('fixtures/mnist-train-5epochs.jsonl') + capture('fixtures/formats/plain-print.log'));
  assert.deepEqual(two.runs.map((r) => [r.run_id, r.format, r.epochs.length]).sort(), [['two', 'keras2', 5], ['two-fit2', 'plain-print', 4], [id, 'events', 5]].sort());
  assert.deepEqual(two.runs.find((r) => r.run_id === id)!.epochs, events.runs[0]!.epochs);
  const keras = linesOf('fixtures/keras2-verbose2.log');
  const split = await fromText('split.log', `${keras.slice(0, 4).join('\n')}\n${capture('fixtures/mnist-train-5epochs.jsonl')}${keras.slice(4).join('\n')}\n`);
  assert.deepEqual(split.runs.map((r) => [r.run_id, r.format, r.epochs.length]).sort(), [['split', 'keras2', 5], [id, 'events', 5]].sort());
});

test('events group by run_id across streams; runs sorted by first time, latest last', async () => {
  const log = await collectRuns(iterate([
    rec(epochEvent('late', 3, 0.2), { stream: 'a' }),
    rec(epochEvent('early', 1, 0.5), { stream: 'b' }),
    rec(epochEvent('late', 4, 0.1), { stream: 'c' }),
    rec(epochEvent('early', 2, 0.4), { stream: 'b' }),
  ]));
  assert.deepEqual(log.runs.map((r) => [r.run_id, r.streams, r.epochs.map((e) => e.epoch), r.missing_epochs]), [
    ['early', ['b'], [1, 2], []],
    ['late', ['a', 'c'], [3, 4], [{ first: 1, last: 2 }]],
  ]);
  assert.deepEqual([log.runs[1]!.first_time, log.runs[1]!.last_time], ['2026-11-24T07:00:03.000Z', '2026-11-24T07:00:04.000Z']);
});

test('text logs group by stream, with the CloudWatch timestamp as time', async () => {
  const t = Date.parse('2026-11-24T08:00:00Z');
  const line = (stream: string, message: string, i: number) => rec(message, { stream, timestamp: t + i * 1000 });
  const bar = (loss: string) => `1875/1875 - 3s - loss: ${loss} - accuracy: 0.9000 - 3s/epoch - 2ms/step`;
  const log = await collectRuns(iterate([
    line('task-a', 'Epoch 1/2', 0), line('task-b', 'Epoch 1/2', 1), line('task-a', bar('0.3000'), 2),
    line('task-b', bar('0.4000'), 3), line('task-a', 'Epoch 2/2', 4), line('task-a', bar('0.2000'), 5),
  ]));
  assert.deepEqual(log.runs.map((r) => [r.run_id, r.format, epochTable(r), r.epochs[0]!.time]), [
    ['task-a', 'keras2', [[1, 0.3], [2, 0.2]], '2026-11-24T08:00:02.000Z'],
    ['task-b', 'keras2', [[1, 0.4]], '2026-11-24T08:00:03.000Z'],
  ]);
});

test('an evaluation printed after training is part of the run\'s time: a real Keras capture, then a real scikit-learn capture, from CloudWatch', async () => {
  // cat of two captures: the Keras 3 quickstart (5 epochs and model.evaluate) and an SVM's confusion matrix and accuracy
  const text = ['fixtures/formats/keras3-download-evaluate.log', 'fixtures/sklearn-svm-confusion-matrix.log'].map((f) => readFileSync(f, 'utf8')).join('');
  const lines = text.split('\n').filter((l, i, all) => i < all.length - 1 || l !== '');
  const t = Date.parse('2026-11-24T08:00:00Z');
  const at = (i: number) => new Date(t + i * 2000).toISOString();
  const log = await collectRuns(iterate(lines.map((message, i) => rec(message, { stream: 'ecs/keras/1', timestamp: t + i * 2000 }))));
  assert.equal(log.runs.length, 1);
  const r = log.runs[0]!;
  assert.deepEqual([r.format, r.epochs.length, r.text_test, r.evaluation?.source, r.evaluation?.confusion_matrix?.length], ['keras3', 5, { loss: 0.0955, accuracy: 0.9707 }, 'scikit-learn', 10]);
  // from the first epoch header (the download bar and the warning are not the run's) to the evaluation's last line
  assert.deepEqual([lines[4], lines.at(-1)], ['Epoch 1/5', 'Accuracy=0.985238095238']);
  assert.deepEqual([r.first_time, r.last_time], [at(4), at(lines.length - 1)]);
});

test('batch points: bounded, spikes and NaN survive, batch_count counts them all', async () => {
  function* lines() {
    for (let e = 1; e <= 20; e++) {
      for (let b = 1; b <= 2000; b++) {
        const spike = e === 7 && b === 1234 ? 50 : 0;
        yield rec(batchEvent('big', e, b, e === 13 && b === 999 ? null : 2 / (e + b / 2000) + spike));
      }
    }
  }
  const { runs } = await collectRuns(iterate(lines()));
  const r = runs[0]!;
  assert.equal(r.batch_count, 40_000);
  assert.ok(r.batches.length <= 2000 + 500, `kept ${r.batches.length}`);
  assert.ok(r.batches.length >= 500);
  assert.ok(r.batches.some((p) => p.epoch === 7 && p.batch === 1234 && (p.loss as number) > 50), 'the spike survives');
  assert.ok(r.batches.some((p) => p.epoch === 13 && p.batch === 999 && p.loss === null), 'the NaN survives');
  assert.deepEqual([r.batches[0], r.batches.at(-1)].map((p) => [p!.epoch, p!.batch]), [[1, 1], [20, 2000]]);
  const order = r.batches.map((p) => p.epoch * 10_000 + p.batch);
  assert.deepEqual(order, [...order].sort((a, b) => a - b), 'in log order');
});

test('dedupe keeps epoch ids for the whole read and batch ids in a sliding window', async () => {
  function* records() {
    const cw = (id: number, message: string) => rec(message, { eventId: String(id), stream: 's', timestamp: id });
    yield cw(0, epochEvent('w', 1, 0.5));
    for (let i = 1; i <= 120_000; i++) yield cw(i, batchEvent('w', 2, i, 0.4));
    yield cw(119_000, batchEvent('w', 2, 119_000, 0.4)); // recent: caught
    yield cw(0, epochEvent('w', 1, 0.5)); // an epoch long ago: caught
  }
  const log = await collectRuns(iterate(records()));
  assert.equal(log.quality.duplicate_records, 2);
  assert.equal(log.runs[0]!.batch_count, 120_000);
  assert.deepEqual(log.runs[0]!.duplicate_epochs, []);
});

test('the bundled CloudWatch export and the trainer stdout it came from give the same run', async () => {
  const [cw, local] = await Promise.all([fromFile('fixtures/cloudwatch-filter-log-events.json'), fromFile('fixtures/mnist-train-5epochs.jsonl')]);
  assert.equal(cw.runs.length, 1);
  const strip = (r: (typeof cw.runs)[number]) => ({ ...r, streams: [] });
  assert.deepEqual(strip(cw.runs[0]!), strip(local.runs[0]!));
  assert.match(cw.runs[0]!.streams[0]!, /^ecs\/mnist-training\//);
  assert.deepEqual(cw.quality, local.quality);
  assert.equal(cw.runs[0]!.epochs.length, 5);
});

test('a run_start over 1 MiB: the line counts for the run its start names (not the run before), which starts and says why it has no start', async () => {
  const start = (id: string, pad: string) => encodeLooseEvent({ schema: SCHEMA, event: 'run_start', run_id: id, time: '2026-11-24T07:00:00.000Z',
    config: { epochs: 1 }, model: { name: 'mlp', parameters: 1, layers: [], note: pad }, runtime: { backend: 'wasm' } });
  const epoch = (id: string, min: number) => encodeLooseEvent({ schema: SCHEMA, event: 'epoch_end', run_id: id, time: `2026-11-24T07:0${min}:10.000Z`,
    epoch: 1, epochs: 1, loss: 0.3, accuracy: 0.9, val_loss: 0.2, val_accuracy: 0.95 });
  const big = start('b', 'x'.repeat(1_200_000));
  const log = await fromText('two-runs.jsonl', [start('a', ''), epoch('a', 0), big, epoch('b', 1), ''].join('\n'));
  const a = log.runs.find((r) => r.run_id === 'a')!;
  const b = log.runs.find((r) => r.run_id === 'b')!;
  assert.deepEqual([a.quality.unrecognised, a.start_unread, a.start !== null], [0, undefined, true]);
  assert.deepEqual([b.quality.unrecognised, b.start_unread, b.start], [1, true, null]);
  // the quote is the line's start, which says what it was
  assert.match(b.quality.examples[0]!.text, /^\{"schema":"mnist-train\/1","event":"run_start","run_id":"b"/);
  assert.match(b.quality.examples[0]!.reason, /^a line over 1 MiB \(its start quoted; only its last 1 MiB was read\), so: /);
});

test('an invalid or unknown event of a run that has not begun yet counts for that run when it begins, not the run before', async () => {
  const ev = (o: Record<string, unknown>) => rec(encodeLooseEvent({ schema: SCHEMA, time: '2026-11-24T07:00:00.000Z', ...o }));
  const log = await collectRuns(iterate([
    rec(epochEvent('a', 1, 0.5)), rec(epochEvent('a', 2, 0.4)),
    ev({ event: 'epoch_end', run_id: 'b', epoch: -5, loss: 0.1 }), // implausible, named b, before b's start
    ev({ event: 'checkpoint_saved', run_id: 'b' }), // unknown, named b
    ev({ event: 'checkpoint_saved', run_id: 'never' }), // a run that never begins: of no run
    rec(epochEvent('b', 1, 0.5)), rec(epochEvent('b', 2, 0.4)),
  ]));
  const a = log.runs.find((r) => r.run_id === 'a')!;
  const b = log.runs.find((r) => r.run_id === 'b')!;
  assert.deepEqual([a.quality.invalid_events, a.quality.unknown_events], [0, []]);
  assert.deepEqual([b.quality.invalid_events, b.quality.unknown_events.map((u) => u.name)], [1, ['checkpoint_saved']]);
  assert.deepEqual([log.no_run?.records, log.no_run?.unknown_events.map((u) => u.name)], [1, ['checkpoint_saved']]);
  // the invariant: every record counts once, for a run or for no run
  assert.equal(a.quality.records + b.quality.records + (log.no_run?.records ?? 0), log.quality.records);
});

test('a text run after an mnist-train run in the input is the later one, and one before it the earlier: in a file, across files, and for the newest kept whole', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'collect-order-'));
  try {
    const events = 'fixtures/mnist-train-5epochs.jsonl';
    const keras = 'fixtures/formats/keras2-verbose2-checkpoint.log';
    const both = join(dir, 'both.log');
    writeFileSync(both, readFileSync(events, 'utf8') + readFileSync(keras, 'utf8'));
    const ids = async (files: string[], summaries = false) => (await collectRuns(readInputs(files), summaries ? { summaries: { whole: () => false, newest: true } } : {}))
      .runs.map((r) => [r.run_id, r.summary === true]);
    assert.deepEqual(await ids([both]), [['20261130T070537Z-f4b168', false], ['both', false]]);
    assert.deepEqual(await ids([events, keras]), [['20261130T070537Z-f4b168', false], ['keras2-verbose2-checkpoint', false]]);
    assert.deepEqual(await ids([keras, events]), [['keras2-verbose2-checkpoint', false], ['20261130T070537Z-f4b168', false]]);
    // --list and --history keep all but the newest as summaries: the newest is the last in that order
    assert.deepEqual(await ids([both], true), [['20261130T070537Z-f4b168', true], ['both', false]]);
    assert.deepEqual(await ids([keras, events], true), [['keras2-verbose2-checkpoint', true], ['20261130T070537Z-f4b168', false]]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('runs with times keep their time order around a text run: the text run comes after the latest of the runs before it in the input', async () => {
  const bar = (loss: string) => `1875/1875 - 3s - loss: ${loss} - accuracy: 0.9000 - 3s/epoch - 2ms/step`;
  const at = (id: string, hour: number) => rec(epochEvent(id, 1, 0.5, { time: `2026-11-24T${hour}:00:00.000Z` }), { source: 'f.log' });
  // b is later in time than a but earlier in the file; the text run follows both; c, after it, is earlier than b
  const log = await collectRuns(iterate([at('b', 12), at('a', 10), rec('Epoch 1/1', { source: 'f.log' }), rec(bar('0.3000'), { source: 'f.log' }), at('c', 11)]));
  assert.deepEqual(log.runs.map((r) => r.run_id), ['a', 'c', 'b', 'f']);
});
