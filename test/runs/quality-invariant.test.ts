// The invariant of data quality over every real capture: for every count, the runs' plus no run's
// equal the whole input's, read as `--run all` reads files (two reads, report-all.ts) and as every
// other read does (collectRuns over the inputs): one file, each --log-format, two --input, a file
// concatenated with itself, the CLI's own report.json files; and what does not add up by design.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { eachRunInTwoReads } from '../../src/cli/report-all.js';
import { collectRuns } from '../../src/runs/collect.js';
import { readInputs } from '../../src/sources/inputs.js';
import type { DataQuality, ParsedLog } from '../../src/types.js';
import type { LineFormat } from '../../src/parse/format.js';
import { FORMATS } from '../../src/parse/formats.js';
import { assertQualitySums } from '../support/quality-sum.js';
import { runReport, sandbox } from '../e2e/report-cli.js';
import { SCHEMA } from '../../src/events.js';
import { iterate, rec } from '../parse/helpers.js';

/** Every capture under fixtures/, fixtures/formats/ and fixtures/bad/ (the CloudWatch example among them). */
const FIXTURES = ['fixtures', 'fixtures/formats', 'fixtures/bad']
  .flatMap((dir) => readdirSync(dir).map((name) => join(dir, name)))
  .filter((f) => statSync(f).isFile() && !f.endsWith('.md'))
  .sort();

const event = (run_id: string, name: string) => JSON.stringify({ schema: SCHEMA, event: name, run_id, time: '2026-11-24T07:00:00.000Z' });

/** --run all over files: the whole input's quality and no run from read 1, each run's from read 2, as the CLI has them. */
async function readAsRunAll(files: string[], format: LineFormat | null): Promise<{ parsed: ParsedLog; runs: DataQuality[] }> {
  let placed: ParsedLog | null = null;
  const runs: DataQuality[] = [];
  for await (const { run } of eachRunInTwoReads({ files, format, baselineRun: null, placed: (p) => { placed = p; } })) runs.push(run.quality);
  return { parsed: placed!, runs };
}

/** Checks the invariant both ways the CLI reads files: --run all's two reads, and one read (--run latest, <id>). */
async function checkInvariant(files: string[], format: LineFormat | null = null): Promise<ParsedLog> {
  const label = `${files.join(' + ')}${format ? ` --log-format ${format.name}` : ''}`;
  const all = await readAsRunAll(files, format);
  assertQualitySums(`--run all over ${label}`, all.parsed.quality, all.runs, all.parsed.no_run);
  const once = await collectRuns(readInputs(files), { format });
  assertQualitySums(`one read of ${label}`, once.quality, once.runs.map((r) => r.quality), once.no_run);
  assert.deepEqual(all.parsed.quality, once.quality, `${label}: the whole input's quality is the same either way`);
  return once;
}

test('every capture under fixtures/: each count of the whole input is the runs\' plus no run\'s', async () => {
  assert.ok(FIXTURES.length >= 35, FIXTURES.join(' '));
  assert.ok(FIXTURES.includes('fixtures/cloudwatch-filter-log-events.json'));
  let withNoRun = 0;
  for (const f of FIXTURES) if ((await checkInvariant([f])).no_run) withNoRun++;
  assert.ok(withNoRun > 0, 'some capture has records of no run (a file with no run in it)');
});

test('every capture read as each --log-format (lines of other formats then unrecognised): the counts still add up', async () => {
  for (const format of FORMATS) for (const f of FIXTURES) await checkInvariant([f], format);
});

test('two --input together: each capture with the next one (a file of no run beside a run\'s, the same run id in both)', async () => {
  let withNoRun = 0;
  for (const [i, f] of FIXTURES.entries()) {
    const pair = [f, FIXTURES[(i + 1) % FIXTURES.length]!];
    const parsed = await checkInvariant(pair);
    if (parsed.no_run && parsed.runs.length) withNoRun++;
  }
  // and a file given twice: its runs' lines in the second count again, for the same runs
  await checkInvariant(['fixtures/formats/keras1-verbose2.log', 'fixtures/formats/keras1-verbose2.log']);
  await checkInvariant(['fixtures/mnist-train-5epochs.jsonl', 'fixtures/bad/garbage.bin', 'fixtures/mnist-train-5epochs.jsonl']);
  assert.ok(withNoRun > 0, 'some pair holds runs and records of no run');
});

test('a capture concatenated with itself (cat f f): duplicates dropped, counted for their run, and the counts still add up', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'quality-invariant-'));
  try {
    let dropped = 0;
    for (const f of FIXTURES) {
      const twice = join(dir, `${basename(f)}-twice`);
      const bytes = readFileSync(f);
      writeFileSync(twice, Buffer.concat([bytes, bytes]));
      const parsed = await checkInvariant([twice]);
      dropped += parsed.quality.duplicate_records;
    }
    assert.ok(dropped > 0, 'some mnist-train events were dropped as delivered twice');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the CLI\'s report.json files of --run all over two inputs: each run\'s quality plus no run\'s is the input_quality.whole every one of them shows', async () => {
  const { out } = sandbox();
  const inputs = ['fixtures/formats/keras1-verbose2.log', 'fixtures/bad/garbage.bin', 'fixtures/cloudwatch-filter-log-events.json'];
  const r = await runReport([...inputs.flatMap((f) => ['--input', f]), '--run', 'all', '--format', 'json', '--out', out, '--generated-at', '2026-11-24T00:00:00Z']);
  assert.equal(r.code, 0, r.stderr);
  const reports = readdirSync(out).filter((d) => statSync(join(out, d)).isDirectory())
    .map((d) => JSON.parse(readFileSync(join(out, d, 'report.json'), 'utf8')) as { quality: DataQuality; input_quality?: { whole: DataQuality; no_run: DataQuality | null } });
  assert.equal(reports.length, 5);
  const [first] = reports;
  for (const report of reports) assert.deepEqual(report.input_quality, first!.input_quality, 'every report shows the same whole input');
  assert.ok(first!.input_quality?.no_run, 'garbage.bin is no run\'s');
  // (report.json's quality also has the run's duplicate_epochs and missing_epochs: facts of its epochs, not counts of records)
  assertQualitySums(`report.json of --run all over ${inputs.join(' + ')}`, first!.input_quality!.whole, reports.map((x) => x.quality), first!.input_quality!.no_run);
});

test('unknown events of more than 20 names: per name they do not add up (each counter names its first 20), in total they do', async () => {
  const lines = Array.from({ length: 25 }, (_, i) => rec(event(i % 2 ? 'b' : 'a', `event_${i}`)));
  const log = await collectRuns(iterate([rec(event('a', 'run_start')), rec(event('b', 'run_start')), ...lines, rec(event('ghost', 'event_0'))]));
  assertQualitySums('25 unknown event names over runs a and b and no run', log.quality, log.runs.map((r) => r.quality), log.no_run);
  const named = (q: DataQuality | undefined, name: string) => q?.unknown_events.find((u) => u.name === name)?.count ?? 0;
  // the input's 21st name onwards is "(other names)" for the whole input, but a and b each met fewer than 21
  assert.deepEqual([named(log.quality, '(other names)'), ...log.runs.map((r) => named(r.quality, '(other names)')), named(log.no_run, '(other names)')], [5, 0, 0, 0]);
  assert.deepEqual([named(log.quality, 'event_24'), ...log.runs.map((r) => named(r.quality, 'event_24'))], [0, 1, 0]);
});
