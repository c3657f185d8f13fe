// renderIndex: the comparison page written at <out>/index.* for --run all: an
// overlay chart of every run's validation accuracy, then one row per run, newest
// first, with its settings, verdict, gate result and a link to its folder (each
// run's report.html links back). Pure apart from the chart's rendering: returns
// files for the report writer (render/write.ts writeTop).

import type { Analysis } from '../analyze/types.js';
import type { OutputFile, ReportFormat } from './report.js';
import { renderCharts, tidy, wantsCharts } from './report.js';
import { loadTemplate } from './templates.js';
import { indexChart } from './index-chart.js';
import { indexIntro } from '../wording/document.js';

/**
 * A run's analysis as the index keeps it: the fields its pages, index.json and overlay chart show,
 * and no more (~1 KB as JSON). --run all holds one per run until the index is written: without the
 * batch points only, an analysis was still ~18 KB as JSON (epochs, checks with their messages, the
 * verdict's reasons, data quality), and 10,000 runs kept ~150 MB of them. A field the index starts to
 * show is added here.
 */
export interface IndexFields extends Pick<Analysis, 'run' | 'config' | 'runtime' | 'final' | 'best'> {
  verdict: Pick<Analysis['verdict'], 'level'>;
  checks: Pick<Analysis['checks'][number], 'status'>[];
  gates?: Pick<NonNullable<Analysis['gates']>, 'failed'>;
  epochs: Pick<Analysis['epochs'][number], 'epoch' | 'val_accuracy'>[];
}

export function indexFields(a: Analysis): IndexFields {
  return {
    verdict: { level: a.verdict.level }, run: a.run, config: a.config, runtime: a.runtime, final: a.final, best: a.best,
    checks: a.checks.map((c) => ({ status: c.status })),
    ...(a.gates ? { gates: { failed: a.gates.failed } } : {}),
    epochs: a.epochs.map((e) => ({ epoch: e.epoch, val_accuracy: e.val_accuracy })),
  };
}

export interface IndexEntry {
  analysis: IndexFields;
  /** The run's folder under --out (already a safe slug). */
  folder: string;
}

/**
 * Newest first: `entries` come in collectRuns' order (oldest first, latest last; a run without a time placed
 * by where it is in the input, runs/builder.ts byFirstSeen), so the first row is the run --run latest picks and
 * the rows are --list's, upside down.
 */
function newestFirst(entries: readonly IndexEntry[]): IndexEntry[] {
  return [...entries].reverse();
}

export async function renderIndex(entries: IndexEntry[], formats: readonly ReportFormat[], title: string | undefined, generatedAt: string): Promise<OutputFile[]> {
  const rows = newestFirst(entries).map(({ analysis: a, folder }) => ({
    a,
    folder,
    warn: a.checks.filter((c) => c.status === 'warn').length,
    fail: a.checks.filter((c) => c.status === 'fail').length,
    gate: a.gates ? (a.gates.failed ? 'failed' : 'passed') : null,
  }));
  const spec = wantsCharts(formats) ? indexChart(rows.map((r) => r.a)) : null;
  const [chart] = spec ? await renderCharts([spec]) : [];
  const model = { title: title ?? 'MNIST training runs', generated_at: generatedAt, intro: indexIntro(generatedAt, rows.length), rows,
    chart: chart ? { ...chart, svgFile: `${chart.name}.svg`, pngFile: `${chart.name}.png` } : null };
  const files: OutputFile[] = [];
  if (chart) files.push({ name: `${chart.name}.svg`, data: chart.svg }, { name: `${chart.name}.png`, data: await chart.png });
  if (formats.includes('md')) files.push({ name: 'index.md', data: tidy(loadTemplate('index.md.hbs')(model)) });
  if (formats.includes('html')) files.push({ name: 'index.html', data: loadTemplate('index.html.hbs')(model) });
  if (formats.includes('json')) {
    const summary = rows.map((r) => ({
      run_id: r.a.run.run_id, folder: r.folder, outcome: r.a.run.outcome, epochs: r.a.run.epochs_seen,
      final: r.a.final, best_epoch: r.a.best?.epoch ?? null, warn: r.warn, fail: r.fail, gate: r.gate,
    }));
    files.push({ name: 'index.json', data: `${JSON.stringify({ generated_at: generatedAt, runs: summary }, null, 2)}\n` });
  }
  return files;
}
