// The charts' subset font (built by scripts/subset-font.mjs) draws every character it
// holds exactly as the whole DejaVu Sans does, and a chart with any other character
// gets the whole font.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, statSync } from 'node:fs';
import { Resvg } from '@resvg/resvg-js';
import { chartFontFile, FONT_FILE, SUBSET_FONT_FILE, subsetCharacters } from '../../src/render/chart-font.js';
import { CHART_FONT } from '../../src/render/charts.js';

const png = (svg: string, font: string): Buffer =>
  new Resvg(svg, { font: { fontFiles: [font], loadSystemFonts: false, defaultFontFamily: CHART_FONT }, fitTo: { mode: 'zoom', value: 2 } }).render().asPng();

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

test('the built subset exists and is far smaller than the whole font', () => {
  assert.ok(existsSync(SUBSET_FONT_FILE), `${SUBSET_FONT_FILE} is made by npm run build`);
  assert.ok(statSync(SUBSET_FONT_FILE).size * 8 < statSync(FONT_FILE).size, 'subset under an eighth of DejaVuSans.ttf');
});

test('text drawn with the subset is byte for byte the text drawn with the whole font', () => {
  for (const [size, bold] of [[10, false], [11, false], [12, true], [14, true]] as const) {
    const svg = sampleSvg(size, bold);
    assert.ok(png(svg, SUBSET_FONT_FILE).equals(png(svg, FONT_FILE)), `${size}px${bold ? ' bold' : ''}`);
  }
});

test('a chart with a character outside the subset is drawn with the whole font', () => {
  const svg = (label: string) => `<svg xmlns="http://www.w3.org/2000/svg"><text>${label}</text></svg>`;
  assert.equal(chartFontFile(svg('run 2026-11-24 · val 98.1% ≥ 97 − 1e−3 “ok”')), SUBSET_FONT_FILE);
  for (const other of ['Ωmega', 'запуск', '実験', 'run 🚀', 'Ł']) assert.equal(chartFontFile(svg(other)), FONT_FILE, other);
  // and the whole font really differs there: the subset has no such glyph
  const omega = `<svg xmlns="http://www.w3.org/2000/svg" width="80" height="30"><text x="2" y="20" font-family="${CHART_FONT}" font-size="16px">ΩΩΩ</text></svg>`;
  assert.ok(!png(omega, SUBSET_FONT_FILE).equals(png(omega, FONT_FILE)));
});
