// tfjs-node's ProgbarLogger (model.fit with verbose 1):
//   "Epoch 1 / 5"
//   "eta=0.0 ========================================>"          (progress, only on a TTY)
//   "3456ms 57us/step - acc=0.912 loss=0.302 val_acc=0.955 val_loss=0.150 "
// The metrics are `key=value` separated by spaces, keys sorted.

import type { LineFormat } from './format.js';
import { readMetrics } from './text.js';
import { finishTextEpoch, setHeader, type ParseResult, type ParseState } from './state.js';

const HEADER = /^Epoch (\d{1,9}) \/ (\d{1,9})$/;
const SUMMARY = /^(\d{1,12})ms (\d{1,12})us\/step - /;

const LOOKS_LIKE = /^\s*(?:Epoch \d{1,9} \/ \d{1,9}\s*$|eta=|\d{1,12}ms \d{1,12}us\/step - )/;

export const tfjsNode: LineFormat = {
  name: 'tfjs-node',
  titles: { 'tfjs-node': 'tfjs-node text output' },
  detect: (line) => LOOKS_LIKE.test(line),
  read: (line, ctx, state) => parseTfjsLine(line, ctx.timestamp, state),
};

/** Returns null when the line is not tfjs-node output. */
function parseTfjsLine(clean: string, timestamp: number | null, state: ParseState): ParseResult | null {
  const trimmed = clean.trim();
  const h = HEADER.exec(trimmed);
  if (h) {
    setHeader(state, Number(h[1]), Number(h[2]));
    return { kind: 'header', format: 'tfjs-node', epoch: Number(h[1]), epochs: Number(h[2]) };
  }
  if (trimmed.startsWith('eta=')) return { kind: 'ignored' };
  const s = SUMMARY.exec(trimmed);
  if (!s) return null;
  const values = new Map<string, string>();
  for (const token of trimmed.slice(s[0].length).split(' ')) {
    const eq = token.indexOf('=');
    if (eq > 0) values.set(token.slice(0, eq), token.slice(eq + 1));
  }
  const metrics = readMetrics(values);
  const rec = finishTextEpoch(state, metrics, Number(s[1]), timestamp);
  if (rec === null) return { kind: 'ignored' };
  return { kind: 'epoch', format: 'tfjs-node', epoch: rec };
}
