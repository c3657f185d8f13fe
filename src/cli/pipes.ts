// A reader that closes its end of a pipe early (`mnist-report --list | head -1`,
// `mnist-report … 2>&1 | grep -m1 verdict`) is not a failure of ours. Node ignores SIGPIPE, so the
// next write to that pipe fails with EPIPE, emitted as an 'error' event of process.stdout or
// process.stderr; unhandled, it ended the process with a stack trace, and when it was stderr,
// before the report was written.

const isEpipe = (e: unknown): boolean => (e as NodeJS.ErrnoException | null)?.code === 'EPIPE';

/** stderr carries progress and messages: with its reader gone the rest of them go nowhere, and the work goes on. */
export function carryOnWithoutStderr(): void {
  process.stderr.on('error', (e) => {
    if (!isEpipe(e)) throw e;
  });
}

/** stdout carries the listing (--list) or -o -'s document: its reader has had what it wanted, so stop, with the exit code so far. */
export function stopWhenStdoutCloses(): void {
  process.stdout.on('error', (e) => {
    if (!isEpipe(e)) throw e;
    process.exit(process.exitCode ?? 0);
  });
}

/** For a write's callback: its reader gone is not an error (stopWhenStdoutCloses ends the process). */
export const unlessReaderGone = (e: Error | null | undefined): Error | null => (e && !isEpipe(e) ? e : null);
