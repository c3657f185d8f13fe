import { fmtInt } from '../analyze/format.js';

/** "1 run", "8 runs", "1,024 runs": a count, written as every count is (fmtInt), with its noun in the right number. */
export function plural(n: number, one: string, many: string): string {
  return `${fmtInt(n)} ${n === 1 ? one : many}`;
}
