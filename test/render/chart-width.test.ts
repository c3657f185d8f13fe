// Every chart fits a report's column: the History chart was 2,075 px wide, its one-line subtitle
// (the band's whole rule) setting the width, with the plots in its left fifth; and its time axis
// read "Nov 30 07:05" under every tick for runs seconds apart. Scanned in the SVGs the real bin
// writes for every capture in fixtures/ and for --history over copies of the real trainer fixture.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DIST_BIN, ROOT, runReport, sandbox } from '../e2e/report-cli.js';

const MAX_WIDTH = 700;
const FIXTURE = 'fixtures/mnist-train-5epochs.jsonl';

/** The fixture's run `runs` times over, each copy with its own run id and its times moved by `apartMs` a run. */
function copies(runs: number, apartMs: number): string {
  const lines = readFileSync(join(ROOT, FIXTURE), 'utf8').split('\n').filter(Boolean);
  const out: string[] = [];
  for (let i = 0; i < runs; i++) {
    for (const line of lines) {
      const e = JSON.parse(line) as Record<string, unknown>;
      e.run_id = `copy-${i + 1}`;
      e.time = new Date(Date.parse(String(e.time)) + i * apartMs).toISOString();
      if (apartMs) delete e._aws; // its timestamp would disagree with the moved time
      out.push(JSON.stringify(e));
    }
  }
  return `${out.join('\n')}\n`;
}

function svgs(dir: string): { file: string; svg: string }[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.svg'))
    .map((file) => ({ file, svg: readFileSync(join(dir, file), 'utf8') }));
}

const widthOf = (svg: string): number => Number(/^<svg[^>]* width="([\d.]+)"/.exec(svg)?.[1]);
/** The text drawn: each <text>'s, or each of its <tspan> lines'. */
const texts = (svg: string): string[] => [...svg.matchAll(/<(?:text|tspan)[^>]*>([^<]+)<\/(?:text|tspan)>/g)].map((m) => m[1]!);

test(`every chart of every capture's report is at most ${MAX_WIDTH} px wide`, async () => {
  const { out } = sandbox();
  const captures = [
    ...readdirSync(join(ROOT, 'fixtures')).filter((f) => /\.(log|jsonl|json)$/.test(f)).map((f) => `fixtures/${f}`),
    ...readdirSync(join(ROOT, 'fixtures/formats')).map((f) => `fixtures/formats/${f}`),
  ];
  assert.ok(captures.length >= 15, captures.join(' '));
  let charts = 0;
  for (const [i, input] of captures.entries()) {
    const r = await runReport(['-i', input, '-o', join(out, String(i)), '--run', 'all', '-f', 'md', '--generated-at', '2026-11-30T12:00:00Z'], { bin: DIST_BIN });
    // 3: a capture whose run's verdict is failed (the Python-logging one: its own accuracy is at chance), its report written
    assert.ok([0, 3].includes(r.code ?? -1) && /wrote/.test(r.stderr), `${input}: exit ${r.code}: ${r.stderr}`);
    for (const { file, svg } of svgs(join(out, String(i)))) {
      charts++;
      assert.ok(widthOf(svg) > 0 && widthOf(svg) <= MAX_WIDTH, `${input}: ${file} is ${widthOf(svg)} px wide`);
    }
  }
  assert.ok(charts > 60, `${charts} charts`);
});

test(`--history over 6 runs: the History chart is at most ${MAX_WIDTH} px wide and its x axis tells the runs apart`, async () => {
  const { dir, out } = sandbox();
  // copies catted as they are (the same times: the axis is the runs' order), and runs 7 s apart (a time axis in seconds)
  for (const [name, apart] of [['same-times', 0], ['seconds-apart', 7000]] as const) {
    const input = join(dir, `${name}.jsonl`);
    writeFileSync(input, copies(6, apart));
    const r = await runReport(['-i', input, '-o', join(out, name), '--history', '-f', 'md', '--generated-at', '2026-11-30T12:00:00Z'], { bin: DIST_BIN });
    assert.equal(r.code, 0, r.stderr);
    for (const { file, svg } of svgs(join(out, name))) assert.ok(widthOf(svg) <= MAX_WIDTH, `${name}: ${file} is ${widthOf(svg)} px wide`);
    const history = readFileSync(join(out, name, 'copy-6', 'history.svg'), 'utf8');
    const t = texts(history);
    assert.ok(t.includes('dashed: their median; red diamond: this run'), t.join(' | '));
    if (apart === 0) {
      assert.ok(t.includes('run (oldest first)'), t.join(' | '));
      // each panel's x axis: 1 to 6
      for (const n of ['1', '2', '3', '4', '5', '6']) assert.equal(t.filter((x) => x === n).length, 2, `tick ${n}: ${t.join(' | ')}`);
    } else {
      const ticks = t.filter((x) => /^\d\d:\d\d:\d\d$/.test(x));
      assert.ok(ticks.length >= 8, t.join(' | '));
      assert.equal(new Set(ticks).size * 2, ticks.length, `each panel's ticks differ: ${ticks.join(' ')}`);
    }
  }
});
