// Must show: each bad input ends in a clear one-line message (exit 2) or a report
// that says what is wrong, and nothing is ever written outside --out.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { join } from 'node:path';
import { listFiles, runReport, sandbox } from './report-cli.js';
import { FORMAT_NAMES } from '../../src/parse/formats.js';

const GEN = ['--generated-at', '2026-11-24T00:00:00Z'];

async function report(fixture: string) {
  const box = sandbox();
  const r = await runReport(['--input', `fixtures/bad/${fixture}`, '--out', box.out, ...GEN]);
  assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
  assert.deepEqual(readdirSync(box.dir), r.code === 2 && !r.stderr.includes('wrote') ? [] : ['out'], 'nothing outside --out');
  return { ...r, ...box };
}

const lastLine = (s: string): string => s.trim().split('\n').pop() ?? '';

test('empty file: one clear line, exit 2, nothing written', async () => {
  const r = await report('empty.log');
  assert.equal(r.code, 2);
  assert.equal(lastLine(r.stderr), 'mnist-report: no training run found in fixtures/bad/empty.log: 0 records, 0 recognised, 0 unrecognised, 0 invalid events; ' +
    'it is empty (0 bytes): is it the log file you meant?');
});

const NAME_IT = "is it a training log? mnist-report reads mnist-train's JSON lines, CloudWatch's JSON and the epochs printed in the formats " +
  `--log-format names (${FORMAT_NAMES.join(', ')}), and read no epoch here; a trainer that prints another format can also print one line of ` +
  'JSON per epoch, such as {"epoch": 1, "loss": 0.31, "val_accuracy": 0.95}, which is read as generic-json';

test('a CSV of its header only: the line says what to do, in the same line (--log-format and its names)', async () => {
  const r = await report('csv-header-only.csv');
  assert.equal(r.code, 2);
  // the header is the one record, ignored: said, so that the counts add up to the records
  assert.equal(lastLine(r.stderr), 'mnist-report: no training run found in fixtures/bad/csv-header-only.csv: 1 record, 0 recognised, ' +
    `1 ignored (blank, progress, headers and status lines, with no epoch result in them), 0 unrecognised, 0 invalid events; ${NAME_IT}`);
  assert.match(NAME_IT, /\(keras, tfjs-node, .*lightning-csv, timm, fastai, mmengine, accelerate\), and read no epoch here/);
});

test('no run, every record ignored: the line\'s counts add up to its records (Ultralytics\' validation rows without their epochs)', async () => {
  // the real capture's "                   all      0.591          1" rows alone, cut from fixtures/formats/ultralytics-classify.log
  const rows = readFileSync('fixtures/formats/ultralytics-classify.log', 'utf8').split('\n').filter((l) => /^ +all +[\d.]+ +[\d.]+\s*$/.test(l));
  const box = sandbox();
  const r = await runReport(['--input', '-', '--out', box.out, ...GEN], { stdin: `${rows.join('\n')}\n` });
  assert.equal(r.code, 2);
  const n = rows.length.toLocaleString('en-US');
  assert.ok(lastLine(r.stderr).startsWith(`mnist-report: no training run found in stdin: ${n} records, 0 recognised, ${n} ignored ` +
    '(blank, progress, headers and status lines, with no epoch result in them), 0 unrecognised, 0 invalid events; is it a training log?'), lastLine(r.stderr));
});

test('--log-format that reads nothing: the line does not tell the user to name a format again', async () => {
  const box = sandbox();
  const r = await runReport(['--input', 'fixtures/keras3.log', '--log-format', 'pytorch-mnist', '--out', box.out, ...GEN]);
  assert.equal(r.code, 2);
  assert.match(lastLine(r.stderr), /^mnist-report: no training run found in fixtures\/keras3\.log: .*; first unusable line: "Epoch 1\/5" \(not a pytorch-mnist line \(--log-format pytorch-mnist\)\); /);
  assert.ok(lastLine(r.stderr).endsWith('; is it a pytorch-mnist log? no line was read as one: leave --log-format out, so that the format is detected by content, ' +
    `or name another (${FORMAT_NAMES.filter((f) => f !== 'pytorch-mnist').join(', ')})`), lastLine(r.stderr));
});

test('nothing usable on stdin: the line names stdin, not "-"', async () => {
  const box = sandbox();
  const r = await runReport(['--input', '-', '--out', box.out, ...GEN], { stdin: 'hello\n' });
  assert.equal(r.code, 2);
  assert.equal(lastLine(r.stderr), `mnist-report: no training run found in stdin: 1 record, 0 recognised, 1 unrecognised, 0 invalid events; first unusable line: "hello" (not a line of any known log format); ${NAME_IT}`);
});

test('bzip2 on stdin: one line saying to decompress it in the pipe, not "binary data"', async () => {
  const box = sandbox();
  const bz = Buffer.from('QlpoOTFBWSZTWcHAgOIAAAFBAAAQAkSgADDNAMNGKZcXckU4UJDBwIDi', 'base64'); // "hello\n", bzip2 -k
  const r = await runReport(['-i', '-', '--out', box.out, ...GEN], { stdin: bz });
  assert.equal(r.code, 2, r.stderr);
  assert.equal(lastLine(r.stderr), 'mnist-report: stdin is compressed with bzip2: decompress it in the pipe (bzcat FILE | mnist-report -i -); only gzip is read directly');
  assert.deepEqual(readdirSync(box.dir), []);
});

test('the line of JSON the advice shows is read: a run of one epoch, with its loss and validation accuracy', async () => {
  const box = sandbox();
  const line = /such as (\{.*\}), which/.exec(NAME_IT)![1]!;
  const r = await runReport(['--input', '-', '-f', 'json', '-o', '-', ...GEN], { stdin: `${line}\n` });
  assert.equal(r.code, 0, r.stderr);
  const a = JSON.parse(r.stdout) as { run: { format: string }; epochs: { epoch: number; loss: number; val_accuracy: number }[] };
  assert.deepEqual([a.run.format, a.epochs.map((e) => [e.epoch, e.loss, e.val_accuracy])], ['generic-json', [[1, 0.31, 0.95]]]);
  void box;
});

test('binary garbage: one clear line naming the unusable data, exit 2', async () => {
  const r = await report('garbage.bin');
  assert.equal(r.code, 2);
  assert.match(lastLine(r.stderr), /^mnist-report: no training run found in fixtures\/bad\/garbage\.bin: [\d,]+ records?, 0 recognised/);
  // its bytes are said to be binary data, not quoted: no U+FFFD (a terminal's replacement box), no raw control
  assert.match(lastLine(r.stderr), /; first unusable line: binary data, not quoted; is it a training log\?/);
  assert.doesNotMatch(r.stderr, /[\ufffd\x00-\x08\x0b-\x1f\x7f]/);
});

test('a line that is not UTF-8 (Latin-1) is quoted with its undecodable characters shown as \\ufffd', async () => {
  const box = sandbox();
  const r = await runReport(['--input', '-', '--out', box.out, ...GEN], { stdin: Buffer.from('Epoche 1 abgeschlossen: Genauigkeit 0,97 \xe9\n', 'latin1') });
  assert.equal(r.code, 2);
  assert.match(lastLine(r.stderr), /first unusable line: "Epoche 1 abgeschlossen: Genauigkeit 0,97 \\ufffd" \(not UTF-8: 1 character could not be decoded/);
  assert.doesNotMatch(r.stderr, /\ufffd/);
});

test('no epoch events: a report that says so, exit 2', async () => {
  const r = await report('no-epochs.jsonl');
  assert.equal(r.code, 2);
  assert.match(r.stderr, /run "no-epochs" has no epoch results/);
  const md = readFileSync(join(r.out, 'no-epochs', 'report.md'), 'utf8');
  assert.match(md, /The log holds no epoch metrics for this run/);
  assert.match(md, /❌ fail \| Run status/);
  assert.deepEqual(listFiles(r.out), ['no-epochs/report.html', 'no-epochs/report.json', 'no-epochs/report.md']);
});

test('no epoch events and a --fail-on gate: still exit 2 (bad input), as --help says, not 3', async () => {
  const box = sandbox();
  const r = await runReport(['--input', 'fixtures/bad/no-epochs.jsonl', '--out', box.out, '--fail-on', 'val_accuracy<0.9', ...GEN]);
  assert.equal(r.code, 2, r.stderr);
  // the gate is still evaluated and shown; it is the exit code that says the input had nothing to judge
  assert.match(r.stderr, /1 quality gate failed for run no-epochs: val_accuracy<0\.9 \(was n\/a\)/);
  assert.match(r.stderr, /run "no-epochs" has no epoch results/);
});

test('a run that has just started (run_start, no epochs, no end) after a finished one: needs attention, not failed; it names the finished run; exit 4', async () => {
  const box = sandbox();
  const done = readFileSync('fixtures/mnist-train-5epochs.jsonl', 'utf8');
  // the next run, started after the first ended: its run_start alone (mnist-train's first line)
  const starting = readFileSync('fixtures/mnist-train-1epoch-evaluation.jsonl', 'utf8').split('\n')[0]!
    .replace(/"time":"[^"]+"/, '"time":"2026-11-30T07:10:00.000Z"').replace(/"run_id":"[^"]+"/, '"run_id":"starting"');
  const input = `${done}${starting}\n`;
  const r = await runReport(['--input', '-', '--out', box.out, ...GEN], { stdin: input });
  assert.equal(r.code, 4, r.stderr);
  assert.match(r.stderr, /verdict for run "starting": needs attention: No epoch results yet: the run started at 2026-11-30T07:10:00\.000Z and the log ends there \(still in its first epoch, or stopped before finishing it\); the input's latest run with epoch results is 20261130T070537Z-f4b168 \(5 epochs\): --run 20261130T070537Z-f4b168 reports it\./);
  assert.match(r.stderr, /run "starting" has no epoch results yet and has not ended \(exit 4/);
  const md = readFileSync(join(box.out, 'starting', 'report.md'), 'utf8');
  assert.match(md, /\*\*Verdict: ⚠️ needs attention\.\*\* No epoch results yet/);
  assert.match(md, /⚠️ warn \| Run status/);
  // with --run all the finished run's report decides nothing away: its 0 and the new run's 4 make 4; a failed gate's 3 wins over 4
  const all = await runReport(['--input', '-', '--out', sandbox().out, '--run', 'all', ...GEN], { stdin: input });
  assert.equal(all.code, 4, all.stderr);
  const gated = await runReport(['--input', '-', '--out', sandbox().out, '--run', 'all', '--fail-on', 'val_accuracy<0.99', ...GEN], { stdin: input });
  assert.equal(gated.code, 3, gated.stderr);
  // one that ended with no epochs stays failed, exit 2 (fixtures/bad/no-epochs.jsonl, above)
});

test('stopped after epoch 2: report says incomplete after epoch 2 of 5', async () => {
  const r = await report('stopped-after-epoch-2.jsonl');
  assert.equal(r.code, 0, r.stderr);
  const json = JSON.parse(readFileSync(join(r.out, 'stopped', 'report.json'), 'utf8'));
  assert.equal(json.run.outcome, 'incomplete');
  const md = readFileSync(join(r.out, 'stopped', 'report.md'), 'utf8');
  assert.match(md, /⚠️ warn \| Run status .* The log has no run\\_end event: the run stopped, crashed or its log was cut after epoch 2 of 5\./);
});

test('NaN loss: the finite-metrics and divergence checks fail and say where; the failed verdict exits 3', async () => {
  const r = await report('nan-loss.jsonl');
  assert.equal(r.code, 3, r.stderr); // the default gate "failed": a NaN run must not exit 0
  assert.match(r.stderr, /verdict for run "nan-loss": failed: Metrics became NaN or Infinity/);
  assert.match(r.stderr, /1 quality gate failed for run nan-loss: failed \(verdict failed\)/);
  const json = JSON.parse(readFileSync(join(r.out, 'nan-loss', 'report.json'), 'utf8'));
  const finite = json.checks.find((c: { id: string }) => c.id === 'metrics.finite');
  assert.equal(finite.status, 'fail');
  assert.match(finite.message, /^Non-finite metrics \(NaN or Infinity, written as null\) in epoch \d/);
  const md = readFileSync(join(r.out, 'nan-loss', 'report.md'), 'utf8');
  assert.match(md, /❌ fail \| Finite metrics/);
  assert.match(md, /\| n\/a \|/);
});

test('hostile run id (../ and <script>): a safe folder inside --out, escaped everywhere', async () => {
  const r = await report('hostile-run-id.jsonl');
  assert.equal(r.code, 0, r.stderr);
  const files = listFiles(r.out);
  const folders = [...new Set(files.map((f) => f.split('/')[0]))];
  assert.equal(folders.length, 1);
  assert.match(folders[0]!, /^[A-Za-z0-9][A-Za-z0-9._-]*-[0-9a-f]{8}$/);
  const md = readFileSync(join(r.out, folders[0]!, 'report.md'), 'utf8');
  const html = readFileSync(join(r.out, folders[0]!, 'report.html'), 'utf8');
  assert.ok(!md.includes('<script>') && !html.includes('<script>'));
  assert.ok(md.includes('../../etc/&lt;script&gt;alert(1)&lt;/script&gt;'));
  assert.ok(html.includes('../../etc/&lt;script&gt;alert(1)&lt;/script&gt;'));
});

test('restarted task: duplicate epochs reported', async () => {
  const r = await report('restarted-task.jsonl');
  assert.equal(r.code, 0, r.stderr);
  const json = JSON.parse(readFileSync(join(r.out, 'restarted', 'report.json'), 'utf8'));
  assert.ok(json.quality.duplicate_epochs.length > 0);
  assert.equal(json.checks.find((c: { id: string }) => c.id === 'epochs.sequence').status, 'warn');
  assert.match(readFileSync(join(r.out, 'restarted', 'report.md'), 'utf8'), /logged more than once \(a restarted task\?\)/);
});

test('a gzip file cut short (a log still being written through | gzip): the run as far as it was read, and a line saying where the data ended', async () => {
  const { dir, out } = sandbox();
  const cut = join(dir, 'trunc.log.gz');
  writeFileSync(cut, gzipSync(readFileSync('fixtures/formats/pytorch-mnist.log')).subarray(0, 5000));
  const r = await runReport(['--input', cut, '--out', out, '-f', 'md,json', ...GEN]);
  // was: "damaged gzip data (unexpected end of file)", exit 2
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, new RegExp(`^mnist-report: ${cut}: the gzip data ended early, at byte 5,000 \\(unexpected end of file\\): read what came before it \\(its last line, cut there, counted as a fragment\\); the log may go on beyond what was read$`, 'm'));
  const a = JSON.parse(readFileSync(join(out, 'trunc', 'report.json'), 'utf8'));
  assert.deepEqual([a.quality.gzip_ended_early, a.quality.fragments, a.checks.find((c: { id: string }) => c.id === 'data.quality').status], [[{ source: cut, byte: 5000, partial_line: true }], 1, 'warn']);
  assert.ok(a.epochs.length >= 6, String(a.epochs.length));
  assert.match(readFileSync(join(out, 'trunc', 'report.md'), 'utf8'), /^- The gzip data ended early in .*trunc\.log\.gz, at byte 5,000 \(a log still being written through a pipe to gzip, or a copy cut short\): the report is of what came before the cut, and the log may go on beyond it; the line it ended inside is counted as a fragment, not read\.$/m);
});

test('a gzip file cut before any of its data (inside its header, or before a byte decompressed), a 0-byte .gz and a .gz of an empty file: one line each saying which', async () => {
  const { dir, out } = sandbox();
  const gz = gzipSync(readFileSync('fixtures/mnist-train-5epochs.jsonl'));
  const only = async (args: string[], stdin?: Buffer) => {
    const r = await runReport([...args, '--out', out, ...GEN], stdin ? { stdin } : {});
    assert.equal(r.code, 2, r.stderr);
    assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
    return lastLine(r.stderr);
  };
  const header = join(dir, 'header.jsonl.gz');
  writeFileSync(header, gz.subarray(0, 6));
  // was: "the gzip data ended early … read what came before it", then "no training run found …: it is empty"
  assert.equal(await only(['-i', header]), `mnist-report: ${header} is a gzip file cut short at byte 6, inside its 10-byte header, before any of its data: ` +
    'there is nothing to read (a copy stopped early, or a log still being written through gzip: read it once it is whole)');
  assert.match(await only(['-i', '-'], gz.subarray(0, 6)), /^mnist-report: stdin is gzip data cut short at byte 6, inside its 10-byte header, before any of its data: /);
  const early = join(dir, 'early.jsonl.gz');
  writeFileSync(early, gz.subarray(0, 12));
  assert.match(await only(['-i', early]), new RegExp(`^mnist-report: ${early} is a gzip file cut short at byte 12, before any of its data: there is nothing to read`));
  const zero = join(dir, 'zero.jsonl.gz');
  writeFileSync(zero, '');
  assert.match(await only(['-i', zero]), /; it is empty \(0 bytes\): is it the log file you meant\?$/);
  const nothing = join(dir, 'nothing.jsonl.gz');
  writeFileSync(nothing, gzipSync(Buffer.alloc(0)));
  assert.match(await only(['-i', nothing]), /; it is empty: gzip data of an empty file \(0 bytes once decompressed\): is it the log file you meant\?$/);
});

test('a missing input file and bad flags: one line, exit 2', async () => {
  for (const args of [['--input', 'fixtures/bad/does-not-exist.jsonl'], ['--bogus'], ['--input', 'x', '--format', 'pdf'],
    ['--input', 'x', '--generated-at', 'yesterday'], []]) {
    const box = sandbox();
    const r = await runReport([...args, '--out', box.out]);
    assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.equal(r.stderr.trim().split('\n').filter((l) => !l.startsWith('mnist-report: reading')).length, 1, r.stderr);
    assert.doesNotMatch(r.stderr, /\n\s+at /);
    assert.deepEqual(readdirSync(box.dir), []);
  }
});

// Events the lenient reader keeps (issue 11). The first two crashed with exit 1 and a stack trace before.
for (const [fixture, folder] of [['model-name-only.jsonl', 'model-name-only'], ['layers-not-a-list.jsonl', 'layers-nope'], ['partial-run-start.jsonl', 'partial-run-start']] as const) {
  test(`${fixture}: a partial run_start is kept and its gaps are listed, exit 0`, async () => {
    const r = await report(fixture);
    assert.equal(r.code, 0, r.stderr);
    const json = JSON.parse(readFileSync(join(r.out, folder, 'report.json'), 'utf8'));
    assert.equal(json.run.epochs_seen, 3);
    assert.ok(json.quality.field_gaps.length > 0);
    const md = readFileSync(join(r.out, folder, 'report.md'), 'utf8');
    assert.match(md, /Fields that mnist-train\/1 events should carry but lacked/);
    assert.match(md, /\| run\\_start\.model\.(layers|parameters) \| [01] \| [01] \|/);
  });
}

test('Python json.dumps events (spacing, NaN/Infinity, strings, +00:00, missing fields): every epoch kept, NaN caught by --fail-on nan', async () => {
  const box = sandbox();
  const r = await runReport(['--input', 'fixtures/bad/python-json-dumps.jsonl', '--out', box.out, '--fail-on', 'nan', ...GEN]);
  assert.doesNotMatch(r.stderr, /\n\s+at /);
  assert.equal(r.code, 3, r.stderr);
  assert.match(lastLine(r.stderr), /wrote 9 files .*\(run "py-trainer", completed, 4 epochs\)/);
  const json = JSON.parse(readFileSync(join(box.out, 'py-trainer', 'report.json'), 'utf8'));
  assert.deepEqual(json.epochs.map((e: { val_accuracy: number }) => e.val_accuracy), [0.9431, 0.9611, 0.9655, 0.9702]);
  assert.deepEqual(json.stability.non_finite, [{ epoch: 3, metrics: ['loss', 'val_loss', 'samples_per_second'] }]);
  assert.equal(json.test.accuracy, 0.9702);
  assert.deepEqual([json.quality.invalid_events, json.quality.unrecognised], [0, 0]);
  assert.deepEqual(json.quality.field_gaps.find((g: { field: string }) => g.field === 'epoch_end.memory'), { field: 'epoch_end.memory', missing: 4, unreadable: 0 });
});

test('1e999 and -1e999 are non-finite data: named, and caught by --fail-on nan (issue 12)', async () => {
  const box = sandbox();
  const r = await runReport(['--input', 'fixtures/bad/overflow-metrics.jsonl', '--out', box.out, '--fail-on', 'nan', ...GEN]);
  assert.doesNotMatch(r.stderr, /\n\s+at /);
  assert.equal(r.code, 3, r.stderr);
  const json = JSON.parse(readFileSync(join(box.out, 'overflow', 'report.json'), 'utf8'));
  assert.deepEqual(json.stability.non_finite, [{ epoch: 2, metrics: ['loss', 'val_accuracy'] }]);
  assert.deepEqual([json.run.epochs_seen, json.quality.invalid_events], [3, 0]);
});

test('unknown event names are counted as unknown, not invalid', async () => {
  const r = await report('unknown-event.jsonl');
  assert.equal(r.code, 0, r.stderr);
  const json = JSON.parse(readFileSync(join(r.out, 'unknown-event', 'report.json'), 'utf8'));
  assert.deepEqual(json.quality.unknown_events, [{ name: 'calibration_report', count: 1 }, { name: 'checkpoint_saved', count: 1 }]);
  assert.equal(json.quality.invalid_events, 0);
  assert.match(readFileSync(join(r.out, 'unknown-event', 'report.md'), 'utf8'), /Events of a kind this report does not know \(counted, not used\): calibration\\_report \(1\), checkpoint\\_saved \(1\)/);
});

test('a second input that holds no run: stderr says its lines are in no verdict, naming it; an input of runs only says nothing', async () => {
  const box = sandbox();
  const other = join(box.dir, 'other.log');
  writeFileSync(other, 'Step 10 | metric-a 0.5\nStep 20 | metric-a 0.6\n');
  const r = await runReport(['--input', 'fixtures/formats/plain-print.log', '--input', other, '-f', 'json', '--out', box.out, ...GEN]);
  assert.equal(r.code, 0, r.stderr);
  assert.ok(r.stderr.includes(`mnist-report: 2 lines of ${other}, which holds no run, could not be read: no run's verdict counts them; see Data Quality\n`), r.stderr);
  const alone = await runReport(['--input', 'fixtures/formats/plain-print.log', '-f', 'json', '--out', join(box.dir, 'alone'), ...GEN]);
  assert.doesNotMatch(alone.stderr, /holds? no run/);
});
