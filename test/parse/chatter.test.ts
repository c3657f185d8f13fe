// The runtime's own start-up chatter (src/parse/chatter.ts): every line tested here as chatter is
// read from a fixture by its line number: the real captures in fixtures/formats/, and the
// hand-written keras2-verbose1.log, whose cpu_feature_guard line has the form of hf-trainer.log's
// real one (fixtures/README.md); the lines that must stay unrecognised (a traceback, an error) are bad inputs,
// typed by hand.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createParseState, parseLine } from '../../src/parse/line.js';
import { collectRuns } from '../../src/runs/collect.js';
import { readFileRecords } from '../../src/sources/file.js';
import { analyzeRun } from '../../src/analyze/analyze.js';
import { rec } from './helpers.js';

const GEN = '2026-11-30T12:00:00.000Z';
/** Line n (1-based) of a fixture, as captured. */
const lineOf = (path: string, n: number): string => readFileSync(path, 'utf8').split('\n')[n - 1]!;
const CHATTER = { kind: 'ignored', chatter: true };

test('TensorFlow I-level log lines and cpu_feature_guard\'s second line are chatter (hf-trainer.log, keras2-verbose1.log, keras2-verbose1-terminal.log)', () => {
  const hf = 'fixtures/formats/hf-trainer.log';
  // "2025-11-24 11:58:28.774132: I tensorflow/core/util/port.cc:153] oneDNN custom operations are on. …"
  // "2025-11-24 11:58:30.684369: I tensorflow/core/platform/cpu_feature_guard.cc:210] This TensorFlow binary is optimized …"
  // "To enable the following instructions: AVX2 AVX_VNNI FMA, in other operations, rebuild TensorFlow with the appropriate compiler flags."
  for (const n of [1, 2, 3, 4]) assert.deepEqual(parseLine(rec(lineOf(hf, n)), createParseState()), CHATTER, `hf-trainer.log line ${n}`);
  assert.deepEqual(parseLine(rec(lineOf('fixtures/keras2-verbose1.log', 1)), createParseState()), CHATTER);
  // TensorFlow 2.4: "To enable them in other operations, rebuild TensorFlow with the appropriate compiler flags."
  assert.deepEqual(parseLine(rec(lineOf('fixtures/formats/keras2-verbose1-terminal.log', 10)), createParseState()), CHATTER);
});

test('TensorFlow\'s notes that a CPU machine has no GPU are chatter at W too (keras2-verbose1-terminal.log)', () => {
  const terminal = 'fixtures/formats/keras2-verbose1-terminal.log';
  // "2021-02-01 15:50:07.644082: W tensorflow/stream_executor/platform/default/dso_loader.cc:60] Could not load dynamic library 'libcudart.so.11.0'; dlerror: …"
  // "… W …/dso_loader.cc:60] Could not load dynamic library 'libcuda.so.1'; …", "… W …/cuda_driver.cc:326] failed call to cuInit: UNKNOWN ERROR (303)"
  for (const n of [1, 6, 7]) assert.deepEqual(parseLine(rec(lineOf(terminal, n)), createParseState()), CHATTER, `line ${n}`);
  // the same capture's line 7 at level E (newer TensorFlow prints cuInit's failure so) is the same note
  assert.deepEqual(parseLine(rec(lineOf(terminal, 7).replace(': W ', ': E ')), createParseState()), CHATTER);
});

test('a Python warning and the one indented source line under it are chatter (pytorch-mnist.log, keras3-download-evaluate.log, hf-trainer.log)', () => {
  for (const [path, n] of [['fixtures/formats/pytorch-mnist.log', 1], ['fixtures/formats/keras3-download-evaluate.log', 3], ['fixtures/formats/hf-trainer.log', 5], ['fixtures/formats/hf-trainer.log', 16]] as const) {
    const state = createParseState();
    assert.deepEqual(parseLine(rec(lineOf(path, n)), state), CHATTER, `${path} line ${n}`);
    // "  return F.log_softmax(x)", "  super().__init__(**kwargs)", "  warnings.warn(…", "  trainer = Trainer("
    assert.deepEqual(parseLine(rec(lineOf(path, n + 1)), state), CHATTER, `${path} line ${n + 1}`);
    // only one source line: a second indented line is not the warning's
    assert.equal(parseLine(rec(lineOf(path, n + 1)), state).kind, 'unrecognised');
  }
  // the same indented line with no warning before it is not chatter
  assert.equal(parseLine(rec('  return F.log_softmax(x)'), createParseState()).kind, 'unrecognised');
});

test('a traceback, an error and TensorFlow\'s E/F lines stay unrecognised (hand-typed bad inputs)', () => {
  const state = createParseState();
  for (const line of [
    'Traceback (most recent call last):',
    '  File "main.py", line 68, in <module>',
    'RuntimeError: CUDA out of memory. Tried to allocate 20.00 MiB',
    'ValueError: Shapes (None, 1) and (None, 10) are incompatible',
    '2025-11-24 11:58:30.684369: E tensorflow/core/platform/cpu_feature_guard.cc:210] something failed',
    '2025-11-24 11:58:30.684369: F tensorflow/core/platform/cpu_feature_guard.cc:210] Check failed',
    'main.py:68: error: not a warning category',
    // TensorFlow's W level carries out-of-memory and failed ops; a RuntimeWarning is about the run's numbers
    '2025-11-24 11:58:40.123456: W tensorflow/core/common_runtime/bfc_allocator.cc:479] Allocator (GPU_0_bfc) ran out of memory trying to allocate 1.00GiB',
    '2025-11-24 11:58:40.223456: W tensorflow/core/framework/op_kernel.cc:1745] OP_REQUIRES failed at matmul_op.cc:480 : RESOURCE_EXHAUSTED: OOM when allocating tensor',
    '2025-11-24 11:58:40.323456: E tensorflow/core/common_runtime/executor.cc:1191] Resource exhausted: OOM when allocating tensor with shape[60000,784]',
    // the no-GPU notes' wording at level F, or after another message, is no note
    "2021-02-01 15:50:07.644082: F tensorflow/stream_executor/platform/default/dso_loader.cc:60] Could not load dynamic library 'libcudart.so.11.0'; dlerror: x",
    '2021-02-01 15:50:10.351159: E tensorflow/core/kernels/x.cc:1] kernel failed; failed call to cuInit: UNKNOWN ERROR (303)',
    '/usr/lib/python3/dist-packages/numpy/core/_methods.py:118: RuntimeWarning: overflow encountered in exp',
  ]) assert.equal(parseLine(rec(line), state).kind, 'unrecognised', line);
});

test('our own events never reach the chatter patterns, and a warning after JSON is still read as one', () => {
  const state = createParseState();
  assert.equal(parseLine(rec('{"schema":"mnist-train/1","event":"run_end","run_id":"r","status":"completed"}'), state).kind, 'event');
  assert.deepEqual(parseLine(rec(lineOf('fixtures/formats/pytorch-mnist.log', 1)), state), CHATTER);
});

test('the captures: chatter is counted apart as ignored, not unrecognised, and a clean run is healthy', async () => {
  for (const [path, chatter, unrecognised, level] of [
    ['fixtures/keras2-verbose1.log', 1, 0, 'healthy'],
    ['fixtures/formats/keras3-download-evaluate.log', 2, 0, 'healthy'],
    // 19 I lines and 3 W notes that no GPU is there; the profiler's 4 "Dumped tool data …" prints are plain text
    ['fixtures/formats/keras2-verbose1-terminal.log', 22, 4, 'healthy'],
    ['fixtures/formats/pytorch-mnist.log', 2, 0, null], // it has batch-loss spikes of its own
    // 8 TensorFlow and Python lines; the script's own [INFO]/[DEBUG] prints and transformers' notes are still unrecognised
    ['fixtures/formats/hf-trainer.log', 8, 13, null],
  ] as const) {
    const log = await collectRuns(readFileRecords(path));
    assert.deepEqual([log.quality.runtime_chatter, log.quality.unrecognised], [chatter, unrecognised], path);
    const a = analyzeRun(log.runs[0]!, log.quality, { generatedAt: GEN });
    assert.equal(a.quality.runtime_chatter, chatter);
    if (level) assert.equal(a.verdict.level, level, path);
    assert.ok(!a.verdict.findings.some((f) => f.rule === 'data-quality' && unrecognised === 0), path);
  }
  // a log with none has no runtime_chatter key: its report.json is as it was
  const plain = await collectRuns(readFileRecords('fixtures/keras2-verbose2.log'));
  assert.equal('runtime_chatter' in plain.quality, false);
});

test('the data-quality finding and the Data Quality list say how many ignored lines were chatter', async () => {
  const log = await collectRuns(readFileRecords('fixtures/formats/pytorch-mnist.log'));
  const a = analyzeRun(log.runs[0]!, log.quality, { generatedAt: GEN });
  assert.equal(a.checks.find((c) => c.id === 'data.quality')!.message,
    'All 950 meaningful lines were recognised (20 blank or progress lines and 2 lines of runtime chatter ignored).');
  const { qualityEpochs, ignoredHeader } = await import('../../src/wording/document.js');
  assert.deepEqual(qualityEpochs(a), ['2 of the ignored lines are the runtime\'s own start-up chatter (TensorFlow information log lines and its notes that no GPU is there, ' +
    'Python user, future and deprecation warnings and the source line printed under each, a distributed launch\'s NCCL, DDP and SageMaker INFO lines), ' +
    'not a problem with the run.']);
  assert.equal(ignoredHeader(a), 'Ignored (blank, progress, runtime chatter)');
});

test('a distributed launch\'s INFO lines behind their mpirun tag are chatter: NCCL, DDP, SageMaker\'s toolkit (accelerate-sagemaker-mpi.log)', () => {
  const path = 'fixtures/formats/accelerate-sagemaker-mpi.log';
  // "[1,mpirank:0,algo-1]<stdout>:algo-1:79:1300 [0] NCCL INFO Launch mode Parallel"
  // "[1,mpirank:3,algo-1]<stderr>:INFO:root:Reducer buckets have been rebuilt in this iteration."
  // "2022-09-21 13:21:05,188 sagemaker-training-toolkit INFO     Reporting training SUCCESS"
  for (const n of [1, 2, 9, 13, 14, 15]) assert.deepEqual(parseLine(rec(lineOf(path, n)), createParseState()), CHATTER, `line ${n}`);
  // their warnings and errors are not
  for (const line of ['[1,mpirank:0,algo-1]<stdout>:algo-1:79:1300 [0] NCCL WARN Call to connect returned Connection refused',
    '2022-09-21 13:21:05,188 sagemaker-training-toolkit ERROR    Reporting training FAILURE']) {
    assert.equal(parseLine(rec(line), createParseState()).kind, 'unrecognised', line);
  }
});
