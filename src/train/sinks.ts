// Where events go. Every sink takes serialised events one at a time and can be
// flushed before exit; a CloudWatch PutLogEvents sink can implement the same shape.

import { appendFileSync, openSync, closeSync } from 'node:fs';
import { serializeEvent } from '../events.js';
import type { TrainEvent } from '../events.js';
import { UserError } from '../errors.js';

export interface EventSink {
  write(event: TrainEvent): void;
  flush(): Promise<void>;
}

/** One JSON line per event on a stream (stdout): nothing else goes there. */
export function streamSink(stream: NodeJS.WritableStream): EventSink {
  return {
    write: (event) => {
      stream.write(`${serializeEvent(event)}\n`);
    },
    // An empty write's callback fires once everything queued before it is handed off.
    flush: () => new Promise((resolve) => stream.write('', () => resolve())),
  };
}

/** Appends each event to FILE as it happens (a crash keeps what was written). */
export function fileSink(path: string): EventSink {
  try {
    closeSync(openSync(path, 'a'));
  } catch (err) {
    throw new UserError(`--out ${path}: cannot open for appending (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
  }
  return {
    write: (event) => appendFileSync(path, `${serializeEvent(event)}\n`),
    flush: async () => {},
  };
}

/** Fan one event out to several sinks. */
export function teeSink(sinks: EventSink[]): EventSink {
  return {
    write: (event) => sinks.forEach((s) => s.write(event)),
    flush: async () => {
      await Promise.all(sinks.map((s) => s.flush()));
    },
  };
}
