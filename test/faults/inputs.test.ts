// Issue 12: hostile inputs end cleanly — no stack trace, no hang (each test has a
// timeout), one line naming the input, or a report that says what was wrong.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createWriteStream, readFileSync, writeFileSync } from 'node:fs';
import { once } from 'node:events';
import { join } from 'node:path';
import { createGzip, constants } from 'node:zlib';
import { collectRuns } from '../../src/runs/collect.js';
import type { LogRecord } from '../../src/types.js';
import { DIST_BIN } from '../e2e/report-cli.js';
import { FIXTURE, GEN, RUN, oneLineError, report, shell, tempDir } from './support.js';

const T = { timeout: 60_000 };
const events = (): Record<string, unknown>[] => readFileSync(FIXTURE, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
const jsonl = (xs: unknown[]): string => `${xs.map((x) => JSON.stringify(x)).join('\n')}\n`;

test('epoch_end with epoch 10^15: no V8 fatal error; the line is a data-quality finding, the run is reported', T, async (t) => {
  const dir = tempDir(t);
  const input = join(dir, 'huge.jsonl');
  writeFileSync(input, jsonl(events().map((e) => (e.event === 'epoch_end' && e.epoch === 5 ? { ...e, epoch: 1e15 } : e))));
  const r = await report(['-i', input, '-o', join(dir, 'out'), '-f', 'json', ...GEN()]);
  assert.equal(r.code, 0, r.stderr);
  const a = JSON.parse(readFileSync(join(dir, 'out', RUN, 'report.json'), 'utf8'));
  assert.equal(a.quality.invalid_events, 1);
  assert.match(a.quality.examples[0].reason, /epoch 1000000000000000 is implausible/);
  assert.deepEqual(a.epochs.map((e: { epoch: number }) => e.epoch), [1, 2, 3, 4]);
});

test('missing epochs are ranges, not one number each', async () => {
  const epochEnd = events().find((e) => e.event === 'epoch_end')!;
  const rec = (epoch: number): LogRecord => ({
    message: JSON.stringify({ ...epochEnd, epoch }),
    source: 'x', stream: null, timestamp: null, eventId: null, line: null,
  });
  const log = await collectRuns((async function* () { yield [rec(1), rec(4), rec(999_999)]; })());
  assert.deepEqual(log.runs[0]!.missing_epochs, [{ first: 2, last: 3 }, { first: 5, last: 999_998 }]);
});

test('run_start with a 100,000-level nested config: no stack overflow; the deep field is left out with a note', T, async (t) => {
  const dir = tempDir(t);
  const input = join(dir, 'nested.jsonl');
  const deep = `${'{"a":'.repeat(100_000)}1${'}'.repeat(100_000)}`;
  const lines = readFileSync(FIXTURE, 'utf8').trim().split('\n');
  lines[0] = lines[0]!.replace('"config":{', `"config":{"deep":${deep},`).replace('"runtime":{', `"runtime":{"deep":${deep},`);
  writeFileSync(input, `${lines.join('\n')}\n`);
  const r = await report(['-i', input, '-o', join(dir, 'out'), ...GEN()]);
  assert.equal(r.code, 0, r.stderr);
  assert.doesNotMatch(r.stderr, /RangeError|\n\s+at /);
  const a = JSON.parse(readFileSync(join(dir, 'out', RUN, 'report.json'), 'utf8'));
  assert.ok(JSON.stringify(a).length < 200_000);
});

test('-i /proc/self/mem (EIO on read): one line naming it, exit 2', T, async (t) => {
  oneLineError(await report(['-i', '/proc/self/mem', '-o', join(tempDir(t), 'out')]), 2, /^mnist-report: \/proc\/self\/mem: cannot read \(input\/output error\)$/);
});

test('-i - with stdin closed (<&-): one line, exit 2, for one run and for --run all (whose copy of stdin is then empty)', T, async (t) => {
  const dir = tempDir(t);
  for (const run of ['latest', 'all']) {
    // the shell closes fd 0 before node starts; node reopens it on /dev/null, so the read is empty, not EBADF
    const r = await shell(`exec "$0" "$1" -i - --run ${run} -o "$2" <&-`, [process.execPath, DIST_BIN, join(dir, run)]);
    oneLineError(r, 2, /^mnist-report: no training run found in stdin: 0 records/);
  }
});

test('SOURCE_DATE_EPOCH beyond year 9999: one line, exit 2', T, async (t) => {
  const r = await report(['-i', FIXTURE, '-o', join(tempDir(t), 'out')], { env: { SOURCE_DATE_EPOCH: '99999999999999999999' } });
  oneLineError(r, 2, /^mnist-report: SOURCE_DATE_EPOCH must be whole seconds since 1970 up to 253402300799 \(year 9999\)/);
});

test('--gates /dev/urandom and /dev/zero, --baseline /dev/urandom: a size limit and one line, not gigabytes read', T, async (t) => {
  const out = join(tempDir(t), 'out');
  oneLineError(await report(['-i', FIXTURE, '-o', out, '--gates', '/dev/urandom']), 2, /--gates \/dev\/urandom: more than 64 KiB/);
  oneLineError(await report(['-i', FIXTURE, '-o', out, '--gates', '/dev/zero']), 2, /--gates \/dev\/zero: more than 64 KiB/);
  oneLineError(await report(['-i', FIXTURE, '-o', out, '--baseline', '/dev/urandom']), 2, /--baseline \/dev\/urandom: more than 256 MiB/);
});

test('a gzip bomb (zeros at ratio ~1000) stops at the ratio limit with one line', T, async (t) => {
  const dir = tempDir(t);
  const bomb = join(dir, 'bomb.log.gz');
  const gz = createGzip({ level: constants.Z_BEST_COMPRESSION });
  const done = once(gz.pipe(createWriteStream(bomb)), 'close');
  const zeros = Buffer.alloc(1 << 20);
  for (let i = 0; i < 128; i++) if (!gz.write(zeros)) await once(gz, 'drain');
  gz.end();
  await done;
  oneLineError(await report(['-i', bomb, '-o', join(dir, 'out')]), 2, /bomb\.log\.gz: gzip data expands more than 200x/);
});

test('64 MiB of newlines: counted as blank lines in a stretch, not parsed one by one', T, async (t) => {
  const dir = tempDir(t);
  const input = join(dir, 'newlines.log');
  writeFileSync(input, Buffer.alloc(64 << 20, 10));
  const r = await report(['-i', input, '-o', join(dir, 'out')]);
  oneLineError(r, 2, /no training run found in .*newlines\.log: 67,108,864 records, 0 recognised/);
});

test('blank lines between events are counted as ignored records, as before', async (t) => {
  const { readFileRecords } = await import('../../src/sources/file.js');
  const dir = tempDir(t, 'mnist-blank-');
  const input = join(dir, 'x.jsonl');
  const lines = readFileSync(FIXTURE, 'utf8').trim().split('\n');
  writeFileSync(input, `\n\n${lines[0]}\r\n\r\n\n${lines.slice(1).join('\n\n')}\n\n`);
  const log = await collectRuns(readFileRecords(input));
  assert.equal(log.quality.records, 2 + 1 + 2 + lines.length - 1 + (lines.length - 2) + 1);
  assert.equal(log.quality.ignored, log.quality.records - lines.length);
  assert.equal(log.quality.recognised, lines.length);
});

test('a line over 1 MiB is kept to its last 1 MiB, and its data-quality reason says so', async (t) => {
  const { readFileRecords } = await import('../../src/sources/file.js');
  const dir = tempDir(t, 'mnist-long-');
  const input = join(dir, 'x.jsonl');
  const lines = readFileSync(FIXTURE, 'utf8').trim().split('\n');
  // the run_start, valid JSON, padded past the cap: its start (and the event's name) is what is dropped
  const long = lines[0]!.replace('{', `{"pad":"${'z'.repeat(1_100_000)}",`);
  writeFileSync(input, `${[long, ...lines.slice(1)].join('\n')}\n`);
  const log = await collectRuns(readFileRecords(input));
  const example = log.quality.examples.find((e) => e.line === 1);
  assert.ok(example, JSON.stringify(log.quality.examples));
  assert.match(example.reason, /^a line over 1 MiB \(its start quoted; only its last 1 MiB was read\), so: /);
  assert.match(example.text, /^\{"pad":"z{100}/, 'the quote is the line\'s start');
  assert.equal(log.quality.recognised, lines.length - 1);
  assert.equal(log.quality.examples.filter((e) => e.reason.startsWith('a line over')).length, 1, 'no other line is said to be cut');
});

test('UTF-16 with a byte-order mark (PowerShell 5 `>`), LE and BE: read like UTF-8', T, async (t) => {
  const dir = tempDir(t);
  const text = readFileSync(FIXTURE, 'utf8').replace(/\n/g, '\r\n');
  const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
  const be = Buffer.from(le);
  be.swap16();
  for (const [name, bytes] of [['le', le], ['be', be]] as const) {
    writeFileSync(join(dir, `${name}.log`), bytes);
    const r = await report(['-i', join(dir, `${name}.log`), '-o', join(dir, name), '-f', 'json', ...GEN()]);
    assert.equal(r.code, 0, `${name}: ${r.stderr}`);
    assert.match(r.stderr, /98 records, 98 recognised, 1 run/);
  }
});

test('UTF-16 without a byte-order mark, LE and BE: known by ASCII text\'s 0 every other byte, read like UTF-8', T, async (t) => {
  const dir = tempDir(t);
  const text = readFileSync(FIXTURE, 'utf8');
  const le = Buffer.from(text, 'utf16le');
  const be = Buffer.from(le);
  be.swap16();
  // a real capture with non-ASCII characters near its start: Keras 3's download bar, 20 "━" (U+2501) in the first 256 characters
  const keras3 = Buffer.from(readFileSync('fixtures/formats/keras3-download-evaluate.log', 'utf8'), 'utf16le');
  for (const [name, bytes, records] of [['le', le, /98 records, 98 recognised, 1 run/], ['be', be, /98 records, 98 recognised, 1 run/],
    ['keras3', keras3, /, 1 run/]] as const) {
    writeFileSync(join(dir, `${name}.log`), bytes);
    const r = await report(['-i', join(dir, `${name}.log`), '-o', join(dir, name), '-f', 'json', ...GEN()]);
    assert.equal(r.code, 0, `${name}: ${r.stderr}`);
    assert.match(r.stderr, records, name);
    assert.doesNotMatch(r.stderr, /binary data/, name);
  }
  // a UTF-8 log is never taken for it (it has no 0 byte), nor binary data with 0 bytes in pairs
  const { utf16Of } = await import('../../src/sources/file.js');
  assert.equal(utf16Of(Buffer.from(text.slice(0, 512))), null);
  assert.equal(utf16Of(Buffer.alloc(512)), null);
  assert.equal(utf16Of(Buffer.from('Epoch 1/5'.padEnd(40), 'utf16le').subarray(0, 14)), null, 'fewer than 8 characters say too little');
});

test('U+202E and other bidi controls in a run id are escaped in report.md, index.md and stderr', T, async (t) => {
  const dir = tempDir(t);
  const input = join(dir, 'rtl.jsonl');
  writeFileSync(input, jsonl(events().map((e) => ({ ...e, run_id: 'abc\u202Egpj.exe\u2066x\u200f' }))));
  const out = join(dir, 'out');
  const r = await report(['-i', input, '-o', out, '--run', 'all', '-f', 'md', ...GEN()]);
  assert.equal(r.code, 0, r.stderr);
  const bidi = /[\u202a-\u202e\u2066-\u2069\u200e\u200f]/;
  assert.doesNotMatch(r.stderr, bidi);
  assert.match(r.stderr, /abc\\u202egpj\.exe\\u2066x\\u200f/);
  const folder = (await import('node:fs')).readdirSync(out).find((n) => !n.startsWith('index'))!;
  for (const file of [join(out, 'index.md'), join(out, folder, 'report.md')]) {
    const md = readFileSync(file, 'utf8');
    assert.doesNotMatch(md, bidi, file);
    assert.match(md, /abc\\+u202egpj\.exe/, file); // Markdown escapes the backslash itself
  }
});
