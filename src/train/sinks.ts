// Where events go. Every sink takes events one at a time, writes each as its
// serializeEvent line, and can be flushed before exit; the CloudWatch PutLogEvents
// sink (cloudwatch-sink.ts) has the same shape.

import { appendFileSync, openSync, closeSync } from 'node:fs';
import { serializeEvent } from '../events.js';
import type { TrainEvent } from '../events.js';
import { describeFsError } from '../atomic-write.js';
import { IoError, UserError } from '../errors.js';

export interface EventSink {
  write(event: TrainEvent): void;
  flush(): Promise<void>;
}

/** One JSON line per event on a stream (stdout): nothing else goes there. */
export function streamSink(stream: NodeJS.WritableStream, onClosed: (why: string) => void = () => {}): EventSink {
  // A reader that goes away (`mnist-train | head -3`) closes the pipe: EPIPE arrives as
  // an 'error' event, which unhandled would crash the trainer with a stack trace. Stop
  // writing there and say so once; the other sinks (--out, CloudWatch) keep every event.
  let closed = false;
  stream.on('error', (err: NodeJS.ErrnoException) => {
    if (closed) return;
    closed = true;
    onClosed(err.code === 'EPIPE' ? 'the reader closed the pipe (EPIPE)' : (err.code ?? err.message));
  });
  return {
    write: (event) => {
      if (!closed) stream.write(`${serializeEvent(event)}\n`);
    },
    // An empty write's callback fires once everything queued before it is handed off.
    flush: () => new Promise((resolve) => (closed ? resolve() : stream.write('', () => resolve()))),
  };
}

/** Appends each event to FILE as it happens (a crash keeps what was written). */
export function fileSink(path: string): EventSink {
  try {
    closeSync(openSync(path, 'a'));
  } catch (err) {
    throw new UserError(`--out ${path}: cannot open for appending (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
  }
  // A write that fails (a full disk) ends the run with one line, exit 1; the run_end
  // that says so still goes to the other sinks, and this one writes nothing more.
  let failed = false;
  return {
    write: (event) => {
      if (failed) return;
      try {
        appendFileSync(path, `${serializeEvent(event)}\n`);
      } catch (err) {
        failed = true;
        throw new IoError(`--out ${path}: cannot append events: ${describeFsError(err) ?? String(err)}`);
      }
    },
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
