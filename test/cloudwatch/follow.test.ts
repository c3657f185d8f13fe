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
  assert.match(follow.stderr(), /The quality gates? passed|All \d+ quality gates passed/);

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
  assert.match(await readFile(join(folder, 'report.md'), 'utf8'), /incomplete/);
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
