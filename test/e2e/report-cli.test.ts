// The CLI's flags end to end: --help, --run all with an index, stdin, --format, --title.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { listFiles, ROOT, runReport, sandbox } from './report-cli.js';
import { historyLog } from '../support/history-runs.js';

const GEN = ['--generated-at', '2026-11-24T00:00:00Z'];

test('--help explains every flag with examples, on stdout, exit 0', async () => {
  const r = await runReport(['--help']);
  assert.equal(r.code, 0);
  for (const flag of ['--input', '--out', '--format', '--title', '--run', '--generated-at', '--help']) assert.ok(r.stdout.includes(flag), flag);
  assert.match(r.stdout, /Examples:/);
  assert.match(r.stdout, /SOURCE_DATE_EPOCH/);
  assert.match(r.stdout, /Exit codes/);
});

test('--log-format: --help lists every format name; an unknown one is exit 2 with one line', async () => {
  const help = await runReport(['--help']);
  for (const name of ['--log-format', 'keras', 'tfjs-node', 'pytorch-mnist', 'hf-trainer', 'plain-print', 'lightning', 'lightning-csv', 'keras-csv', 'generic-json']) {
    assert.ok(help.stdout.includes(name), name);
  }
  const bad = await runReport(['--input', 'fixtures/formats/pytorch-mnist.log', '--log-format', 'mxnet']);
  assert.equal(bad.code, 2);
  assert.equal(bad.stderr.trim().split('\n').length, 1, bad.stderr);
  assert.match(bad.stderr, /log-format/);
});

test('Keras text: model.evaluate is the run\'s test metrics (test_accuracy gates), EarlyStopping is "stopped early"', async () => {
  const { out } = sandbox();
  const pass = await runReport(['-i', 'fixtures/keras2-verbose1.log', '-o', out, '-f', 'json', '--fail-on', 'test_accuracy<0.97', ...GEN]);
  assert.equal(pass.code, 0, pass.stderr);
  const a = JSON.parse(readFileSync(join(out, 'keras2-verbose1', 'report.json'), 'utf8'));
  assert.deepEqual(a.test, { loss: 0.0741, accuracy: 0.9771 });
  const fail = await runReport(['-i', 'fixtures/keras2-verbose1.log', '-o', out, '-f', 'json', '--fail-on', 'test_accuracy<0.99', ...GEN]);
  assert.equal(fail.code, 3, fail.stderr);
  const stopped = await runReport(['-i', 'fixtures/formats/keras1-verbose2.log', '--run', 'keras1-verbose2', '-o', out, '-f', 'json',
    '--fail-on', 'incomplete', ...GEN]);
  assert.equal(stopped.code, 0, stopped.stderr);
  const s = JSON.parse(readFileSync(join(out, 'keras1-verbose2', 'report.json'), 'utf8'));
  assert.deepEqual([s.run.outcome, s.run.epochs_seen, s.run.epochs_planned, s.confidence.n], ['stopped early', 21, 50, 10000]);
});

test('--log-format pytorch-mnist reads the PyTorch capture; the report names the format', async () => {
  const { out } = sandbox();
  const r = await runReport(['--input', 'fixtures/formats/pytorch-mnist.log', '--log-format', 'pytorch-mnist', '--out', out, '-f', 'md', ...GEN]);
  assert.equal(r.code, 0, r.stderr);
  const md = readFileSync(join(out, 'pytorch-mnist', 'report.md'), 'utf8');
  assert.match(md, /10 epochs in the log \(PyTorch examples\/mnist text output\)/);
  assert.match(md, /Log format: pytorch-mnist/);
});

test('Lightning, CSV and JSON logger files as --input, together: each run reported in its format, named in report.md', async () => {
  const { out } = sandbox();
  const inputs = ['lightning-bar.log', 'lightning-metrics.csv', 'keras-csvlogger.csv', 'generic-json.jsonl'].flatMap((f) => ['-i', `fixtures/formats/${f}`]);
  const r = await runReport([...inputs, '--run', 'all', '--out', out, '-f', 'md', ...GEN]);
  assert.equal(r.code, 0, r.stderr);
  for (const [run, epochs, title] of [['lightning-bar', '100 of 100 planned', 'PyTorch Lightning progress bar'], ['lightning-metrics', 5, 'PyTorch Lightning CSVLogger file'],
    ['keras-csvlogger', 8, 'Keras CSVLogger file'], ['generic-json', 6, 'generic JSON metric lines']] as const) {
    const md = readFileSync(join(out, run, 'report.md'), 'utf8');
    assert.match(md, new RegExp(`${epochs} epochs in the log \\(${title}\\)`), run);
  }
});

test('--run all over two inputs: one folder per run and an index comparing them', async () => {
  const { out } = sandbox();
  const r = await runReport(['--input', 'fixtures/bad/stopped-after-epoch-2.jsonl', '--input', 'fixtures/bad/hostile-run-id.jsonl',
    '--run', 'all', '--out', out, ...GEN]);
  assert.equal(r.code, 0, r.stderr);
  const files = listFiles(out);
  for (const f of ['index.md', 'index.html', 'index.json', 'stopped/report.md']) assert.ok(files.includes(f), f);
  const index = readFileSync(join(out, 'index.md'), 'utf8');
  assert.match(index, /\| \[stopped\]\(stopped\/report\.md\) \| needs attention \| passed \| incomplete \| 2 of 5 \|/);
  assert.match(index, /\[\.\.\/\.\.\/etc\/&lt;script&gt;alert\(1\)&lt;\/script&gt;\]\([A-Za-z0-9._-]+\/report\.md\)/);
  for (const link of [...index.matchAll(/\]\(([^)]+)\)/g)].map((m) => m[1]!)) assert.ok(files.includes(link), link);
});

test('--run all: a passing gate\'s stderr line names its run, as a failing one does; one report keeps the short line', async () => {
  const { out } = sandbox();
  const r = await runReport(['-i', 'fixtures/mnist-train-5epochs.jsonl', '-i', 'fixtures/bad/nan-loss.jsonl', '--run', 'all', '-f', 'json', '-o', out, ...GEN]);
  assert.equal(r.code, 3, r.stderr);
  assert.match(r.stderr, /^mnist-report: 1 quality gate failed for run nan-loss: /m);
  assert.match(r.stderr, /^mnist-report: The quality gate passed for run 20261130T070537Z-f4b168\.$/m);
  const two = await runReport(['-i', 'fixtures/mnist-train-5epochs.jsonl', '-i', 'fixtures/bad/stopped-after-epoch-2.jsonl', '--run', 'all', '-f', 'json', '-o', out,
    '--fail-on', 'nan', ...GEN]);
  assert.equal(two.code, 0, two.stderr);
  assert.match(two.stderr, /^mnist-report: Both quality gates passed for run stopped\.$/m);
  const one = await runReport(['-i', 'fixtures/mnist-train-5epochs.jsonl', '--run', 'all', '-f', 'json', '-o', out, ...GEN]);
  assert.equal(one.code, 0, one.stderr);
  assert.match(one.stderr, /^mnist-report: The quality gate passed\.$/m);
});

test('--run <id> picks that run; an unknown id lists the ids there are', async () => {
  const { out } = sandbox();
  const ok = await runReport(['-i', 'fixtures/bad/stopped-after-epoch-2.jsonl', '-i', 'fixtures/bad/nan-loss.jsonl', '--run', 'stopped', '--out', out, ...GEN]);
  assert.equal(ok.code, 0, ok.stderr);
  assert.deepEqual([...new Set(listFiles(out).map((f) => f.split('/')[0]))], ['stopped']);
  const bad = await runReport(['-i', 'fixtures/bad/stopped-after-epoch-2.jsonl', '--run', 'nope', '--out', out]);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /run "nope" not found; runs in the input: "stopped"/);
});

test('stdin with --format md,json and --title', async () => {
  const { out } = sandbox();
  const input = readFileSync(join(ROOT, 'fixtures/mnist-train-5epochs.jsonl'));
  const r = await runReport(['--input', '-', '--format', 'json,md', '--title', 'Smoke | run *1*', '--out', out, ...GEN], { stdin: input });
  assert.equal(r.code, 0, r.stderr);
  const files = listFiles(out);
  assert.ok(files.every((f) => !f.endsWith('.html')));
  const md = files.find((f) => f.endsWith('report.md'));
  assert.ok(md);
  assert.match(readFileSync(join(out, md), 'utf8'), /^# Smoke \\\| run \\\*1\\\*\n/);
  const json = JSON.parse(readFileSync(join(out, md.replace('report.md', 'report.json')), 'utf8'));
  assert.deepEqual(json.sources, ['stdin']); // '-' is named as what it is
  assert.equal(json.generated_at, '2026-11-24T00:00:00.000Z');
});

test('-o -: report.md on stdout links to no chart file (none is written); where the charts would be, one sentence says they come with -o DIR', async () => {
  const { dir } = sandbox();
  const history = join(dir, 'history.jsonl');
  writeFileSync(history, historyLog(ROOT, { runs: 4 }));
  // the fixture has per-epoch and evaluation charts; the history log (runs of it), a history chart too
  for (const [args, sections] of [[['-i', 'fixtures/mnist-train-5epochs.jsonl'], ['### Charts', '## Evaluation']],
    [['-i', history, '--history'], ['## History', '### Charts', '## Evaluation']]] as const) {
    const r = await runReport([...args, '-f', 'md', '-o', '-', ...GEN]);
    assert.equal(r.code, 0, r.stderr);
    assert.doesNotMatch(r.stdout, /\]\([^)]*\.(svg|png)\)/, 'no image or link to a chart file');
    const notes = r.stdout.split('\n').filter((l) => l === 'Charts are written only with an output folder (`-o DIR`), not with `-o -`.');
    assert.equal(notes.length, sections.length, r.stdout);
    // each note stands in its section: after that section's heading, before the next section's
    const at = (heading: string): number => r.stdout.indexOf(`${heading}\n`);
    for (const heading of sections) {
      const start = at(heading);
      assert.ok(start >= 0, heading);
      const rest = r.stdout.slice(start + heading.length);
      assert.ok(rest.indexOf('Charts are written only') < (rest.search(/\n## /) >>> 0), `${heading}: the note in its section`);
    }
  }
  // summary.md has no chart, so no note either
  const summary = await runReport(['-i', 'fixtures/mnist-train-5epochs.jsonl', '-f', 'summary', '-o', '-', ...GEN]);
  assert.equal(summary.code, 0, summary.stderr);
  assert.doesNotMatch(summary.stdout, /\.(svg|png)\b|Charts are written/);
});

test('-o -: no sentence of any fixture\'s report.md names a chart, but for the note where the charts would be', async () => {
  const fixtures = ['fixtures/mnist-train-5epochs.jsonl', 'fixtures/mnist-train-1epoch-evaluation.jsonl', 'fixtures/keras2-verbose1.log',
    'fixtures/keras2-verbose2.log', 'fixtures/keras3.log', 'fixtures/tfjs-node.log', 'fixtures/sklearn-svm-confusion-matrix.log',
    ...['pytorch-mnist.log', 'pytorch-mnist-tqdm.log', 'hf-trainer.log', 'lightning-bar.log', 'plain-print.log', 'generic-json.jsonl',
      'keras1-verbose2.log', 'keras3-download-evaluate.log'].map((f) => `fixtures/formats/${f}`)];
  const allowed = ['### Charts', 'Charts are written only with an output folder (`-o DIR`), not with `-o -`.',
    'The log holds no epoch metrics for this run: there are no final metrics, progress table or charts.'];
  for (const f of fixtures) {
    const r = await runReport(['-i', f, '-f', 'md', '-o', '-', ...GEN]);
    assert.equal(r.code === 0 || r.code === 3, true, `${f}: ${r.stderr}`);
    assert.deepEqual(r.stdout.split('\n').filter((l) => /chart/i.test(l) && !allowed.includes(l)), [], f);
  }
  // written to a folder, the PyTorch example's batch loss chart is drawn, and its caption says it holds the only training loss
  const { out } = sandbox();
  const r = await runReport(['-i', 'fixtures/formats/pytorch-mnist.log', '-f', 'md', '-o', out, ...GEN]);
  assert.equal(r.code, 0, r.stderr);
  const md = readFileSync(join(out, 'pytorch-mnist', 'report.md'), 'utf8');
  assert.match(md, /^!\[Training loss at each logged batch [^\]]*\. The log has no epoch training loss: these batches are all the training loss it has\.\]\(batch-loss\.svg\)$/m);
  assert.ok(existsSync(join(out, 'pytorch-mnist', 'batch-loss.svg')));
});

test('the same events twice (cat f f), from a file and from stdin: dropped as duplicates and counted, not a restart; a restarted text log still is one', async () => {
  const { dir, out } = sandbox();
  const once = readFileSync(join(ROOT, 'fixtures/mnist-train-5epochs.jsonl'));
  const twice = Buffer.concat([once, once]);
  const lines = once.toString('utf8').trimEnd().split('\n').length;
  const path = join(dir, 'twice.jsonl');
  writeFileSync(path, twice);
  for (const [args, stdin] of [[['-i', path], undefined], [['-i', '-'], twice]] as const) {
    const r = await runReport([...args, '-f', 'json,md', '-o', out, ...GEN], { stdin });
    assert.equal(r.code, 0, r.stderr);
    const md = listFiles(out).find((f) => f.endsWith('report.md'))!;
    const a = JSON.parse(readFileSync(join(out, md.replace('report.md', 'report.json')), 'utf8'));
    assert.deepEqual([a.quality.records, a.quality.recognised, a.quality.duplicate_records, a.quality.duplicate_epochs], [2 * lines, lines, lines, []], args.join(' '));
    const text = readFileSync(join(out, md), 'utf8');
    assert.doesNotMatch(text, /logged more than once/);
    assert.match(text, new RegExp(`${lines} duplicate records \\(events read twice\\) were dropped\\.`));
    assert.match(text, new RegExp(`^\\| ${2 * lines} \\| ${lines} \\| 0 \\| 0 \\| 0 \\| 0 \\| ${lines} \\|$`, 'm'), 'the Data Quality row');
  }
  // a plain-print trainer's lines have no run id and no time: printed twice, they are a restart
  const print = readFileSync(join(ROOT, 'fixtures/formats/plain-print.log'));
  const r = await runReport(['-i', '-', '-f', 'json,md', '-o', out, ...GEN], { stdin: Buffer.concat([print, print]) });
  assert.equal(r.code, 0, r.stderr);
  const a = JSON.parse(readFileSync(join(out, 'stdin', 'report.json'), 'utf8'));
  assert.deepEqual([a.quality.duplicate_records, a.quality.duplicate_epochs], [0, [1, 2, 3, 4]]);
  assert.match(readFileSync(join(out, 'stdin', 'report.md'), 'utf8'), /Epochs 1–4 logged more than once \(a restarted task\?\)/);
});

test('one file given twice, under its name or another (a link, ./path, a glob that overlaps): read once with a note, not a restarted run', async () => {
  const { dir, out } = sandbox();
  const fixture = 'fixtures/mnist-train-5epochs.jsonl';
  const link = join(dir, 'link.jsonl');
  symlinkSync(join(ROOT, fixture), link);
  const r = await runReport(['-i', fixture, '-i', `./${fixture}`, '-i', link, '-i', fixture, '-f', 'json', '-o', out, ...GEN]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, new RegExp(`^mnist-report: \\./${fixture} is the same file as ${fixture}: it is read once$`, 'm'));
  assert.match(r.stderr, new RegExp(`^mnist-report: ${link} is the same file as ${fixture}: it is read once$`, 'm'));
  assert.match(r.stderr, new RegExp(`^mnist-report: ${fixture} is given twice: it is read once$`, 'm'));
  const lines = readFileSync(join(ROOT, fixture), 'utf8').trimEnd().split('\n').length;
  const json = listFiles(out).find((f) => f.endsWith('report.json'))!;
  const a = JSON.parse(readFileSync(join(out, json), 'utf8'));
  // read four times, this was "needs attention: Epochs 1, 2, 3, 4 and 5 logged more than once (a restarted task?)"
  assert.deepEqual([a.quality.records, a.quality.duplicate_epochs, a.verdict.level], [lines, [], 'healthy']);
  assert.deepEqual(a.sources, [fixture]);
});

test('the same run from two files (its stdout and the aws logs export of it): read once, healthy, Data Quality says the events were in both', async () => {
  const { out } = sandbox();
  const r = await runReport(['-i', 'fixtures/mnist-train-5epochs.jsonl', '-i', 'fixtures/cloudwatch-filter-log-events.json', '-f', 'md,json', '-o', out, ...GEN]);
  assert.equal(r.code, 0, r.stderr);
  const folder = join(out, '20261130T070537Z-f4b168');
  const a = JSON.parse(readFileSync(join(folder, 'report.json'), 'utf8'));
  // this was "needs attention: Epochs 1, 2, 3, 4 and 5 logged more than once (a restarted task?)"
  assert.deepEqual([a.verdict.level, a.quality.duplicate_epochs, a.quality.records, a.quality.duplicate_records, a.quality.duplicate_across_inputs], ['healthy', [], 196, 98, 98]);
  assert.match(readFileSync(join(folder, 'report.md'), 'utf8'), /^- 98 events were also in an earlier input \(the same log given twice: a file and its CloudWatch export, or a copy\) and were read once/m);
});

test('a flag that takes one value, given twice: one line naming both, exit 2, nothing written; -f twice is both lists', async () => {
  const { out } = sandbox();
  const input = ['-i', 'fixtures/mnist-train-5epochs.jsonl', ...GEN];
  // --out twice wrote the report to a folder named "OUT,OUT2"; --run twice looked for a run "latest,all"
  // and flags whose values yargs turns into something else (coerce): --gates read a file "a,b", --history took the last
  const cases: [string, string, string][] = [['--out', out, `${out}2`], ['--run', 'latest', 'all'], ['--title', 'a', 'b'], ['--log-format', 'keras', 'keras'],
    ['--gates', '.ci/gates.txt', '.ci/gates.txt'], ['--history', '5', '7'], ['--poll-interval', '1', '2']];
  for (const [flag, a, b] of cases) {
    const r = await runReport([...(flag === '--out' ? input : [...input, '-o', out]), ...(flag === '--poll-interval' ? ['--follow'] : []), flag, a, flag, b]);
    assert.equal(r.code, 2, `${flag}: ${r.stderr}`);
    assert.equal(r.stderr.trim(), `mnist-report: ${flag} given more than once (${JSON.stringify(a)}, ${JSON.stringify(b)}): give it once`);
  }
  assert.equal(existsSync(out) && listFiles(out).length, false, 'nothing written');
  assert.equal(existsSync(`${out}2`), false);
  // a gates file given once is its rules (a list: not a flag given twice)
  const gates = await runReport([...input, '-o', out, '-f', 'json', '--gates', '.ci/gates.txt']);
  assert.equal(gates.code, 0, gates.stderr);
  rmSync(out, { recursive: true });
  const both = await runReport([...input, '-o', out, '-f', 'md', '-f', 'json']);
  assert.equal(both.code, 0, both.stderr);
  assert.deepEqual(listFiles(out).map((f) => basename(f)).filter((f) => f.startsWith('report.')).sort(), ['report.json', 'report.md']);
});

test('rerunning into the same folder removes charts the new report no longer has', async () => {
  const { out } = sandbox();
  const withBatches = await runReport(['-i', 'fixtures/mnist-train-5epochs.jsonl', '--out', out, ...GEN]);
  assert.equal(withBatches.code, 0, withBatches.stderr);
  const folder = listFiles(out)[0]!.split('/')[0]!;
  assert.ok(listFiles(out).includes(`${folder}/batch-loss.png`));
  // the same run without its batch_end lines
  const lines = readFileSync(join(ROOT, 'fixtures/mnist-train-5epochs.jsonl'), 'utf8').split('\n').filter((l) => !l.includes('"batch_end"'));
  const again = await runReport(['-i', '-', '--out', out, ...GEN], { stdin: lines.join('\n') });
  assert.equal(again.code, 0, again.stderr);
  const files = listFiles(out);
  assert.ok(!files.includes(`${folder}/batch-loss.png`) && !files.includes(`${folder}/batch-loss.svg`));
  assert.ok(files.includes(`${folder}/loss.png`));
});

test('text logs (Keras 2/3, tfjs-node) report without inventing what a run_start would say', async () => {
  const { out } = sandbox();
  const logs = ['keras2-verbose1.log', 'keras2-verbose2.log', 'keras3.log', 'tfjs-node.log'];
  const r = await runReport([...logs.flatMap((l) => ['-i', `fixtures/${l}`]), '--run', 'all', '--out', out, ...GEN]);
  assert.equal(r.code, 0, r.stderr);
  const reports = listFiles(out).filter((f) => f.endsWith('/report.md'));
  assert.equal(reports.length, logs.length);
  for (const f of reports) {
    const md = readFileSync(join(out, f), 'utf8');
    // these trainers have no run_start: what is missing is said in their terms
    assert.match(md, /- Runtime: unknown: the log does not say where or on what the run ran/, f);
    assert.match(md, /- Configuration: unknown: the log does not say the run's settings/, f);
    assert.doesNotMatch(md, /run\\_start|run\\_end/, f);
    assert.doesNotMatch(md, /Wilson interval \d/, `${f}: no interval without a sample count`);
    assert.match(md, /The number of validation samples is not in the log/, f);
    const rows = md.split('\n').filter((l) => /^\| \d+ \| \d/.test(l));
    assert.ok(rows.length >= 2, `${f}: epoch rows ${rows.length}`);
  }
});

test('--history: a latest run read as a summary (its events out of time order against a newer-looking run) is one line naming --run ID, exit 2; --run ID reports it', async () => {
  const { dir, out } = sandbox();
  const lines = readFileSync(join(ROOT, 'fixtures/mnist-train-5epochs.jsonl'), 'utf8').split('\n').filter(Boolean);
  // run B begins after run A, then logs the rest of its events before A's start: by first time A is the latest
  const b = lines.map((line, i) => JSON.stringify({ ...JSON.parse(line), run_id: 'run-b',
    time: i === 0 ? '2026-11-30T09:00:00.000Z' : new Date(Date.parse('2026-11-30T06:00:00Z') + i * 1000).toISOString() }));
  const log = join(dir, 'out-of-order.jsonl');
  writeFileSync(log, `${[...lines, ...b].join('\n')}\n`);
  const r = await runReport(['-i', log, '--history', '5', '-o', out, '-f', 'json']);
  assert.equal(r.code, 2, r.stderr);
  const last = r.stderr.trim().split('\n').at(-1)!;
  assert.match(last, /^mnist-report: run 20261130T070537Z-f4b168 turned out to be the latest only after it was read as a summary .*--run 20261130T070537Z-f4b168$/);
  assert.doesNotMatch(r.stderr, /\n\s+at /);
  const named = await runReport(['-i', log, '--history', '5', '--run', '20261130T070537Z-f4b168', '-o', out, '-f', 'json']);
  assert.equal(named.code, 0, named.stderr);
});

test('without --generated-at or SOURCE_DATE_EPOCH, a report of stdin is dated after its input was read, not when the command started', async () => {
  const { spawn } = await import('node:child_process');
  const { out } = sandbox();
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'src/cli/report.ts'), '-i', '-', '-f', 'json', '-o', out],
    { cwd: ROOT, env: { ...process.env, SOURCE_DATE_EPOCH: '' }, stdio: ['pipe', 'ignore', 'pipe'] });
  let stderr = '';
  // a trainer's pipe: its first event comes a while after mnist-report started ("reading stdin"), dated when written
  await new Promise<void>((resolve) => child.stderr.on('data', (d: Buffer) => {
    stderr += d.toString();
    if (/reading/.test(stderr)) resolve();
  }));
  await new Promise((r) => setTimeout(r, 200));
  const written = Date.now();
  const stamped = readFileSync(join(ROOT, 'fixtures/mnist-train-5epochs.jsonl'), 'utf8').split('\n').filter(Boolean)
    .map((line) => line.replace(/"time":"[^"]+"/, `"time":"${new Date(written).toISOString()}"`)).join('\n');
  child.stdin.end(`${stamped}\n`);
  const code = await new Promise<number | null>((r) => child.on('close', r));
  assert.equal(code, 0, stderr);
  const json = JSON.parse(readFileSync(join(out, '20261130T070537Z-f4b168', 'report.json'), 'utf8')) as { generated_at: string };
  assert.ok(Date.parse(json.generated_at) >= written, `generated_at ${json.generated_at} is before the run's first event (${new Date(written).toISOString()})`);
});
