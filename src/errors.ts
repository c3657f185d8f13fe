// Exit codes (DESIGN.md, house style 5): 0 ok, 1 internal error, 2 bad input or
// usage, 3 a quality gate failed. Only the classes below are "expected" failures;
// anything else that reaches a CLI is a bug and exits 1.

/** notYet: a run that has started but has no epoch results yet and has not ended (analyze.ts nothingYet). */
export const EXIT = { ok: 0, internal: 1, usage: 2, gate: 3, notYet: 4 } as const;

/**
 * Of two reports' exit codes (--run all), the one to exit with: a failed gate (3) first, then bad input (2),
 * then a run not judged yet (4), then ok; so the newest run still in its first epoch does not hide the others'.
 */
export function worseExit(a: number, b: number): number {
  const rank = (c: number): number => [EXIT.ok, EXIT.notYet, EXIT.usage, EXIT.gate].indexOf(c as 0 | 2 | 3 | 4);
  return rank(b) > rank(a) ? b : a;
}

/** Bad input, configuration or environment: the message is one line a user can act on. */
export class UserError extends Error {
  readonly exitCode = EXIT.usage;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'UserError';
  }
}

/** One or more quality gates failed; the report is still written. */
export class GateFailure extends Error {
  readonly exitCode = EXIT.gate;
  constructor(message: string) {
    super(message);
    this.name = 'GateFailure';
  }
}

/**
 * A remote service (CloudWatch Logs) failed for a reason that may pass: throttling that
 * outlasted the retries, a 5xx, an unreachable endpoint. One line, exit 1, no stack.
 */
export class ServiceError extends Error {
  readonly exitCode = EXIT.internal;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ServiceError';
  }
}

/**
 * The machine failed a read or write that may work another time: a full disk, an
 * exceeded quota, an I/O error. One line naming the path, exit 1, no stack.
 */
export class IoError extends Error {
  readonly exitCode = EXIT.internal;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'IoError';
  }
}

/** Map any thrown value to an exit code and a one-line message for stderr. */
export function describeFailure(err: unknown): { exitCode: number; message: string } {
  if (err instanceof UserError || err instanceof GateFailure || err instanceof ServiceError || err instanceof IoError) {
    return { exitCode: err.exitCode, message: err.message };
  }
  const e = err instanceof Error ? err : new Error(String(err));
  return { exitCode: EXIT.internal, message: `internal error: ${e.stack ?? e.message}` };
}
