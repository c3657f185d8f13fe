// Vega-Lite spec → SVG (vega's headless renderer) → PNG (resvg with a font that
// ships in node_modules, so the PNG's text does not depend on the machine's fonts).
//
// The SVGs are made one at a time on the main thread (one vega view alive at a
// time, its compiled spec reused per chart shape: chart-compile.ts); each PNG is
// rasterised off the main thread (libuv's pool, or for many reports a worker thread
// that also encodes it: png-worker.ts) while the next chart's SVG (and then the
// report's text) is being made, so on two cores most of the PNG work is off the
// critical path. Text is drawn with a subset of the font when it can be (chart-font.ts).

import type { ResvgRenderOptions } from '@resvg/resvg-js';
import type { AnyChart, ChartName, ChartSpec, SvgChart } from './charts.js';
import { CHART_FONT } from './charts.js';
import { chartFontFiles } from './chart-font.js';
import { accessibleSvg } from './chart-a11y.js';
import { OPAQUE_BACKGROUND } from './png-encode.js';
import { rasterize } from './png-worker.js';

/** resvg's options for a chart drawn with `fontFiles` (chartFontFiles: the subsets or the whole fonts), made once for each. */
const pngOptions = new Map<readonly string[], ResvgRenderOptions>();
function pngOptionsFor(fontFiles: readonly string[]): ResvgRenderOptions {
  let o = pngOptions.get(fontFiles);
  if (!o) {
    // over an opaque background, so the PNG's encoder need not look at every pixel's alpha (png-encode.ts)
    o = { background: OPAQUE_BACKGROUND, font: { fontFiles: [...fontFiles], loadSystemFonts: false, defaultFontFamily: CHART_FONT }, fitTo: { mode: 'zoom', value: 2 } };
    pngOptions.set(fontFiles, o);
  }
  return o;
}

export interface RenderedChart {
  name: string;
  title: string;
  alt: string;
  svg: string;
  /** Still being rasterised: the caller can fill its templates meanwhile. */
  png: Promise<Buffer>;
}

/**
 * The vega charts in the order they are made: the slowest to rasterise first, so that what the worker
 * still has to draw once this thread has made the last SVG is the quickest. resvg's parse and rasterising
 * of the example's charts at zoom 2, warm (ms): confusion 15, reliability 9.4, gap 7.7, accuracy 5.1,
 * recall 4.9, loss 4.4, batch-loss 3.5; the history chart is as wide as the gap chart. A name not here
 * comes after these (CHART_NAMES' order otherwise).
 */
const RASTER_ORDER: readonly ChartName[] = ['confusion', 'reliability', 'gap', 'history', 'accuracy', 'recall', 'loss', 'batch-loss'];
const rasterRank = (c: AnyChart) => {
  const i = (RASTER_ORDER as readonly string[]).indexOf(c.name);
  return i === -1 ? RASTER_ORDER.length : i;
};

/**
 * Renders the charts' SVGs and starts their PNGs; returned in the charts' order. A chart drawn as
 * SVG directly (the gallery of wrong digits) is made first: it takes a millisecond, where vega's
 * first chart waits for vega to start, so the PNG worker has it (the slowest to rasterise) to
 * draw meanwhile, rather than as the last, when this thread would wait for it. It is sent to the
 * worker before vega is even loaded (chart-svg.ts, imported here when a chart needs it): vega's
 * modules took ~10 ms to start (d3's colour schemes, vega's transforms, and Node's perf_hooks until
 * d3-timer's clock was made lazy in the build), and the worker, the report's critical path once
 * it has charts, waited for them.
 */
export async function renderCharts(charts: AnyChart[]): Promise<RenderedChart[]> {
  const rendered = new Map<AnyChart, RenderedChart>();
  const start = (chart: AnyChart, svg: string) => {
    const png = rasterize(svg, pngOptionsFor(chartFontFiles(svg)));
    // the caller awaits it later; a failure meanwhile must not count as unhandled
    png.catch(() => {});
    rendered.set(chart, { name: chart.name, title: chart.title, alt: chart.alt, svg, png });
  };
  for (const chart of charts.filter((c): c is SvgChart => 'svg' in c)) start(chart, accessibleSvg(chart.svg, chart.name, chart.title, chart.alt));
  const vegaCharts = charts.filter((c): c is ChartSpec => !('svg' in c)).sort((a, b) => rasterRank(a) - rasterRank(b));
  if (vegaCharts.length) {
    const { chartSvg } = await import('./chart-svg.js');
    for (const chart of vegaCharts) start(chart, await chartSvg(chart));
  }
  return charts.map((c) => rendered.get(c)!);
}
