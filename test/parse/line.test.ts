import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createParseState, parseLine } from '../../src/parse/line.js';
import { AWSLOGS_MAX_MESSAGE_BYTES } from '../../src/parse/events.js';
import { batchEvent, epochEvent, rec } from './helpers.js';

const parse = (message: string, state = createParseState()) => parseLine(rec(message), state);

test('our events parse to kind event', () => {
  const r = parse(epochEvent('r1', 2, 0.25));
  assert.equal(r.kind, 'event');
  assert.equal(r.kind === 'event' && r.event.event, 'epoch_end');
});

test('JSON with our schema that breaks it is invalid, naming the field', () => {
  const line = epochEvent('r1', 2, 0.25).replace('"epoch":2', '"epoch":0');
  assert.deepEqual(parse(line), { kind: 'invalid', errors: ['epoch must be an integer >= 1, got 0'], run_id: 'r1' });
});

test('other JSON and malformed JSON are unrecognised', () => {
  assert.deepEqual(parse('{"level":"info","msg":"hello"}'), { kind: 'unrecognised', reason: 'JSON without schema "mnist-train/1"' });
  assert.deepEqual(parse('{"level":'), { kind: 'unrecognised', reason: 'malformed JSON' });
  assert.equal(parse('{"schema":"mnist-train/1","event":').kind, 'invalid');
});

test('a JSON line cut at the awslogs limit is a fragment, and so is its continuation', () => {
  const full = batchEvent('r1', 1, 1, 0.5).replace('{', `{"pad":"${'x'.repeat(300_000)}",`);
  const cut = AWSLOGS_MAX_MESSAGE_BYTES;
  const state = createParseState();
  assert.deepEqual(parse(full.slice(0, cut), state), { kind: 'fragment' });
  assert.deepEqual(parse(full.slice(cut), state), { kind: 'fragment' });
  assert.equal(parse(epochEvent('r1', 1, 0.3), state).kind, 'event');
  // A short broken line is not a fragment: our schema makes it invalid, else unrecognised.
  assert.equal(parse(epochEvent('r1', 1, 0.3).slice(0, 60)).kind, 'invalid');
  assert.equal(parse(full.slice(0, 1000)).kind, 'unrecognised');
});

test('a valid event right after a fragment is not swallowed', () => {
  const state = createParseState();
  assert.equal(parse(`{"schema":"mnist-train/1","pad":"${'y'.repeat(AWSLOGS_MAX_MESSAGE_BYTES)}`.slice(0, AWSLOGS_MAX_MESSAGE_BYTES), state).kind, 'fragment');
  assert.equal(parse(epochEvent('r1', 3, 0.2), state).kind, 'event');
});

test('Keras 2 verbose 1: the last redraw of a line is the epoch, after the header', () => {
  const state = createParseState();
  assert.deepEqual(parse('Epoch 3/5', state), { kind: 'header', format: 'keras2', epoch: 3, epochs: 5 });
  const line = '   1/1875 [..............................] - ETA: 9:04 - loss: 0.1300 - accuracy: 0.9600' +
    '\b'.repeat(80) + '\r1875/1875 [==============================] - 3s 2ms/step - loss: 0.1072 - accuracy: 0.9674 - val_loss: 0.0867 - val_accuracy: 0.9739';
  assert.deepEqual(parseLine(rec(line, { timestamp: Date.parse('2026-11-24T07:00:00Z') }), state), {
    kind: 'epoch', format: 'keras2',
    epoch: { epoch: 3, epochs: 5, loss: 0.1072, accuracy: 0.9674, val_loss: 0.0867, val_accuracy: 0.9739, duration_ms: 3000, samples_per_second: null, time: '2026-11-24T07:00:00.000Z', non_finite: [] },
  });
  // A second finished bar without a new header is model.evaluate output: the run's test metrics, not an epoch.
  assert.deepEqual(parse('313/313 [==============================] - 0s 1ms/step - loss: 0.07 - accuracy: 0.98', state),
    { kind: 'test', format: 'keras2', loss: 0.07, accuracy: 0.98 });
});

test('Keras: a finished bar without metrics (a dataset download) is never an epoch', () => {
  const state = createParseState();
  assert.deepEqual(parse('11490434/11490434 \x1b[32m━━━━━━━━━━━━━━━━━━━━\x1b[0m 1s 0us/step', state), { kind: 'ignored' });
  assert.deepEqual(parse('11490434/11490434 [==============================] - 2s 0us/step', state), { kind: 'ignored' });
  assert.equal(state.lastEpoch, 0);
});

test('Keras headers after a prefix; EarlyStopping; Keras 1/2.0 verbose 2 result lines', () => {
  const state = createParseState();
  assert.deepEqual(parse('# Epoch 7/12', state), { kind: 'header', format: 'keras2', epoch: 7, epochs: 12 });
  assert.deepEqual(parse('[worker-0] Epoch 3/5', state), { kind: 'header', format: 'keras2', epoch: 3, epochs: 5 });
  const r = parse(' - 88s - loss: 0.5746 - acc: 0.7753 - val_loss: 0.4816 - val_acc: 0.8075', state);
  assert.deepEqual(r.kind === 'epoch' && [r.epoch.epoch, r.epoch.loss, r.epoch.accuracy, r.epoch.val_loss, r.epoch.val_accuracy, r.epoch.duration_ms],
    [3, 0.5746, 0.7753, 0.4816, 0.8075, 88000]);
  assert.deepEqual(parse('Epoch 00017: early stopping', state), { kind: 'stopped', format: 'keras2' });
  assert.deepEqual(parse('Epoch 17: early stopping', state), { kind: 'stopped', format: 'keras2' });
  // ModelCheckpoint(verbose=1), as in fixtures/formats/keras2-verbose2-checkpoint.log: Keras' own noise, not a stop
  assert.deepEqual(parse('Epoch 00001: saving model to weights_best.h5', state), { kind: 'ignored' });
  // not headers: the plain-print form, and text that merely ends like one
  assert.notEqual(parse('Epoch [2/10], Loss: 0.1', createParseState()).kind, 'header');
  assert.equal(parse('see Epoch3/5', createParseState()).kind, 'unrecognised');
});

test('Keras mid-epoch progress with metrics is a batch point; nan is null and named', () => {
  const state = createParseState();
  parse('Epoch 2/5', state);
  assert.deepEqual(parse(' 640/1875 [=========>....................] - ETA: 2s - loss: nan - accuracy: 0.0980', state), {
    kind: 'batch', format: 'keras2', batch: { epoch: 2, batch: 640, loss: null, accuracy: 0.098 },
  });
  const r = parse('1875/1875 - 4s - loss: nan - accuracy: 0.0987 - val_loss: inf - val_accuracy: 0.0980 - 4s/epoch - 2ms/step', state);
  assert.equal(r.kind, 'epoch');
  assert.deepEqual(r.kind === 'epoch' && [r.epoch.loss, r.epoch.val_loss, r.epoch.non_finite, r.epoch.duration_ms], [null, null, ['loss', 'val_loss'], 4000]);
});

test('Keras 3: ANSI codes and ━ bars; sparse_categorical_accuracy; minutes', () => {
  const state = createParseState();
  parse('Epoch 1/2', state);
  const r = parse('\x1b[1m1875/1875\x1b[0m \x1b[32m━━━━━━━━━━━━━━━━━━━━\x1b[0m\x1b[37m\x1b[0m \x1b[1m1m 3s\x1b[0m 33ms/step - loss: 0.4822 - sparse_categorical_accuracy: 0.8601 - val_loss: 0.1455 - val_sparse_categorical_accuracy: 0.9567', state);
  assert.deepEqual(r.kind === 'epoch' && { format: r.format, ...r.epoch }, {
    format: 'keras3', epoch: 1, epochs: 2, loss: 0.4822, accuracy: 0.8601, val_loss: 0.1455, val_accuracy: 0.9567,
    duration_ms: 63000, samples_per_second: null, time: null, non_finite: [],
  });
});

test('tfjs-node: header with spaces, eta redraws ignored, summary is the epoch', () => {
  const state = createParseState();
  assert.deepEqual(parse('Epoch 2 / 5', state), { kind: 'header', format: 'tfjs-node', epoch: 2, epochs: 5 });
  assert.deepEqual(parse('eta=1.2 ======>------- \reta=0.0 =============>', state), { kind: 'ignored' });
  const r = parse('3120ms 1664us/step - acc=0.958 loss=0.141 val_acc=0.966 val_loss=NaN ', state);
  assert.deepEqual(r.kind === 'epoch' && r.epoch, {
    epoch: 2, epochs: 5, loss: 0.141, accuracy: 0.958, val_loss: null, val_accuracy: 0.966,
    duration_ms: 3120, samples_per_second: null, time: null, non_finite: ['val_loss'],
  });
});

test('blank lines and bare redraws are ignored; other text and binary are unrecognised', () => {
  assert.deepEqual(parse(''), { kind: 'ignored' });
  assert.deepEqual(parse('   \r  '), { kind: 'ignored' });
  // plain text (a script's own print): unrecognised, said apart so that it does not warn (parse/plain-text.ts)
  assert.deepEqual(parse('Train on 60000 samples'), { kind: 'unrecognised', reason: 'not a line of any known log format', plain: true });
  assert.deepEqual(parse('ab\u0000cd'), { kind: 'unrecognised', reason: 'binary data' });
  // a Latin-1 line read as UTF-8: two characters could not be decoded; it is text, not binary data
  assert.deepEqual(parse('Epoche 1 abgeschlossen: Genauigkeit 0,97 \ufffd Verlust 0,08 \ufffd'),
    { kind: 'unrecognised', reason: 'not UTF-8: 2 characters could not be decoded; another encoding, such as Latin-1?' });
  assert.equal(parse('12/34 apples').kind, 'unrecognised');
  assert.deepEqual(parse('    640/Unknown - 2s 3ms/step - loss: 0.4000 - accuracy: 0.8800'), { kind: 'ignored' });
});

test('a long line of redraws parses without blowing up', () => {
  const state = createParseState();
  parse('Epoch 1/1', state);
  const redraw = '  10/1875 [>.............................] - ETA: 3s - loss: 1.0000 - accuracy: 0.5000';
  const line = `${`${redraw}${'\b'.repeat(redraw.length)}\r`.repeat(5000)}1875/1875 [==============================] - 3s 2ms/step - loss: 0.3000 - accuracy: 0.9100`;
  const r = parse(line, state);
  assert.deepEqual(r.kind === 'epoch' && [r.epoch.loss, r.epoch.accuracy], [0.3, 0.91]);
});

test('Hugging Face: string values; after train_runtime a test_ dict is the run\'s test metrics, an eval_ dict (the validation set again) is not', () => {
  const state = createParseState();
  const r = parse("{'eval_loss': '0.2041', 'eval_accuracy': '0.9227', 'eval_runtime': '36.43', 'epoch': '1'}", state);
  assert.deepEqual(r.kind === 'epoch' && [r.format, r.revise, r.epoch.epoch, r.epoch.val_loss, r.epoch.val_accuracy], ['hf-trainer', true, 1, 0.2041, 0.9227]);
  const end = parse("{'train_runtime': '282.2', 'train_loss': '0.2033', 'epoch': '1'}", state);
  assert.deepEqual(end.kind === 'epoch' && [end.epoch.epochs, end.epoch.loss], [1, null]);
  // trainer.evaluate() after train(): the eval dataset, which the epochs' eval_ lines scored too, not a test set
  assert.deepEqual(parse("{'eval_loss': '0.2041', 'eval_accuracy': '0.9227', 'epoch': '1'}", state), { kind: 'ignored' });
  // trainer.predict(test_dataset)'s metrics (metric_key_prefix 'test')
  assert.deepEqual(parse("{'test_loss': '0.2041', 'test_accuracy': '0.9227', 'epoch': '1'}", state),
    { kind: 'test', format: 'hf-trainer', loss: 0.2041, accuracy: 0.9227 });
});

test('a launcher\'s prefix before every line (docker compose, mpirun) is read past: headers, result lines, blank lines', async () => {
  const { collectRuns } = await import('../../src/runs/collect.js');
  const { iterate } = await import('./helpers.js');
  const lines = ['mltrain     | Using TensorFlow backend.', 'mltrain     | Epoch 1/2', 'mltrain     |',
    'mltrain     | 14/14 [==============================] - 2s 132ms/step - loss: 1.1511 - acc: 0.3571', 'mltrain     | Epoch 2/2', 'mltrain     |',
    'mltrain     | 14/14 [==============================] - 1s 63ms/step - loss: 0.5775 - acc: 0.7143',
    'mltrain     | 8/8 [==============================] - 0s 29ms/step', 'mltrain exited with code 0',
    '[1,0]<stdout>:Epoch 1/1', '[1,0]<stdout>:1875/1875 - 3s - loss: 0.2950 - accuracy: 0.9140'];
  const log = await collectRuns(iterate(lines.map((l) => rec(l))));
  assert.deepEqual(log.runs.map((r) => [r.run_id, r.format, r.epochs.map((e) => [e.epoch, e.epochs, e.loss, e.accuracy])]), [
    ['test', 'keras2', [[1, 2, 1.1511, 0.3571], [2, 2, 0.5775, 0.7143]]],
    ['test-fit2', 'keras2', [[1, 1, 0.295, 0.914]]],
  ]);
  // the Using TensorFlow and exited lines are not the trainer's; the predict bar without metrics is noise
  assert.deepEqual([log.quality.unrecognised, log.quality.ignored], [2, 3]);  // scikit-learn's tables behind the prefix are read across lines as without it
  const report = ['              precision    recall  f1-score   support', '', '           0       0.98      0.99      0.98       980',
    '           1       0.99      0.99      0.99      1135', '', '    accuracy                           0.98      2115'];
  const sk = await collectRuns(iterate(report.map((l) => rec(`eval-1  | ${l}`))));
  assert.deepEqual(sk.runs[0]!.evaluation?.reported?.map((c) => [c.label, c.recall, c.support]), [['0', 0.99, 980], ['1', 0.99, 1135]]);
  // mnist-train's own events in `docker compose logs` are ours, not generic JSON
  const ours = parse(`trainer-1  | ${epochEvent('r1', 2, 0.25)}`);
  assert.deepEqual(ours.kind === 'event' && [ours.event.event, ours.event.run_id], ['epoch_end', 'r1']);
});

// Line prefixes a collector or logging library adds (src/parse/line-prefix.ts), on typed lines; the real capture
// with Python logging's prefix and every capture under each prefix are in formats.test.ts.
const KERAS_RESULT = '1875/1875 - 2s - loss: 0.2807 - accuracy: 0.8950 - val_loss: 0.3432 - val_accuracy: 0.8780';
const epochOf = (r: ReturnType<typeof parse>) => (r.kind === 'epoch' ? [r.epoch.epoch, r.epoch.loss, r.epoch.val_accuracy] : r);

test('a collector\'s timestamp before a line (docker logs -t, kubectl logs --timestamps, aws logs tail) is read past', () => {
  for (const ts of ['2026-12-01T10:00:00.123456789Z ', '2026-12-01T10:00:00Z ', '2026-12-01T11:00:00.5+01:00 ', '2026-12-01 10:00:00.000Z ',
    '2026-12-01T17:17:17.272000+00:00 ecs/mnist-training/0123abcd ', '2026-12-01T17:17:17+00:00 2026/12/01/[$LATEST]0123abcd ']) {
    const ours = parse(ts + epochEvent('r1', 2, 0.25));
    assert.deepEqual(ours.kind === 'event' && [ours.event.event, ours.event.run_id], ['epoch_end', 'r1'], ts);
    const state = createParseState();
    assert.deepEqual(parse(`${ts}Epoch 1/5`, state), { kind: 'header', format: 'keras2', epoch: 1, epochs: 5 }, ts);
    assert.deepEqual(epochOf(parse(ts + KERAS_RESULT, state)), [1, 0.2807, 0.878], ts);
    assert.deepEqual(parse(ts, state), { kind: 'ignored' }, ts); // a blank line, stamped
    // the trainer's own stderr is noise behind a prefix too
    assert.deepEqual(parse(`${ts}mnist-train: epoch 1/5`, state), { kind: 'ignored' }, ts);
  }
  // a script's own print of a UTC isoformat() time: the word after it is no stream name when only the line with it reads
  assert.deepEqual(epochOf(parse('2026-12-01T17:17:17.272000+00:00 Epoch 1, Loss: 0.31, Accuracy: 0.9, Val Accuracy: 0.95')), [1, 0.31, 0.95]);
});

test('Python logging\'s prefixes, a [tag] and mpirun\'s (SageMaker\'s too) are read past, one after another', () => {
  for (const prefix of ['INFO:root:', 'INFO:__main__:', '2026-12-01 10:00:00,123 - __main__ - INFO - ', '2026-12-01 10:00:00,123 - INFO - ',
    '2026-12-01 10:00:00,123 INFO ', '2026-12-01 10:00:00,123 INFO     ', '[2026-12-01 10:00:00,123] INFO ', '[2026-12-01 10:00:00,123][__main__][INFO] - ',
    '[worker-0] ', '[default0]:', '[1,0]<stdout>:', '[1,mpirank:0,algo-1]<stdout>:', '2026-12-01T10:00:00.123456789Z INFO:root:',
    '[1,mpirank:3,algo-1]<stderr>:INFO:root:']) {
    const state = createParseState();
    assert.deepEqual(parse(`${prefix}Epoch 1/5`, state), { kind: 'header', format: 'keras2', epoch: 1, epochs: 5 }, prefix);
    assert.deepEqual(epochOf(parse(prefix + KERAS_RESULT, state)), [1, 0.2807, 0.878], prefix);
    assert.deepEqual(epochOf(parse(`${prefix}Epoch 2, Loss: 0.25, Accuracy: 0.91, Test Accuracy: 0.96`, createParseState())), [2, 0.25, 0.96], prefix);
    const ours = parse(prefix + epochEvent('r1', 2, 0.25));
    assert.deepEqual(ours.kind === 'event' && ours.event.run_id, 'r1', prefix);
  }
  // a line of SageMaker's output pasted in pacman100/accelerate-aws-sagemaker's README (af5caadc, line 76):
  // mpirun's prefix, Python logging's, then DDP's own message: read past both, it is the launch's chatter (parse/chatter.ts)
  assert.deepEqual(parse('[1,mpirank:0,algo-1]<stderr>:INFO:root:Reducer buckets have been rebuilt in this iteration.'),
    { kind: 'ignored', chatter: true });
});

test('a prefix is only a prefix: a line\'s own brackets, timestamps and JSON keep their meaning', () => {
  const state = createParseState();
  assert.equal(parse('Epoch 1, Loss: 0.3, Accuracy: 0.9', state).kind, 'epoch');
  // "[1/10]" and "[0]" (XGBoost's round) are no tags: the test line after them is not the run's test metrics
  assert.equal(parse('[1/10] Test Accuracy: 0.97', state).kind, 'unrecognised');
  assert.equal(parse('[0] Test Accuracy: 0.97', state).kind, 'unrecognised');
  assert.deepEqual(parse('[eval] Test Accuracy: 0.97', state), { kind: 'test', format: 'plain-print', loss: null, accuracy: 0.97 });
  // TensorFlow's own timestamp (a ":" after it) is no prefix: its I line is chatter, behind docker's timestamp too, its W line no plain text
  const tfInfo = '2025-11-24 11:58:28.774132: I tensorflow/core/util/port.cc:153] oneDNN custom operations are on.';
  assert.deepEqual(parse(tfInfo), { kind: 'ignored', chatter: true });
  assert.deepEqual(parse(`2026-12-01T10:00:00.123456789Z ${tfInfo}`), { kind: 'ignored', chatter: true });
  const tfWarn = '2026-12-01T10:00:00Z 2021-01-20 10:01:02.345678: W tensorflow/stream_executor/platform/default/dso_loader.cc:60] Could not load dynamic library';
  assert.equal('plain' in parse(tfWarn), false);
  // a logger's ERROR is an error line, not plain text; its INFO is
  assert.deepEqual(parse('ERROR:root:Could not save the model'), { kind: 'unrecognised', reason: 'not a line of any known log format' });
  assert.deepEqual(parse('[2026-12-01 10:00:00,123] CRITICAL Could not save the model'), { kind: 'unrecognised', reason: 'not a line of any known log format' });
  assert.deepEqual(parse('INFO:root:Saving the model'), { kind: 'unrecognised', reason: 'not a line of any known log format', plain: true });
  // JSON that is not ours says so behind a prefix as without it; text before "{" that is no prefix makes no event
  assert.deepEqual(parse('2026-12-01T10:00:00Z {"level":"info","msg":"hello"}'), parse('{"level":"info","msg":"hello"}'));
  assert.equal(parse(`note: ${epochEvent('r1', 2, 0.25)}`).kind, 'unrecognised');
  assert.equal(parse(`2026-12-01T10:00:00Z note ${epochEvent('r1', 2, 0.25)}`).kind, 'unrecognised');
  // a level padded to 8 ("%(levelname)-8s") is read past; the line's own indentation after one space stays (a warning's source line)
  const warned = createParseState();
  assert.deepEqual(parse('[2026-12-01 10:00:00,123] INFO main.py:68: UserWarning: Implicit dimension choice', warned), { kind: 'ignored', chatter: true });
  assert.deepEqual(parse('[2026-12-01 10:00:00,123] INFO   return F.log_softmax(x)', warned), { kind: 'ignored', chatter: true });
});

test('prefixed and unprefixed lines of one run (stdout and stderr); a traceback behind timestamps that change', async () => {
  const { collectRuns } = await import('../../src/runs/collect.js');
  const { iterate } = await import('./helpers.js');
  const lines = ['Epoch 1/2', `2026-12-01T10:00:01.5Z ${KERAS_RESULT}`, 'INFO:root:Epoch 2/2',
    KERAS_RESULT.replace('0.2807', '0.2500'), '2026-12-01T10:00:03Z Traceback (most recent call last):',
    '2026-12-01T10:00:03.1Z   File "train.py", line 40, in <module>', '2026-12-01T10:00:03.2Z     model.save(path)',
    '2026-12-01T10:00:03.3Z OSError: [Errno 28] No space left on device'];
  const log = await collectRuns(iterate(lines.map((l) => rec(l))));
  const run = log.runs[0]!;
  assert.deepEqual(run.epochs.map((e) => [e.epoch, e.loss]), [[1, 0.2807], [2, 0.25]]);
  assert.deepEqual(run.raised, { name: 'OSError', message: '[Errno 28] No space left on device' });
  assert.equal(log.quality.unrecognised, 4);
});

test('a Lightning bar behind docker compose\'s prefix is Lightning\'s, not a tqdm bar of pytorch-mnist', () => {
  const state = createParseState();
  const r = parse('trainer-1  | Epoch 0: 100%|██████████| 391/391 [00:41<00:00,  9.42it/s, v_num=1, val_loss=4.240, val_acc=0.105, train_loss=3.850, train_acc=0.0619]', state);
  assert.deepEqual(r.kind === 'epoch' && [r.format, r.epoch.epoch, r.epoch.val_accuracy], ['lightning', 1, 0.105]);
});
