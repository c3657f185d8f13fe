// renderIndex: the comparison page written at <out>/index.* for --run all, one
// row per run with a link to its folder. Pure: returns files for writeOutputs.

import type { Analysis } from '../analyze/types.js';
import type { OutputFile, ReportFormat } from './report.js';
import { tidy } from './report.js';
import { loadTemplate } from './templates.js';

export interface IndexEntry {
  analysis: Analysis;
  /** The run's folder under --out (already a safe slug). */
  folder: string;
}

export function renderIndex(entries: IndexEntry[], formats: readonly ReportFormat[], title: string | undefined, generatedAt: string): OutputFile[] {
  const rows = entries.map(({ analysis: a, folder }) => ({
    a,
    folder,
    warn: a.checks.filter((c) => c.status === 'warn').length,
    fail: a.checks.filter((c) => c.status === 'fail').length,
  }));
  const model = { title: title ?? 'MNIST training runs', generated_at: generatedAt, rows };
  const files: OutputFile[] = [];
  if (formats.includes('md')) files.push({ name: 'index.md', data: tidy(loadTemplate('index.md.hbs')(model)) });
  if (formats.includes('html')) files.push({ name: 'index.html', data: loadTemplate('index.html.hbs')(model) });
  if (formats.includes('json')) {
    const summary = rows.map((r) => ({
      run_id: r.a.run.run_id, folder: r.folder, outcome: r.a.run.outcome, epochs: r.a.run.epochs_seen,
      final: r.a.final, best_epoch: r.a.best?.epoch ?? null, warn: r.warn, fail: r.fail,
    }));
    files.push({ name: 'index.json', data: `${JSON.stringify({ generated_at: generatedAt, runs: summary }, null, 2)}\n` });
  }
  return files;
}
