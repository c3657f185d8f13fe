// The PNG worker requires resvg's native binding directly, as the build found it (png-worker.ts,
// loadResvg): resvg-js' own loader asks process.report for a whole diagnostic report first (~8 ms
// of the worker's start). Whether the binding loads or not (a moved node_modules), the PNG is the same.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { resvgBinding, resvgFrom, workerSource } from '../../src/render/png-worker.js';
import { tempDir } from '../faults/support.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const require = createRequire(import.meta.url);
const options = { background: '#ffffff', fitTo: { mode: 'zoom' as const, value: 2 }, font: { loadSystemFonts: false } };
const svg = '<svg xmlns="http://www.w3.org/2000/svg" width="20" height="10"><rect width="20" height="10" fill="white"/><path d="M2 2L18 8" stroke="#1f77b4"/></svg>';

/** The PNG a worker made from `source` (written to a file in `dir`, as the build writes dist/cli/png-worker.cjs) draws of `svg`. */
async function drawWith(dir: string, source: string): Promise<Buffer> {
  const file = join(dir, `worker-${Math.random().toString(36).slice(2)}.cjs`);
  writeFileSync(file, source);
  return drawOn(new Worker(file));
}

/** The PNG `worker` (then ended) draws of `svg`. */
async function drawOn(worker: Worker): Promise<Buffer> {
  try {
    const answer = await new Promise<{ png?: Uint8Array; error?: string }>((resolve, reject) => {
      worker.once('message', resolve).once('error', reject);
      worker.postMessage({ id: 1, svg, options });
    });
    assert.equal(answer.error, undefined);
    return Buffer.from(answer.png!);
  } finally {
    await worker.terminate();
  }
}

test('the build wrote the PNG worker with the native binding resvg loads on this machine', () => {
  const text = readFileSync(join(root, 'dist/cli/png-worker.cjs'), 'utf8');
  const settings = JSON.parse(/^const settings = (\{.*\});$/m.exec(text)![1]!) as { binding?: string };
  assert.ok(settings.binding, 'a binding is named');
  const file = join(root, 'dist/cli', settings.binding);
  assert.ok(existsSync(file), `${file} exists`);
  assert.equal(file, resvgBinding(), 'the one resvg-js\' loader loads');
});

test('a worker whose binding loads and one whose binding is gone draw the same PNG', { timeout: 60_000 }, async (t) => {
  const dir = tempDir(t, 'png-binding-');
  const resvg = require.resolve('@resvg/resvg-js');
  const binding = resvgBinding();
  assert.ok(binding !== null && existsSync(binding));
  const direct = await drawWith(dir, workerSource(resvg, relative(dir, binding)));
  const gone = await drawWith(dir, workerSource(resvg, 'no-such-folder/resvgjs.node'));
  const none = await drawWith(dir, workerSource(resvg));
  // the binding alone: the package cannot be found, so this PNG is the binding's (the others could all be the package's)
  const bindingOnly = await drawWith(dir, workerSource('no-such-package/resvg-js', relative(dir, binding)));
  assert.ok(direct.equals(bindingOnly), 'the binding required directly');
  assert.equal(direct.subarray(1, 4).toString(), 'PNG');
  assert.ok(direct.equals(gone), 'the package\'s loader when the binding is gone');
  assert.ok(direct.equals(none));
  assert.ok(dirname(binding).includes('@resvg'));
});

test('resvgFrom: the binding as the build found it, without the package; the package when the binding is gone', () => {
  const binding = resvgBinding()!;
  const dir = dirname(binding);
  const draw = (R: unknown) => Buffer.from(new (R as new (svg: string, o: unknown) => { render(): { asPng(): Uint8Array } })(svg, options).render().asPng());
  const direct = resvgFrom({ resvg: 'no-such-package/resvg-js', binding: relative(dir, binding) }, require, dir).Resvg;
  const fallback = resvgFrom({ resvg: '@resvg/resvg-js', binding: 'no-such-folder/resvgjs.node' }, require, dir).Resvg;
  assert.ok(draw(direct).equals(draw(fallback)));
  assert.throws(() => resvgFrom({ resvg: 'no-such-package/resvg-js', binding: 'no-such-folder/resvgjs.node' }, require, dir), /Cannot find module/);
});

test('a worker started from its source text (stdin, a log group) takes the binding by its whole path', { timeout: 60_000 }, async () => {
  const binding = resvgBinding()!;
  const draw = (source: string): Promise<Buffer> => drawOn(new Worker(source, { eval: true }));
  // the package cannot be found: only the binding can draw it
  const direct = await draw(workerSource('no-such-package/resvg-js', binding));
  assert.ok(direct.equals(await draw(workerSource(require.resolve('@resvg/resvg-js')))));
});
