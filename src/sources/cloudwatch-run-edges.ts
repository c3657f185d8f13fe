// Which mnist-train runs a source has seen, and whether it saw each one's run_start and
// run_end: what a windowed read needs to know to tell a whole run from one the window cut.
// A look at the text, not a parse: the runs stage parses every record once, later.

const RUN_ID = /"run_id"\s*:\s*"((?:[^"\\]|\\.)*)"/;

export class RunEdges {
  private readonly ids = new Set<string>();
  private readonly starts = new Set<string>();
  private readonly ends = new Set<string>();

  /** Notes the message's run and edge; its run id (runIdOf's answer), for a caller that needs it too. */
  see(message: string): string | null {
    const id = runIdOf(message);
    if (id === null) return null;
    this.ids.add(id);
    if (/"event"\s*:\s*"run_start"/.test(message)) this.starts.add(id);
    else if (/"event"\s*:\s*"run_end"/.test(message)) this.ends.add(id);
    return id;
  }

  /** Runs seen without their run_start (began before the window) and without their run_end. */
  cut(): { before: string[]; after: string[] } {
    const all = [...this.ids];
    return { before: all.filter((id) => !this.starts.has(id)), after: all.filter((id) => !this.ends.has(id)) };
  }
}

/** The run id of an mnist-train JSON line, or null for any other line. */
export function runIdOf(message: string): string | null {
  const c = message.charCodeAt(0);
  if (c !== 123 && !(c === 32 && message.trimStart().startsWith('{'))) return null;
  const m = RUN_ID.exec(message);
  if (!m) return null;
  let id = m[1]!;
  if (id.includes('\\')) {
    try { id = JSON.parse(`"${id}"`) as string; } catch { return null; }
  }
  return id;
}
