// The big log group of bench:insights, put straight into the test server's store (PutLogEvents
// would take longer than the bench), with short event ids, as flat strings: about 300 bytes an
// event, 3 GB at the full size (the bench gives node 6 GB of heap). Texts made at each read
// instead (100 bytes an event) made every scan of the test server 10 times slower, longer than
// the client's 30 s timeout.
//
// Run i: run_start, `epochs` epochs of `batches` batch_end and one epoch_end, run_end (10 epochs
// of 98: 992 events a run, 9.92 million for 10,000 runs); runs 10 minutes apart, run i in stream
// i mod `streams` (two runs a stream at 10,000 runs in 5,000 streams), the last ending an hour ago.

import type { CloudWatchServer } from '../test/support/cloudwatch-server.js';
import type { StoredEvent, Stream } from '../test/support/cloudwatch-store.js';
import { runLines } from '../test/support/cloudwatch-runs.js';

export interface BigGroup { group: string; runs: number; streams: number; batches: number; epochs: number }

const RUN_GAP = 600_000;

/** Seeds the group; returns how many events it holds. */
export function seedBigGroup(server: CloudWatchServer, g: BigGroup, now = Date.now()): number {
  const T0 = now - g.runs * RUN_GAP - 3600_000;
  let events = 0;
  let ids = 0;
  const streams = new Map<string, Stream>();
  for (let i = 0; i < g.runs; i++) {
    const name = `ecs/mnist-training/task-${String(i % g.streams).padStart(5, '0')}`;
    let s = streams.get(name);
    if (!s) streams.set(name, (s = { name, creationTime: T0, events: [] }));
    const id = `run-${String(i).padStart(5, '0')}`;
    const start = T0 + i * RUN_GAP;
    const f = 1 + (i % 23) / 7; // numbers that differ from run to run
    const base = runLines(id, g.epochs, start);
    const add = (timestamp: number, message: string): void => {
      s!.events.push({ eventId: (ids++).toString(36), timestamp, ingestionTime: timestamp + 50, message } satisfies StoredEvent);
    };
    add(base[0]!.timestamp, base[0]!.message);
    for (let k = 1; k <= g.epochs; k++) {
      for (let b = 1; b <= g.batches; b++) {
        const ts = start + (k - 1) * 1000 + b * 5;
        // join, not +: concatenation leaves a rope of parts per string, several times the flat size
        add(ts, ['{"schema":"mnist-train/1","event":"batch_end","run_id":"', id, '","time":"', new Date(ts).toISOString(), '","epoch":', k,
          ',"batch":', b * 10, ',"loss":', ((1 + (i % 13) / 5) / (k * b)).toFixed(6), ',"accuracy":', (0.9 - (i % 7) / 100).toFixed(4), '}'].join(''));
      }
      const o = JSON.parse(base[k]!.message) as Record<string, number>;
      o.val_accuracy = 1 - (1 - o.val_accuracy!) * f;
      o.val_loss = o.val_loss! * f;
      add(base[k]!.timestamp, JSON.stringify(o));
    }
    add(base.at(-1)!.timestamp, base.at(-1)!.message);
    events += 2 + g.epochs * (g.batches + 1);
  }
  server.store.groups.set(g.group, { name: g.group, creationTime: T0, streams });
  server.store.appended++;
  return events;
}
