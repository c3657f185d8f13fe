// Splits decoded text into log lines for plain-text and JSON-lines files.

/**
 * A line longer than this keeps only its last MAX_LINE_CHARS characters. A
 * progress bar redrawn with `\r`/`\b` thousands of times is one "line" whose
 * useful part is the final redraw at its end, and a line with no newline at all
 * (binary data) must not grow without bound. awslogs never ships more than
 * 256 KB per message, so CloudWatch exports stay far below this.
 */
const MAX_LINE_CHARS = 1 << 20;

/**
 * Yields the complete lines of each chunk as one array (without `\n`, and without
 * a trailing `\r` from CRLF files); the last line may lack its newline.
 */
export async function* splitLines(chunks: AsyncIterable<string>): AsyncGenerator<string[]> {
  let pending = '';
  for await (const chunk of chunks) {
    let nl = chunk.indexOf('\n');
    if (nl === -1) {
      pending = cap(pending + chunk);
      continue;
    }
    const lines = [trimCr(cap(pending + chunk.slice(0, nl)))];
    let start = nl + 1;
    while ((nl = chunk.indexOf('\n', start)) !== -1) {
      lines.push(trimCr(cap(chunk.slice(start, nl))));
      start = nl + 1;
    }
    pending = cap(chunk.slice(start));
    yield lines;
  }
  if (pending.length > 0) yield [trimCr(pending)];
}

function cap(s: string): string {
  return s.length > MAX_LINE_CHARS ? s.slice(-MAX_LINE_CHARS) : s;
}

function trimCr(line: string): string {
  return line.charCodeAt(line.length - 1) === 13 ? line.slice(0, -1) : line;
}
