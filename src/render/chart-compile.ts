// Vega-Lite spec → vega's parsed dataflow (the input of `new vega.View`), compiled
// once per chart shape. Compiling with vega-lite and parsing with vega cost ~15-25 ms a
// chart, about half of its SVG, and neither looks at the data: the specs of one chart
// in a --run all over runs of the same length differ only in their `data.values`. So
// each `values` array is swapped for a placeholder, the rest of the spec (titles,
// domains, scales, every setting) is the cache key, and the data go back into the
// parsed dataflow (the `$ingest` of its collect operators) of a copy.
// Placeholders follow the data's equality, since vega-lite merges inline sources with
// equal values: the compiled spec is the one the real data would have given.
// (A View kept per shape and given new data draws differently: its autosize and its
// items' order carry over from the previous data. So each chart gets a fresh View.)

import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';

const PLACEHOLDER = '__mnist_report_values__';

/** Shapes kept (least recently used dropped first): a report has 4 charts, an index 1; bounded so --run all stays flat. */
const MAX_SHAPES = 24;
const shapes = new Map<string, vega.Runtime>();

/** Counts, for tests and benches: parses made and cache hits. */
export const chartCompileStats = { parsed: 0, reused: 0 };

/** The parsed dataflow of `spec`, as `vega.parse(compile(spec).spec)` gives it, ready for `new vega.View(…)`. */
export function chartRuntime(spec: TopLevelSpec): vega.Runtime {
  const datasets: unknown[][] = [];
  const key = JSON.stringify(withPlaceholders(spec, datasets, new Map()));
  let runtime = shapes.get(key);
  if (runtime) {
    shapes.delete(key);
    chartCompileStats.reused++;
  } else {
    runtime = vega.parse(compile(JSON.parse(key) as TopLevelSpec).spec);
    chartCompileStats.parsed++;
  }
  shapes.set(key, runtime);
  if (shapes.size > MAX_SHAPES) shapes.delete(shapes.keys().next().value!);
  const placed = new Set<number>();
  // A fresh copy for each View: a View writes into its runtime spec (it turns
  // eventConfig's lists into sets, and stamps a tuple id on each datum of an inline
  // collect), and a datum with an id from an earlier chart would keep it.
  const filled = withData(structuredClone(runtime), datasets, placed);
  // A dataflow that does not take each dataset where expected (some future vega-lite or
  // vega that reads the values, or moves them) is compiled the plain way instead.
  return filled !== null && placed.size === datasets.length ? filled as vega.Runtime : vega.parse(compile(spec).spec);
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

/** `node` with each `$ingest` placeholder replaced by its dataset (objects and arrays on the way copied); null when a placeholder turns up anywhere else. */
function withData(node: unknown, datasets: unknown[][], placed: Set<number>): unknown {
  if (node === null || typeof node !== 'object') return node;
  let copy: Record<string, unknown> | unknown[] | null = null;
  const entries = Array.isArray(node) ? node.entries() : Object.entries(node);
  for (const [k, v] of entries) {
    const i = placeholderIndex(v);
    let next: unknown;
    if (i !== null) {
      if (k !== '$ingest' || i >= datasets.length) return null;
      next = datasets[i];
      placed.add(i);
    } else {
      next = withData(v, datasets, placed);
      if (next === null && v !== null) return null;
    }
    if (next !== v) {
      copy ??= Array.isArray(node) ? [...node] : { ...node };
      (copy as Record<string | number, unknown>)[k] = next;
    }
  }
  return copy ?? node;
}

function placeholderIndex(v: unknown): number | null {
  if (!Array.isArray(v) || v.length !== 1) return null;
  const first: unknown = v[0];
  if (first === null || typeof first !== 'object' || !(PLACEHOLDER in first)) return null;
  return (first as Record<string, number>)[PLACEHOLDER]!;
}

