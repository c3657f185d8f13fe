// Vega-Lite spec → SVG (vega's headless renderer) → PNG (resvg with a font that
// ships in node_modules, so the PNG's text does not depend on the machine's fonts).

import { createRequire } from 'node:module';
import * as vega from 'vega';
import { compile } from 'vega-lite';
import { Resvg } from '@resvg/resvg-js';
import type { ChartSpec } from './charts.js';
import { CHART_FONT } from './charts.js';

const require = createRequire(import.meta.url);

/** Path of DejaVuSans.ttf from the dejavu-fonts-ttf package. */
export const FONT_FILE: string = require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf');

export interface RenderedChart {
  name: string;
  title: string;
  alt: string;
  svg: string;
  png: Buffer;
}

export async function renderChart(chart: ChartSpec): Promise<RenderedChart> {
  const view = new vega.View(vega.parse(compile(chart.spec).spec), { renderer: 'none' });
  try {
    const svg = await view.toSVG();
    const png = new Resvg(svg, {
      font: { fontFiles: [FONT_FILE], loadSystemFonts: false, defaultFontFamily: CHART_FONT },
      fitTo: { mode: 'zoom', value: 2 },
    }).render().asPng();
    return { name: chart.name, title: chart.title, alt: chart.alt, svg, png };
  } finally {
    view.finalize();
  }
}
