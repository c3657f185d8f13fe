// --follow end to end, with the built bins: a real mnist-train writing its events to a file
// while mnist-report follows it; the report growing epoch by epoch as lines are appended;
// Ctrl-C writing the report of what was read. Steps wait for what they expect to see
// (a stderr line, a report file), never for a length of time.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFile, mkdtemp, readFile, readdir, rename, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPORT_BIN, ROOT, TRAIN_BIN } from '../support/cloudwatch-cli.js';
import { start } from '../support/spawned.js';
import { runReport } from './report-cli.js';
import { runLines } from '../support/cloudwatch-runs.js';

const AT = '2026-11-30T12:00:00Z';

async function withDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'report-follow-'));
  try { await fn(dir); } finally { await rm(dir, { recursive: true, force: true }); }
}

test('--follow on a file mnist-train is writing: an epoch line each, and the final report equals a one-shot report', { timeout: 240_000 }, () => withDir(async (dir) => {
  const log = join(dir, 'run.jsonl');
  const follow = start(REPORT_BIN, ['--follow', '-i', log, '-o', join(dir, 'follow'), '--generated-at', AT, '--fail-on', 'incomplete']);
  await follow.waitFor(/does not exist yet/);
  const train = start(TRAIN_BIN, ['--epochs', '2', '--train-samples', '2000', '--validation-samples', '1000', '--out', log]);
  assert.equal(await train.done, 0, train.stderr());
  assert.equal(await follow.done, 0, follow.stderr());
  assert.match(follow.stderr(), /epoch 1\/2: loss \d\.\d{4}, accuracy \d+\.\d\d%, val_loss \d\.\d{4}, val_accuracy \d+\.\d\d%/);
  assert.match(follow.stderr(), /epoch 2\/2: /);
  assert.match(follow.stderr(), /Both quality gates passed\./); // incomplete and the default failed

  const once = await runReport(['-i', log, '-o', join(dir, 'once'), '--generated-at', AT, '--fail-on', 'incomplete'], { bin: REPORT_BIN });
  assert.equal(once.code, 0, once.stderr);
  const [run] = await readdir(join(dir, 'once'));
  const files = (await readdir(join(dir, 'once', run!))).sort();
  assert.deepEqual((await readdir(join(dir, 'follow', run!))).sort(), files);
  for (const f of files) {
    assert.ok((await readFile(join(dir, 'follow', run!, f))).equals(await readFile(join(dir, 'once', run!, f))), `${f} differs`);
  }
}));

test('--follow re-renders as epochs are appended, and Ctrl-C writes the report of what was read (exit 130)', { timeout: 120_000 }, () => withDir(async (dir) => {
  const lines = (await readFile(join(ROOT, 'fixtures/mnist-train-5epochs.jsonl'), 'utf8')).split('\n').filter(Boolean);
  const upTo = (epoch: number) => lines.findIndex((l) => l.includes('"event":"epoch_end"') && l.includes(`"epoch":${epoch},`)) + 1;
  const log = join(dir, 'run.jsonl');
  await writeFile(log, `${lines.slice(0, upTo(1)).join('\n')}\n`);
  const out = join(dir, 'out');
  const follow = start(REPORT_BIN, ['--follow', '-i', log, '-o', out, '--generated-at', AT]);
  const epochsInReport = async (): Promise<number> => {
    const json = JSON.parse(await readFile(join(out, '20261130T070537Z-f4b168', 'report.json'), 'utf8')) as { run: { epochs_seen: number } };
    return json.run.epochs_seen;
  };
  const reportHas = async (n: number): Promise<void> => {
    // the report is rewritten (debounced) after the epoch line: wait for it, as a reader of the folder would
    while (await epochsInReport().catch(() => 0) !== n) await new Promise((r) => setTimeout(r, 50));
  };
  await follow.waitFor(/epoch 1\/5/);
  await reportHas(1);
  await appendFile(log, `${lines.slice(upTo(1), upTo(3)).join('\n')}\n`);
  await follow.waitFor(/epoch 3\/5/);
  await reportHas(3);
  follow.child.kill('SIGINT');
  assert.equal(await follow.done, 130, follow.stderr());
  assert.match(follow.stderr(), /SIGINT: writing the report of what was read/);
  assert.equal(await epochsInReport(), 3);
  const md = await readFile(join(out, '20261130T070537Z-f4b168', 'report.md'), 'utf8');
  assert.match(md, /incomplete/);
}));

test('--follow: a whole run that lands in a new file at once is followed to its end (exit 0)', { timeout: 120_000 }, () => withDir(async (dir) => {
  const log = join(dir, 'run.jsonl');
  const follow = start(REPORT_BIN, ['--follow', '-i', log, '-o', join(dir, 'out'), '--generated-at', AT]);
  await follow.waitFor(/does not exist yet/);
  await writeFile(join(dir, 'tmp'), await readFile(join(ROOT, 'fixtures/mnist-train-5epochs.jsonl')));
  await rename(join(dir, 'tmp'), log);
  assert.equal(await follow.done, 0, follow.stderr());
  assert.match(follow.stderr(), /epoch 5\/5: /);
  assert.match(follow.stderr(), /wrote \d+ files to .*20261130T070537Z-f4b168/);
}));

test('--follow on a file whose scikit-learn evaluation (no epochs) is over: reported once as such, not followed until Ctrl-C; a fit printed after it is followed to its end (exit 0)', { timeout: 120_000 }, (t) => withDir(async (dir) => {
  const log = join(dir, 'eval.log');
  await writeFile(log, await readFile(join(ROOT, 'fixtures/sklearn-svm-confusion-matrix.log')));
  const follow = start(REPORT_BIN, ['--follow', '-i', log, '-o', join(dir, 'out'), '--generated-at', AT]);
  t.signal.addEventListener('abort', () => follow.child.kill('SIGKILL')); // a hang is the test's timeout, not a stuck suite
  try {
    await follow.waitFor(/run "eval" had ended before following began \(evaluation only, 0 epochs; verdict: [a-z ]+\): its report is in \S+\/eval\/; waiting for the next run to start/);
    // the job trains next, into the same log (a real Keras capture): the same run, as a one-shot read has it, followed to its last epoch
    await appendFile(log, await readFile(join(ROOT, 'fixtures/keras2-verbose2.log')));
    assert.equal(await follow.done, 0, follow.stderr());
  } finally {
    if (follow.child.exitCode === null) follow.child.kill('SIGKILL');
  }
  assert.match(follow.stderr(), /epoch 5\/5: /);
  assert.match(follow.stderr(), /wrote \d+ files to \S+\/eval\/ \(run "eval", completed, 5 epochs\)/);
}));

test('--follow: a scikit-learn evaluation that lands in a new file ends the follow with its report (exit 0)', { timeout: 120_000 }, (t) => withDir(async (dir) => {
  const log = join(dir, 'eval.log');
  const follow = start(REPORT_BIN, ['--follow', '-i', log, '-o', join(dir, 'out'), '--generated-at', AT]);
  t.signal.addEventListener('abort', () => follow.child.kill('SIGKILL'));
  try {
    await follow.waitFor(/does not exist yet/);
    await writeFile(log, '');
    await follow.waitFor(/appeared/);
    await appendFile(log, await readFile(join(ROOT, 'fixtures/sklearn-svm-confusion-matrix.log')));
    assert.equal(await follow.done, 0, follow.stderr());
  } finally {
    if (follow.child.exitCode === null) follow.child.kill('SIGKILL');
  }
  assert.match(follow.stderr(), /wrote \d+ files to \S+\/eval\/ \(run "eval", evaluation only, 0 epochs\)/);
  const once = await runReport(['-i', log, '-o', join(dir, 'once'), '--generated-at', AT], { bin: REPORT_BIN });
  for (const f of (await readdir(join(dir, 'once', 'eval'))).sort()) {
    assert.ok((await readFile(join(dir, 'out', 'eval', f))).equals(await readFile(join(dir, 'once', 'eval', f))), `${f} differs`);
  }
}));

test('--follow: a scikit-learn evaluation printed after a Keras run\'s last planned epoch is the run\'s; the follow reads on until the log is quiet and its final report equals the one-shot report (exit 0)', { timeout: 120_000 }, (t) => withDir(async (dir) => {
  const log = join(dir, 'ks.log');
  await writeFile(log, '');
  const follow = start(REPORT_BIN, ['--follow', '-i', log, '-o', join(dir, 'out'), '--generated-at', AT]);
  t.signal.addEventListener('abort', () => follow.child.kill('SIGKILL'));
  const evaluation = (await readFile(join(ROOT, 'fixtures/sklearn-svm-confusion-matrix.log'), 'utf8')).split('\n').filter(Boolean);
  try {
    await follow.waitFor(/waiting for a run to start/);
    // the real Keras capture, then, once the follow has read its last planned epoch, the script's evaluation
    // (a real scikit-learn capture), as `cat keras2-verbose2.log sklearn-svm-confusion-matrix.log` prints them
    await appendLines(log, await kerasLines());
    await follow.waitFor(/epoch 5\/5: /);
    await appendLines(log, evaluation);
    assert.equal(await follow.done, 0, follow.stderr());
  } finally {
    if (follow.child.exitCode === null) follow.child.kill('SIGKILL');
  }
  const once = await runReport(['-i', log, '-o', join(dir, 'once'), '--generated-at', AT], { bin: REPORT_BIN });
  assert.equal(once.code, 0, once.stderr);
  assert.match(once.stderr, /verdict for run "ks": needs attention/);
  const files = (await readdir(join(dir, 'once', 'ks'))).sort();
  assert.ok(files.some((f) => /confusion/.test(f)), files.join(' '));
  assert.deepEqual((await readdir(join(dir, 'out', 'ks'))).sort(), files);
  for (const f of files) assert.ok((await readFile(join(dir, 'out', 'ks', f))).equals(await readFile(join(dir, 'once', 'ks', f))), `${f} differs`);
  assert.match(follow.stderr(), new RegExp(`wrote ${files.length} files to \\S+/ks/ \\(run "ks", completed, 5 epochs\\)`));
}));

test('--follow ends at a run_end that has no newline after it (a writer that never ends its last line), exit 0', { timeout: 120_000 }, () => withDir(async (dir) => {
  const log = join(dir, 'run.jsonl');
  const follow = start(REPORT_BIN, ['--follow', '-i', log, '-o', join(dir, 'out'), '--generated-at', AT]);
  await follow.waitFor(/does not exist yet/);
  const whole = (await readFile(join(ROOT, 'fixtures/mnist-train-5epochs.jsonl'), 'utf8')).trimEnd();
  await writeFile(join(dir, 'tmp'), whole);
  await rename(join(dir, 'tmp'), log);
  assert.equal(await follow.done, 0, follow.stderr());
  assert.match(follow.stderr(), /wrote \d+ files to .*20261130T070537Z-f4b168\/ \(run "20261130T070537Z-f4b168", completed, 5 epochs\)/);
}));

test('--follow: a run that starts before the followed one ended is followed from then on, and that is said', { timeout: 120_000 }, () => withDir(async (dir) => {
  const lines = (await readFile(join(ROOT, 'fixtures/mnist-train-5epochs.jsonl'), 'utf8')).split('\n').filter(Boolean);
  const upTo = (epoch: number) => lines.findIndex((l) => l.includes('"event":"epoch_end"') && l.includes(`"epoch":${epoch},`)) + 1;
  const log = join(dir, 'run.jsonl');
  await writeFile(log, `${lines.slice(0, upTo(2)).join('\n')}\n`);
  const follow = start(REPORT_BIN, ['--follow', '-i', log, '-o', join(dir, 'out'), '--generated-at', AT]);
  await follow.waitFor(/epoch 2\/5/);
  // the task restarted: a second run, whole, with its own id and later times
  const second = lines.map((l) => l.replaceAll('20261130T070537Z-f4b168', 'restarted-run').replaceAll('2026-11-30T07:', '2026-11-30T08:'));
  await appendFile(log, `${second.join('\n')}\n`);
  assert.equal(await follow.done, 0, follow.stderr());
  assert.match(follow.stderr(), /run "?20261130T070537Z-f4b168"? stopped without its run_end \(its report is as of epoch 2, incomplete\); following run "?restarted-run"?, which started after it/);
  assert.match(follow.stderr(), /wrote \d+ files to .*restarted-run\/ \(run "restarted-run", completed, 5 epochs\)/);
}));

/** A real Keras capture's lines (one fit of 5 epochs: an `Epoch n/5` line and its summary line each). */
async function kerasLines(): Promise<string[]> {
  return (await readFile(join(ROOT, 'fixtures/keras2-verbose2.log'), 'utf8')).split('\n').filter(Boolean);
}

/** Appends lines one at a time, as a trainer prints them. */
async function appendLines(path: string, lines: string[]): Promise<void> {
  for (const l of lines) await appendFile(path, `${l}\n`);
}

/** The epochs in a report folder's report.json, once it is there with n of them (the report is rewritten after the epoch line). */
async function reportHas(folder: string, n: number): Promise<void> {
  const seen = () => readFile(join(folder, 'report.json'), 'utf8').then((t) => (JSON.parse(t) as { run: { epochs_seen: number } }).run.epochs_seen, () => 0);
  while (await seen() !== n) await new Promise((r) => setTimeout(r, 50));
}

test('--follow: a file truncated and written again (a restarted job) is read again as the file\'s first fit; its report replaces the folder of that name', { timeout: 120_000 }, () => withDir(async (dir) => {
  const lines = await kerasLines();
  const log = join(dir, 'grow.log');
  const out = join(dir, 'out');
  await writeFile(log, '');
  await appendLines(log, lines.slice(0, 4));
  const follow = start(REPORT_BIN, ['--follow', '-i', log, '-o', out, '--generated-at', AT, '--poll-interval', '0.05']);
  await follow.waitFor(/epoch 2\/5/);
  await reportHas(join(out, 'grow'), 2);
  // the job restarted: `: > grow.log`, then its lines again, the whole fit this time
  await truncate(log, 0);
  await follow.waitFor(/was truncated/);
  await appendLines(log, lines);
  assert.equal(await follow.done, 0, follow.stderr());
  const stderr = follow.stderr();
  assert.ok(stderr.split('\n').includes(`mnist-report: ${log} was truncated: reading it again from the start`), stderr);
  assert.doesNotMatch(stderr, /fit2|stopped without its run_end/);
  assert.match(stderr, /wrote \d+ files to .*grow\/ \(run "grow", completed, 5 epochs\)/);
  assert.deepEqual(await readdir(out), ['grow']);
  await reportHas(join(out, 'grow'), 5);
  // and it is the report of the file as it now is
  const once = await runReport(['-i', log, '-o', join(dir, 'once'), '--generated-at', AT], { bin: REPORT_BIN });
  assert.equal(once.code, 0, once.stderr);
  assert.deepEqual(await readdir(join(dir, 'once')), ['grow']);
  for (const f of ['report.md', 'report.json']) {
    assert.equal(await readFile(join(out, 'grow', f), 'utf8'), await readFile(join(dir, 'once', 'grow', f), 'utf8'), `${f} differs`);
  }
}));

test('--follow: a file truncated and written again with another run: one line says the followed run is no longer in it and that its report, as of its last epoch read, stays, not final; the other run is followed', { timeout: 120_000 }, () => withDir(async (dir) => {
  const log = join(dir, 'rot.jsonl');
  const out = join(dir, 'out');
  const first = runLines('run1', 5, Date.parse('2026-11-30T10:00:00Z')).map((e) => e.message);
  await writeFile(log, '');
  const follow = start(REPORT_BIN, ['--follow', '-i', log, '-o', out, '--generated-at', AT, '--poll-interval', '0.05']);
  await follow.waitFor(/waiting for a run to start/);
  await appendLines(log, first.slice(0, 4));
  await follow.waitFor(/run "run1" epoch 3\/5/);
  await truncate(log, 0);
  await follow.waitFor(/was truncated/);
  await appendLines(log, runLines('run2', 2, Date.parse('2026-11-30T11:00:00Z')).map((e) => e.message));
  assert.equal(await follow.done, 0, follow.stderr());
  const lines = follow.stderr().split('\n');
  const gone = lines.indexOf(`mnist-report: run "run1" is no longer in ${log}: its report in ${out}/run1/ is as of epoch 3/5 and stays there, not final ` +
    '(a run of that name read from the file now would replace it)');
  assert.ok(gone > lines.indexOf(`mnist-report: ${log} was truncated: reading it again from the start`), follow.stderr());
  assert.match(follow.stderr(), /wrote \d+ files to .*run2\/ \(run "run2", completed, 2 epochs\)/);
  // the report of what was read of run1 is there, whether or not a debounced render had written its epoch 3
  await reportHas(join(out, 'run1'), 3);
  assert.deepEqual((await readdir(out)).sort(), ['run1', 'run2']);
}));

test('--follow: a file replaced by a new one (another inode) is read from the start as the file\'s; a folder of the old content\'s other run is left as it was', { timeout: 120_000 }, () => withDir(async (dir) => {
  const lines = await kerasLines();
  const log = join(dir, 'grow.log');
  const out = join(dir, 'out');
  // a whole fit (over before following began: not followed) and 2 epochs of a second fit in the same file
  await writeFile(log, '');
  await appendLines(log, [...lines, ...lines.slice(0, 4)]);
  const follow = start(REPORT_BIN, ['--follow', '-i', log, '-o', out, '--generated-at', AT, '--poll-interval', '0.05']);
  await follow.waitFor(/run "grow-fit2" epoch 2\/5/);
  await reportHas(join(out, 'grow-fit2'), 2);
  const fit2 = await readFile(join(out, 'grow-fit2', 'report.md'), 'utf8');
  // a new file renamed over the followed one (no moment without a file of that name), then written to
  await writeFile(join(dir, 'new.log'), '');
  await rename(join(dir, 'new.log'), log);
  await follow.waitFor(/was replaced/);
  await appendLines(log, lines);
  assert.equal(await follow.done, 0, follow.stderr());
  assert.ok(follow.stderr().split('\n').includes(`mnist-report: ${log} was replaced (rotated): reading the new file from the start`), follow.stderr());
  assert.match(follow.stderr(), /wrote \d+ files to .*grow\/ \(run "grow", completed, 5 epochs\)/);
  assert.deepEqual((await readdir(out)).sort(), ['grow', 'grow-fit2']);
  await reportHas(join(out, 'grow'), 5);
  assert.equal(await readFile(join(out, 'grow-fit2', 'report.md'), 'utf8'), fit2, 'the other folder is not touched');
}));

test('--follow --run with mnist-train\'s id of a run that started long ago, on a file holding other runs: one line naming the id, exit 2, not a wait for ever', { timeout: 60_000 }, (t) => withDir(async (dir) => {
  // the fixture's run, and an id copied from elsewhere: mnist-train's own shape, whose time says its run began a year before
  const log = join(ROOT, 'fixtures/mnist-train-5epochs.jsonl');
  const out = join(dir, 'out');
  const follow = start(REPORT_BIN, ['--follow', '-i', log, '--run', '20251130T070537Z-f4b168', '-o', out, '--generated-at', AT]);
  t.signal.addEventListener('abort', () => follow.child.kill('SIGKILL')); // the hang this was is the test's timeout, not a stuck suite
  assert.equal(await follow.done, 2, follow.stderr());
  const lines = follow.stderr().trim().split('\n');
  assert.equal(lines.length, 2, follow.stderr()); // "following …", then the error
  // the log group's sentence (wording/follow.ts runNotInInput), with the file as the place
  assert.equal(lines[1], `mnist-report: --follow --run 20251130T070537Z-f4b168: ${log} holds no run of that id (no mnist-train event carries it, ` +
    "no trainer text is named by it), and none is coming: the id is mnist-train's own, of a run that started at 2025-11-30T07:05:37Z, " +
    'whose first event would be there by now; give an id --list prints, or --run latest to follow the next run to start');
  assert.deepEqual(await readdir(dir), [], 'nothing written');
}));

test('--follow --run with an id chosen before its run starts (mnist-train --run-id), on a file holding another run: waited for with one line, then followed to its end (exit 0)', { timeout: 120_000 }, (t) => withDir(async (dir) => {
  const lines = (await readFile(join(ROOT, 'fixtures/mnist-train-5epochs.jsonl'), 'utf8')).split('\n').filter(Boolean);
  const log = join(dir, 'runs.jsonl');
  await writeFile(log, `${lines.join('\n')}\n`);
  const follow = start(REPORT_BIN, ['--follow', '-i', log, '--run', 'exp-7', '-o', join(dir, 'out'), '--generated-at', AT, '--poll-interval', '0.05']);
  t.signal.addEventListener('abort', () => follow.child.kill('SIGKILL'));
  try {
    await follow.waitFor(/waiting for the first event/);
    assert.ok(follow.stderr().split('\n').includes(`mnist-report: waiting for the first event of run "exp-7": ${log} holds none yet (Ctrl-C stops; --list shows the ids it holds)`), follow.stderr());
    // mnist-train --run-id exp-7 --out runs.jsonl appends its run
    const next = lines.map((l) => l.replaceAll('20261130T070537Z-f4b168', 'exp-7').replaceAll('2026-11-30T07:', '2026-11-30T08:'));
    await appendLines(log, next);
    assert.equal(await follow.done, 0, follow.stderr());
  } finally {
    if (follow.child.exitCode === null) follow.child.kill('SIGKILL');
  }
  assert.match(follow.stderr(), /run "exp-7" epoch 5\/5: /);
  assert.doesNotMatch(follow.stderr(), /no event of run/);
  assert.doesNotMatch(follow.stderr(), /run "20261130T070537Z-f4b168" epoch/);
  assert.match(follow.stderr(), /wrote \d+ files to \S+\/exp-7\/ \(run "exp-7", completed, 5 epochs\)/);
}));

test('--follow --run with an id still to come: Ctrl-C ends the wait, saying no event of that id was read (exit 130, nothing written)', { timeout: 60_000 }, (t) => withDir(async (dir) => {
  const log = join(ROOT, 'fixtures/mnist-train-5epochs.jsonl');
  const follow = start(REPORT_BIN, ['--follow', '-i', log, '--run', 'exp-7', '-o', join(dir, 'out'), '--generated-at', AT]);
  t.signal.addEventListener('abort', () => follow.child.kill('SIGKILL'));
  await follow.waitFor(/waiting for the first event of run "exp-7"/);
  follow.child.kill('SIGINT');
  assert.equal(await follow.done, 130, follow.stderr());
  assert.equal(follow.stderr().trim().split('\n').at(-1), `mnist-report: no event of run "exp-7" was read from ${log}`);
  assert.deepEqual(await readdir(dir), [], 'nothing written');
}));

test('--follow without --generated-at: the final report is dated when it is written, not when the follow started', { timeout: 120_000 }, () => withDir(async (dir) => {
  const lines = (await readFile(join(ROOT, 'fixtures/mnist-train-5epochs.jsonl'), 'utf8')).split('\n').filter(Boolean);
  const firstEpoch = lines.findIndex((l) => l.includes('"event":"epoch_end"')) + 1;
  const log = join(dir, 'run.jsonl');
  await writeFile(log, `${lines.slice(0, firstEpoch).join('\n')}\n`);
  const out = join(dir, 'out');
  const follow = start(REPORT_BIN, ['--follow', '-i', log, '-o', out]);
  await follow.waitFor(/epoch 1\/5/);
  // the rest of the run lands once the follow has read its first epoch (and so after a time taken at its start)
  const appended = Date.now();
  await appendFile(log, `${lines.slice(firstEpoch).join('\n')}\n`);
  assert.equal(await follow.done, 0, follow.stderr());
  const json = JSON.parse(await readFile(join(out, '20261130T070537Z-f4b168', 'report.json'), 'utf8')) as { generated_at: string };
  assert.ok(Date.parse(json.generated_at) >= appended, `generated_at ${json.generated_at} is before the run's last lines were written (${new Date(appended).toISOString()})`);
}));

test('--follow usage errors on files are one line, exit 2, and nothing is written', { timeout: 60_000 }, () => withDir(async (dir) => {
  const log = join(ROOT, 'fixtures/mnist-train-5epochs.jsonl');
  const out = join(dir, 'out');
  const cases: [string[], RegExp][] = [
    [['-i', '-', '--follow'], /^mnist-report: --follow takes exactly one --input FILE \(not stdin\) or a --log-group$/],
    // two files (one file given twice is read once, and so followed: report-args.ts, onceEach)
    [['-i', log, '-i', join(ROOT, 'fixtures/mnist-train-1epoch-evaluation.jsonl'), '--follow'], /^mnist-report: --follow takes exactly one --input FILE/],
    [['-i', log, '--poll-interval', '2'], /^mnist-report: --poll-interval sets how often --follow looks for new events: give it with --follow, or leave it out$/],
    [['-i', '-', '-i', '-'], /^mnist-report: -i - \(stdin\) can be read once: give it one time$/],
  ];
  for (const [args, message] of cases) {
    const r = await runReport([...args, '-o', out, '--generated-at', AT], { bin: REPORT_BIN, stdin: await readFile(log) });
    assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr.trim(), message);
    assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
    assert.deepEqual(await readdir(dir), [], `${args.join(' ')} wrote nothing`);
  }
}));
