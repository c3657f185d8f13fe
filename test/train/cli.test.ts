import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile, symlink, readdir } from 'node:fs/promises';
import { rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { runTrainer, parseEvents } from './run-trainer.js';
import { defaultDataDir } from '../../src/train/dataset.js';
import type { EpochEndEvent, EvaluationEvent, RunEndEvent, RunStartEvent } from '../../src/events.js';

const QUICK = ['--train-samples', '2000', '--validation-samples', '1000'];

async function tempDir(t: { after: (fn: () => Promise<void>) => void }): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'mnist-train-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

test('a short real training: every stdout line is a valid event, --out gets the same lines, the model is saved, ECS metadata is recorded', async (t) => {
  const dir = await tempDir(t);
  const task = { TaskARN: 'arn:aws:ecs:us-east-2:111122223333:task/mnist/feedfacefeedfacefeedfacefeedface', Cluster: 'mnist', LaunchType: 'FARGATE', AvailabilityZone: 'us-east-2a' };
  const server = createServer((req, res) => {
    res.writeHead(req.url === '/v4/x/task' ? 200 : 404, { 'content-type': 'application/json' });
    res.end(JSON.stringify(task));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(async () => void server.close());
  const uri = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v4/x`;

  const out = join(dir, 'events.jsonl');
  const run = await runTrainer(
    [...QUICK, '--epochs', '2', '--log-every-batches', '25', '--run-id', 'e2e-1', '--out', out, '--save-model', join(dir, 'model')],
    { env: { ECS_CONTAINER_METADATA_URI_V4: uri } },
  );
  assert.equal(run.code, 0, run.stderr);
  // counts on stderr are written as every count is: with thousands separators
  assert.match(run.stderr, /^mnist-train: run e2e-1: mlp, 2,000 training samples, 2 epochs$/m);
  assert.match(run.stderr, /^mnist-train: evaluating on the 10,000 test images$/m);
  // the backend as the report says it (a dash, not brackets inside brackets); each epoch's time as the
  // report writes durations ("69 ms" or "1.2 s", where a short epoch printed "0.0s")
  assert.match(run.stderr, /^mnist-train: backend (tensorflow|wasm|cpu) — [^(]*(\([^()]*\))?[^()]*$/m);
  assert.doesNotMatch(run.stderr, /^mnist-train: backend \w+ \(/m);
  const epochLines = run.stderr.split('\n').filter((l) => l.startsWith('mnist-train: epoch '));
  assert.equal(epochLines.length, 2, run.stderr);
  for (const l of epochLines) assert.match(l, / val_acc \d\.\d{4} (\d+ ms|\d+\.\d s)$/);
  const events = parseEvents(run.lines);
  assert.deepEqual(
    events.map((e) => e.event),
    ['run_start', 'batch_end', 'batch_end', 'epoch_end', 'batch_end', 'batch_end', 'epoch_end', 'evaluation', 'run_end'],
  );
  assert.ok(events.every((e) => e.run_id === 'e2e-1'));
  const start = events[0] as RunStartEvent;
  assert.equal(start.config.train_samples, 2000);
  assert.equal(start.model.parameters, 101770);
  assert.deepEqual(start.runtime.ecs, {
    task_arn: task.TaskARN, cluster: 'mnist', launch_type: 'FARGATE', availability_zone: 'us-east-2a', region: 'us-east-2',
  });
  assert.match(start.runtime.backend_reason, /tfjs-node/);
  const epochs = events.filter((e): e is EpochEndEvent => e.event === 'epoch_end');
  assert.deepEqual(epochs.map((e) => e.epoch), [1, 2]);
  assert.ok(epochs[1]!.val_accuracy! > 0.8, `val_accuracy ${epochs[1]!.val_accuracy}`);
  const end = events.at(-1) as RunEndEvent;
  assert.equal(end.status, 'completed');
  assert.equal(end.epochs_completed, 2);
  // validation used 1,000 test images, so test metrics come from all 10,000
  assert.ok(typeof end.test_accuracy === 'number' && end.test_accuracy > 0.8);
  assert.equal(await readFile(out, 'utf8'), `${run.lines.join('\n')}\n`);

  const modelJson = JSON.parse(await readFile(join(dir, 'model', 'model.json'), 'utf8'));
  const weights = await readFile(join(dir, 'model', 'weights.bin'));
  assert.deepEqual(modelJson.weightsManifest[0].paths, ['weights.bin']);
  assert.equal(weights.byteLength, 101770 * 4);
  const loaded = await tf.loadLayersModel(tf.io.fromMemory({
    modelTopology: modelJson.modelTopology,
    weightSpecs: modelJson.weightsManifest[0].weights,
    weightData: weights.buffer.slice(weights.byteOffset, weights.byteOffset + weights.byteLength),
  }));
  assert.deepEqual(loaded.outputs[0]!.shape, [null, 10]);
  assert.deepEqual(await readdir(join(dir, 'model')), ['model.json', 'weights.bin']);
});

test('the same seed gives the same first-epoch loss; another seed does not', async () => {
  const firstLoss = async (seed: string): Promise<number> => {
    const run = await runTrainer([...QUICK, '--epochs', '1', '--backend', 'wasm', '--seed', seed]);
    assert.equal(run.code, 0, run.stderr);
    const epoch = parseEvents(run.lines).find((e): e is EpochEndEvent => e.event === 'epoch_end');
    assert.ok(epoch && typeof epoch.loss === 'number');
    return epoch.loss;
  };
  const a = await firstLoss('7');
  const b = await firstLoss('7');
  const c = await firstLoss('8');
  assert.ok(Math.abs(a - b) <= 1e-6, `${a} vs ${b}`);
  assert.ok(Math.abs(a - c) > 1e-6, `seed 8 gave the same loss ${c}`);
});

test('run_start says when the fused step trained the MLP; --no-fused-step trains through tfjs\'s ops to nearly the same loss', async () => {
  const first = async (...flags: string[]) => {
    const run = await runTrainer([...QUICK, '--epochs', '1', '--backend', 'wasm', ...flags]);
    assert.equal(run.code, 0, run.stderr);
    const events = parseEvents(run.lines);
    const epoch = events.find((e): e is EpochEndEvent => e.event === 'epoch_end')!;
    return { reason: (events[0] as RunStartEvent).runtime.backend_reason, loss: epoch.loss as number };
  };
  const fused = await first();
  const tfjs = await first('--no-fused-step');
  assert.match(fused.reason, /wasm loaded \(SIMD\); the MLP trained by a fused SIMD step on wasm/);
  assert.doesNotMatch(tfjs.reason, /fused/);
  // the same arithmetic in another order: float32 noise over an epoch, not another training
  assert.ok(Math.abs(fused.loss - tfjs.loss) < 1e-4 * tfjs.loss, `fused ${fused.loss} vs tfjs ${tfjs.loss}`);
});

for (const [signal, exitCode] of [['SIGTERM', 143], ['SIGINT', 130]] as const) {
  test(`${signal} finishes the current batch, writes run_end interrupted and exits ${exitCode}`, async () => {
    let sent = false;
    // the signal is sent at batch 5 of 563 (18,000 samples): since the fused step an epoch takes ~0.6 s,
    // which leaves a loaded CI machine ample time to deliver it before epoch 1 ends
    const run = await runTrainer(['--train-samples', '18000', '--epochs', '3', '--log-every-batches', '5'], {
      onLine: (line, child) => {
        if (!sent && line.includes('"batch_end"')) {
          sent = true;
          child.kill(signal);
        }
      },
    });
    assert.ok(sent, 'saw a batch_end');
    assert.equal(run.code, exitCode, run.stderr);
    const events = parseEvents(run.lines);
    const end = events.at(-1) as RunEndEvent;
    assert.equal(end.event, 'run_end');
    assert.equal(end.status, 'interrupted');
    assert.equal(end.epochs_completed, 0);
    assert.equal(events.filter((e) => e.event === 'run_end').length, 1);
    // what was trained is still evaluated on the whole test set, just before run_end
    const evaluation = events.at(-2) as EvaluationEvent;
    assert.deepEqual([evaluation.event, evaluation.scope, evaluation.size, evaluation.epochs_completed], ['evaluation', 'final', 10000, 0]);
    // and run_end carries that evaluation's numbers, as a completed run's does (it had none)
    const diagonal = evaluation.confusion_matrix.reduce((sum, row, i) => sum + row[i]!, 0);
    assert.equal(end.test_accuracy, diagonal / evaluation.size);
    assert.ok(typeof end.test_loss === 'number' && Number.isFinite(end.test_loss), `test_loss ${end.test_loss}`);
    assert.match(run.stderr, new RegExp(`${signal}: finishing the current batch`));
  });
}

test('a truncated IDX file in --data-dir: one clear line naming it, exit 2, nothing on stdout', async (t) => {
  const dir = await tempDir(t);
  const src = defaultDataDir();
  for (const name of ['train-labels-idx1-ubyte', 't10k-images-idx3-ubyte', 't10k-labels-idx1-ubyte']) {
    await symlink(join(src, name), join(dir, name));
  }
  const images = await readFile(join(src, 'train-images-idx3-ubyte'));
  await writeFile(join(dir, 'train-images-idx3-ubyte'), images.subarray(0, 100000));
  const run = await runTrainer(['--data-dir', dir]);
  assert.equal(run.code, 2);
  assert.deepEqual(run.lines, []);
  assert.equal(run.stderr.trim().split('\n').length, 1, run.stderr);
  assert.match(run.stderr, /train-images-idx3-ubyte .*truncated: 99984 data bytes, expected 47040000 for shape 60000x28x28/);
});

test('--validation-split validates on held-out training images and evaluates the test set once at the end', async () => {
  const run = await runTrainer(['--train-samples', '1000', '--validation-split', '0.2', '--epochs', '1', '--run-id', 'split']);
  assert.equal(run.code, 0, run.stderr);
  const events = parseEvents(run.lines);
  const start = events.find((e): e is RunStartEvent => e.event === 'run_start')!;
  assert.deepEqual([start.config.train_samples, start.config.validation_samples, start.config.validation_split], [800, 200, 0.2]);
  const end = events.find((e): e is RunEndEvent => e.event === 'run_end')!;
  const epoch = events.find((e): e is EpochEndEvent => e.event === 'epoch_end')!;
  assert.ok(typeof end.test_accuracy === 'number' && end.test_accuracy > 0.5, JSON.stringify(end));
  assert.notEqual(end.test_accuracy, epoch.val_accuracy); // a separate evaluation on the 10,000 test images
  const both = await runTrainer(['--validation-split', '0.1', '--validation-samples', '100']);
  assert.equal(both.code, 2);
  assert.match(both.stderr, /--validation-split and --validation-samples do not go together/);
  const bad = await runTrainer(['--validation-split', '1.5']);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /--validation-split must be a fraction between 0 and 1/);
});

test('bad flags exit 2 with one line; --help explains every flag', async () => {
  const bad = await runTrainer(['--epochs', '0']);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /--epochs must be an integer >= 1, got "0"/);
  const unknown = await runTrainer(['--epoch', '3']);
  assert.equal(unknown.code, 2);
  assert.match(unknown.stderr, /Unknown argument/);
  // yargs' negation of a flag that takes a value: --no-log-group was "internal error: TypeError: text.trim is not a function" and a stack
  // (--no-model: yargs' "Invalid values … Choices" came first; --out x --no-out: "given more than once (\"x\", false)")
  for (const args of [['--no-log-group'], ['--no-out'], ['--no-batch-size'], ['--no-model'], ['--out', 'x', '--no-out']]) {
    const flag = args.at(-1)!.slice(5);
    const negated = await runTrainer(args);
    assert.equal(negated.code, 2, negated.stderr);
    assert.equal(negated.stderr.trim(), `mnist-train: --no-${flag}: --${flag} takes a value and has no --no- form: give --${flag} with its value, or leave it out`);
  }
  const help = await runTrainer(['--help']);
  assert.equal(help.code, 0);
  const text = help.lines.join('\n');
  for (const flag of ['epochs', 'batch-size', 'learning-rate', 'seed', 'model', 'backend', 'train-samples', 'validation-samples', 'validation-split',
    'log-every-batches', 'save-model', 'out', 'run-id', 'data-dir', 'metrics-namespace']) {
    assert.match(text, new RegExp(`--${flag}\\b`), flag);
  }
  const version = await runTrainer(['--version']);
  assert.equal(version.code, 0, version.stderr);
  assert.deepEqual(version.lines, [JSON.parse(await readFile('package.json', 'utf8')).version]);
});

test('a failure after run_start is a run_end failed event with the error', async (t) => {
  const dir = await tempDir(t);
  // --save-model is checked before training, so the folder is turned into a file while the run trains
  const target = join(dir, 'model');
  const run = await runTrainer(['--train-samples', '64', '--validation-samples', '100', '--epochs', '1', '--save-model', target], {
    onLine: (line) => {
      if (!line.includes('"epoch_end"')) return;
      rmSync(target, { recursive: true, force: true });
      writeFileSync(target, 'not a directory');
    },
  });
  assert.equal(run.code, 2, run.stderr);
  const end = parseEvents(run.lines).at(-1) as RunEndEvent;
  assert.equal(end.status, 'failed');
  assert.equal(end.epochs_completed, 1);
  assert.match(end.error?.message ?? '', /--save-model .*cannot write the model there: it, or a folder on its path, is a file/);
});

test('--model cnn: auto runs on a backend that has the kernels to train it and says which on stderr', async () => {
  const run = await runTrainer(['--model', 'cnn', '--train-samples', '64', '--validation-samples', '100', '--epochs', '1']);
  assert.equal(run.code, 0, run.stderr);
  const events = parseEvents(run.lines);
  const start = events[0] as RunStartEvent;
  assert.equal(start.model.name, 'cnn');
  const { backend, backend_reason: reason } = start.runtime;
  assert.match(run.stderr, new RegExp(`backend ${backend} — `));
  // Decided by a kernel capability check, so either outcome is right as long as it
  // is explained: wasm once Conv2DBackpropFilter is registered for it, cpu before.
  if (backend === 'wasm') {
    assert.match(reason, /wasm loaded/);
  } else {
    assert.equal(backend, 'cpu');
    assert.match(reason, /wasm lacks Conv2DBackpropFilter needed to train --model cnn/);
    assert.match(run.stderr, /wasm lacks Conv2DBackpropFilter needed to train --model cnn, so auto picks cpu/);
  }
  assert.equal((events.at(-1) as RunEndEvent).status, 'completed');
});
