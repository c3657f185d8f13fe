// Vega-Lite spec → vega's parsed dataflow (the input of `new vega.View`), compiled
// once per chart shape. Compiling with vega-lite and parsing with vega cost ~15-25 ms a
// chart, about half of its SVG, and neither looks at the data: the specs of one chart
// over runs of the same kind differ only in their `data.values` and in a few numeric
// arrays taken from the data (an axis' domain and tick values). So each `values`
// array, and each scale's numeric `domain` and axis' numeric `values`, is swapped for a
// placeholder; the rest of the spec (titles, scales, every setting) is the cache key,
// and the arrays go back into a copy of the parsed dataflow (the `$ingest` of its
// collect operators; a scale's or an axis' parameter).
// Placeholders follow the arrays' equality, since vega-lite merges inline sources with
// equal values (and layers' equal domains): the compiled spec is the one the real
// arrays would have given. A dataflow that holds a placeholder anywhere else (in an
// expression's text, say) is not cached: its chart is compiled the plain way.
// (A View kept per shape and given new data draws differently: its autosize and its
// items' order carry over from the previous data. So each chart gets a fresh View.)
//
// Shapes come from two places: this process (a shape is made at its second chart) and
// the build (scripts/build-report.mjs reports the bundled fixtures with
// MNIST_REPORT_CHART_SHAPES_OUT set, which writes each shape to dist/chart-shapes/, one
// file per shape named by a hash of its key). A report's first chart of a shape is then
// drawn without vega-lite when the build has seen its shape: any run of the same kind
// (epochs, settings, marks), whatever its numbers or its length up to 20 epochs.

import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as vega from 'vega';
import { compile, version as vegaLiteVersion, type TopLevelSpec } from 'vega-lite';

const PLACEHOLDER = '__mnist_report_values__';
/** A numeric array's placeholder: slot i is [NUMBER_BASE + 2i, NUMBER_BASE + 2i + 1] (no chart's axis goes near it). */
const NUMBER_BASE = 7_123_456_789_000;
/** NUMBER_BASE's leading digits: a string holding them may carry a placeholder into an expression. */
const NUMBER_MARK = '7123456789';

/** Shapes kept (least recently used dropped first): a report has 4 charts, an index 1; bounded so --run all stays flat. */
const MAX_SHAPES = 24;
/** A shape's parsed dataflow as JSON text (JSON.parse makes a fresh copy faster than structuredClone), and where each placeholder sits in it. */
interface Shape {
  json: string;
  /** Path from the root to each place that holds placeholder i, by i: a collect's `$ingest`, a scale's domain, an axis' values (an array, or an expression's text). */
  slots: (string | number)[][][];
}
/** SEEN: a key drawn once, the plain way; a Shape from its second chart on; null: a shape the cache cannot hold. */
const SEEN = 'seen';
const shapes = new Map<string, Shape | null | typeof SEEN>();

/** Counts, for tests: charts of a shape seen once (compiled the plain way), shapes parsed, shapes reused, shapes read from the build's files, and charts compiled the plain way because the cache cannot hold their shape. */
export const chartCompileStats = { first: 0, parsed: 0, reused: 0, built: 0, plain: 0 };

/** Where the build writes its shapes: dist/chart-shapes/, seen from the bundle (dist/cli/), the tsc build (dist/render/) or src/render/. */
export const BUILD_SHAPE_DIR = fileURLToPath(new URL('../../dist/chart-shapes/', import.meta.url));
/** Where the build's shapes are read from (null: nowhere). */
let shapeDir: string | null = BUILD_SHAPE_DIR;
/** Where shapes are written to as they are made (the build's MNIST_REPORT_CHART_SHAPES_OUT), or null. */
let shapesOut: string | null = process.env.MNIST_REPORT_CHART_SHAPES_OUT || null;

/**
 * From now on the build's shapes are read from `dir` (null: none), or with `write`, every shape is
 * made at its first chart and written there, as the build does. Forgets the shapes held so far. For tests.
 */
export function useShapeDir(dir: string | null, write = false): void {
  shapeDir = write ? null : dir;
  shapesOut = write ? dir : null;
  shapes.clear();
}

/** The parsed dataflow of `spec`, as `vega.parse(compile(spec).spec)` gives it, ready for `new vega.View(…)`. */
export function chartRuntime(spec: TopLevelSpec): vega.Runtime {
  const datasets: unknown[][] = [];
  const key = JSON.stringify(withPlaceholders(spec, datasets, new Map()));
  let shape = shapes.get(key);
  shapes.delete(key);
  if (shape === undefined && shapesOut !== null) {
    // the build: every shape is made and written, from the first chart on
    shape = compileShape(key, datasets.length);
    if (shape) writeShape(shapesOut, key, shape);
    chartCompileStats.parsed++;
  } else if (shape === undefined && shapeDir !== null && (shape = readShape(shapeDir, key)) !== undefined) {
    chartCompileStats.built++;
  } else if (shape === undefined) {
    // The first chart of a shape is compiled the plain way: making the shape (a walk of the whole
    // dataflow, a JSON copy) costs ~4 ms a chart, which only a second chart of the shape pays back.
    // One report's charts all differ in shape (8 charts: ~35 ms of its CPU profile).
    shape = SEEN;
    chartCompileStats.first++;
  } else if (shape === SEEN) {
    shape = compileShape(key, datasets.length);
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
  try {
    return fromShape(shape, datasets);
  } catch {
    // a shape file whose dataflow is damaged (a build cut short): compiled the plain way, now and from now on
    shapes.set(key, null);
    chartCompileStats.plain++;
    return vega.parse(compile(spec).spec);
  }
}

/** A fresh copy of the shape's dataflow with the arrays put back. */
function fromShape(shape: Shape, datasets: unknown[][]): vega.Runtime {
  // A fresh copy for each View: a View writes into its runtime spec (it turns
  // eventConfig's lists into sets, and stamps a tuple id on each datum of an inline
  // collect), and a datum with an id from an earlier chart would keep it.
  const runtime = JSON.parse(shape.json) as vega.Runtime;
  shape.slots.forEach((paths, i) => {
    const values = datasets[i]!;
    for (const path of paths) {
      let at = runtime as unknown as Record<string | number, unknown>;
      for (const step of path.slice(0, -1)) at = at[step] as Record<string | number, unknown>;
      // a numeric array may sit in several places (a domain, an axis): each gets its own copy;
      // as an expression's text (an axis' values), the text of the array
      const last = path.at(-1)!;
      at[last] = typeof at[last] === 'string' ? JSON.stringify(values) : isNumberArray(values) ? [...values] : values;
    }
  });
  return runtime;
}

/** The shape file of `key` in `dir`: its name, a hash of the key and the vega and vega-lite versions that made it. */
function shapeFile(dir: string, key: string): string {
  return join(dir, `${createHash('sha256').update(`${vega.version} ${vegaLiteVersion}\n${key}`).digest('hex').slice(0, 32)}.json`);
}

/** A shape file: a first line of JSON with the key and the slots, then the dataflow's JSON text. */
function writeShape(dir: string, key: string, shape: Shape): void {
  mkdirSync(dir, { recursive: true });
  // whole or not at all: through a temporary file of this process' (the build runs two) and a rename
  const file = shapeFile(dir, key);
  writeFileSync(`${file}.${process.pid}.tmp`, `${JSON.stringify({ key, slots: shape.slots })}\n${shape.json}`);
  renameSync(`${file}.${process.pid}.tmp`, file);
}

/** The build's shape of `key`, or undefined: no file, or one that is not this key's (a hash that collided). */
function readShape(dir: string, key: string): Shape | undefined {
  let text: string;
  try {
    text = readFileSync(shapeFile(dir, key), 'utf8');
  } catch {
    return undefined;
  }
  const end = text.indexOf('\n');
  try {
    const head = JSON.parse(text.slice(0, end)) as { key: string; slots: Shape['slots'] };
    return head.key === key ? { json: text.slice(end + 1), slots: head.slots } : undefined;
  } catch {
    return undefined;
  }
}

/** The shape of a key (a spec with its placeholders): compiled by vega-lite, parsed by vega, and walked by makeShape. */
function compileShape(key: string, count: number): Shape | null {
  return makeShape(vega.parse(compile(JSON.parse(key) as TopLevelSpec).spec), count);
}

/**
 * The shape of a parsed dataflow, or null when a placeholder sits anywhere it cannot be put back (a
 * data placeholder but at an `$ingest`, a number inside other code), one is missing, or JSON cannot
 * carry the dataflow whole.
 */
function makeShape(runtime: vega.Runtime, count: number): Shape | null {
  const slots: (string | number)[][][] = Array.from({ length: count }, () => []);
  let whole = true;
  // what JSON would lose or change: non-finite numbers, functions, an undefined in an array
  // (null after the round trip; one as an object's property is simply left out, which vega
  // reads the same), and objects that are not plain data (vega.parse's entries are plain
  // data in a class of their own)
  const visit = (node: unknown, path: (string | number)[], inArray: boolean): void => {
    if (typeof node === 'number') whole &&= Number.isFinite(node) && !(node >= NUMBER_BASE && node < NUMBER_BASE + 2 * count);
    else if (typeof node === 'string') whole &&= !node.includes(NUMBER_MARK) && !node.includes(PLACEHOLDER);
    else if (typeof node === 'function' || typeof node === 'symbol' || typeof node === 'bigint' || (node === undefined && inArray)) whole = false;
    if (node === null || typeof node !== 'object') return;
    if (node instanceof Map || node instanceof Set || node instanceof Date || node instanceof RegExp || ArrayBuffer.isView(node) || 'toJSON' in node) whole = false;
    for (const [k, v] of Array.isArray(node) ? node.entries() : Object.entries(node)) {
      const i = placeholderIndex(v);
      const n = numberSlotIndex(typeof v === 'string' ? codeArray(v) : v, count);
      if (n !== null) slots[n]!.push([...path, k]);
      else if (i === null) visit(v, [...path, k], Array.isArray(node));
      else if (k === '$ingest' && i < count) slots[i]!.push([...path, k]);
      else whole = false;
    }
  };
  visit(runtime, [], false);
  return whole && slots.every((s) => s.length > 0) ? { json: JSON.stringify(runtime), slots } : null;
}

/**
 * A copy of `node` with every `data: {values: [...]}` array, and every numeric `scale: {domain}`
 * and `axis: {values}`, replaced by a numbered placeholder (equal arrays, one number).
 */
function withPlaceholders(node: unknown, datasets: unknown[][], seen: Map<string, number>, key?: string): unknown {
  if (Array.isArray(node)) return node.map((x) => withPlaceholders(x, datasets, seen));
  if (node === null || typeof node !== 'object') return node;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(node)) {
    if (key === 'data' && k === 'values' && Array.isArray(v)) {
      out[k] = [{ [PLACEHOLDER]: slotOf(v, datasets, seen) }];
    } else if ((key === 'scale' && k === 'domain' && unreadDomain(node as Record<string, unknown>, v)) || (key === 'axis' && k === 'values' && isNumberArray(v) && v.length > 0)) {
      const i = slotOf(v, datasets, seen);
      out[k] = [NUMBER_BASE + 2 * i, NUMBER_BASE + 2 * i + 1];
    } else {
      out[k] = withPlaceholders(v, datasets, seen, k);
    }
  }
  return out;
}

/** The placeholder number of `v`: equal arrays (by their JSON) share one. */
function slotOf(v: unknown[], datasets: unknown[][], seen: Map<string, number>): number {
  const text = JSON.stringify(v);
  let i = seen.get(text);
  if (i === undefined) {
    i = datasets.push(v) - 1;
    seen.set(text, i);
  }
  return i;
}

/**
 * Whether vega-lite compiles a scale the same whatever its numeric domain's values: it reads a
 * literal domain's length (a threshold scale's range has one step more) and, without an explicit
 * `zero`, whether it spans 0. So only an ascending pair (the placeholder's own form) of a scale
 * whose `zero` is set, or that does not span 0 either way, becomes a placeholder; any other domain
 * stays in the key.
 */
function unreadDomain(scale: Record<string, unknown>, v: unknown): v is number[] {
  return isNumberArray(v) && v.length === 2 && v[0]! < v[1]! && (typeof scale.zero === 'boolean' || v[0]! > 0 || v[1]! < 0);
}

function isNumberArray(v: unknown): v is number[] {
  return Array.isArray(v) && v.every((x) => typeof x === 'number' && Number.isFinite(x));
}

/** The array an expression's text is when it is nothing but a JSON array of numbers (vega's code for an axis' values), else null. */
function codeArray(code: string): unknown {
  if (!/^\[[-+.\deE,]*\]$/.test(code)) return null;
  try {
    return JSON.parse(code) as unknown;
  } catch {
    return null;
  }
}

/** i when `v` is numeric placeholder i (of `count`). */
function numberSlotIndex(v: unknown, count: number): number | null {
  if (!Array.isArray(v) || v.length !== 2 || typeof v[0] !== 'number' || v[1] !== v[0] + 1) return null;
  const i = (v[0] - NUMBER_BASE) / 2;
  return Number.isInteger(i) && i >= 0 && i < count ? i : null;
}

function placeholderIndex(v: unknown): number | null {
  if (!Array.isArray(v) || v.length !== 1) return null;
  const first: unknown = v[0];
  if (first === null || typeof first !== 'object' || !(PLACEHOLDER in first)) return null;
  return (first as Record<string, number>)[PLACEHOLDER]!;
}

