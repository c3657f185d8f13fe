// Converts mnist-train stdout (JSON lines) into the JSON that
// `aws logs filter-log-events --log-group-name /ecs/mnist-training` prints, as if
// the awslogs driver had shipped the lines from one ECS task.
//
//   npx tsx test/support/to-filter-log-events.ts IN.jsonl OUT.json
//
// Deterministic: the task id and eventIds are hashes of the input, timestamps come
// from each event's `time`, ingestionTime trails it by 150-349 ms.

import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync, renameSync } from 'node:fs';

export interface FilteredLogEvent {
  logStreamName: string;
  timestamp: number;
  message: string;
  ingestionTime: number;
  eventId: string;
}

export interface FilterLogEventsOutput {
  events: FilteredLogEvent[];
  searchedLogStreams: { logStreamName: string; searchedCompletely: boolean }[];
}

const sha = (text: string): string => createHash('sha256').update(text).digest('hex');

/** Build the filter-log-events output for the given trainer stdout lines. */
export function toFilterLogEvents(lines: string[]): FilterLogEventsOutput {
  const messages = lines.filter((l) => l.trim() !== '');
  const taskId = sha(messages.join('\n')).slice(0, 32);
  const logStreamName = `ecs/mnist-training/${taskId}`;
  let previous = 0;
  const events = messages.map((message, i) => {
    const time = Date.parse((JSON.parse(message) as { time: string }).time);
    const timestamp = Math.max(time, previous); // awslogs timestamps never go backwards within a stream
    previous = timestamp;
    const h = sha(`${logStreamName}\n${i}\n${message}`);
    return {
      logStreamName,
      timestamp,
      message,
      ingestionTime: timestamp + 150 + (parseInt(h.slice(0, 4), 16) % 200),
      eventId: eventId(timestamp, h),
    };
  });
  return { events, searchedLogStreams: [{ logStreamName, searchedCompletely: true }] };
}

/** 56 decimal digits like CloudWatch's: time-ordered prefix, hash-derived rest. */
function eventId(timestamp: number, hash: string): string {
  const tail = BigInt(`0x${hash.slice(0, 40)}`).toString().padStart(40, '0').slice(-40);
  return `${String(timestamp).padStart(16, '0')}${tail}`;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [input, output] = process.argv.slice(2);
  if (!input || !output) {
    process.stderr.write('usage: npx tsx test/support/to-filter-log-events.ts IN.jsonl OUT.json\n');
    process.exit(2);
  }
  const json = `${JSON.stringify(toFilterLogEvents(readFileSync(input, 'utf8').split('\n')), null, 4)}\n`;
  const tmp = `${output}.${process.pid}.tmp`;
  writeFileSync(tmp, json);
  renameSync(tmp, output);
  process.stderr.write(`wrote ${output}\n`);
}
