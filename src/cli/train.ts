#!/usr/bin/env node
// mnist-train: train MNIST with TensorFlow.js; stdout = one JSON event per line.
//
//   argv ──parseTrainArgs──▶ options
//        ──loadMnist──▶ checked IDX bytes ──selectSubset/toTensors──▶ tensors
//        ──selectBackend──▶ tensorflow | wasm | cpu (+ why)      readEcsMetadata ──▶ runtime.ecs
//        ──buildModel──▶ run_start ──trainModel──▶ batch_end* epoch_end* (evaluation* with --evaluate-every-epoch)
//        ──evaluateSplit(test)──▶ evaluation (also after SIGTERM/SIGINT) ──▶ test metrics, saveModel
//        ──▶ run_end (completed | interrupted on SIGTERM/SIGINT | failed) ──flush──▶ exit 0/143/130/1/2
//
// Errors before run_start (bad flags, bad data) are one line on stderr and exit 2;
// after it, every ending is also a run_end event so the log says how the run ended.
import '../train/quiet-console.js';
import { hostname } from 'node:os';
import { generateRunId } from '../run-id.js';
import { tf } from '../train/tf.js';
import { describeFailure, EXIT } from '../errors.js';
import type { RunConfig, RuntimeInfo } from '../events.js';
import { parseTrainArgs } from '../train/options.js';
import type { TrainOptions } from '../train/options.js';
import { loadMnist } from '../train/dataset.js';
import { holdOut, selectSubset } from '../train/sampling.js';
import { SampleSource, toTensors } from '../train/tensors.js';
import { selectBackend } from '../train/backend.js';
import { readEcsMetadata } from '../train/ecs.js';
import { buildModel } from '../train/models.js';
import { trainModel } from '../train/loop.js';
import { FUSED_STEP_REASON, mlpStepper } from '../train/mlp-step.js';
import { evaluateSplit, epochConfusion } from '../train/evaluation.js';
import { prepareSaveDir, saveModel } from '../train/save.js';
import { createEventFactory } from '../train/event-factory.js';
import { streamSink, fileSink, teeSink } from '../train/sinks.js';
import { createCloudWatchSink } from '../train/cloudwatch-sink.js';
import { carryOnWithoutStderr } from './pipes.js';
import * as msg from '../wording/train.js';

const SIGNAL_EXIT: Record<string, number> = { SIGTERM: 143, SIGINT: 130 };
const say = (line: string): void => void process.stderr.write(`mnist-train: ${line}\n`);
// (stdout, the events, has its own rule: streamSink's failure callback below)
carryOnWithoutStderr();

async function main(): Promise<number> {
  let stopSignal: string | null = null;
  for (const signal of Object.keys(SIGNAL_EXIT)) {
    process.on(signal, () => {
      if (stopSignal) process.exit(SIGNAL_EXIT[signal]); // a second signal: stop now
      stopSignal = signal;
      say(msg.stopping(signal));
    });
  }

  const parsed = await parseTrainArgs(process.argv.slice(2));
  if ('help' in parsed) {
    process.stdout.write(`${parsed.help}\n`);
    return EXIT.ok;
  }
  const options = parsed;
  const runId = options.runId ?? generateRunId();
  // --log-group: PutLogEvents beside stdout; flushed every 5 s, and closed within its deadline by the final sink.flush().
  const cw = options.cloudwatch && { ...options.cloudwatch, logStream: options.cloudwatch.logStream ?? `mnist-train/${runId.replace(/[:*]/g, '_')}` };
  const cloud = cw ? createCloudWatchSink(cw) : null;
  if (cw) say(msg.shippingTo(cw.logGroup, cw.logStream));
  const local = teeSink([streamSink(process.stdout, (why) => say(msg.stdoutGone(why))), ...(options.out ? [fileSink(options.out)] : [])]);
  // The final flush: stdout and --out in full; CloudWatch within its deadline (close() says what it could not ship).
  const sink = { write: teeSink([local, ...(cloud ? [cloud] : [])]).write, flush: async () => { await Promise.all([local.flush(), cloud?.close()]); } };
  const events = createEventFactory(runId, Date.now, options.metricsNamespace);

  if (options.saveModel) await prepareSaveDir(options.saveModel);
  const mnist = await loadMnist(options.dataDir ?? undefined);
  const backend = await selectBackend(options.backend, options.model);
  backend.notes.forEach(say);
  say(msg.backendLine(backend.backend, backend.reason));
  const ecs = await readEcsMetadata(process.env);
  if (ecs.note) say(ecs.note);

  const started = performance.now();
  const trainIndices = selectSubset(mnist.train.count, options.trainSamples, options.seed);
  // --validation-split validates on held-out training images; the test set is then used once, at the end
  const split = options.validationSplit === null ? null : holdOut(trainIndices, options.validationSplit, options.seed);
  // validation on every test image (the default) is, image for image, the final evaluation's set
  const valIsTest = !split && options.validationSamples >= mnist.test.count;
  const data = {
    train: new SampleSource(mnist.train, split ? split.train : trainIndices),
    val: split ? toTensors(mnist.train, split.validation)
      : toTensors(mnist.test, selectSubset(mnist.test.count, options.validationSamples, options.seed)),
  };
  const { model, info } = buildModel(options.model, options.seed);
  // chosen before run_start, which says which step trained the model
  const stepper = options.fusedStep ? mlpStepper(model, data.train, options.batchSize, options.learningRate) : null;
  const runtime: RuntimeInfo = {
    backend: backend.backend,
    backend_reason: stepper ? `${backend.reason}; ${FUSED_STEP_REASON}` : backend.reason,
    versions: backend.versions,
    platform: process.platform,
    arch: process.arch,
    host: hostname(),
    ...(ecs.ecs ? { ecs: ecs.ecs } : {}),
  };
  sink.write(events.runStart(runConfig(options, split), info, runtime));
  say(msg.trainingStarts(runId, options.model, options.trainSamples, options.epochs));

  let epochsCompleted = 0;
  try {
    const result = await trainModel(
      model,
      data,
      {
        epochs: options.epochs,
        batchSize: options.batchSize,
        learningRate: options.learningRate,
        seed: options.seed,
        logEveryBatches: options.logEveryBatches,
        shouldStop: () => stopSignal !== null,
        now: () => performance.now(),
        stepper,
      },
      {
        onBatch: (epoch, batch, loss, accuracy) => sink.write(events.batchEnd(epoch, batch, loss, accuracy)),
        onEpoch: (s) => {
          epochsCompleted = s.epoch;
          const mem = process.memoryUsage();
          sink.write(events.epochEnd(s, options.epochs, { rss_bytes: mem.rss, heap_used_bytes: mem.heapUsed, tensors: tf.memory().numTensors }));
          if (options.evaluateEveryEpoch) sink.write(events.epochEvaluation(epochConfusion(model, data.val, 'validation'), s.epoch));
          say(msg.epochDone(s, options.epochs));
        },
      },
    );
    // The whole test set, also after an interruption (for what was trained): its accuracy
    // and loss are run_end's test metrics, so the matrix's diagonal is the reported accuracy.
    say(msg.evaluatingOn(mnist.test.count));
    const test = evaluateSplit(model, mnist.test, 'test', valIsTest ? data.val : undefined);
    sink.write(events.evaluation(test, result.epochsCompleted));
    if (result.status === 'interrupted') {
      // the evaluation above ran: its numbers are run_end's, as in a completed run (README, the event contract)
      sink.write(events.runEnd({
        status: 'interrupted', durationMs: performance.now() - started, epochsCompleted: result.epochsCompleted,
        testLoss: test.loss, testAccuracy: test.accuracy,
      }));
      await sink.flush();
      return SIGNAL_EXIT[stopSignal ?? 'SIGTERM']!;
    }
    if (options.saveModel) {
      await saveModel(model, options.saveModel);
      say(msg.modelSaved(options.saveModel));
    }
    sink.write(events.runEnd({
      status: 'completed', durationMs: performance.now() - started, epochsCompleted: result.epochsCompleted,
      testLoss: test.loss, testAccuracy: test.accuracy,
    }));
    await sink.flush();
    return EXIT.ok;
  } catch (err) {
    const e = err instanceof Error ? err : new Error(String(err));
    sink.write(events.runEnd({
      status: 'failed', durationMs: performance.now() - started, epochsCompleted,
      error: { name: e.name, message: e.message },
    }));
    await sink.flush();
    throw err;
  }
}

function runConfig(o: TrainOptions, split: { train: Int32Array; validation: Int32Array } | null): RunConfig {
  return {
    epochs: o.epochs, batch_size: o.batchSize, optimizer: 'adam', learning_rate: o.learningRate, model: o.model,
    seed: o.seed, train_samples: split ? split.train.length : o.trainSamples,
    validation_samples: split ? split.validation.length : o.validationSamples,
    ...(split ? { validation_split: o.validationSplit! } : {}),
    ...(o.logEveryBatches ? { log_every_batches: o.logEveryBatches } : {}),
  };
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    const { exitCode, message } = describeFailure(err);
    say(message); // every error of the trainer, its flags' as much as --out's or --save-model's
    process.exit(exitCode); // UserError: EXIT.usage (2)
  },
);
