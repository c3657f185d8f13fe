// --run all and --run <id>: FilterLogEvents over the stream prefix (or the one stream),
// inside --since/--until, with { $.run_id = "<id>" } for an id and no pattern for all
// (trainer text must reach the parser too).
//
// The window chooses runs; it never cuts one. A run whose run_start came before --since, or
// whose run_end came after --until, is then read on the far side of the window edge by its id
// (startTime/endTime are inclusive, so the two reads cannot overlap). Trainer text has no run
// id to ask for: a text run keeps what the window holds.
//
// Trainer text is named by its stream (textRunId: "<stream>", "<stream>-fitN" for its N-th
// fit), so an id no mnist-train event carries is then looked for as a stream of the group,
// read from its head as --log-stream reads it: every id --list prints is one --run can read.

import { textRunBases } from '../runs/builder.js';
import type { LogRecord } from '../types.js';
import { readingAsText } from '../wording/cloudwatch.js';
import { call, filterPages, runIdPattern, streamPages, type Ctx, type FilterInput } from './cloudwatch.js';
import { RunEdges } from './cloudwatch-run-edges.js';

/** The group and the --log-stream / --log-stream-prefix filter every read of it starts from. */
export function baseInput({ opts }: Ctx): FilterInput {
  return {
    logGroupName: opts.logGroup,
    ...(opts.logStream ? { logStreamNames: [opts.logStream] } : {}),
    ...(opts.logStreamPrefix !== undefined ? { logStreamNamePrefix: opts.logStreamPrefix } : {}),
  };
}

export async function* readFiltered(ctx: Ctx): AsyncGenerator<LogRecord[]> {
  const { opts, window } = ctx;
  const base = baseInput(ctx);
  const windowed = window.startTime !== undefined || window.endTime !== undefined;
  const edges = windowed ? new RunEdges() : null;
  const pattern = opts.run !== 'all' ? { filterPattern: runIdPattern(opts.run) } : {};
  let events = 0;
  for await (const page of filterPages(ctx, { ...base, ...pattern, ...window }, 'filter')) {
    events += page.length;
    if (edges) for (let i = 0; i < page.length; i++) edges.see(page[i]!.message);
    yield page;
  }
  if (edges) yield* readCutRuns(ctx, edges);
  if (events > 0 || opts.run === 'all') return;
  const stream = await streamNamed(ctx, textRunBases(opts.run));
  if (stream === null) return;
  ctx.progress(readingAsText(opts.run, stream));
  yield* streamPages(ctx, stream, window);
}

/** The first of `names` that is a stream of the group (and of --log-stream or --log-stream-prefix), or null. */
export async function streamNamed(ctx: Ctx, names: string[]): Promise<string | null> {
  const { logGroup, logStream, logStreamPrefix } = ctx.opts;
  for (const name of names) {
    if (logStream !== undefined && name !== logStream) continue;
    if (logStreamPrefix !== undefined && !name.startsWith(logStreamPrefix)) continue;
    // by name, ascending: a stream of exactly this name comes before the longer names it begins
    const page = await call(ctx, 'logs:DescribeLogStreams', () => ctx.client.send(new ctx.sdk.DescribeLogStreamsCommand({
      logGroupName: logGroup, logStreamNamePrefix: name, limit: 1,
    })));
    if (page.logStreams?.[0]?.logStreamName === name) return name;
  }
  return null;
}

/** Runs the --since/--until window cut, read by id beyond its edges (startTime/endTime are inclusive: no overlap). */
export async function* readCutRuns(ctx: Ctx, edges: RunEdges): AsyncGenerator<LogRecord[]> {
  const { window } = ctx;
  const base = baseInput(ctx);
  const { before, after } = edges.cut();
  if (window.startTime !== undefined) {
    for (const id of before) {
      ctx.progress(`cloudwatch: run ${id} began before --since: reading its start`);
      yield* filterPages(ctx, { ...base, filterPattern: runIdPattern(id), endTime: window.startTime - 1 }, `run ${id} before --since`);
    }
  }
  if (window.endTime !== undefined) {
    for (const id of after) {
      ctx.progress(`cloudwatch: run ${id} went on after --until: reading its end`);
      yield* filterPages(ctx, { ...base, filterPattern: runIdPattern(id), startTime: window.endTime + 1 }, `run ${id} after --until`);
    }
  }
}
