// A history of runs for --history tests, made from the real trainer fixture: each run is the
// fixture's run with its own id, its times moved by a day per run, and its final validation
// metrics rewritten (deterministic wobble around the fixture's, or the values asked for).
// Everything else (config, backend, every other event) is the real trainer's output.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export const HISTORY_FIXTURE = 'fixtures/mnist-train-5epochs.jsonl';
const DAY_MS = 24 * 3600 * 1000;

export interface HistorySpec {
  /** How many runs, oldest first. */
  runs: number;
  /** Final validation accuracy and loss of run i (0-based); default: the fixture's, wobbling by ±0.1 pp and ±0.002. */
  final?: (i: number) => { val_accuracy: number; val_loss: number } | null;
  /** Settings of run i to change in run_start.config (e.g. another learning rate). */
  config?: (i: number) => Record<string, unknown> | null;
}

/** A deterministic wobble in [−1, 1] (no random source in tests). */
const wobble = (i: number): number => Math.sin(i * 2.399963);

export function defaultFinal(i: number): { val_accuracy: number; val_loss: number } {
  return { val_accuracy: 0.9766 + 0.001 * wobble(i), val_loss: 0.0712 + 0.002 * wobble(i + 7) };
}

/** The lines of a log holding `spec.runs` runs (run ids hist-01, hist-02, …), oldest first. */
export function historyLog(root: string, spec: HistorySpec): string {
  const lines = readFileSync(join(root, HISTORY_FIXTURE), 'utf8').split('\n').filter(Boolean);
  const out: string[] = [];
  for (let i = 0; i < spec.runs; i++) {
    const id = `hist-${String(i + 1).padStart(2, '0')}`;
    const final = spec.final?.(i) ?? defaultFinal(i);
    const config = spec.config?.(i) ?? null;
    for (const line of lines) {
      const e = JSON.parse(line) as Record<string, unknown>;
      e.run_id = id;
      e.time = new Date(Date.parse(String(e.time)) - (spec.runs - 1 - i) * DAY_MS).toISOString();
      if (e.event === 'epoch_end' && e.epoch === 5) Object.assign(e, final);
      if (e.event === 'run_start' && config) e.config = { ...(e.config as object), ...config };
      delete e._aws; // its timestamp would disagree with the moved time
      out.push(JSON.stringify(e));
    }
  }
  return `${out.join('\n')}\n`;
}
