// --follow's live epoch table on stderr. In a pipe or a log file (or a terminal of unknown width): one line
// per epoch, as it comes. On a terminal: a table (a header and a row per epoch) with a status line under it,
// redrawn in place at each epoch, so the screen shows the run's progress, not a scroll of lines.

import { fmtDuration, fmtLoss, fmtPct } from '../analyze/format.js';
import { shownId } from '../render/escape.js';
import type { EpochRecord, Run } from '../types.js';
import * as fw from '../wording/follow.js';

/** Rows kept on screen: a long run scrolls its oldest epochs off the table. */
const MAX_ROWS = 30;
const COLUMNS = ['epoch', 'loss', 'accuracy', 'val_loss', 'val_accuracy', 'time'];
const WIDTHS = [9, 8, 9, 9, 13, 8];

export interface EpochTable {
  /** A new epoch of the followed run. */
  epoch(run: Run, e: EpochRecord): void;
  /** The line under the table on a terminal ("waiting for epoch 4/20"); ignored in a pipe. */
  status(text: string): void;
  /** A message line (a signal, the file rotated): on a terminal printed above the table, which is drawn again under it. */
  message(line: string): void;
  /** Leaves the table as it is (no status line) before the final messages. */
  close(): void;
  /** The file was read again from its start: its rows are gone from the screen, the next epoch starts a new table. */
  restart(): void;
}

function epochLine(run: Run, e: EpochRecord): string {
  return fw.epochLine(shownId(run.run_id), e, e.epochs ?? run.start?.config?.epochs);
}

/** Where the table is drawn: stderr, whose `columns` is the terminal's width. */
export interface TableOut { isTTY?: boolean; columns?: number; write(s: string): unknown }

/**
 * A terminal of known width gets the table; a pipe, and a terminal that gives no width (0 columns: a fresh
 * `docker run -t`, `script` on an unsized pty), get the lines. Without a width the rows a line wraps onto are
 * unknown: counted at 1 column a character, a redraw went back 240 rows and cleared the screen (ESC[240F ESC[J).
 */
export function createEpochTable(out: TableOut, say: (line: string) => void): EpochTable {
  if (!out.isTTY || !(out.columns !== undefined && out.columns > 0)) {
    return { epoch: (run, e) => say(epochLine(run, e)), status: () => {}, message: say, close: () => {}, restart: () => {} };
  }
  const width = out.columns;
  let title = '';
  const rows: string[] = [];
  let status = '';
  /** Screen rows the table took when last drawn (a line wider than the terminal wraps onto more than one). */
  let drawn = 0;
  const row = (cells: string[]): string => cells.map((c, i) => c.padStart(WIDTHS[i]!)).join(' ');
  const screenRows = (line: string): number => Math.max(1, Math.ceil([...line].length / width));
  /** Back to the table's first row and clear to the end of the screen. */
  const erase = (): string => (drawn ? `\x1b[${drawn}F\x1b[J` : '\x1b[J');
  const draw = (): void => {
    const lines = [title, row(COLUMNS), ...rows.slice(-MAX_ROWS), ...(status ? [status] : [])];
    out.write(`${erase()}${lines.join('\n')}\n`);
    drawn = lines.reduce((n, l) => n + screenRows(l), 0);
  };
  return {
    epoch(run, e) {
      const of = e.epochs ?? run.start?.config?.epochs;
      title = fw.tableTitle(shownId(run.run_id));
      rows.push(row([fw.epochOf(e.epoch, of), fmtLoss(e.loss), fmtPct(e.accuracy), fmtLoss(e.val_loss), fmtPct(e.val_accuracy),
        e.duration_ms !== null ? fmtDuration(e.duration_ms) : '']));
      draw();
    },
    status(text) {
      status = text;
      if (drawn) draw();
    },
    message(line) {
      if (!drawn) {
        say(line);
        return;
      }
      // the message where the table was, the table under it: a redraw never goes back over the message
      out.write(erase());
      drawn = 0;
      say(line);
      draw();
    },
    close() {
      if (status && drawn) {
        status = '';
        draw();
      }
    },
    restart() {
      // (the message saying why is printed above the table, and stays)
      if (drawn) out.write(erase());
      drawn = 0;
      title = '';
      status = '';
      rows.length = 0;
    },
  };
}
