// One Vega-Lite chart → its accessible SVG (chart-render.ts): a fresh vega View per chart
// (its compiled spec reused per chart shape: chart-compile.ts), vega's headless SVG renderer.

import * as vega from 'vega';
import type { ChartSpec } from './charts.js';
import { accessibleSvg } from './chart-a11y.js';
import { chartRuntime } from './chart-compile.js';

export async function chartSvg(chart: ChartSpec): Promise<string> {
  return accessibleSvg(await plainSvg(chart), chart.name, chart.title, chart.alt);
}

async function plainSvg(chart: ChartSpec): Promise<string> {
  const view = new vega.View(chartRuntime(chart.spec), { renderer: 'none' });
  // vega numbers its SVG gradients (and clip paths) across all the charts a thread has drawn:
  // from 0 for each chart, a chart's SVG is the same whichever thread draws it and whatever it drew before
  // (one gradient a report: the confusion matrix's legend, so the ids of a page's inline SVGs stay unique)
  vega.resetSVGDefIds();
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
