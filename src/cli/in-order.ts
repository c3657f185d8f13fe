// Runs a few asynchronous jobs at a time and hands their results on in the order they were
// started, each job's stderr lines with it. --run all renders reports this way: a report's
// PNGs are still being made on the worker threads while the next report's analysis, charts
// and text are made on the main thread, instead of the main thread waiting for each
// report's last PNG (a CPU profile of 50 runs had the main thread idle 47% of the time).
// Two in flight are enough to keep the workers fed; more would only hold more reports in memory.

export type Log = (line: string) => void;

/** Jobs in flight at once. */
const IN_FLIGHT = 2;

export async function inOrder<I, R>(items: Iterable<I> | AsyncIterable<I>, start: (item: I, log: Log) => Promise<R>, finish: (result: R) => void,
  say: Log, window = IN_FLIGHT): Promise<void> {
  const pending: { result: Promise<R>; lines: string[] }[] = [];
  const settle = async (): Promise<void> => {
    const job = pending.shift()!;
    try {
      finish(await job.result);
    } finally {
      for (const line of job.lines) say(line);
    }
  };
  for await (const item of items) {
    const lines: string[] = [];
    const result = start(item, (line) => lines.push(line));
    // a job that fails while an earlier one is awaited is not an unhandled rejection: settle() rethrows it in turn
    result.catch(() => {});
    pending.push({ result, lines });
    if (pending.length >= window) await settle();
  }
  while (pending.length) await settle();
}
