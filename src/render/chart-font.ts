// The font file resvg draws a chart's text with. resvg-js (2.6) takes fonts as file
// paths only and reads the whole file again for every piece of text it lays out: ~145
// reads of DejaVuSans.ttf (757 kB) per chart, ~10 ms of its ~25 ms. So the build
// (scripts/subset-font.mjs) writes a subset of the same font holding only the
// characters below (~30 kB, same outlines, metrics and kerning: the PNGs are byte for
// byte the same, test/render/chart-font.test.ts), and a chart whose SVG has only those
// characters is drawn with it. Any other character (a run id in another script, say)
// gets the whole font, as before; so does a checkout that has not been built.

import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);

/** Path of DejaVuSans.ttf from the dejavu-fonts-ttf package. */
export const FONT_FILE: string = require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf');

/** Where the build writes the subset (dist/ is two levels above src/render, dist/render and dist/cli alike). */
export const SUBSET_FONT_FILE: string = fileURLToPath(new URL('../../dist/fonts/DejaVuSans-charts.ttf', import.meta.url));

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

/** The font file for this SVG: the subset when it holds every character of the SVG (and has been built), else the whole font. */
export function chartFontFile(svg: string): string {
  subsetBuilt ??= existsSync(SUBSET_FONT_FILE);
  return subsetBuilt && !OUTSIDE.test(svg) ? SUBSET_FONT_FILE : FONT_FILE;
}
