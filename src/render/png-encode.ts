// A chart's PNG from resvg's rendered pixels, deflated by Node's zlib at a fast level.
//
// resvg-js's own encoder (asPng: the Rust png crate at its default compression) cost more CPU
// than rasterising the chart: for the 8 charts of the example report at zoom 2, 148-172 ms of
// CPU against ~130 ms to rasterise (2026-11-30, load 7). Node's zlib on the same rows
// (filter type None) took, for the 8 charts, median of 9 rounds, CPU including the copy of
// resvg's pixels (~30 ms):
//
//   level 1: 81 ms, 564 KB   level 2: 76 ms, 541 KB   level 3: 75 ms, 503 KB
//   level 4: 145 ms, 377 KB  level 6: 195 ms, 337 KB  resvg's asPng: 172 ms, 492 KB
//
// Levels 1-3 are zlib's fast strategy (no lazy matching) and cost the same; level 3 gives the
// smallest files of the three, +2% on resvg's bytes for less than half its CPU. Level 4 and up
// switch to lazy matching and cost as much as resvg. A row filter other than None (Up, Paeth)
// makes the files smaller at a given level, but is a per-byte JavaScript loop: pngjs, whose
// filter pass is one, took 138-189 ms for the same 8 charts (2/3 of it its filter loop, with
// filter None), and fast-png (fflate, in JS) ~1 s; so the rows go to zlib unfiltered and only
// the PNG's four chunks are written here.
//
// A PNG holds straight alpha; resvg's pixels are premultiplied (tiny-skia's pixmap). For an
// opaque pixel the two are the same. The charts are drawn over an opaque background (resvg's
// `background` option, OPAQUE_BACKGROUND), so every pixel is opaque and the caller says so
// (`opaque`); for any other image every pixel's alpha is looked at, and an image with any
// alpha but 255 is encoded by resvg's own asPng, which un-premultiplies it (and so is a Node
// before 20.15, which has no zlib.crc32). That look is a JavaScript loop over every pixel,
// and in the PNG worker, a fresh thread whose loop V8 has not optimised yet, it took 60-85 ms
// for a report's 8 charts, more than their deflating. (The charts' own SVGs start with a white
// rectangle over the whole chart, so the background changes no pixel.)
//
// The function is also run by the PNG worker from its source text (png-worker.ts), so it uses
// nothing but its arguments and builtins.

import type * as Zlib from 'node:zlib';
import type { RenderedImage } from '@resvg/resvg-js';

/** The zlib level of the charts' PNGs (see above). */
export const PNG_DEFLATE_LEVEL = 3;

/** The background the charts are drawn over (resvg's `background`): opaque, so every pixel is. */
export const OPAQUE_BACKGROUND = '#ffffff';

/**
 * The PNG of a rendered image: RGBA, 8 bits, filter None, zlib at `level`; resvg's own PNG when a
 * pixel is not opaque. `opaque`: the image was drawn over an opaque background, so its pixels
 * need no look.
 */
export function encodePng(image: RenderedImage, zlib: typeof Zlib, level: number, opaque = false): Buffer {
  const width = image.width;
  const height = image.height;
  // zlib.crc32 is Node 20.15's
  if (typeof zlib.crc32 !== 'function') return image.asPng();
  const pixels = image.pixels;
  for (let i = 3; !opaque && i < pixels.length; i += 4) {
    if (pixels[i] !== 255) return image.asPng();
  }
  const stride = width * 4;
  // each row is preceded by its filter type, 0 (None)
  const rows = Buffer.allocUnsafe((stride + 1) * height);
  for (let y = 0; y < height; y++) {
    rows[y * (stride + 1)] = 0;
    pixels.copy(rows, y * (stride + 1) + 1, y * stride, (y + 1) * stride);
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bits per channel
  header[9] = 6; // colour type: RGBA (compression, filter method and interlace: 0)
  const parts: Buffer[] = [Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])];
  const chunks: [string, Buffer][] = [['IHDR', header], ['IDAT', zlib.deflateSync(rows, { level })], ['IEND', Buffer.alloc(0)]];
  for (const [type, data] of chunks) {
    const head = Buffer.alloc(8);
    head.writeUInt32BE(data.length, 0);
    head.write(type, 4, 'latin1');
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(zlib.crc32(data, zlib.crc32(head.subarray(4))), 0);
    parts.push(head, data, crc);
  }
  return Buffer.concat(parts);
}
