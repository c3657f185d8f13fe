// --run all over files reads them twice (src/cli/report-all.ts): the first read places the runs,
// the second reports each once its last record is in and then drops it, so memory does not grow
// with the number of runs. The reports must be those of one read: each run's report.json equals
// the one `--run <id>` writes, for interleaved runs, from a file and from stdin (copied once to a
// temporary file, removed afterwards), and --baseline <run id> still finds its run.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FIXTURE, GEN, oneLineError, report, tempDir } from '../faults/support.js';

const T = { timeout: 120_000 };

/** Runs a and b interleaved line by line (b starts a minute later), then c. */
function interleaved(): string {
  const lines = readFileSync(FIXTURE, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
  const as = (id: string, minutes: number) => lines.map((e) => JSON.stringify({ ...e, run_id: id,
    time: new Date(Date.parse(String(e.time)) + minutes * 60_000).toISOString() }));
  const [a, b, c] = [as('a', 0), as('b', 1), as('c', 600)];
  const out: string[] = [];
  for (let i = 0; i < a.length; i++) out.push(a[i]!, b[i]!);
  return `${[...out, ...c].join('\n')}\n`;
}

const reportJson = (out: string, id: string): unknown => JSON.parse(readFileSync(join(out, id, 'report.json'), 'utf8'));

test('--run all in two reads: each report.json is the one --run <id> writes, from a file and from stdin; no temporary left', T, async (t) => {
  const dir = tempDir(t);
  const input = join(dir, 'runs.jsonl');
  const text = interleaved();
  writeFileSync(input, text);
  const tmp = join(dir, 'tmp');
  mkdirSync(tmp);
  for (const [name, args, stdin] of [['file', ['-i', input], undefined], ['stdin', ['-i', '-'], text]] as const) {
    const all = join(dir, `all-${name}`);
    const r = await report([...args, '--run', 'all', '-f', 'json', '-o', all, ...GEN()], { stdin, env: { TMPDIR: tmp } });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /294 records, 294 recognised, 3 runs/);
    assert.deepEqual(r.stderr.match(/run \d\/3: wrote/g), ['run 1/3: wrote', 'run 2/3: wrote', 'run 3/3: wrote']);
    assert.deepEqual(readdirSync(all).sort(), ['a', 'b', 'c', 'index.json']);
    const ids = (JSON.parse(readFileSync(join(all, 'index.json'), 'utf8')).runs as { run_id: string }[]).map((x) => x.run_id);
    assert.deepEqual(ids, ['c', 'b', 'a'], 'the index lists runs newest first');
    for (const id of ['a', 'b', 'c']) {
      const one = join(dir, `one-${name}-${id}`);
      const s = await report([...args, '--run', id, '-f', 'json', '-o', one, ...GEN()], { stdin });
      assert.equal(s.code, 0, s.stderr);
      assert.deepEqual(reportJson(all, id), reportJson(one, id), `${name}: run ${id}`);
    }
  }
  assert.deepEqual(readdirSync(tmp), [], 'the copy of stdin is removed');
});

test('--run all --baseline <run id>: the baseline run is kept through the first read; an unknown id stops before any report', T, async (t) => {
  const dir = tempDir(t);
  const input = join(dir, 'runs.jsonl');
  writeFileSync(input, interleaved());
  const out = join(dir, 'out');
  const r = await report(['-i', input, '--run', 'all', '--baseline', 'b', '-f', 'json', '-o', out, ...GEN()]);
  assert.equal(r.code, 0, r.stderr);
  for (const id of ['a', 'c']) {
    assert.deepEqual((reportJson(out, id) as { baseline: { baseline: unknown } }).baseline.baseline,
      { run_id: 'b', source: 'run b in the same input', generated_at: '2026-11-24T00:00:00.000Z' }, id);
  }
  assert.equal((reportJson(out, 'b') as { baseline?: unknown }).baseline, undefined);
  // --fail-on regression: the baseline run, reported too, is what the others are compared with; its gate
  // failed with "No --baseline was given, so a regression cannot be ruled out"
  const gated = join(dir, 'gated');
  const g = await report(['-i', input, '--run', 'all', '--baseline', 'b', '--fail-on', 'regression', '-f', 'json', '-o', gated, ...GEN()]);
  const gate = (id: string) => (reportJson(gated, id) as { gates: { results: { rule: string; status: string; message: string }[] } })
    .gates.results.find((x) => x.rule === 'regression')!;
  assert.deepEqual([gate('b').status, gate('b').message],
    ['pass', 'This run is the --baseline run: the other runs are compared with it, so it has nothing to regress against.'], g.stderr);
  for (const id of ['a', 'c']) assert.match(gate(id).message, /significantly lower than baseline run b/, id);
  const bad = join(dir, 'bad');
  oneLineError(await report(['-i', input, '--run', 'all', '--baseline', 'nosuch', '-f', 'json', '-o', bad, ...GEN()]), 2,
    /^mnist-report: --baseline nosuch: no such file, and no run with that id in the input \(runs in the input: a, b, c\)$/);
  assert.deepEqual(existsSync(bad) ? readdirSync(bad) : [], [], 'no report written');
});
