import { fmtInt } from '../analyze/format.js';

/** "1 run", "8 runs", "1,024 runs": a count, written as every count is (fmtInt), with its noun in the right number. */
export function plural(n: number, one: string, many: string): string {
  return `${fmtInt(n)} ${n === 1 ? one : many}`;
}

/** "all 5 epochs", "both epochs", "the one epoch": every one of a count, as two and one are said ("all 2 classes" reads as a slip). */
export function everyOf(n: number, one: string, many: string): string {
  return n === 1 ? `the one ${one}` : n === 2 ? `both ${many}` : `all ${fmtInt(n)} ${many}`;
}
