// Vega-Lite spec → vega's parsed dataflow (the input of `new vega.View`), compiled
// once per chart shape. Compiling with vega-lite and parsing with vega cost ~15-25 ms a
// chart, about half of its SVG, and neither looks at the data: the specs of one chart
// in a --run all over runs of the same length differ only in their `data.values`. So
// each `values` array is swapped for a placeholder, the rest of the spec (titles,
// domains, scales, every setting) is the cache key, and the data go back into a copy
// of the parsed dataflow (the `$ingest` of its collect operators).
// Placeholders follow the data's equality, since vega-lite merges inline sources with
// equal values: the compiled spec is the one the real data would have given.
// (A View kept per shape and given new data draws differently: its autosize and its
// items' order carry over from the previous data. So each chart gets a fresh View.)

import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';

const PLACEHOLDER = '__mnist_report_values__';

/** Shapes kept (least recently used dropped first): a report has 4 charts, an index 1; bounded so --run all stays flat. */
const MAX_SHAPES = 24;
/** A shape's parsed dataflow as JSON text (JSON.parse makes a fresh copy faster than structuredClone), and where each placeholder sits in it. */
interface Shape {
  json: string;
  /** Path from the root to each `$ingest` that holds placeholder i, by i. */
  slots: (string | number)[][][];
}
/** SEEN: a key drawn once, the plain way; a Shape from its second chart on; null: a shape the cache cannot hold. */
const SEEN = 'seen';
const shapes = new Map<string, Shape | null | typeof SEEN>();

/** Counts, for tests: charts of a shape seen once (compiled the plain way), shapes parsed, shapes reused, and charts compiled the plain way because the cache cannot hold their shape. */
export const chartCompileStats = { first: 0, parsed: 0, reused: 0, plain: 0 };

/** The parsed dataflow of `spec`, as `vega.parse(compile(spec).spec)` gives it, ready for `new vega.View(…)`. */
export function chartRuntime(spec: TopLevelSpec): vega.Runtime {
  const datasets: unknown[][] = [];
  const key = JSON.stringify(withPlaceholders(spec, datasets, new Map()));
  let shape = shapes.get(key);
  shapes.delete(key);
  if (shape === undefined) {
    // The first chart of a shape is compiled the plain way: making the shape (a walk of the whole
    // dataflow, a JSON copy) costs ~4 ms a chart, which only a second chart of the shape pays back.
    // One report's charts all differ in shape (8 charts: ~35 ms of its CPU profile).
    shape = SEEN;
    chartCompileStats.first++;
  } else if (shape === SEEN) {
    shape = makeShape(vega.parse(compile(JSON.parse(key) as TopLevelSpec).spec), datasets.length);
    chartCompileStats.parsed++;
  } else {
    chartCompileStats.reused++;
  }
  shapes.set(key, shape);
  if (shapes.size > MAX_SHAPES) shapes.delete(shapes.keys().next().value!);
  // A dataflow that does not take each dataset where expected (some future vega-lite or
  // vega that reads the values, or moves them) is compiled the plain way instead.
  if (shape === SEEN || shape === null) {
    if (shape === null) chartCompileStats.plain++;
    return vega.parse(compile(spec).spec);
  }
  // A fresh copy for each View: a View writes into its runtime spec (it turns
  // eventConfig's lists into sets, and stamps a tuple id on each datum of an inline
  // collect), and a datum with an id from an earlier chart would keep it.
  const runtime = JSON.parse(shape.json) as vega.Runtime;
  shape.slots.forEach((paths, i) => {
    for (const path of paths) {
      let at = runtime as unknown as Record<string | number, unknown>;
      for (const step of path.slice(0, -1)) at = at[step] as Record<string | number, unknown>;
      at[path.at(-1)!] = datasets[i];
    }
  });
  return runtime;
}

/** The shape of a parsed dataflow, or null when a placeholder is anywhere but an `$ingest`, or JSON cannot carry the dataflow whole. */
function makeShape(runtime: vega.Runtime, count: number): Shape | null {
  const slots: (string | number)[][][] = Array.from({ length: count }, () => []);
  let whole = true;
  // what JSON would lose or change: non-finite numbers, functions, an undefined in an array
  // (null after the round trip; one as an object's property is simply left out, which vega
  // reads the same), and objects that are not plain data (vega.parse's entries are plain
  // data in a class of their own)
  const visit = (node: unknown, path: (string | number)[], inArray: boolean): void => {
    if (typeof node === 'number') whole &&= Number.isFinite(node);
    else if (typeof node === 'function' || typeof node === 'symbol' || typeof node === 'bigint' || (node === undefined && inArray)) whole = false;
    if (node === null || typeof node !== 'object') return;
    if (node instanceof Map || node instanceof Set || node instanceof Date || node instanceof RegExp || ArrayBuffer.isView(node) || 'toJSON' in node) whole = false;
    for (const [k, v] of Array.isArray(node) ? node.entries() : Object.entries(node)) {
      const i = placeholderIndex(v);
      if (i === null) visit(v, [...path, k], Array.isArray(node));
      else if (k === '$ingest' && i < count) slots[i]!.push([...path, k]);
      else whole = false;
    }
  };
  visit(runtime, [], false);
  return whole && slots.every((s) => s.length > 0) ? { json: JSON.stringify(runtime), slots } : null;
}

/** A copy of `node` with every `data: {values: [...]}` array replaced by a numbered placeholder. */
function withPlaceholders(node: unknown, datasets: unknown[][], seen: Map<string, number>, key?: string): unknown {
  if (Array.isArray(node)) return node.map((x) => withPlaceholders(x, datasets, seen));
  if (node === null || typeof node !== 'object') return node;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(node)) {
    if (key === 'data' && k === 'values' && Array.isArray(v)) {
      const text = JSON.stringify(v);
      let i = seen.get(text);
      if (i === undefined) {
        i = datasets.push(v) - 1;
        seen.set(text, i);
      }
      out[k] = [{ [PLACEHOLDER]: i }];
    } else {
      out[k] = withPlaceholders(v, datasets, seen, k);
    }
  }
  return out;
}

function placeholderIndex(v: unknown): number | null {
  if (!Array.isArray(v) || v.length !== 1) return null;
  const first: unknown = v[0];
  if (first === null || typeof first !== 'object' || !(PLACEHOLDER in first)) return null;
  return (first as Record<string, number>)[PLACEHOLDER]!;
}

