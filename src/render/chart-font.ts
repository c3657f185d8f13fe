// The font files resvg draws a chart's text with: DejaVu Sans and DejaVu Sans Bold (the
// charts' titles, axis titles and the legend's title are bold in the SVG, as vega-lite
// writes them; with the regular face alone resvg drew them regular, so the PNG lost the
// titles' weight that a browser shows). resvg-js (2.6) takes fonts as file paths only
// and reads the whole file again for every piece of text it lays out: ~145 reads of
// DejaVuSans.ttf (757 kB) per chart, ~10 ms of its ~25 ms. So the build
// (scripts/subset-font.mjs) writes a subset of each face holding only the characters
// below (42-48 kB each, same outlines, metrics and kerning: the PNGs are byte for byte the
// same, test/render/chart-font.test.ts), and a chart whose SVG has only those characters
// is drawn with them. Any other character (a run id in another script, say) gets the
// whole fonts, as before; so does a checkout that has not been built.

import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);

/** DejaVuSans.ttf and DejaVuSans-Bold.ttf from the dejavu-fonts-ttf package: the regular face, then the bold one. */
export const FONT_FILES: readonly string[] = ['DejaVuSans', 'DejaVuSans-Bold'].map((face) => require.resolve(`dejavu-fonts-ttf/ttf/${face}.ttf`));

/** Where the build writes the subsets, in the same order (dist/ is two levels above src/render, dist/render and dist/cli alike). */
export const SUBSET_FONT_FILES: readonly string[] = ['DejaVuSans', 'DejaVuSans-Bold'].map((face) => fileURLToPath(new URL(`../../dist/fonts/${face}-charts.ttf`, import.meta.url)));

/**
 * The subset's characters, as regular-expression ranges: printable ASCII, Latin-1,
 * general punctuation (dashes, quotes, ellipsis, thin spaces), the minus sign
 * d3-format writes before negative numbers, and a few mathematical signs.
 */
export const SUBSET_RANGES = '\\x20-\\x7e\\u00a0-\\u00ff\\u2009-\\u2027\\u202f\\u2030\\u2032\\u2033\\u2190-\\u2193\\u2212\\u2248\\u2260\\u2264\\u2265';

/** Every character of the subset, for the build script. */
export function subsetCharacters(): string {
  const within = new RegExp(`[${SUBSET_RANGES}]`, 'u');
  let out = '';
  for (let c = 0x20; c <= 0x2265; c++) if (within.test(String.fromCodePoint(c))) out += String.fromCodePoint(c);
  return out;
}

// Anything but markup whitespace and the subset's characters.
const OUTSIDE = new RegExp(`[^\\t\\n\\r${SUBSET_RANGES}]`, 'u');
let subsetBuilt: boolean | null = null;

/** The font files for this SVG: the subsets when they hold every character of the SVG (and have been built), else the whole fonts. */
export function chartFontFiles(svg: string): readonly string[] {
  subsetBuilt ??= SUBSET_FONT_FILES.every((f) => existsSync(f));
  return subsetBuilt && !OUTSIDE.test(svg) ? SUBSET_FONT_FILES : FONT_FILES;
}
