// The charts' subset fonts (built by scripts/subset-font.mjs) draw every character they
// hold exactly as the whole DejaVu Sans and DejaVu Sans Bold do, a chart with any other
// character gets the whole fonts, and bold text is drawn with the bold face.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, statSync } from 'node:fs';
import { Resvg } from '@resvg/resvg-js';
import { chartFontFiles, FONT_FILES, SUBSET_FONT_FILES, subsetCharacters } from '../../src/render/chart-font.js';
import { CHART_FONT } from '../../src/render/charts.js';

const png = (svg: string, fonts: readonly string[]): Buffer =>
  new Resvg(svg, { font: { fontFiles: [...fonts], loadSystemFonts: false, defaultFontFamily: CHART_FONT }, fitTo: { mode: 'zoom', value: 2 } }).render().asPng();

const escape = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** Lines of text in the chart's font: each character alone, then pseudo-random runs (every pair kerned as in a label). */
function sampleSvg(size: number, bold: boolean): string {
  const chars = [...subsetCharacters()].filter((c) => c.trim() !== '');
  const lines = [chars.join(' ')];
  let seed = 7;
  for (let l = 0; l < 24; l++) {
    let line = '';
    for (let i = 0; i < 60; i++) {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      line += chars[seed % chars.length];
    }
    lines.push(line);
  }
  lines.push('Loss per epoch', 'Generalization gap per epoch (validation − training)', 'AVAWAYTeToVaYoLTffiflPa.,−0.25e−3');
  const text = lines.map((t, i) => `<text x="4" y="${(i + 1) * (size + 6)}" font-family="${CHART_FONT}" font-size="${size}px"${bold ? ' font-weight="bold"' : ''}>${escape(t)}</text>`);
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${chars.length * size}" height="${(lines.length + 1) * (size + 6)}"><rect width="100%" height="100%" fill="white"/>${text.join('')}</svg>`;
}

test('the built subsets exist and are far smaller than the whole fonts', () => {
  assert.equal(SUBSET_FONT_FILES.length, 2);
  for (const [i, subset] of SUBSET_FONT_FILES.entries()) {
    assert.ok(existsSync(subset), `${subset} is made by npm run build`);
    assert.ok(statSync(subset).size * 8 < statSync(FONT_FILES[i]!).size, `${subset} under an eighth of ${FONT_FILES[i]}`);
  }
});

test('text drawn with the subsets is byte for byte the text drawn with the whole fonts, regular and bold', () => {
  for (const [size, bold] of [[10, false], [11, false], [12, true], [14, true]] as const) {
    const svg = sampleSvg(size, bold);
    assert.ok(png(svg, SUBSET_FONT_FILES).equals(png(svg, FONT_FILES)), `${size}px${bold ? ' bold' : ''}`);
  }
});

test('bold text (the charts\' titles) is drawn with the bold face, not the regular one', () => {
  const svg = sampleSvg(14, true);
  const drawn = png(svg, chartFontFiles(svg));
  assert.ok(drawn.equals(png(svg, [FONT_FILES[1]!])), 'as DejaVu Sans Bold alone draws it');
  assert.ok(!drawn.equals(png(svg, [FONT_FILES[0]!])), 'not as the regular face draws it');
  const regular = sampleSvg(14, false);
  assert.ok(png(regular, chartFontFiles(regular)).equals(png(regular, [FONT_FILES[0]!])), 'regular text stays regular');
});

test('a chart with a character outside the subsets is drawn with the whole fonts', () => {
  const svg = (label: string) => `<svg xmlns="http://www.w3.org/2000/svg"><text>${label}</text></svg>`;
  assert.equal(chartFontFiles(svg('run 2026-11-24 · val 98.1% ≥ 97 − 1e−3 “ok”')), SUBSET_FONT_FILES);
  for (const other of ['Ωmega', 'запуск', '実験', 'run 🚀', 'Ł']) assert.equal(chartFontFiles(svg(other)), FONT_FILES, other);
  // and the whole fonts really differ there: the subsets have no such glyph
  for (const weight of ['normal', 'bold']) {
    const omega = `<svg xmlns="http://www.w3.org/2000/svg" width="80" height="30"><text x="2" y="20" font-family="${CHART_FONT}" font-size="16px" font-weight="${weight}">ΩΩΩ</text></svg>`;
    assert.ok(!png(omega, SUBSET_FONT_FILES).equals(png(omega, FONT_FILES)), weight);
  }
});
