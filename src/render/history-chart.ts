// The History section's chart (--history): final validation accuracy and loss of the
// previous runs of the same model over time, the band median ± 3 × 1.4826 × MAD of those
// runs as a shaded strip with its median as a dashed rule, and this run as a red diamond.
// Pure: a Vega-Lite spec from the HistoryComparison; chart-render.ts draws it like every chart.

import type { TopLevelSpec } from 'vega-lite';
import type { HistoryBand, HistoryComparison, HistoryMetric, HistoryRun } from '../analyze/history.js';
import { bandRange, bandRule, fmtHistoryValue } from '../wording/history.js';
import * as words from '../wording/charts.js';
import { base, type ChartSpec } from './charts.js';

export const HISTORY_CHART_NAME = 'history' as const;

const EARLIER = '#4c78a8';
const CURRENT = '#d62728';
const PANELS: { metric: HistoryMetric; title: string; format: string }[] = [
  { metric: 'val_accuracy', title: 'final validation accuracy', format: '.2%' },
  { metric: 'val_loss', title: 'final validation loss', format: '.4f' },
];

interface Row {
  run: string;
  /** ISO time, or the run's place in the history (1 = oldest) when a run has no time. */
  x: string | number;
  value: number;
  label: string;
}

export function buildHistoryCharts(h: HistoryComparison | undefined): ChartSpec[] {
  if (!h || !h.runs.length) return [];
  const all = [...h.runs, h.current];
  // time on the x axis when every run has one at its own second; otherwise their order (runs
  // logged together, as copies of one log, would stack on one tick)
  const timed = distinctSeconds(all);
  const xOf = (r: HistoryRun, i: number): string | number => (timed ? r.time! : i + 1);
  const x = timed
    ? { field: 'x', type: 'temporal', title: 'run start (UTC)', axis: { format: timeFormat(all), labelAngle: -30 }, scale: { type: 'utc', padding: 14 } }
    : { field: 'x', type: 'quantitative', title: 'run (oldest first)', axis: { tickMinStep: 1, format: 'd' }, scale: { padding: 14 } };
  const panel = (p: (typeof PANELS)[number]): Record<string, unknown> | null => {
    const rows = (runs: HistoryRun[], offset: number, current: boolean): Row[] => runs.flatMap((r, i) => {
      const v = r[p.metric];
      return v === null ? [] : [{ run: r.run_id, x: xOf(r, i + offset), value: v, label: words.historyPoint(r.run_id, current, p.title, fmtHistoryValue(p.metric, v)) }];
    });
    const earlier = rows(h.runs, 0, false);
    const current = rows([h.current], h.runs.length, true);
    if (!earlier.length && !current.length) return null;
    const band: HistoryBand | null = h.bands[p.metric];
    const y = { field: 'value', type: 'quantitative', title: p.title, scale: { zero: false }, axis: { format: p.format } };
    return {
      width: 500,
      height: 170,
      layer: [
        ...(band ? [
          // one empty row each: a layer with no data draws nothing
          { data: { values: [{}] }, mark: { type: 'rect', color: EARLIER, opacity: 0.15, description: words.historyBand(bandRange(band)) },
            encoding: { y: { datum: band.low, type: 'quantitative', scale: { zero: false } }, y2: { datum: band.high } } },
          { data: { values: [{}] }, mark: { type: 'rule', color: EARLIER, strokeDash: [4, 4], description: words.historyMedian(fmtHistoryValue(p.metric, band.median)) },
            encoding: { y: { datum: band.median, type: 'quantitative' } } },
        ] : []),
        { data: { values: earlier }, mark: { type: 'line', color: EARLIER, point: { color: EARLIER, size: 40 } },
          encoding: { x, y, description: { field: 'label' } } },
        { data: { values: current }, mark: { type: 'point', shape: 'diamond', color: CURRENT, filled: true, size: 220, opacity: 1 },
          encoding: { x, y, description: { field: 'label' } } },
        { data: { values: current }, mark: { type: 'text', color: CURRENT, align: 'right', dx: -10, dy: -10, fontWeight: 'bold' },
          encoding: { x, y, text: { value: words.HISTORY_THIS_RUN } } },
      ],
    };
  };
  const panels = PANELS.map(panel).filter((v): v is Record<string, unknown> => v !== null);
  if (!panels.length) return [];
  const title = words.historyTitle(h.runs.length, h.key.model);
  const rule = h.bands.val_accuracy !== null || h.bands.val_loss !== null ? bandRule() : null;
  return [{
    name: HISTORY_CHART_NAME,
    title,
    alt: words.historyAlt(title, timed, rule),
    spec: {
      ...base(title),
      title: { text: title, subtitle: words.historySubtitle(rule !== null) },
      vconcat: panels,
    } as unknown as TopLevelSpec,
  }];
}

function distinctSeconds(runs: readonly HistoryRun[]): boolean {
  const s = runs.map((r) => (r.time === null ? NaN : Math.floor(Date.parse(r.time) / 1000)));
  return s.every(Number.isFinite) && new Set(s).size === s.length;
}

/** A tick format fit to the runs' span: days over two days, minutes over two hours, else seconds. */
function timeFormat(runs: readonly HistoryRun[]): string {
  const ms = runs.map((r) => Date.parse(r.time!));
  const span = Math.max(...ms) - Math.min(...ms);
  return span > 2 * 24 * 3600 * 1000 ? '%b %d' : span > 2 * 3600 * 1000 ? '%b %d %H:%M' : '%H:%M:%S';
}
