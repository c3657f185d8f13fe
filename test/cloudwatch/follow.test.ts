// --follow on a log group, end to end: the built bins against the CloudWatch test server
// through the real AWS SDK. A real mnist-train ships a run (--log-group, --endpoint-url) while
// mnist-report --follow follows it; Ctrl-C on a follow writes the report of what was read.
// Steps wait for what they expect to see (a stderr line, a report file), never for a time.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startCloudWatchServer, type CloudWatchServer } from '../support/cloudwatch-server.js';
import { childEnv } from '../support/cloudwatch-sdk.js';
import { REPORT_BIN, ROOT, runBin, TRAIN_BIN } from '../support/cloudwatch-cli.js';
import { start } from '../support/spawned.js';

const AT = '2026-11-30T12:00:00Z';
let server: CloudWatchServer;
let tmp: string;

before(async () => {
  server = await startCloudWatchServer();
  tmp = await mkdtemp(join(tmpdir(), 'cw-follow-'));
});
after(async () => {
  await server.close();
  await rm(tmp, { recursive: true, force: true });
});

const epochsIn = async (folder: string): Promise<number | null> => {
  try {
    return (JSON.parse(await readFile(join(folder, 'report.json'), 'utf8')) as { run: { epochs_seen: number } }).run.epochs_seen;
  } catch {
    return null; // not written yet (or being swapped in)
  }
};

test('--follow --log-group while mnist-train ships a run: the report gains epochs as it trains, ends at run_end (exit 0) and equals a one-shot report', { timeout: 300_000 }, async () => {
  const G = '/ecs/follow-train';
  const cloud = ['--log-group', G, '--endpoint-url', server.url];
  const out = join(tmp, 'follow');
  const follow = start(REPORT_BIN, [...cloud, '--follow', '--poll-interval', '0.2', '-o', out, '--generated-at', AT, '--fail-on', 'incomplete'], childEnv(server));
  // the group does not exist yet: mnist-train creates it
  await follow.waitFor(/log group \/ecs\/follow-train does not exist yet; waiting for it/);
  // The trainer is paused (SIGSTOP) by the server at the moment its PutLogEvents carrying epoch 1 arrives,
  // so the report of its first epoch is seen before its run can end, however fast it trains. Its epochs
  // (6000 samples) take longer than its flush interval, so epoch 1 is not shipped in one batch with the last.
  const train = start(TRAIN_BIN, ['--epochs', '3', '--train-samples', '6000', '--validation-samples', '1000', ...cloud, '--flush-interval', '0.05'], childEnv(server));
  let paused = false;
  server.onPut = (group, _stream, messages) => {
    if (paused || group !== G || !messages.some((m) => m.includes('"event":"epoch_end"') && m.includes('"epoch":1,'))) return;
    paused = train.child.kill('SIGSTOP');
  };
  let folder: string | undefined;
  let early: number | null = null;
  try {
    await follow.waitFor(/epoch 1\/3: loss \d\.\d{4}, accuracy \d+\.\d\d%, val_loss \d\.\d{4}, val_accuracy \d+\.\d\d%/);
    while (early === null) {
      folder ??= (await readdir(out).catch(() => [] as string[])).find((f) => !f.startsWith('.'));
      early = folder ? await epochsIn(join(out, folder)) : null;
      if (early === null) await new Promise((r) => setTimeout(r, 50));
    }
  } finally {
    server.onPut = null;
    train.child.kill('SIGCONT');
  }
  assert.ok(paused, 'the trainer was paused when it shipped epoch 1');
  assert.equal(await train.done, 0, train.stderr());
  assert.equal(await follow.done, 0, follow.stderr());
  assert.ok(early < 3, `the report had ${early} of 3 epochs while the trainer ran`);
  assert.equal(await epochsIn(join(out, folder!)), 3);
  // found by its run_start while waiting, or as the latest run when the group appeared with it in
  assert.match(follow.stderr(), /run \S+ started; following it|following run \S+ \(stream mnist-train\/\S+\)/);
  assert.match(follow.stderr(), /epoch 3\/3: /);
  assert.match(follow.stderr(), /Both quality gates passed\./);

  const once = await runBin(REPORT_BIN, [...cloud, '-o', join(tmp, 'once'), '--generated-at', AT, '--fail-on', 'incomplete'], childEnv(server));
  assert.equal(once.code, 0, once.stderr);
  const [run] = await readdir(join(tmp, 'once'));
  const files = (await readdir(join(tmp, 'once', run!))).sort();
  assert.ok(files.includes('report.json') && files.includes('report.md'));
  assert.deepEqual((await readdir(join(out, run!))).sort(), files);
  for (const f of files) {
    assert.ok((await readFile(join(out, run!, f))).equals(await readFile(join(tmp, 'once', run!, f))), `${f} differs`);
  }
});

test('Ctrl-C on a --follow --log-group writes the report of what was read and exits 130', { timeout: 120_000 }, async () => {
  const G = '/ecs/follow-sigint';
  // the first 3 of 5 epochs of a real run, shipped at their own times; no run_end yet
  const lines = (await readFile(join(ROOT, 'fixtures/mnist-train-5epochs.jsonl'), 'utf8')).split('\n').filter(Boolean);
  const upTo = lines.findIndex((l) => l.includes('"event":"epoch_end"') && l.includes('"epoch":3,')) + 1;
  server.seed.stream(G, 'mnist-train/run', lines.slice(0, upTo).map((message) => ({ timestamp: Date.parse((JSON.parse(message) as { time: string }).time), message })));
  const out = join(tmp, 'sigint');
  const follow = start(REPORT_BIN, ['--log-group', G, '--endpoint-url', server.url, '--follow', '--poll-interval', '0.2', '-o', out, '--generated-at', AT], childEnv(server));
  await follow.waitFor(/epoch 3\/5: /);
  const folder = join(out, '20261130T070537Z-f4b168');
  while (await epochsIn(folder) !== 3) await new Promise((r) => setTimeout(r, 50));
  follow.child.kill('SIGINT');
  assert.equal(await follow.done, 130, follow.stderr());
  assert.match(follow.stderr(), /SIGINT: writing the report of what was read/);
  assert.equal(await epochsIn(folder), 3);
  const md = await readFile(join(folder, 'report.md'), 'utf8');
  assert.match(md, /incomplete/);
  // a live view as of the signal, not a run that stopped
  assert.match(md, /The log as read stops after epoch 3 of 5 with no run\\_end: --follow stopped at \S+ on SIGINT, so epochs after 3 may exist\./);
  assert.doesNotMatch(md, /the run stopped, crashed or its log was cut/);
});

test('--follow --log-group whose CloudWatch goes away: one-line error, exit 1, and the report left on disk says it is a live view that stopped when reading failed, not that the run stopped', { timeout: 120_000 }, async () => {
  // a server of its own, closed while the follow polls it (the tester killed theirs after epoch 2)
  const dying = await startCloudWatchServer();
  const G = '/ecs/follow-dies';
  // the first 2 of 5 epochs of a real run; the trainer goes on, but the follow will not see it
  const lines = (await readFile(join(ROOT, 'fixtures/mnist-train-5epochs.jsonl'), 'utf8')).split('\n').filter(Boolean);
  const upTo = lines.findIndex((l) => l.includes('"event":"epoch_end"') && l.includes('"epoch":2,')) + 1;
  dying.seed.stream(G, 'mnist-train/run', lines.slice(0, upTo).map((message) => ({ timestamp: Date.parse((JSON.parse(message) as { time: string }).time), message })));
  const out = join(tmp, 'dies');
  const follow = start(REPORT_BIN, ['--log-group', G, '--endpoint-url', dying.url, '--follow', '--poll-interval', '0.2', '--max-attempts', '2', '-o', out, '--generated-at', AT], childEnv(dying));
  const folder = join(out, '20261130T070537Z-f4b168');
  try {
    await follow.waitFor(/epoch 2\/5: /);
    while (await epochsIn(folder) !== 2) await new Promise((r) => setTimeout(r, 50));
  } finally {
    await dying.close();
  }
  assert.equal(await follow.done, 1, follow.stderr());
  const stderr = follow.stderr().trimEnd().split('\n');
  assert.ok(stderr.some((l) => /^mnist-report: reading log group \/ecs\/follow-dies: cannot reach CloudWatch Logs at \S+ \(ECONNREFUSED\)/.test(l)), stderr.join('\n'));
  // the last line says where the report is and as of which epoch
  assert.match(stderr.at(-1)!, /^mnist-report: --follow stopped before the run's end: the report in \S+\/20261130T070537Z-f4b168\/ is as of epoch 2\/5, and says so/);
  assert.equal(await epochsIn(folder), 2);
  const md = await readFile(join(folder, 'report.md'), 'utf8');
  assert.match(md, /\*\*Verdict: ⚠️ needs attention\.\*\* The log as read stops after epoch 2 of 5 with no run\\_end: --follow stopped at \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ when reading the log failed, so epochs after 2 may exist\./);
  assert.match(md, /This report was written by --follow, which stopped at \S+ when reading the log failed \(reading log group \/ecs\/follow-dies: cannot reach CloudWatch Logs/);
  assert.doesNotMatch(md, /cut short or is still running|the run stopped, crashed or its log was cut|Find out why the run stopped early/);
  const json = JSON.parse(await readFile(join(folder, 'report.json'), 'utf8')) as { follow_stopped?: { signal: string | null; error: string | null }; run: { outcome: string } };
  assert.equal(json.run.outcome, 'incomplete');
  assert.equal(json.follow_stopped?.signal, null);
  assert.match(json.follow_stopped?.error ?? '', /ECONNREFUSED/);
});

/** The log group and stream of a Keras job, whose stream holds its fits one after another. */
const TEXT = { group: '/ecs/follow-text', stream: 'keras/job-1' };

test('--follow --log-stream on a stream whose run is over: that run is reported as a one-shot read reports it (one line, no epochs replayed), then the next run in the stream is followed', { timeout: 120_000 }, async () => {
  const { group: G, stream: S } = TEXT;
  const cloud = ['--log-group', G, '--log-stream', S, '--endpoint-url', server.url, '--generated-at', AT];
  // a real Keras capture, the whole fit, already in the stream (a Keras log says nothing more after its last epoch)
  const keras2 = (await readFile(join(ROOT, 'fixtures/keras2-verbose2.log'), 'utf8')).split('\n').filter(Boolean);
  const t0 = Date.now() - 600_000;
  server.seed.stream(G, S, keras2.map((message, i) => ({ timestamp: t0 + i * 1000, message })));
  const once = await runBin(REPORT_BIN, [...cloud, '-o', join(tmp, 'text-once')], childEnv(server));
  assert.equal(once.code, 0, once.stderr);
  assert.match(once.stderr, /verdict for run "keras\/job-1": healthy: /);
  const [folder] = await readdir(join(tmp, 'text-once'));
  const out = join(tmp, 'text-follow');
  const follow = start(REPORT_BIN, [...cloud, '--follow', '--poll-interval', '0.2', '-o', out], childEnv(server));
  try {
    await followsTextStream(follow, folder!, out);
  } finally {
    if (follow.child.exitCode === null) follow.child.kill('SIGKILL'); // a failed step leaves no follow polling the server
  }
});

/** The steps of the test above once its follow has started: `folder`, the one-shot report's. */
async function followsTextStream(follow: ReturnType<typeof start>, folder: string, out: string): Promise<void> {
  await follow.waitFor(/waiting for (a|the next) run to start/);
  assert.match(follow.stderr(), new RegExp(`run "keras/job-1" had ended before following began \\(completed, 5 epochs; verdict: healthy\\): its report is in \\S+/${folder}/; waiting`));
  assert.doesNotMatch(follow.stderr(), /epoch \d\/5: /);
  // its report is the one-shot read's, file for file
  const files = (await readdir(join(tmp, 'text-once', folder))).sort();
  assert.deepEqual((await readdir(join(out, folder)).catch(() => [])).sort(), files);
  for (const f of files) assert.ok((await readFile(join(out, folder, f))).equals(await readFile(join(tmp, 'text-once', folder, f))), `${f} differs`);
  // the job runs again into the same stream (another real capture): followed as it arrives, to its end
  const keras3 = (await readFile(join(ROOT, 'fixtures/keras3.log'), 'utf8')).split('\n').filter(Boolean);
  server.seed.stream(TEXT.group, TEXT.stream, keras3.map((message, i) => ({ timestamp: Date.now() + i, message })));
  assert.equal(await follow.done, 0, follow.stderr());
  assert.match(follow.stderr(), /run "keras\/job-1-fit2" epoch 5\/5: /);
  assert.doesNotMatch(follow.stderr(), /stays as last written|stopped without its run_end|run "keras\/job-1" epoch/);
  assert.match(follow.stderr(), /wrote \d+ files to \S+\/keras-job-1-fit2-[0-9a-f]+\/ \(run "keras\/job-1-fit2", completed, 5 epochs\)/);
}

test('--follow --log-group --run latest whose latest run is a finished Keras run: reported once as a one-shot read reports it, then the next run, in a new stream, is followed to its end', { timeout: 120_000 }, async (t) => {
  const G = '/ecs/follow-text-latest';
  const S = 'keras/job-1';
  const cloud = ['--log-group', G, '--endpoint-url', server.url, '--generated-at', AT];
  const keras2 = (await readFile(join(ROOT, 'fixtures/keras2-verbose2.log'), 'utf8')).split('\n').filter(Boolean);
  const t0 = Date.now() - 600_000;
  server.seed.stream(G, S, keras2.map((message, i) => ({ timestamp: t0 + i * 1000, message })));
  const once = await runBin(REPORT_BIN, [...cloud, '-o', join(tmp, 'text-latest-once')], childEnv(server));
  assert.equal(once.code, 0, once.stderr);
  const [folder] = await readdir(join(tmp, 'text-latest-once'));
  const out = join(tmp, 'text-latest-follow');
  const follow = start(REPORT_BIN, [...cloud, '--follow', '--poll-interval', '0.2', '-o', out], childEnv(server));
  t.signal.addEventListener('abort', () => follow.child.kill('SIGKILL')); // a follow that never ends fails the test, not the suite
  try {
    await follow.waitFor(/waiting for the next run to start/);
    assert.match(follow.stderr(), new RegExp(`run "keras/job-1" had ended before following began \\(completed, 5 epochs; verdict: healthy\\): its report is in \\S+/${folder}/; waiting`));
    assert.doesNotMatch(follow.stderr(), /epoch \d\/5: /);
    const files = (await readdir(join(tmp, 'text-latest-once', folder!))).sort();
    assert.deepEqual((await readdir(join(out, folder!)).catch(() => [])).sort(), files);
    for (const f of files) assert.ok((await readFile(join(out, folder!, f))).equals(await readFile(join(tmp, 'text-latest-once', folder!, f))), `${f} differs`);
    // the next run, a real mnist-train run shipped by a new task into its own stream
    const run = (await readFile(join(ROOT, 'fixtures/mnist-train-5epochs.jsonl'), 'utf8')).split('\n').filter(Boolean);
    server.seed.stream(G, 'mnist-train/next', run.map((message, i) => ({ timestamp: Date.now() + i, message })));
    assert.equal(await follow.done, 0, follow.stderr());
  } finally {
    if (follow.child.exitCode === null) follow.child.kill('SIGKILL');
  }
  assert.match(follow.stderr(), /run 20261130T070537Z-f4b168 started; following it/);
  assert.match(follow.stderr(), /run "20261130T070537Z-f4b168" epoch 5\/5: /);
  assert.doesNotMatch(follow.stderr(), /run "keras\/job-1" epoch/);
  assert.match(follow.stderr(), /wrote \d+ files to \S+\/20261130T070537Z-f4b168\/ \(run "20261130T070537Z-f4b168", completed, 5 epochs\)/);
  // its final report is the one-shot report of that run (read by its run_id: the Keras stream's lines are not its input)
  const id = '20261130T070537Z-f4b168';
  for (const which of [['--run', 'latest'], ['--run', id]]) {
    const again = join(tmp, `text-latest-once-${which[1]}`);
    const r = await runBin(REPORT_BIN, [...cloud, ...which, '-o', again], childEnv(server));
    assert.equal(r.code, 0, r.stderr);
    const files = (await readdir(join(again, id))).sort();
    assert.deepEqual((await readdir(join(out, id))).sort(), files);
    for (const f of files) assert.ok((await readFile(join(out, id, f))).equals(await readFile(join(again, id, f))), `${f} differs from --run ${which[1]}'s`);
  }
  // (it was "The first row is this run's: 5 of the input's 15 records", the Keras run's 10 lines in a whole-input row)
  assert.ok(!('input_quality' in JSON.parse(await readFile(join(out, id, 'report.json'), 'utf8'))));
  assert.match(await readFile(join(out, id, 'report.md'), 'utf8'), /Counts are for the events of this run read by its run\\_id/);
});

test('--follow --log-group --run <id> finds every id --list prints (a text run is named by its stream); mnist-train\'s id of a run that started long ago, which the group does not hold, is one line, exit 2', { timeout: 120_000 }, async (t) => {
  const G = '/ecs/follow-text-id';
  const cloud = ['--log-group', G, '--endpoint-url', server.url, '--generated-at', AT];
  const keras2 = (await readFile(join(ROOT, 'fixtures/keras2-verbose2.log'), 'utf8')).split('\n').filter(Boolean);
  server.seed.stream(G, 'keras/job-1', keras2.map((message, i) => ({ timestamp: Date.now() - 600_000 + i * 1000, message })));
  const list = await runBin(REPORT_BIN, [...cloud, '--list'], childEnv(server));
  assert.equal(list.code, 0, list.stderr);
  assert.match(list.stdout, /^keras\/job-1\t/m);
  const found = start(REPORT_BIN, [...cloud, '--follow', '--run', 'keras/job-1', '--poll-interval', '0.2', '-o', join(tmp, 'text-id')], childEnv(server));
  t.signal.addEventListener('abort', () => found.child.kill('SIGKILL'));
  assert.equal(await found.done, 0, found.stderr());
  assert.match(found.stderr(), /wrote \d+ files to \S+ \(run "keras\/job-1", completed, 5 epochs\)/);
  // an id copied from elsewhere, of mnist-train's own shape: its run began a year ago, so its events would be here (any other id is waited for: below)
  const wrong = await runBin(REPORT_BIN, [...cloud, '--follow', '--run', '20251130T070537Z-f4b168', '--poll-interval', '0.2', '-o', join(tmp, 'text-id-wrong')], childEnv(server));
  assert.equal(wrong.code, 2, wrong.stderr);
  const lines = wrong.stderr.trim().split('\n');
  assert.equal(lines.length, 2, wrong.stderr); // "following log group …", then the error
  assert.match(lines[1]!, /^mnist-report: --follow --run 20251130T070537Z-f4b168: log group \/ecs\/follow-text-id holds no run of that id .*, and none is coming: the id is mnist-train's own, of a run that started at 2025-11-30T07:05:37Z, whose first event would be there by now; give an id --list prints/);
});

test('--follow --log-group --run <id> chosen before its run starts (mnist-train --run-id), on a group holding another run: waited for with one line, then followed to its end (exit 0), its report the one-shot report', { timeout: 120_000 }, async (t) => {
  const G = '/ecs/follow-chosen-id';
  const cloud = ['--log-group', G, '--endpoint-url', server.url, '--generated-at', AT];
  const lines = (await readFile(join(ROOT, 'fixtures/mnist-train-5epochs.jsonl'), 'utf8')).split('\n').filter(Boolean);
  server.seed.stream(G, 'mnist-train/earlier', lines.map((message, i) => ({ timestamp: Date.now() - 600_000 + i, message })));
  const out = join(tmp, 'chosen-follow');
  const follow = start(REPORT_BIN, [...cloud, '--follow', '--run', 'exp-42', '--poll-interval', '0.2', '-o', out], childEnv(server));
  t.signal.addEventListener('abort', () => follow.child.kill('SIGKILL'));
  try {
    await follow.waitFor(/waiting for the first event/);
    assert.ok(follow.stderr().split('\n').includes(`mnist-report: waiting for the first event of run "exp-42": log group ${G} holds none yet (Ctrl-C stops; --list shows the ids it holds)`), follow.stderr());
    // mnist-train --run-id exp-42 --log-group G starts: its own stream
    const run = lines.map((l) => l.replaceAll('20261130T070537Z-f4b168', 'exp-42'));
    server.seed.stream(G, 'mnist-train/exp-42', run.map((message, i) => ({ timestamp: Date.now() + i, message })));
    assert.equal(await follow.done, 0, follow.stderr());
  } finally {
    if (follow.child.exitCode === null) follow.child.kill('SIGKILL');
  }
  assert.match(follow.stderr(), /run "exp-42" epoch 5\/5: /);
  assert.match(follow.stderr(), /wrote \d+ files to \S+\/exp-42\/ \(run "exp-42", completed, 5 epochs\)/);
  const once = await runBin(REPORT_BIN, [...cloud, '--run', 'exp-42', '-o', join(tmp, 'chosen-once')], childEnv(server));
  assert.equal(once.code, 0, once.stderr);
  const files = (await readdir(join(tmp, 'chosen-once', 'exp-42'))).sort();
  assert.deepEqual((await readdir(join(out, 'exp-42'))).sort(), files);
  for (const f of files) assert.ok((await readFile(join(out, 'exp-42', f))).equals(await readFile(join(tmp, 'chosen-once', 'exp-42', f))), `${f} differs`);
});

test('--follow --log-group --run <text run id> whose stream does not exist yet: waited for with one line, then, when the stream appears, followed from its head to its end (exit 0)', { timeout: 120_000 }, async (t) => {
  const G = '/ecs/follow-text-later';
  const cloud = ['--log-group', G, '--endpoint-url', server.url, '--generated-at', AT];
  const keras2 = (await readFile(join(ROOT, 'fixtures/keras2-verbose2.log'), 'utf8')).split('\n').filter(Boolean);
  server.seed.stream(G, 'keras/job-1', keras2.map((message, i) => ({ timestamp: Date.now() - 600_000 + i * 1000, message })));
  const follow = start(REPORT_BIN, [...cloud, '--follow', '--run', 'keras/job-9', '--poll-interval', '0.2', '-o', join(tmp, 'text-later')], childEnv(server));
  t.signal.addEventListener('abort', () => follow.child.kill('SIGKILL'));
  try {
    await follow.waitFor(/waiting for the first event/);
    assert.ok(follow.stderr().split('\n').includes(`mnist-report: waiting for the first event of run "keras/job-9": log group ${G} holds none yet (Ctrl-C stops; --list shows the ids it holds)`), follow.stderr());
    // the Keras job starts: its stream, plain trainer text (no run_id for a { $.run_id } pattern to match)
    server.seed.stream(G, 'keras/job-9', keras2.map((message, i) => ({ timestamp: Date.now() + i, message })));
    assert.equal(await follow.done, 0, follow.stderr());
  } finally {
    if (follow.child.exitCode === null) follow.child.kill('SIGKILL');
  }
  assert.match(follow.stderr(), /run "keras\/job-9" epoch 5\/5: /);
  assert.match(follow.stderr(), /wrote \d+ files to \S+ \(run "keras\/job-9", completed, 5 epochs\)/);
});

test('--follow --log-group usage errors are one line, exit 2, before any request', async () => {
  const base = ['--log-group', '/ecs/x', '--endpoint-url', server.url, '--follow', '-o', join(tmp, 'usage')];
  const cases: [string[], RegExp][] = [
    [['--until', '1h'], /^mnist-report: --follow reads until the run ends: not with --until$/],
    [['--history'], /^mnist-report: --follow on a log group does not take --history yet/],
    [['--poll-interval', '0'], /^mnist-report: --poll-interval "0": give a number of seconds above 0, at most 3600 \(see --help\)$/],
    [['--run', 'all'], /^mnist-report: --follow reports one run/],
  ];
  server.resetCalls();
  for (const [extra, message] of cases) {
    const r = await runBin(REPORT_BIN, [...base, ...extra], childEnv(server));
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr.trim(), message);
    assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
  }
  assert.equal(server.totalCalls(), 0);
});
