// Writes dist/fonts/DejaVuSans-charts.ttf and DejaVuSans-Bold-charts.ttf: DejaVu Sans and
// DejaVu Sans Bold cut down to the characters
// charts use (SUBSET_RANGES in src/render/chart-font.ts), which resvg reads far faster
// than the whole font (see that file). hb-subset (harfbuzz, through subset-font) keeps
// the outlines, metrics and kerning of the characters kept, and the glyphs they can
// turn into; test/render/chart-font.test.ts checks that a PNG drawn with it is byte for
// byte the one drawn with the whole font. The font's licence allows a modified copy
// under a name without "Bitstream" or "Vera"; "DejaVu Sans" has neither.
//
//   node scripts/subset-font.mjs      (run by `npm run build`, after tsc)

import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import subsetFont from 'subset-font';

const { FONT_FILES, SUBSET_FONT_FILES, subsetCharacters } = await import(new URL('../dist/render/chart-font.js', import.meta.url).href);
for (const [i, whole] of FONT_FILES.entries()) {
  const subset = await subsetFont(await readFile(whole), subsetCharacters(), { targetFormat: 'truetype' });
  await mkdir(dirname(SUBSET_FONT_FILES[i]), { recursive: true });
  await writeFile(SUBSET_FONT_FILES[i], subset);
}
