// The PNG worker starts in the bin's loader, before the bundle runs, when the arguments name an
// input file (scripts/build-report.mjs), and the CLI adopts it or ends it (src/render/png-worker.ts).
// test/support/count-workers.cjs, preloaded into the bin, says which worker threads it made.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPORT_BIN, ROOT, runNode } from '../support/cloudwatch-cli.js';
import { tempDir } from '../faults/support.js';

const FIXTURE = join(ROOT, 'fixtures/cloudwatch-filter-log-events.json');
const WITNESS = join(ROOT, 'test/support/count-workers.cjs');
const AT = ['--generated-at', '2026-11-30T12:00:00Z'];

interface Made { file: string; ended: boolean }

async function report(bin: string, args: string[], stdin?: string): Promise<{ code: number | null; stderr: string; workers: Made[] }> {
  const r = await runNode(['--require', WITNESS, bin, ...args], { ...process.env }, stdin === undefined ? {} : { stdin });
  const line = r.stderr.split('\n').find((l) => l.startsWith('workers: '));
  assert.ok(line, `the witness line on stderr:\n${r.stderr}`);
  return { code: r.code, stderr: r.stderr, workers: JSON.parse(line.slice('workers: '.length)) as Made[] };
}

/** The one run folder under `out`, its files by name. */
function files(out: string): Map<string, Buffer> {
  const [run] = readdirSync(out).filter((f) => !f.startsWith('.'));
  assert.ok(run, `a run folder in ${out}`);
  return new Map(readdirSync(join(out, run)).map((f) => [f, readFileSync(join(out, run, f))]));
}

function assertSameFiles(a: Map<string, Buffer>, b: Map<string, Buffer>): void {
  assert.deepEqual([...a.keys()].sort(), [...b.keys()].sort());
  for (const [name, data] of a) assert.ok(data.equals(b.get(name)!), `${name} byte for byte the same`);
}

test('an input file: the loader starts the PNG worker and the CLI adopts it; its PNGs are the CLI\'s own worker\'s', { timeout: 120_000 }, async (t) => {
  const dir = tempDir(t, 'mnist-report-prestart-');
  const early = await report(REPORT_BIN, ['-i', FIXTURE, '--out', join(dir, 'early'), ...AT]);
  assert.equal(early.code, 0, early.stderr);
  assert.deepEqual(early.workers, [{ file: 'png-worker.cjs', ended: false }], 'one worker, the loader\'s, kept');
  // -f: the loader starts none, and the CLI starts its own (eval) worker as before
  const own = await report(REPORT_BIN, ['-i', FIXTURE, '--out', join(dir, 'own'), '-f', 'md,html,json', ...AT]);
  assert.equal(own.code, 0, own.stderr);
  assert.deepEqual(own.workers, [{ file: '(eval)', ended: false }]);
  const a = files(join(dir, 'early'));
  assert.equal([...a.keys()].filter((f) => f.endsWith('.png')).length, 8);
  assertSameFiles(a, files(join(dir, 'own')));
});

test('a worker the loader started and the CLI does not use now is ended; none for stdin or a listing', { timeout: 120_000 }, async (t) => {
  const dir = tempDir(t, 'mnist-report-prestart-');
  // stdin may be long: its worker starts at the first report, none before
  const piped = await report(REPORT_BIN, ['-i', '-', '--out', join(dir, 'piped'), ...AT], readFileSync(FIXTURE, 'utf8'));
  assert.equal(piped.code, 0, piped.stderr);
  assert.deepEqual(piped.workers, [{ file: '(eval)', ended: false }]);
  assert.equal([...files(join(dir, 'piped')).keys()].filter((f) => f.endsWith('.png')).length, 8);
  // a file over 8 MB (report-source.ts, smallFiles) is read before its worker starts: the loader's is ended
  const big = join(dir, 'big.json');
  writeFileSync(big, readFileSync(FIXTURE, 'utf8').replace(/\n}\s*$/, `,\n"padding": "${' '.repeat(9 * 1024 * 1024)}"\n}\n`));
  const large = await report(REPORT_BIN, ['-i', big, '--out', join(dir, 'large'), ...AT]);
  assert.equal(large.code, 0, large.stderr);
  assert.deepEqual(large.workers, [{ file: 'png-worker.cjs', ended: true }, { file: '(eval)', ended: false }]);
  const listed = await report(REPORT_BIN, ['-i', FIXTURE, '--list']);
  assert.equal(listed.code, 0, listed.stderr);
  assert.deepEqual(listed.workers, [], 'no worker for a listing');
});

test('a loader\'s worker that cannot start: the report is the same, its PNGs drawn another way', { timeout: 120_000 }, async (t) => {
  const dir = tempDir(t, 'mnist-report-prestart-');
  // the bin beside a png-worker.cjs that throws (in dist/, so that the bundle finds what it reads from there)
  const bin = mkdtempSync(join(ROOT, 'dist', 'cli-prestart-test-'));
  t.after(() => rmSync(bin, { recursive: true, force: true }));
  for (const f of ['report.cjs', 'report.bundle.cjs', 'report.bundle.cjs.cache']) copyFileSync(join(ROOT, 'dist/cli', f), join(bin, f));
  writeFileSync(join(bin, 'png-worker.cjs'), "throw new Error('this worker cannot start');\n");
  const broken = await report(join(bin, 'report.cjs'), ['-i', FIXTURE, '--out', join(dir, 'broken'), ...AT]);
  assert.equal(broken.code, 0, broken.stderr);
  assert.doesNotMatch(broken.stderr, /cannot start|Error/, 'the worker\'s error is not the user\'s');
  assert.equal(broken.workers[0]?.file, 'png-worker.cjs', broken.stderr);
  const normal = await report(REPORT_BIN, ['-i', FIXTURE, '--out', join(dir, 'normal'), ...AT]);
  assertSameFiles(files(join(dir, 'broken')), files(join(dir, 'normal')));
});
