// followCloudWatchRecords against the test server, through the real SDK: which run it follows,
// events that arrive late, overlapping polls, throttling. Each step waits for the source's
// caughtUp (the end of a poll), never for a length of time.

import { test, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { followCloudWatchRecords, LATE_MS } from '../../src/sources/cloudwatch-follow.js';
import type { CloudWatchSourceOptions } from '../../src/sources/cloudwatch.js';
import type { LogRecord } from '../../src/types.js';
import { startCloudWatchServer, type CloudWatchServer } from '../support/cloudwatch-server.js';
import { TEST_REGION, useTestServer } from '../support/cloudwatch-sdk.js';
import { runLines } from '../support/cloudwatch-runs.js';
import { FIRST_EVENT_WITHIN_MS, generateRunId } from '../../src/run-id.js';

const G = '/ecs/mnist-training';
const serverOf = useTestServer({ before, after, beforeEach }, () => startCloudWatchServer());
let server: CloudWatchServer;
beforeEach(() => { server = serverOf(); });

interface Followed { records: LogRecord[]; notices: string[]; done: Promise<void>; polls: () => number; afterPoll: (n: number) => Promise<void>; stop: () => void }

/** Follows in the background; `afterPoll(n)` resolves once n polls (caughtUp calls) have ended. */
function follow(opts: Partial<CloudWatchSourceOptions> = {}): Followed {
  const stop = new AbortController();
  const records: LogRecord[] = [];
  const notices: string[] = [];
  let polls = 0;
  const waiters: { n: number; resolve: () => void }[] = [];
  const caughtUp = (): void => {
    polls++;
    for (const w of waiters.splice(0)) if (polls >= w.n) w.resolve(); else waiters.push(w);
  };
  const done = (async () => {
    const source = followCloudWatchRecords({ logGroup: G, region: TEST_REGION, endpointUrl: server.url, run: 'latest', ...opts },
      { signal: stop.signal, pollMs: 10, notice: (m) => notices.push(m), caughtUp });
    for await (const page of source) records.push(...page);
  })();
  const afterPoll = (n: number) => new Promise<void>((resolve, reject) => {
    if (polls >= n) return resolve();
    waiters.push({ n, resolve });
    void done.then(() => reject(new Error(`stopped after ${polls} polls, before poll ${n}`)), reject);
  });
  return { records, notices, done, polls: () => polls, afterPoll, stop: () => stop.abort() };
}

const events = (rs: LogRecord[]) => rs.map((r) => JSON.parse(r.message) as { run_id: string; event: string; epoch?: number });

test('the latest run, still open: read from its start, then what arrives, each event once (late ones within the window too)', async () => {
  const t = Date.now() - 600_000;
  // run_start, 4 epochs, run_end, 20 s apart
  const lines = runLines('r1', 4, t).map((l, i) => ({ ...l, timestamp: t + i * 20_000 }));
  server.seed.stream(G, 'ecs/a', lines.slice(0, 3));
  const f = follow();
  await f.afterPoll(1);
  assert.deepEqual(events(f.records).map((e) => e.event), ['run_start', 'epoch_end', 'epoch_end']);
  // epoch 3 arrives in another stream (a replaced task) with a time before the newest seen, within the late window
  server.seed.stream(G, 'ecs/b', [{ ...lines[3]!, timestamp: lines[2]!.timestamp - LATE_MS / 2 }]);
  server.seed.stream(G, 'ecs/a', lines.slice(4));
  await f.afterPoll(f.polls() + 2); // at least one whole poll after the appends
  f.stop();
  await f.done;
  assert.deepEqual(events(f.records).map((e) => [e.event, e.epoch ?? null]),
    [['run_start', null], ['epoch_end', 1], ['epoch_end', 2], ['epoch_end', 3], ['epoch_end', 4], ['run_end', null]]);
  const ids = f.records.map((r) => r.eventId);
  assert.equal(new Set(ids).size, ids.length, 'overlapping polls hand each eventId over once');
  assert.ok(server.calls.FilterLogEvents! >= 3);
});

test('the latest run has ended: its events are not handed over; the next run to start is followed', async () => {
  const t = Date.now() - 3600_000;
  server.seed.stream(G, 'ecs/old', runLines('old', 2, t));
  const f = follow();
  await f.afterPoll(2);
  assert.deepEqual(f.records, []);
  assert.match(f.notices.join('\n'), /the latest run, old, has ended; waiting for the next run to start/);
  const next = runLines('new', 2, Date.now() - 5000);
  server.seed.stream(G, 'ecs/new', next.slice(0, 2));
  await f.afterPoll(f.polls() + 2);
  server.seed.stream(G, 'ecs/new', next.slice(2));
  await f.afterPoll(f.polls() + 2);
  f.stop();
  await f.done;
  assert.deepEqual(events(f.records).map((e) => `${e.run_id} ${e.event}`), ['new run_start', 'new epoch_end', 'new epoch_end', 'new run_end']);
  assert.match(f.notices.join('\n'), /run new started; following it/);
});

test('the latest run has ended and its stream holds an earlier finished run: neither is "the next run"; a run that starts later is', async () => {
  const t = Date.now() - 3600_000;
  server.seed.stream(G, 'ecs/a', [...runLines('run1', 5, t), ...runLines('run2', 5, t + 60_000)]);
  const f = follow();
  await f.afterPoll(3);
  assert.deepEqual(f.records, []);
  assert.match(f.notices.join('\n'), /the latest run, run2, has ended; waiting for the next run to start/);
  assert.doesNotMatch(f.notices.join('\n'), /started; following it/);
  server.seed.stream(G, 'ecs/a', runLines('run3', 1, Date.now() - 5000));
  await f.afterPoll(f.polls() + 2);
  f.stop();
  await f.done;
  assert.deepEqual(events(f.records).map((e) => `${e.run_id} ${e.event}`), ['run3 run_start', 'run3 epoch_end', 'run3 run_end']);
  assert.match(f.notices.join('\n'), /run run3 started; following it/);
});

test('waiting after the latest run: the runs in the group then are not "next" (other streams\' two runs each, one 30 minutes older, one that never ended, one that began after it and has ended), unless it started after the latest one and has not ended', async () => {
  const t = Date.now() - 7200_000;
  server.seed.stream(G, 'ecs/a', [...runLines('a1', 2, t), ...runLines('a2', 2, t + 1800_000)]);
  // b1 stopped without its run_end (a killed task) before b2, the latest run, started
  server.seed.stream(G, 'ecs/b', [...runLines('b1', 2, t + 60_000).slice(0, 2), ...runLines('b2', 2, t + 1860_000)]);
  // d1 started after b2 and has ended, in a stream that began before b's (so b2 is taken for the latest)
  server.seed.stream(G, 'ecs/d', [...runLines('d0', 1, t + 45_000), ...runLines('d1', 2, t + 1950_000)]);
  const f = follow();
  await f.afterPoll(3);
  assert.deepEqual(f.records, []);
  assert.match(f.notices.join('\n'), /the latest run, b2, has ended/);
  f.stop();
  await f.done;
  // c1 started after b2 and is still training, in a stream that began before b's
  server.seed.stream(G, 'ecs/c', [...runLines('c0', 1, t + 30_000), ...runLines('c1', 2, t + 1900_000).slice(0, 2)]);
  const g = follow();
  await g.afterPoll(2);
  g.stop();
  await g.done;
  assert.deepEqual(events(g.records).map((e) => `${e.run_id} ${e.event}`), ['c1 run_start', 'c1 epoch_end']);
});

test('a log group that does not exist yet is waited for; --run <id> follows that id only', async () => {
  const f = follow({ run: 'r2' });
  await f.afterPoll(1);
  assert.match(f.notices.join('\n'), /log group \/ecs\/mnist-training does not exist yet; waiting for it/);
  server.seed.stream(G, 'ecs/a', runLines('r1', 1, Date.now() - 10_000));
  server.seed.stream(G, 'ecs/b', runLines('r2', 1, Date.now() - 9000));
  await f.afterPoll(f.polls() + 2);
  f.stop();
  await f.done;
  assert.deepEqual(events(f.records).map((e) => e.run_id), ['r2', 'r2', 'r2']);
});

test('throttling: the SDK retries with backoff and no event is lost', async () => {
  const t = Date.now() - 600_000;
  server.seed.stream(G, 'ecs/a', runLines('r1', 3, t).slice(0, 4));
  server.faults.throttleEvery(2, 'FilterLogEvents');
  const f = follow();
  await f.afterPoll(6);
  f.stop();
  await f.done;
  assert.deepEqual(events(f.records).map((e) => e.event), ['run_start', 'epoch_end', 'epoch_end', 'epoch_end']);
  assert.ok(f.notices.every((n) => !/still throttled/.test(n)), 'the retries absorbed every throttle');
});

test('a poll still throttled after the SDK\'s retries is skipped with one line; the next polls read on', async () => {
  server.seed.stream(G, 'ecs/a', runLines('r1', 2, Date.now() - 600_000).slice(0, 3));
  const f = follow({ run: 'r1', maxAttempts: 1 });
  await f.afterPoll(1);
  server.faults.throttleEvery(1, 'FilterLogEvents');
  await f.afterPoll(f.polls() + 1);
  assert.match(f.notices.join('\n'), /FilterLogEvents still throttled after the retries; polling again in 0\.02 s/);
  server.faults.clear();
  server.seed.stream(G, 'ecs/a', runLines('r1', 2, Date.now() - 600_000).slice(3));
  await f.afterPoll(f.polls() + 2);
  f.stop();
  await f.done;
  assert.deepEqual(events(f.records).map((e) => e.event), ['run_start', 'epoch_end', 'epoch_end', 'run_end']);
});

test('--log-stream is followed like a file: every run in the stream, ended ones included (the follow loop picks the run)', async () => {
  const t = Date.now() - 600_000;
  server.seed.stream(G, 'ecs/a', [...runLines('done', 1, t), ...runLines('open', 2, t + 10_000).slice(0, 2)]);
  server.seed.stream(G, 'ecs/other', runLines('elsewhere', 1, t));
  const f = follow({ logStream: 'ecs/a' });
  await f.afterPoll(2);
  f.stop();
  await f.done;
  assert.deepEqual(events(f.records).map((e) => `${e.run_id} ${e.event}`), ['done run_start', 'done epoch_end', 'done run_end', 'open run_start', 'open epoch_end']);
});

/** mnist-train's id of a run that began a year before: its first event would be in the group by now. */
const LONG_AGO = '20251130T070537Z-f4b168';
const NOT_COMING = /log group \/ecs\/mnist-training holds no run of that id .*, and none is coming: the id is mnist-train's own/;

test('--run with mnist-train\'s id of a run starting now, waited for in a group holding another run: refused at the poll where the id has turned old, the group quiet', async (t) => {
  server.seed.stream(G, 'ecs/a', runLines('r1', 1, Date.now() - 600_000));
  const f = follow({ run: generateRunId() });
  await f.afterPoll(2);
  // the reporter's clock moves past the time the run's first event would be there by
  const real = Date.now.bind(Date);
  t.mock.method(Date, 'now', () => real() + FIRST_EVENT_WITHIN_MS + 60_000);
  await f.afterPoll(f.polls() + 3).catch(() => {});
  f.stop(); // (without the look at each poll, the wait would go on)
  await assert.rejects(f.done, NOT_COMING);
  assert.deepEqual(f.records, []);
});

test('--run with mnist-train\'s id of a run begun long ago, in a group that holds no stream yet: waited for, then refused at the poll after a stream appears', async () => {
  server.seed.group(G);
  const f = follow({ run: LONG_AGO });
  await f.afterPoll(2);
  server.seed.stream(G, 'ecs/a', runLines('r1', 1, Date.now()));
  await f.afterPoll(f.polls() + 3).catch(() => {});
  f.stop();
  await assert.rejects(f.done, NOT_COMING);
});

test('--run <id>: whether the group holds a stream is the answer of the DescribeLogStreams that found the group (not asked twice), within --log-stream-prefix', async () => {
  server.seed.stream(G, 'sidecar/x', runLines('r1', 1, Date.now() - 600_000));
  const refused = follow({ run: LONG_AGO });
  await assert.rejects(refused.done, NOT_COMING);
  // the group's, then the stream named by the id (none)
  assert.equal(server.calls.DescribeLogStreams, 2);
  // within a prefix that holds no stream, the group holds no run: the id is waited for
  const waits = follow({ run: LONG_AGO, logStreamPrefix: 'mnist-train/' });
  await waits.afterPoll(2);
  waits.stop();
  await waits.done;
  server.seed.stream(G, 'mnist-train/y', runLines('r2', 1, Date.now() - 600_000));
  await assert.rejects(follow({ run: LONG_AGO, logStreamPrefix: 'mnist-train/' }).done, NOT_COMING);
});

test('stopped (Ctrl-C) while --run <id> asks for a stream of that name: no poll ends after it (the follow loop would say "waiting for the first event" after the signal)', async () => {
  server.seed.stream(G, 'ecs/a', runLines('r1', 1, Date.now() - 600_000));
  server.faults.delay(300, 'DescribeLogStreams');
  const f = follow({ run: 'exp-42' });
  // the group's DescribeLogStreams, then the one for a stream named exp-42, answered 300 ms after it arrives
  while ((server.calls.DescribeLogStreams ?? 0) < 2) await new Promise((r) => setTimeout(r, 5));
  f.stop();
  await f.done;
  assert.equal(f.polls(), 0);
  assert.equal(server.calls.FilterLogEvents, 1, 'the one look for the id, before the stream');
});
