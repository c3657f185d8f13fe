// CSV metric files (Keras' and Lightning's CSVLogger) arrive here line by line like any
// log: the header row is recognised by its columns, not by the file name, and kept on the
// stream's ParseState; each later row is read against it. Fields are split by csv-parse
// (RFC 4180 quoting: Python's csv module quotes a field holding the separator or a quote,
// and Keras writes list values as a quoted "[…]"), one row at a time; a row without quotes
// is split by its separator directly.

import { parse } from 'csv-parse/sync';
import type { LineFormat } from './format.js';
import type { ParseResult, ParseState, TextFormat } from './state.js';

export interface CsvTable {
  /** The LineFormat (by name) whose header this is. */
  format: string;
  delimiter: string;
  columns: string[];
  /** Lightning: metric columns seen twice in one epoch are logged per step, not per epoch. */
  stepColumns: Set<string>;
  /** Lightning: the epoch each column was last seen in. */
  lastSeen: Map<string, number>;
  /** Lightning: the global step the current epoch started after, and the last step read. */
  stepBase: { epoch: number; base: number; last: number };
  /** Lightning: the column each field of the open epoch was read from, and that row's step within the epoch. */
  filledFrom: Record<string, { column: string; step: number | null }>;
}

/** Keras' CSVLogger takes a `separator`; these are the ones people pass. */
const DELIMITERS = [',', ';', '\t'];

const HEADER_CHARS = /^[\ufeff\w./ ,;\t"-]{1,4000}$/;
const EPOCH_COLUMN = /(?:^|[,;\t])\ufeff?"?epoch"?(?:[,;\t]|$)/;

/** Cheap test for a header row holding an `epoch` column. */
export function looksLikeHeader(line: string): boolean {
  return EPOCH_COLUMN.test(line) && HEADER_CHARS.test(line);
}
/** Cheap test for a data row: a number, a quote or an empty field first (it is read only against a recognised header). */
export const LOOKS_LIKE_ROW = /^[-\d."+,;\t]/;

/**
 * The fields of one row, or null when it is not CSV. Without a quote character the
 * separator splits a row exactly (RFC 4180), so only quoted rows pay for csv-parse
 * (~45 µs a call against ~0.2 µs: a 200,000-row metrics.csv took 11 s before).
 */
export function splitRow(line: string, delimiter: string): string[] | null {
  if (!line.includes('"')) return (line.charCodeAt(0) === 0xfeff ? line.slice(1) : line).split(delimiter);
  try {
    const rows = parse(line, { delimiter, bom: true, relax_column_count: true, skip_empty_lines: true }) as string[][];
    return rows.length === 1 ? rows[0]! : null;
  } catch {
    return null;
  }
}

/** The header's columns and separator, when the line is a header with an `epoch` column. */
export function readHeader(line: string): { delimiter: string; columns: string[] } | null {
  for (const delimiter of DELIMITERS) {
    if (!line.includes(delimiter)) continue;
    const columns = splitRow(line, delimiter)?.map((c) => c.trim());
    if (columns && columns.length > 1 && columns.includes('epoch')) return { delimiter, columns };
  }
  return null;
}

/** Starts reading a table's rows against this header (a new header starts again); fastai's console table too. */
export function setTable(state: ParseState, format: string, header: { delimiter: string; columns: string[] }): void {
  state.table = { format, ...header, stepColumns: new Set(), lastSeen: new Map(), stepBase: { epoch: -1, base: 0, last: -1 }, filledFrom: {} };
}

/** A data row of this format's table, as column → value (empty fields left out), or null. */
export function readRow(line: string, format: string, state: ParseState): Map<string, string> | null {
  const t = state.table;
  if (t === null || t.format !== format) return null;
  const fields = splitRow(line, t.delimiter);
  if (fields === null || fields.length !== t.columns.length) return null;
  const row = new Map<string, string>();
  for (let i = 0; i < fields.length; i++) {
    const v = fields[i]!.trim();
    if (v !== '') row.set(t.columns[i]!, v);
  }
  return row;
}

/** The row's epoch column as a whole number, or null. */
export function rowEpoch(row: Map<string, string>): number | null {
  const text = row.get('epoch');
  if (text === undefined || !/^\d{1,9}(?:\.0{1,6})?$/.test(text)) return null;
  return Number(text);
}

/**
 * A CSV file format: its header is taken when `accepts(columns)` holds (and starts the
 * table), every later row goes to `readDataRow` against it.
 */
export function csvFormat(
  name: TextFormat, title: string, accepts: (columns: string[]) => boolean,
  readDataRow: (line: string, timestamp: number | null, state: ParseState) => ParseResult | null,
): LineFormat {
  return {
    name,
    titles: { [name]: title },
    detect: (line) => LOOKS_LIKE_ROW.test(line) || looksLikeHeader(line),
    read: (line, ctx, state) => readHeaderRow(line, name, accepts, state) ?? readDataRow(line, ctx.timestamp, state),
  };
}

function readHeaderRow(line: string, format: string, accepts: (columns: string[]) => boolean, state: ParseState): ParseResult | null {
  if (!looksLikeHeader(line)) return null;
  const h = readHeader(line);
  if (!h || !accepts(h.columns)) return null;
  setTable(state, format, h);
  return { kind: 'ignored' };
}
