// Our PNGs (resvg's pixels deflated by Node's zlib) hold exactly the pixels of resvg's own PNG of
// the same SVG: both are decoded by an independent decoder (pngjs, which also checks every
// chunk's CRC) and compared pixel by pixel. The images are chosen so that a swapped channel
// (pixels where red ≠ blue) or premultiplied alpha (pixels neither opaque nor transparent) would
// show.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as zlib from 'node:zlib';
import { Resvg, type RenderedImage } from '@resvg/resvg-js';
import { PNG } from 'pngjs';
import { encodePng, OPAQUE_BACKGROUND, PNG_DEFLATE_LEVEL } from '../../src/render/png-encode.js';
import { chartFontFiles } from '../../src/render/chart-font.js';
import { CHART_FONT } from '../../src/render/charts.js';

const render = (svg: string, background?: string): RenderedImage =>
  new Resvg(svg, { ...(background ? { background } : {}), font: { fontFiles: [...chartFontFiles(svg)], loadSystemFonts: false, defaultFontFamily: CHART_FONT }, fitTo: { mode: 'zoom', value: 2 } }).render();

/** Decodes both PNGs and compares size and every pixel (RGBA, straight alpha). */
function assertSamePixels(ours: Buffer, theirs: Buffer, what: string): void {
  const a = PNG.sync.read(ours);
  const b = PNG.sync.read(theirs);
  assert.deepEqual([a.width, a.height], [b.width, b.height], `${what}: size`);
  assert.equal(a.data.length, b.data.length);
  const at = a.data.findIndex((v, i) => v !== b.data[i]);
  assert.equal(at, -1, `${what}: first differing byte ${at} (pixel ${at >> 2}, channel ${'RGBA'[at & 3]}): ours ${a.data[at]}, resvg's ${b.data[at]}`);
}

const exampleDir = (): string => {
  const reports = join(import.meta.dirname, '../../reports');
  const run = readdirSync(reports, { withFileTypes: true }).find((d) => d.isDirectory() && readdirSync(join(reports, d.name)).some((f) => f.endsWith('.svg')));
  assert.ok(run, 'the example report has a run folder with charts');
  return join(reports, run.name);
};

test("every chart of the example report: our PNG has resvg's pixels, and is a smaller or near-equal file", () => {
  const dir = exampleDir();
  const svgs = readdirSync(dir).filter((f) => f.endsWith('.svg'));
  assert.ok(svgs.length >= 4, `${svgs.length} charts`);
  let ours = 0;
  let theirs = 0;
  let coloured = 0;
  for (const f of svgs) {
    const image = render(readFileSync(join(dir, f), 'utf8'));
    const png = encodePng(image, zlib, PNG_DEFLATE_LEVEL);
    const reference = image.asPng();
    assert.ok(!png.equals(reference), `${f}: encoded by zlib, not resvg's bytes`);
    assertSamePixels(png, reference, f);
    const px = image.pixels;
    for (let i = 0; i < px.length; i += 4) if (px[i] !== px[i + 2]) coloured++;
    ours += png.length;
    theirs += reference.length;
  }
  assert.ok(coloured > 1000, `pixels where red and blue differ: ${coloured}`);
  // level 3 with filter None: within a few percent of resvg's bytes (503 against 492 KB when measured)
  assert.ok(ours < theirs * 1.15, `our PNGs ${ours} B, resvg's ${theirs} B`);
});

test('every chart of the example report drawn over the opaque background, without the look at its pixels: the same PNG', () => {
  const dir = exampleDir();
  for (const f of readdirSync(dir).filter((name) => name.endsWith('.svg'))) {
    const svg = readFileSync(join(dir, f), 'utf8');
    const drawn = encodePng(render(svg, OPAQUE_BACKGROUND), zlib, PNG_DEFLATE_LEVEL, true);
    assert.ok(drawn.equals(encodePng(render(svg), zlib, PNG_DEFLATE_LEVEL)), `${f}: the same bytes as drawn without the background, every pixel looked at`);
    // and the report's own file is that PNG
    assert.ok(drawn.equals(readFileSync(join(dir, f.replace(/\.svg$/, '.png')))), `${f}: the example report's PNG`);
  }
});

test('pure colours and blended edges on white: the same pixels, channel for channel', () => {
  const svg = '<svg xmlns="http://www.w3.org/2000/svg" width="60" height="20"><rect width="60" height="20" fill="white"/>' +
    '<rect x="0" width="20" height="20" fill="#ff0000"/><rect x="20" width="20" height="20" fill="#00ff00"/><rect x="40" width="20" height="20" fill="#0000ff"/>' +
    '<circle cx="30" cy="10" r="9" fill="#f0a" fill-opacity="0.4"/></svg>';
  const image = render(svg);
  const png = encodePng(image, zlib, PNG_DEFLATE_LEVEL);
  assertSamePixels(png, image.asPng(), 'colours');
  const d = PNG.sync.read(png).data;
  // top-left pixel: red, and opaque
  assert.deepEqual([...d.subarray(0, 4)], [255, 0, 0, 255]);
  assert.equal(png.readUInt8(25), 6, 'colour type RGBA');
});

test('an image with transparent and half-transparent pixels keeps straight alpha', () => {
  const svg = '<svg xmlns="http://www.w3.org/2000/svg" width="40" height="20"><rect width="20" height="20" fill="#3366cc" fill-opacity="0.5"/>' +
    '<circle cx="30" cy="10" r="8" fill="#cc3300" fill-opacity="0.25"/></svg>';
  const image = render(svg);
  const png = encodePng(image, zlib, PNG_DEFLATE_LEVEL);
  assertSamePixels(png, image.asPng(), 'transparent');
  // resvg's pixels are premultiplied: encoded as they are, these pixels would be darker
  const straight = PNG.sync.read(png).data;
  const half = straight.findIndex((v, i) => i % 4 === 3 && v > 0 && v < 255);
  assert.ok(half > 0, 'a half-transparent pixel');
  assert.notDeepEqual([...image.pixels.subarray(half - 3, half + 1)], [...straight.subarray(half - 3, half + 1)], 'premultiplied differs from straight');
});
