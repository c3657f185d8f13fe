// Flags a tester found taken in silence or said oddly: --list ignored the report's and the gates'
// flags (--list --fail-on nan exited 0, no gate applied), --title '' wrote an empty heading,
// --no-verdict-gate --verdict-gate took the last, --history --history said `("", "")`, and
// -o DIR/ printed "DIR//run/". Each refusal is one line, exit 2, nothing written.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, runReport, sandbox } from './report-cli.js';

const FIXTURE = 'fixtures/mnist-train-5epochs.jsonl';
const GEN = ['--generated-at', '2026-11-24T00:00:00Z'];

function refused(r: { code: number | null; stderr: string; stdout: string }, line: string, what: string): void {
  assert.equal(r.code, 2, `${what}: ${r.stderr}`);
  assert.equal(r.stdout, '', what);
  assert.deepEqual(r.stderr.trim().split('\n'), [line], what);
}

test('--list with a flag of a report (gates, comparisons, title, a folder): one line naming the flag, exit 2', async () => {
  const box = sandbox();
  for (const [flags, named] of [
    [['--fail-on', 'nan'], '--fail-on'], [['--gates', '.ci/gates.txt'], '--gates'], [['--baseline', 'x'], '--baseline'],
    [['--history'], '--history'], [['--history', '3'], '--history'], [['--title', 'T'], '--title'],
    [['-o', box.out], '--out'], [['--out', box.out], '--out'], [['--no-verdict-gate'], '--no-verdict-gate'], [['--verdict-gate'], '--verdict-gate'],
  ] as const) {
    const r = await runReport(['-i', FIXTURE, '--list', ...flags]);
    refused(r, `mnist-report: --list prints the runs on stdout and writes no report: ${named} does not go with it`, flags.join(' '));
  }
  assert.deepEqual(readdirSync(box.dir), [], 'nothing written');
  // what a listing does use, or that says nothing against it, still lists
  for (const flags of [[], ['-o', '-'], GEN, ['-f', 'json'], ['--run', 'latest']]) {
    const r = await runReport(['-i', FIXTURE, '--list', ...flags]);
    assert.equal(r.code, 0, `${flags.join(' ')}: ${r.stderr}`);
    assert.match(r.stdout, /20261130T070537Z-f4b168/);
  }
});

test('--title \'\' (or blanks): one line, exit 2, nothing written (it wrote "# " and <h1></h1>)', async () => {
  for (const title of ['', '   ']) {
    const box = sandbox();
    const r = await runReport(['-i', FIXTURE, '--title', title, '-o', box.out, ...GEN]);
    refused(r, 'mnist-report: --title must not be empty: give the heading, or leave --title out for the default', JSON.stringify(title));
    assert.deepEqual(readdirSync(box.dir), []);
  }
});

test('a switch given both ways is a usage error naming it; the same way twice is not', async () => {
  for (const flags of [['--no-verdict-gate', '--verdict-gate'], ['--verdict-gate', '--no-verdict-gate'], ['--verdict-gate=false', '--verdict-gate'], ['--verdict-gate', 'false', '--verdict-gate']]) {
    const box = sandbox();
    const r = await runReport(['-i', FIXTURE, ...flags, '-o', box.out, ...GEN]);
    refused(r, 'mnist-report: --verdict-gate and --no-verdict-gate both given: give one of them', flags.join(' '));
    assert.deepEqual(readdirSync(box.dir), []);
  }
  const box = sandbox();
  const twice = await runReport(['-i', FIXTURE, '--no-verdict-gate', '--no-verdict-gate', '-o', box.out, ...GEN]);
  assert.equal(twice.code, 0, twice.stderr);
});

test('--no-X for a flag that takes a value (--no-out, --no-log-group, --no-run, ...): one line, exit 2, nothing written', async () => {
  // yargs negates any flag: --no-out wrote the report into a folder "false", --no-log-group read a log group "false"
  // (into a sandbox, so that a refusal that regressed writes nowhere that matters: --no-out itself cannot take one)
  const box = sandbox();
  for (const flag of ['out', 'log-group', 'run', 'title', 'input', 'gates', 'fail-on']) {
    const r = await runReport(['-i', FIXTURE, `--no-${flag}`, ...(flag === 'out' ? [] : ['-o', box.out]), ...GEN]);
    refused(r, `mnist-report: --no-${flag}: --${flag} takes a value and has no --no- form: give --${flag} with its value, or leave it out`, `--no-${flag}`);
  }
  assert.ok(!existsSync(join(ROOT, 'false')), 'no folder "false" beside the tests\' working folder');
  assert.deepEqual(readdirSync(box.dir), [], 'nothing written');
  // a value, then the flag's --no- form: the same refusal, not "given more than once (\"x\", false)"
  const both = await runReport(['-i', FIXTURE, '-o', box.out, '--no-out', ...GEN]);
  refused(both, 'mnist-report: --no-out: --out takes a value and has no --no- form: give --out with its value, or leave it out', '-o DIR --no-out');
  // a switch's --no- form is still a switch
  const r = await runReport(['-i', FIXTURE, '--no-verdict-gate', '-f', 'json', '-o', box.out, ...GEN]);
  assert.equal(r.code, 0, r.stderr);
});

test('--history --history: "given more than once: give it once", with no empty values quoted', async () => {
  const r = await runReport(['-i', FIXTURE, '--history', '--history']);
  refused(r, 'mnist-report: --history given more than once: give it once', '--history --history');
  // with values, they are quoted as before
  const v = await runReport(['-i', FIXTURE, '--history', '3', '--history', '4']);
  refused(v, 'mnist-report: --history given more than once ("3", "4"): give it once', '--history 3 --history 4');
});

test('-o DIR/ (and -o DIR//): the "wrote" line names DIR/<run>/, one slash between', async () => {
  for (const slashes of ['/', '//']) {
    const box = sandbox();
    const r = await runReport(['-i', FIXTURE, '-o', `${box.out}${slashes}`, '-f', 'json', ...GEN]);
    assert.equal(r.code, 0, r.stderr);
    const wrote = r.stderr.split('\n').find((l) => l.includes(' wrote '))!;
    assert.ok(wrote.includes(`to ${box.out}/20261130T070537Z-f4b168/ (run`), wrote);
    assert.doesNotMatch(wrote, /\/\//);
  }
});

test('-o - with no --format: says the default is md,html,json and what -o - needs, not "(got md,html,json)" of a flag not given', async () => {
  const r = await runReport(['-i', FIXTURE, '-o', '-']);
  refused(r, 'mnist-report: -o - writes one text document to stdout, so it needs --format with one of md, json, summary: without --format the default is md,html,json', '-o -');
  // a --format that was given is quoted as given
  const given = await runReport(['-i', FIXTURE, '-o', '-', '-f', 'md,html']);
  refused(given, 'mnist-report: -o - writes one text document to stdout: give one of --format md, json, summary (got md,html)', '-o - -f md,html');
});

test('--input with no value is "--input needs a value", not ignored (-i FILE --input -o DIR) nor "no input" (-o DIR -i)', async () => {
  for (const flags of [['-i', FIXTURE, '--input', '-o', 'OUT'], ['-o', 'OUT', '-i'], ['-o', 'OUT', '--input']]) {
    const box = sandbox();
    const r = await runReport([...flags.map((f) => (f === 'OUT' ? box.out : f)), ...GEN]);
    refused(r, 'mnist-report: --input needs a value: a file to read, or - for stdin (see --help)', flags.join(' '));
    assert.deepEqual(readdirSync(box.dir), [], 'nothing written');
  }
  // any flag by its long name, as typed or by its letter
  refused(await runReport(['-i', FIXTURE, '-o']), 'mnist-report: --out needs a value (see --help)', '-o');
  // several values after one -i, and -i - (stdin), are still read
  const box = sandbox();
  const two = await runReport(['-i', FIXTURE, 'fixtures/formats/keras1-verbose2.log', '-o', box.out, '-f', 'json', ...GEN]);
  assert.equal(two.code, 0, two.stderr);
  assert.match(two.stderr, /reading fixtures\/mnist-train-5epochs\.jsonl, fixtures\/formats\/keras1-verbose2\.log/);
});

test('a file given without --input: "Unknown argument" says to give --input FILE; an argument that is no file does not', async () => {
  refused(await runReport([FIXTURE]),
    `mnist-report: Unknown argument: ${FIXTURE}: to read that file, give --input ${FIXTURE} (see --help)`, FIXTURE);
  refused(await runReport(['nothing-here.log', '-i', FIXTURE]), 'mnist-report: Unknown argument: nothing-here.log (see --help)', 'no file');
});

test('--list with a --format it cannot print (it prints TSV, or JSON with -f json): one line, exit 2', async () => {
  for (const format of ['md', 'html', 'summary', 'md,json']) {
    refused(await runReport(['-i', FIXTURE, '--list', '-f', format]),
      `mnist-report: --list prints tab-separated lines, or a JSON array with --format json: --format ${format} does not go with it`, format);
  }
  const json = await runReport(['-i', FIXTURE, '--list', '-f', 'json']);
  assert.equal(json.code, 0, json.stderr);
  assert.equal((JSON.parse(json.stdout) as { run_id: string }[])[0]!.run_id, '20261130T070537Z-f4b168');
});
