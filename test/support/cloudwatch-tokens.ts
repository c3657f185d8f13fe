// Pagination tokens of the CloudWatch Logs test server, and its error type.

export class AwsError extends Error {
  constructor(readonly type: string, message: string, readonly status = 400) {
    super(message);
  }
}

// Opaque pagination tokens for Describe*/Filter: base64 of an offset, tied to the operation.
export function encodeToken(kind: string, offset: number, gen?: bigint): string {
  return Buffer.from(JSON.stringify({ k: kind, o: offset, ...(gen ? { g: String(gen) } : {}) })).toString('base64');
}
export function decodeToken(kind: string, token: string | undefined): number {
  if (token === undefined) return 0;
  try {
    const t = JSON.parse(Buffer.from(token, 'base64').toString('utf8')) as { k?: unknown; o?: unknown };
    if (t.k === kind && typeof t.o === 'number') return t.o;
  } catch { /* fall through */ }
  throw new AwsError('InvalidParameterException', 'The specified nextToken is invalid.');
}

// GetLogEvents tokens look like the real ones: f/<56 digits>/s and b/<56 digits>/s. The
// digits hold the position and a generation, so that a forced empty page can hand out a
// new token for the same position (the service's "empty page, more to come").
const GEN = 10n ** 20n;
let generation = 0n;
/** A fresh generation number, so that a token for an unchanged position still differs. */
export function nextGeneration(): bigint {
  generation += 1n;
  return generation;
}
export const seqToken = (dir: 'f' | 'b', index: number, gen = 0n): string => `${dir}/${(gen * GEN + BigInt(index)).toString().padStart(56, '0')}/s`;
export function parseSeqToken(token: string): { dir: 'f' | 'b'; index: number } {
  const m = /^([fb])\/(\d{56})\/s$/.exec(token);
  if (!m) throw new AwsError('InvalidParameterException', 'The specified nextToken is invalid.');
  return { dir: m[1] as 'f' | 'b', index: Number(BigInt(m[2]!) % GEN) };
}

