// A text log whose run ends in a Python traceback (parse/traceback.ts, runs/collect.ts, analyze.ts
// runOutcome): the run ended there, interrupted on KeyboardInterrupt and failed on any other exception,
// and every line of the traceback is unusable, never plain text. The epochs are the real capture
// fixtures/keras2-verbose2.log; the tracebacks are bad input, typed as Python prints them.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { collectRuns } from '../../src/runs/collect.js';
import { analyzeRun } from '../../src/analyze/analyze.js';
import { createParseState, parseLine } from '../../src/parse/line.js';
import type { Analysis } from '../../src/analyze/types.js';
import type { ParsedLog } from '../../src/types.js';
import { iterate, rec } from '../parse/helpers.js';
import { assertQualitySums } from '../support/quality-sum.js';

const GEN = '2026-12-01T12:00:00.000Z';
/** The real capture: Epoch 1/5 … its epoch-5 result line, 10 lines. */
const KERAS = readFileSync('fixtures/keras2-verbose2.log', 'utf8').split('\n').filter((l) => l);
/** Through epoch 3's result line. */
const THREE = KERAS.slice(0, 6);
const traceback = (last: string): string[] => ['Traceback (most recent call last):', '  File "train.py", line 40, in <module>',
  '    model.fit(x_train, y_train, epochs=5, validation_data=(x_test, y_test))', last];
const CTRL_C = ['Epoch 4/5', ...traceback('KeyboardInterrupt')];
const OOM = 'RuntimeError: CUDA out of memory. Tried to allocate 20.00 MiB (GPU 0; 7.79 GiB total capacity)';

async function read(lines: string[]): Promise<ParsedLog> {
  return collectRuns(iterate(lines.map((m, i) => rec(m, { line: i + 1 }))));
}

async function judge(lines: string[]): Promise<Analysis> {
  const parsed = await read(lines);
  assert.equal(parsed.runs.length, 1);
  return analyzeRun(parsed.runs[0]!, parsed.quality, { generatedAt: GEN });
}

const check = (a: Analysis, id: string) => a.checks.find((c) => c.id === id)!;

test('every line of a traceback is one unusable block: its line of code and its exception are never plain text', () => {
  const state = createParseState();
  const lines = [...traceback('KeyboardInterrupt'), '', 'During handling of the above exception, another exception occurred:', '',
    'Traceback (most recent call last):', '  File "train.py", line 44, in <module>', '    save(model)', '    ^^^^^^^^^^^', 'OSError: [Errno 28] No space left on device'];
  const results = lines.map((l) => parseLine(rec(l), state));
  for (const [i, r] of results.entries()) {
    if (!lines[i]) continue;
    assert.equal(r.kind, 'unrecognised', lines[i]);
    assert.ok(r.kind === 'unrecognised' && r.plain === undefined && /Python traceback/.test(r.reason), lines[i]);
  }
  const raised = results.map((r) => (r.kind === 'unrecognised' ? r.raised ?? null : null)).filter((r) => r !== null);
  assert.deepEqual(raised, [{ name: 'KeyboardInterrupt', message: '' }, { name: 'OSError', message: '[Errno 28] No space left on device' }]);
  // indented lines right after the exception carry on its message; the first line that is not closes the block,
  // and is read as any line, as is what follows
  assert.ok(/Python traceback/.test((parseLine(rec('\tMissing key(s) in state_dict: "fc.bias".'), state) as { reason: string }).reason));
  assert.deepEqual(parseLine(rec('done'), state), { kind: 'unrecognised', reason: 'not a line of any known log format', plain: true });
  assert.deepEqual(parseLine(rec('    main()'), state), { kind: 'unrecognised', reason: 'not a line of any known log format', plain: true });
});

test('Ctrl-C during fit(): the run was interrupted after epoch 3 of 5, not "cut short or still running"', async () => {
  const a = await judge([...THREE, ...CTRL_C]);
  assert.equal(a.run.outcome, 'interrupted');
  assert.equal(a.run.error, null);
  assert.equal(a.verdict.level, 'failed');
  assert.match(a.verdict.reason, /^The run was interrupted after epoch 3 of 5 \(KeyboardInterrupt: the log ends in its Python traceback\)/);
  assert.doesNotMatch(a.verdict.reason, /still running/);
  assert.equal(check(a, 'run.status').status, 'fail');
  assert.equal(check(a, 'run.status').message,
    'The run was interrupted after epoch 3 of 5: the log ends in a Python traceback of KeyboardInterrupt (Ctrl-C, or a SIGINT sent to the script).');
  // the 4 lines of the traceback are unusable, none of them plain text, and counted apart as the run's end:
  // the run status reports them, so the data-quality check does not warn about them again
  assert.deepEqual([a.quality.records, a.quality.unrecognised, a.quality.plain_text, a.quality.traceback], [11, 4, undefined, 4]);
  assert.deepEqual([check(a, 'data.quality').status, check(a, 'data.quality').value], ['info', 0]);
  assert.equal(check(a, 'data.quality').message,
    '4 of the 11 records are the Python traceback the run ended in, which the run status reports, quoted under Data Quality; every other line was read.');
  assert.deepEqual(a.quality.examples.map((e) => [e.line, e.plain]), [[8, undefined], [9, undefined], [10, undefined], [11, undefined]]);
  assert.match(a.next_steps[0]!, /^Rerun the training to completion \(all 5 epochs\): a KeyboardInterrupt/);
});

test('a pasted Ctrl-C: the terminal\'s "^C" echo glued to the traceback\'s header is read as the interrupt it is', async () => {
  // the real capture fixtures/formats/pytorch-mnist.log through epoch 4's first 3 batch lines (no
  // capture in fixtures/ holds a traceback: this one is typed as Python prints it, "^C" as a terminal echoes it)
  const pytorch = readFileSync('fixtures/formats/pytorch-mnist.log', 'utf8').split('\n').slice(0, 296);
  const ctrlC = ['^CTraceback (most recent call last):', '  File "main.py", line 133, in <module>', '    main()', 'KeyboardInterrupt'];
  const a = await judge([...pytorch, ...ctrlC]);
  assert.deepEqual([a.run.outcome, a.verdict.level], ['interrupted', 'failed']);
  assert.match(a.verdict.reason, /^The run was interrupted after epoch 3 \(KeyboardInterrupt: the log ends in its Python traceback\)/);
  assert.deepEqual([a.quality.traceback, check(a, 'data.quality').status], [4, 'info']);
  // the line is quoted as the log has it, "^C" and all
  assert.equal(a.quality.examples.find((e) => e.line === 297)?.text, ctrlC[0]);
  // "^C" alone on a line, the next output on its own: the same
  const alone = await judge([...pytorch, '^C', ...traceback('KeyboardInterrupt')]);
  assert.deepEqual([alone.run.outcome, alone.quality.traceback, alone.quality.unrecognised], ['interrupted', 4, 4]);
});

test('any other exception: the run failed, its error the traceback\'s last line', async () => {
  const a = await judge([...THREE, 'Epoch 4/5', ...traceback(OOM)]);
  assert.equal(a.run.outcome, 'failed');
  assert.deepEqual(a.run.error, { name: 'RuntimeError', message: 'CUDA out of memory. Tried to allocate 20.00 MiB (GPU 0; 7.79 GiB total capacity)' });
  assert.equal(a.verdict.level, 'failed');
  assert.match(a.verdict.reason, /^The run failed after epoch 3 of 5 \(RuntimeError: CUDA out of memory\. Tried to allocate 20\.00 MiB \(GPU 0; 7\.79 GiB total capacity\)\)/);
  assert.equal(check(a, 'run.status').message,
    'The run failed after epoch 3 of 5: the log ends in a Python traceback of RuntimeError: CUDA out of memory. Tried to allocate 20.00 MiB (GPU 0; 7.79 GiB total capacity).');
  assert.equal(a.next_steps[0], 'Fix the failure (RuntimeError: CUDA out of memory. Tried to allocate 20.00 MiB (GPU 0; 7.79 GiB total capacity)) and rerun the training with the same settings.');
  // a dotted name, a message ending in its own full stop
  const b = await judge([...THREE, ...traceback('ValueError: Shapes (None, 1) and (None, 10) are incompatible.')]);
  assert.deepEqual([b.run.outcome, b.run.error?.name], ['failed', 'ValueError']);
  assert.match(check(b, 'run.status').message, /are incompatible\.$/);
});

test('one cause, one finding: the traceback the run ended in is not a data-quality warning too; a garbled line elsewhere still is', async () => {
  for (const end of ['KeyboardInterrupt', OOM]) {
    const a = await judge([...THREE, 'Epoch 4/5', ...traceback(end)]);
    assert.deepEqual(a.verdict.findings.map((f) => f.rule), ['run-failed'], end);
    assert.doesNotMatch(a.verdict.reason, /more finding/, end);
    assert.deepEqual([check(a, 'data.quality').status, a.quality.unrecognised, a.quality.traceback], ['info', 4, 4], end);
    assert.ok(!a.next_steps.some((x) => /unrecognised or invalid lines/.test(x)), end);
  }
  // a line of binary garbage between epochs 2 and 3: that one warns, the traceback still does not
  const garbled = await judge([...THREE.slice(0, 4), '\ufffd\ufffd\ufffd\u0000PK', ...THREE.slice(4), 'Epoch 4/5', ...traceback(OOM)]);
  assert.equal(garbled.run.outcome, 'failed');
  assert.deepEqual([check(garbled, 'data.quality').status, check(garbled, 'data.quality').value], ['warn', 1]);
  assert.equal(check(garbled, 'data.quality').message,
    // 5 in Data Quality's Unrecognised column, as the finding says (issue h7: it said 1)
    '5 unrecognised (1 of them not the traceback the run ended in) out of 12 records; see Data Quality. 4 are the Python traceback the run ended in, which the run status reports.');
  assert.match(garbled.verdict.reason, /^The run failed after epoch 3 of 5 \(RuntimeError: .*\) \(and 1 more finding, see Checks\)\.$/);
  assert.deepEqual(garbled.verdict.findings.map((f) => f.rule), ['run-failed', 'data-quality']);
  assert.ok(garbled.next_steps.includes('Look at the unrecognised or invalid lines quoted under Data Quality.'));
});

test('a traceback the run went on after is no end of it: its lines warn as before, and are not counted as the end\'s', async () => {
  const parsed = await read([...THREE, 'Epoch 4/5', ...traceback(OOM), ...KERAS.slice(6)]);
  const retried = analyzeRun(parsed.runs[0]!, parsed.quality, { generatedAt: GEN });
  assert.deepEqual([retried.run.outcome, retried.quality.unrecognised, retried.quality.traceback], ['completed', 4, undefined]);
  assert.equal(parsed.quality.traceback, undefined, 'the whole input\'s count is given back too');
  assert.deepEqual([check(retried, 'data.quality').status, check(retried, 'data.quality').value], ['warn', 4]);
  // that one, then a last one the run ended in: only the last is the end's
  const both = await judge([...THREE, 'Epoch 4/5', ...traceback(OOM), ...KERAS.slice(6, 9), ...traceback('KeyboardInterrupt')]);
  assert.deepEqual([both.run.outcome, both.quality.unrecognised, both.quality.traceback], ['interrupted', 8, 4]);
  assert.deepEqual([check(both, 'data.quality').status, check(both, 'data.quality').value], ['warn', 4]);
  assert.equal(check(both, 'data.quality').message,
    '8 unrecognised (4 of them not the traceback the run ended in) out of 18 records; see Data Quality. 4 are the Python traceback the run ended in, which the run status reports.');
  // chained blocks, with the message's indented lines: every line of them is the end's
  const chained = await read([...THREE, ...traceback('KeyboardInterrupt'), '', 'During handling of the above exception, another exception occurred:', '',
    ...traceback('OSError: [Errno 28] No space left on device'), '\tafter the save']);
  assert.deepEqual([chained.runs[0]!.quality.unrecognised, chained.runs[0]!.quality.traceback, chained.quality.traceback], [10, 10, 10]);
  // counted in the whole input's counts as in the run's, and given back from both
  for (const log of [parsed, chained, await read([...THREE, 'Epoch 4/5', ...traceback(OOM), ...KERAS.slice(6, 9), ...traceback('KeyboardInterrupt')])]) {
    assertQualitySums('a traceback', log.quality, log.runs.map((r) => r.quality), log.no_run);
  }
});

test('a traceback in the middle of the log, with more of the run after it, does not end the run', async () => {
  // a retried step: the traceback, then epochs 4 and 5 as the capture has them
  const retried = await judge([...THREE, 'Epoch 4/5', ...traceback(OOM), ...KERAS.slice(6)]);
  assert.deepEqual([retried.run.outcome, retried.run.error], ['completed', null]);
  assert.equal(retried.quality.unrecognised, 4);
  // the header of the next epoch alone is enough: the run went on
  const going = await judge([...THREE, ...traceback(OOM), 'Epoch 4/5']);
  assert.equal(going.run.outcome, 'incomplete');
  // without the traceback the log is what it was: cut short or still running
  const cut = await judge([...THREE, 'Epoch 4/5']);
  assert.equal(cut.run.outcome, 'incomplete');
  assert.match(cut.verdict.reason, /still running/);
});

test('a traceback after the planned last epoch: the script failed after training; text after the exception does not undo it', async () => {
  const a = await judge([...KERAS, ...traceback('OSError: [Errno 28] No space left on device'), 'Exiting.']);
  assert.deepEqual([a.run.outcome, a.run.error?.name], ['failed', 'OSError']);
  assert.match(a.verdict.reason, /^The run failed after epoch 5 of 5 \(OSError: \[Errno 28\] No space left on device\)/);
});

test('a traceback that ends a run behind a launcher\'s prefix (docker compose) is read past it', async () => {
  const a = await judge([...THREE, ...CTRL_C].map((l) => `trainer-1  | ${l}`));
  assert.deepEqual([a.run.outcome, a.quality.unrecognised, a.quality.plain_text], ['interrupted', 4, undefined]);
});

test('a traceback before the first epoch ended: failed, not "no epochs"', async () => {
  const parsed = await read(['Epoch 1/5', ...traceback(OOM)]);
  const a = analyzeRun(parsed.runs[0]!, parsed.quality, { generatedAt: GEN });
  assert.equal(a.run.outcome, 'failed');
  assert.match(a.verdict.reason, /^The run failed \(RuntimeError: CUDA out of memory/);
});

test('a traceback Python prints for an exception that did not end the script (at exit, in a thread) ends no run', async () => {
  // all 5 epochs, then the traceback of an exception raised in a __del__ at interpreter exit, as Python prints it
  const atExit = ['Exception ignored in: <function Pool.__del__ at 0x7f3c2a1b8e50>', 'Traceback (most recent call last):',
    '  File "/usr/lib/python3.10/multiprocessing/pool.py", line 268, in __del__', "AttributeError: 'NoneType' object has no attribute 'util'"];
  const a = await judge([...KERAS, ...atExit]);
  assert.deepEqual([a.run.outcome, a.run.error ?? null, a.verdict.level], ['completed', null, 'needs attention']);
  // its lines are unusable still (the data-quality finding), never plain text, and no run's end
  assert.deepEqual([a.quality.unrecognised, a.quality.plain_text ?? 0, a.quality.traceback], [4, 0, undefined]);
  // in a thread other than the main one: the same; chained blocks after it too
  const thread = ['Exception in thread Thread-1 (prefetch):', ...traceback('ValueError: bad shard'), '',
    'During handling of the above exception, another exception occurred:', '', ...traceback('OSError: closed')];
  assert.equal((await judge([...KERAS, ...thread])).run.outcome, 'completed');
  // a fatal one after them still ends the run
  assert.equal((await judge([...THREE, ...thread, 'Epoch 4/5', ...traceback('KeyboardInterrupt')])).run.outcome, 'interrupted');
});

test('behind docker compose, another service\'s line neither closes the traceback nor becomes the run\'s error', async () => {
  const lines = [...[...THREE, 'Epoch 4/5', ...traceback('KeyboardInterrupt').slice(0, 2)].map((l) => `trainer-1  | ${l}`),
    'redis-1    | WARNING: overcommit_memory is set to 0', `trainer-1  | ${traceback('')[2]}`, 'trainer-1  | KeyboardInterrupt'];
  const a = await judge(lines);
  assert.equal(a.run.outcome, 'interrupted');
  assert.match(a.verdict.reason, /^The run was interrupted after epoch 3 of 5 \(KeyboardInterrupt: the log ends in its Python traceback\)/);
  assert.doesNotMatch(a.verdict.reason, /WARNING|overcommit/);
});

test('an exception message that goes on over indented lines is the traceback\'s too, not plain text', async () => {
  const lines = [...THREE, 'Epoch 4/5', ...traceback('RuntimeError: Error(s) in loading state_dict for Net:'),
    '\tMissing key(s) in state_dict: "fc1.weight", "fc1.bias".', '\tUnexpected key(s) in state_dict: "fc.weight".'];
  const a = await judge(lines);
  assert.deepEqual([a.run.outcome, a.run.error?.name, a.run.error?.message], ['failed', 'RuntimeError', 'Error(s) in loading state_dict for Net:']);
  // the 4 lines of the traceback and the message's 2
  assert.deepEqual([a.quality.unrecognised, a.quality.plain_text ?? 0], [6, 0]);
});
