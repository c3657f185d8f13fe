// renderReport: Analysis → the files of one run's report folder (report.md,
// report.html, report.json, summary.md, <chart>.svg, <chart>.png). No writing here: the
// caller hands the list to the report writer (render/write.ts), which replaces
// the whole folder atomically.

import type { Analysis } from '../analyze/types.js';
import { buildCharts, CHART_NAMES } from './charts.js';
import type * as ChartRender from './chart-render.js';
import { drainPngs, stealPngs } from './png-worker.js';
import { buildEvaluationCharts } from './evaluation-charts.js';
import { buildHistoryCharts } from './history-chart.js';
import { buildModel, type ChartRef } from './model.js';
import { loadTemplate } from './templates.js';

export type ReportFormat = 'md' | 'html' | 'json' | 'summary';
/** Every format --format accepts; the default is all but summary. */
export const REPORT_FORMATS: readonly ReportFormat[] = ['md', 'html', 'json', 'summary'];
export const DEFAULT_FORMATS: readonly ReportFormat[] = ['md', 'html', 'json'];

/** Every chart file renderReport can produce, for removing stale ones from a reused folder. */
export const CHART_FILE_NAMES: readonly string[] = CHART_NAMES.flatMap((c) => [`${c}.svg`, `${c}.png`]);

/** Every file name a report folder gets from us: the folder writer replaces these and carries anything else over. */
export const REPORT_FILE_NAMES: readonly string[] = ['report.md', 'report.html', 'report.json', ...CHART_FILE_NAMES];

/** Charts come with md or html (json alone has none). */
export function wantsCharts(formats: readonly ReportFormat[]): boolean {
  return formats.includes('md') || formats.includes('html');
}

export interface OutputFile {
  /** Path relative to the run's folder, e.g. "report.md", "loss.png". */
  name: string;
  data: string | Buffer;
}

export interface RenderOptions {
  /** report.html's link back to the --run all index, relative to the run's folder ("../index.html"). */
  index?: string;
  /**
   * With a PNG worker (png-worker.ts): draw on this thread the charts still waiting for the worker,
   * but for this many (drainPngs), instead of waiting for them; when more reports follow, this
   * thread has their analysis and SVGs to make meanwhile. Default: leave them all to the worker.
   */
  leavePngs?: number;
  /**
   * Draw the charts (the default). false with -o -: charts are files and the document goes to stdout,
   * so none are drawn (vega and resvg are not even loaded) and the document says so where they would be.
   */
  charts?: boolean;
}

/**
 * The charts, drawn by chart-render.js, which is loaded on first use: vega, vega-lite and
 * resvg take ~40-50 ms to start that a report without charts (-f json) does not need.
 */
export async function renderCharts(...args: Parameters<typeof ChartRender.renderCharts>): ReturnType<typeof ChartRender.renderCharts> {
  return (await import('./chart-render.js')).renderCharts(...args);
}

/**
 * A report's files: those made once the charts' SVGs and the text are (`now`), and the PNGs still being
 * rasterised on the worker thread (`later`, in the charts' order). The writer (write.ts) writes `now`
 * into the run's temporary folder while it waits for `later`, so the folder is written during the wait.
 */
export interface ReportFiles {
  now: OutputFile[];
  later: Promise<OutputFile[]>;
}

export async function renderReport(a: Analysis, formats: readonly ReportFormat[], opts: RenderOptions = {}): Promise<OutputFile[]> {
  const { now, later } = await renderReportFiles(a, formats, opts);
  const pngs = await later;
  // each chart's svg and png, then the text files
  const svgs = now.filter((f) => f.name.endsWith('.svg'));
  return [...svgs.flatMap((svg, i) => [svg, pngs[i]!]), ...now.slice(svgs.length)];
}

export async function renderReportFiles(a: Analysis, formats: readonly ReportFormat[], opts: RenderOptions = {}): Promise<ReportFiles> {
  const files: OutputFile[] = [];
  const charts: ChartRef[] = [];
  const specs = wantsCharts(formats) ? [...buildCharts(a), ...buildEvaluationCharts(a.evaluation), ...buildHistoryCharts(a.history)] : [];
  const draw = opts.charts ?? true;
  const rendered = draw && wantsCharts(formats) ? await renderCharts(specs) : [];
  for (const c of rendered) {
    charts.push({ name: c.name, title: c.title, alt: c.alt, svgFile: `${c.name}.svg`, pngFile: `${c.name}.png`, svg: c.svg });
  }
  // the PNGs are rasterised on other threads while the text is rendered here
  const model = buildModel(a, charts, opts.index ?? null, wantsCharts(formats), draw ? [] : specs.map((c) => c.name), formats.includes('json'));
  if (formats.includes('md')) files.push({ name: 'report.md', data: tidy(loadTemplate('report.md.hbs')(model)) });
  if (formats.includes('html')) files.push({ name: 'report.html', data: loadTemplate('report.html.hbs')(model) });
  if (formats.includes('json')) files.push({ name: 'report.json', data: `${JSON.stringify(a, null, 2)}\n` });
  // summary.md: for a PR comment or a CI job summary, so no chart or file links (they would not resolve there)
  if (formats.includes('summary')) files.push({ name: 'summary.md', data: tidy(loadTemplate('summary.md.hbs')(model)) });
  // the PNGs the worker has not taken yet are drawn here rather than waited for (with leavePngs)
  if (opts.leavePngs !== undefined) await drainPngs(opts.leavePngs);
  // one report: once the caller is waiting, this thread draws the charts the worker has not started (stealPngs)
  const stolen = opts.leavePngs === undefined && rendered.length ? new Promise((r) => setImmediate(r)).then(stealPngs) : null;
  const later = Promise.all(rendered.map(async (c) => ({ name: `${c.name}.png`, data: await c.png }))).then(async (pngs) => {
    await stolen;
    return pngs;
  });
  // the caller awaits it once it has written the rest; a failure meanwhile must not count as unhandled
  later.catch(() => {});
  return { now: [...rendered.map((c) => ({ name: `${c.name}.svg`, data: c.svg })), ...files], later };
}

/** Collapse the blank lines that template conditionals leave behind. */
export function tidy(md: string): string {
  return `${md.replace(/[ \t]+$/gm, '').replace(/\n{3,}/g, '\n\n').trim()}\n`;
}
