// The Evaluation section's pictures, built from the EvaluationAnalysis. Pure.
//   confusion    Vega-Lite heatmap: colour = share of the true class's images (row-normalised,
//                so a rare digit's mistakes show as strongly as a common one's), text = counts
//   recall       Vega-Lite: recall per class with its Wilson interval, and the mean
//   reliability  Vega-Lite: accuracy per confidence bin against the diagonal of perfect calibration
//   wrong-digits an SVG drawn here from the logged pixels: each image as one path per grey level
//                (a Vega-Lite rect per pixel would be ~5,000 marks for 25 digits)
// All of them go through chart-render.ts to SVG and PNG like the per-epoch charts.

import type { TopLevelSpec } from 'vega-lite';
import type { EvaluationAnalysis } from '../analyze/evaluation.js';
import { base as chartBase, CHART_FONT, type AnyChart, type ChartSpec, type SvgChart } from './charts.js';
import * as words from '../wording/charts.js';

const CELL = 38;
/** The confusion matrix's least side: the recall chart's least width. */
const MIN_MATRIX = 240;

/** The charts of the Evaluation section (the rest of CHART_NAMES are per-epoch charts). */
export const EVALUATION_CHART_NAMES = ['confusion', 'recall', 'reliability', 'wrong-digits'] as const;

/** The per-epoch charts' look, without a frame around the panel. */
function base(title: string): ReturnType<typeof chartBase> {
  const b = chartBase(title);
  return { ...b, config: { ...b.config, view: { stroke: null } } };
}

function confusionChart(e: EvaluationAnalysis): ChartSpec | null {
  const m = e.confusion_matrix;
  if (!m) return null;
  const values = m.flatMap((row, i) => {
    const n = row.reduce((a, b) => a + b, 0);
    return row.map((count, j) => ({ label: e.labels[i], predicted: e.labels[j], count, share: n ? count / n : 0,
      cell: words.confusionCell(e, e.labels[i]!, e.labels[j]!, count, n) }));
  });
  const title = words.CHART_TITLES.confusion;
  const axis = (field: string, t: string) => ({ field, type: 'ordinal', title: t, sort: e.labels, axis: { labelAngle: 0, labelLimit: 90 } });
  return {
    name: 'confusion',
    title,
    alt: words.confusionAlt(e),
    spec: {
      ...base(title),
      // a few classes get wider cells: two classes named like FAKTA(0) and HOAX(1) had 38 px cells, labels written over
      // each other, and a chart 4 times wider than tall (85 px high on a phone)
      width: Math.max(CELL * m.length, MIN_MATRIX),
      height: Math.max(CELL * m.length, MIN_MATRIX),
      data: { values },
      encoding: { x: { ...axis('predicted', 'predicted'), axis: { orient: 'top', labelAngle: 0, labelLimit: 90 } }, y: axis('label', 'true') },
      layer: [
        // each cell's hover text (its SVG <title>, aria-label) is worded, not vega's raw fields ("predicted: 0; true: 0; share of row: 99%")
        { mark: { type: 'rect', stroke: '#ffffff', strokeWidth: 1 },
          encoding: { color: { field: 'share', type: 'quantitative', title: 'share of row', scale: { scheme: 'blues', domain: [0, 1] }, legend: { format: '.0%' } },
            description: { field: 'cell' } } },
        { transform: [{ filter: 'datum.count > 0' }],
          mark: { type: 'text', fontSize: 10 },
          encoding: {
            text: { field: 'count', type: 'quantitative' },
            description: { field: 'cell' },
            color: { condition: { test: 'datum.share > 0.5', value: 'white' }, value: '#1a1a1a' },
          } },
      ],
    } as unknown as TopLevelSpec,
  };
}

function recallChart(e: EvaluationAnalysis): ChartSpec | null {
  const values = e.classes.filter((c) => c.recall !== null).map((c) => {
    const d = { label: c.label, recall: c.recall!, support: c.support, low: c.recall_low ?? c.recall!, high: c.recall_high ?? c.recall! };
    const weak = e.weak_classes.some((w) => w.label === c.label);
    return { ...d, weak: weak ? 'below the others' : 'in line', point: words.recallPoint(e, d, weak), bar: words.recallIntervalBar(e, d) };
  });
  if (!values.length) return null;
  const mean = values.reduce((a, v) => a + v.recall, 0) / values.length;
  const title = words.recallTitle(e);
  const x = { field: 'label', type: 'ordinal', title: null, sort: e.labels, axis: { labelAngle: 0, labelLimit: 90 } };
  const y = { type: 'quantitative', title: 'recall', scale: { zero: false }, axis: { format: '.1%' } };
  return {
    name: 'recall',
    title,
    alt: words.recallAlt(e),
    spec: {
      ...base(title),
      width: Math.max(240, 46 * values.length),
      height: 200,
      layer: [
        // each mark's hover text (its SVG <title>, from the description) is worded, not vega's raw fields
        { data: { values }, mark: { type: 'rule', strokeWidth: 2, color: '#4c78a8' },
          encoding: { x, y: { field: 'low', ...y }, y2: { field: 'high' }, description: { field: 'bar' } } },
        { data: { values }, mark: { type: 'point', filled: true, size: 60 }, encoding: { x, y: { field: 'recall', ...y },
          color: { field: 'weak', type: 'nominal', title: null, scale: { domain: ['in line', 'below the others'], range: ['#4c78a8', '#d62728'] }, legend: { orient: 'bottom' } },
          description: { field: 'point' } } },
        // the mean and its words as data, not in the spec's structure: a chart's shape (chart-compile.ts)
        // must not hold a run's numbers, or every run's recall chart is compiled by vega-lite again
        { data: { values: [{ mean, text: words.recallMean(e, values.length, mean) }] }, mark: { type: 'rule', strokeDash: [4, 4], color: '#888' },
          encoding: { y: { field: 'mean', ...y }, description: { field: 'text' } } },
      ],
    } as unknown as TopLevelSpec,
  };
}

function reliabilityChart(e: EvaluationAnalysis): ChartSpec | null {
  const c = e.calibration;
  if (!c) return null;
  const values = c.bins.filter((b) => b.count > 0).map((b) => {
    const d = { lower: b.lower, upper: b.upper, accuracy: b.accuracy, confidence: b.mean_confidence, count: b.count };
    return { ...d, bar: words.reliabilityBin(d), point: words.reliabilityPoint(d) };
  });
  const title = words.CHART_TITLES.reliability;
  const x = { type: 'quantitative', title: 'confidence (top-class probability)', scale: { domain: [0, 1] }, axis: { format: '.0%' } };
  const y = { type: 'quantitative', title: 'accuracy', scale: { domain: [0, 1] }, axis: { format: '.0%' } };
  return {
    name: 'reliability',
    title,
    alt: words.reliabilityAlt(c.bins.length, c.ece),
    spec: {
      ...base(title),
      width: 320,
      height: 320,
      layer: [
        { data: { values }, mark: { type: 'bar', color: '#9ecae1', stroke: '#4c78a8' },
          encoding: { x: { field: 'lower', ...x }, x2: { field: 'upper' }, y: { field: 'accuracy', ...y }, y2: { datum: 0 }, description: { field: 'bar' } } },
        { data: { values: [{ p: 0 }, { p: 1 }] }, mark: { type: 'line', strokeDash: [4, 4], color: '#888', description: words.RELIABILITY_DIAGONAL },
          encoding: { x: { field: 'p', ...x }, y: { field: 'p', ...y } } },
        { data: { values }, mark: { type: 'point', filled: true, color: '#d62728', size: 30 },
          encoding: { x: { field: 'confidence', ...x }, y: { field: 'accuracy', ...y }, description: { field: 'point' } } },
      ],
    } as unknown as TopLevelSpec,
  };
}

const GALLERY_COLUMNS = 5;
const PIXEL = 3;
const TILE = 28 * PIXEL;
const TILE_W = 130;
const TILE_H = TILE + 34;
const GREY_LEVELS = 8;

/** The most confidently wrong images, drawn from their logged pixels (white digit on black, as MNIST stores it). */
function galleryChart(e: EvaluationAnalysis): SvgChart | null {
  const wrong = e.most_confident_wrong;
  if (!wrong.length) return null;
  const rows = Math.ceil(wrong.length / GALLERY_COLUMNS);
  const title = words.CHART_TITLES['wrong-digits'];
  const width = GALLERY_COLUMNS * TILE_W + 20;
  const height = rows * TILE_H + 44;
  const tiles = wrong.map((w, k) => {
    const x = 10 + (k % GALLERY_COLUMNS) * TILE_W + (TILE_W - TILE) / 2;
    const y = 36 + Math.floor(k / GALLERY_COLUMNS) * TILE_H;
    const pixels = Buffer.from(w.pixels, 'base64');
    const paths = new Array<string>(GREY_LEVELS).fill('');
    for (let p = 0; p < Math.min(pixels.length, 784); p++) {
      const v = pixels[p]!;
      if (v === 0) continue;
      const level = Math.min(GREY_LEVELS - 1, Math.floor((v / 256) * GREY_LEVELS));
      paths[level] += `M${(p % 28) * PIXEL} ${Math.floor(p / 28) * PIXEL}h${PIXEL}v${PIXEL}h-${PIXEL}z`;
    }
    const grey = (level: number) => Math.round(((level + 1) / GREY_LEVELS) * 255);
    const label = words.wrongImage(String(e.labels[w.label] ?? w.label), String(e.labels[w.predicted] ?? w.predicted), w.confidence);
    return `<g transform="translate(${x},${y})"><title>${escapeXml(words.wrongImageHover(w.index, label))}</title>`
      + `<rect width="${TILE}" height="${TILE}" fill="#000000"/>`
      + paths.map((d, level) => (d ? `<path fill="rgb(${grey(level)},${grey(level)},${grey(level)})" d="${d}"/>` : '')).join('')
      + `<text x="${TILE / 2}" y="${TILE + 16}" text-anchor="middle" font-size="12">${escapeXml(label)}</text></g>`;
  });
  // class="marks", the white background as the root's child and the words' fill="#000" as vega writes them, so
  // report.html's dark style (style.html.hbs) turns the panel dark and its words light, as on the other charts;
  // the digits keep MNIST's black tiles (#000000, which that style leaves alone)
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" class="marks" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="${CHART_FONT}">`
    + `<rect width="${width}" height="${height}" fill="white"/><g fill="#000">`
    + `<text x="10" y="22" font-size="14" font-weight="bold">${escapeXml(title)}</text>${tiles.join('')}</g></svg>\n`;
  return {
    name: 'wrong-digits',
    title,
    alt: words.wrongDigitsAlt(wrong.length),
    svg,
  };
}

/** Labels come from a log: escaped for SVG text. */
function escapeXml(s: string): string {
  return s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!).replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '');
}

/** The Evaluation section's charts, in report order. */
export function buildEvaluationCharts(e: EvaluationAnalysis | null | undefined): AnyChart[] {
  if (!e) return [];
  return [confusionChart(e), recallChart(e), reliabilityChart(e), galleryChart(e)].filter((c): c is AnyChart => c !== null);
}
