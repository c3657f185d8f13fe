// --run all over local files in two reads, so that memory does not grow with the number of runs
// (a file of 10,000 runs held every run read, ~12 KB each, because --baseline may name any of them):
//
//   stdin ──copied once to a temporary file (it cannot be read twice)
//   read 1  collector that keeps each run's place only (id, first time, last record) + the --baseline run whole
//           ──▶ the runs' order, the data quality of the whole input
//   read 2  the same records through a fresh collector; a run is handed over as soon as its last record
//           (known from read 1) has been added, then forgotten: memory holds the runs open at one point of
//           the input (one, in a file written run after run), not every run
//
// The runs come out in the order they end in the input; `order` is their place in read 1's order
// (oldest first), which the index sorts by. A log group is read once (a second read would fetch it
// again): eachHeldRun hands its runs over oldest first and lets each go once handed over.

import type { LineFormat } from '../parse/format.js';
import { createRunCollector, type RunMark } from '../runs/collect.js';
import { readInputs, spoolStdin } from '../sources/inputs.js';
import type { LogRecord, ParsedLog, Run } from '../types.js';

export interface EachRunInput {
  /** The inputs as given ("-" is stdin). */
  files: string[];
  format: LineFormat | null;
  /** --baseline naming a run of the input: that run is kept whole through read 1. */
  baselineRun: string | null;
  /** Called once after read 1 with the whole input's runs (only the baseline's, if any, whole) and quality; may throw (no runs). */
  placed(parsed: ParsedLog, runIds: string[]): void;
}

export interface RunToReport {
  run: Run;
  /** The data quality of the whole input, and the kept baseline run. */
  parsed: ParsedLog;
  /** 1-based position in the order handed over, and the count of runs. */
  position: number;
  count: number;
  /** The run's place in read 1's order (oldest first). */
  order: number;
}

/** Every run of the files, one at a time, read twice (see the top of this file). */
export async function* eachRunInTwoReads(input: EachRunInput): AsyncGenerator<RunToReport> {
  const spool = input.files.includes('-') ? await spoolStdin() : null;
  try {
    const read = () => readInputs(input.files, spool?.file ?? null);
    const { marks, parsed } = await place(read(), input);
    input.placed(parsed, marks.map((m) => m.run_id));
    const order = new Map(marks.map((m, i) => [m.run_id, i]));
    const byEnd = [...marks].sort((a, b) => a.last_record - b.last_record);
    const collector = createRunCollector({ format: input.format });
    let next = 0;
    let position = 0;
    const ended = function* (upTo: number): Generator<RunToReport> {
      const ids: string[] = [];
      while (next < byEnd.length && byEnd[next]!.last_record <= upTo) ids.push(byEnd[next++]!.run_id);
      for (const run of collector.take(ids)) yield { run, parsed, position: ++position, count: marks.length, order: order.get(run.run_id)! };
    };
    for await (const records of read()) {
      collector.add(records);
      yield* ended(collector.recordsAdded);
    }
    yield* ended(Infinity);
  } finally {
    spool?.remove();
  }
}

/**
 * The runs of an input read once (a log group), handed over one at a time, each let go once handed
 * over: a run's events stay alive until its report is written, not until the last one is. The steps
 * see, as over files, the data quality of the whole input and the --baseline run when it names one.
 */
export function* eachHeldRun(parsed: ParsedLog, baselineRun: string | null): Generator<RunToReport> {
  const runs = parsed.runs;
  const kept: ParsedLog = { ...parsed, runs: runs.filter((r) => r.run_id === baselineRun) };
  const count = runs.length;
  for (let order = 0; order < count; order++) yield { run: runs.shift()!, parsed: kept, position: order + 1, count, order };
}

/** Read 1, in a function of its own so that its collector (~1.4 KB a run even stripped) is garbage once it returns. */
async function place(records: AsyncIterable<LogRecord[]>, input: EachRunInput): Promise<{ marks: RunMark[]; parsed: ParsedLog }> {
  const keep = input.baselineRun;
  const placing = createRunCollector({ format: input.format, keepRun: (id) => id === keep });
  for await (const item of records) placing.add(item);
  return { marks: placing.marks(), parsed: placing.snapshot() };
}
