import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { constants as zlibConstants, gzipSync } from 'node:zlib';
import { UserError } from '../../src/errors.js';
import { AwsEventsScanner, wholeDocumentEvents } from '../../src/sources/aws-json.js';
import { readFileRecords } from '../../src/sources/file.js';
import type { LogRecord } from '../../src/types.js';
import { runReport } from '../e2e/report-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'mnist-report-sources-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const tmp = (name: string, body: string | Buffer): string => {
  const p = join(dir, name);
  writeFileSync(p, body);
  return p;
};

async function all(path: string): Promise<LogRecord[]> {
  const out: LogRecord[] = [];
  for await (const records of readFileRecords(path)) out.push(...records);
  return out;
}

async function userError(path: string): Promise<string> {
  try {
    await all(path);
  } catch (err) {
    assert.ok(err instanceof UserError, `expected a UserError, got ${String(err)}`);
    assert.doesNotMatch(err.message, /\n/);
    return err.message;
  }
  assert.fail('expected a UserError');
}

test('text lines: one record per line, 1-based line numbers, CRLF and a last line without newline', async () => {
  const p = tmp('crlf.log', 'first\r\nsecond\n\nlast');
  assert.deepEqual(await all(p), [
    { message: 'first', source: p, stream: null, timestamp: null, eventId: null, line: 1 },
    { message: 'second', source: p, stream: null, timestamp: null, eventId: null, line: 2 },
    { message: '', source: p, stream: null, timestamp: null, eventId: null, line: 3 },
    { message: 'last', source: p, stream: null, timestamp: null, eventId: null, line: 4 },
  ]);
});

test('gzip is detected by magic bytes, with or without .gz', async () => {
  const plain = readFileSync('fixtures/keras2-verbose1.log');
  const expected = (await all('fixtures/keras2-verbose1.log')).map((r) => r.message);
  assert.equal(expected.length, 12);
  for (const name of ['k.log.gz', 'k-no-extension']) {
    const got = (await all(tmp(name, gzipSync(plain)))).map((r) => r.message);
    assert.deepEqual(got, expected);
  }
});

test('gzip damaged before its end (a wrong byte) is a one-line UserError', async () => {
  const gz = gzipSync(readFileSync('fixtures/keras3.log'));
  const bad = Buffer.from(gz);
  const mid = Math.floor(bad.length / 2);
  bad[mid] = bad[mid]! ^ 0xff;
  bad[mid + 1] = bad[mid + 1]! ^ 0x55;
  const msg = await userError(tmp('damaged.gz', bad));
  assert.match(msg, /damaged\.gz: damaged gzip data \(/);
});

test('gzip data that ends early (a log still being written through | gzip) is read up to the cut; its last line, cut there, says so', async () => {
  const text = readFileSync('fixtures/formats/pytorch-mnist.log', 'utf8');
  const gz = gzipSync(text);
  // was: "damaged gzip data (unexpected end of file)", and nothing read
  const records = await all(tmp('cut.log.gz', gz.subarray(0, 5000)));
  const last = records.at(-1)!;
  assert.equal(last.gzipEnded, 5000);
  assert.ok(records.slice(0, -1).every((r) => r.gzipEnded === undefined));
  // every line before the cut, as written; the last one is the start of a line
  const lines = text.split('\n');
  assert.deepEqual(records.slice(0, -1).map((r) => r.message), lines.slice(0, records.length - 1));
  assert.equal(last.line, records.length);
  assert.ok(lines[records.length - 1]!.startsWith(last.message) && lines[records.length - 1] !== last.message, last.message);
  // cut where a line ends (the writer flushed there): no line is cut, and a record of no line says where the data ended
  const flushed = gzipSync('Train Epoch: 1 [0/60000 (0%)]\tLoss: 2.3\n', { flush: zlibConstants.Z_SYNC_FLUSH, finishFlush: zlibConstants.Z_SYNC_FLUSH });
  const whole = await all(tmp('flushed.log.gz', flushed));
  assert.deepEqual(whole.map((r) => [r.message, r.line, r.gzipEnded]), [['Train Epoch: 1 [0/60000 (0%)]\tLoss: 2.3', 1, undefined], ['', null, flushed.length]]);
  // an aws export cut short: its events before the cut
  const doc = gzipSync(readFileSync('fixtures/cloudwatch-filter-log-events.json'));
  const events = await all(tmp('cut.json.gz', doc.subarray(0, 8000)));
  assert.ok(events.length > 50 && events.length < 98, String(events.length));
  assert.deepEqual([events.at(-1)!.message, events.at(-1)!.gzipEnded], ['', 8000]);
  assert.ok(events.slice(0, -1).every((e) => e.stream !== null && e.gzipEnded === undefined));
});

test('bzip2, xz, zstd and zip data (by magic bytes, not name): one line saying how to decompress it, not "binary data"', async () => {
  // "hello\n" as bzip2 -k, xz -k, zstd and zip wrote it
  for (const [name, base64, said] of [
    ['k.log.bz2', 'QlpoOTFBWSZTWcHAgOIAAAFBAAAQAkSgADDNAMNGKZcXckU4UJDBwIDi', 'bzip2: decompress it first (bunzip2 -k PATH) or pipe it: bzcat PATH'],
    ['k.log.xz', '/Td6WFoAAATm1rRGAgAhARYAAAB0L+WjAQAFaGVsbG8KAAAApWCX8ZT2/eAAAR4GwS+kHR+2830BAAAAAARZWg==', 'xz: decompress it first (unxz -k PATH) or pipe it: xzcat PATH'],
    ['k.log.zst', 'KLUv/SQGMQAAaGVsbG8KU4i9kQ==', 'zstd: decompress it first (unzstd PATH) or pipe it: zstdcat PATH'],
    ['k.zip', 'UEsDBAoAAAAAAEGPgV0gMDo2BgAAAAYAAAAGABwAcTYudHh0VVQJAAOqCg9rqgoPa3V4CwABBAAAAAAEAAAAAGhlbGxvClBLAQIeAwoAAAAAAEGPgV0gMDo2BgAAAAYAAAAGABgAAAAAAAEAAACkgQAAAABxNi50eHRVVAUAA6oKD2t1eAsAAQQAAAAABAAAAABQSwUGAAAAAAEAAQBMAAAARgAAAAAA', 'zip: decompress it first (unzip PATH) or pipe it: unzip -p PATH'],
    ['no-extension', 'QlpoOTFBWSZTWcHAgOIAAAFBAAAQAkSgADDNAMNGKZcXckU4UJDBwIDi', 'bzip2: decompress it first (bunzip2 -k PATH) or pipe it: bzcat PATH'],
  ] as const) {
    const p = tmp(name, Buffer.from(base64, 'base64'));
    assert.equal(await userError(p), `${p} is compressed with ${said.replaceAll('PATH', p)} | mnist-report -i - (only gzip is read directly)`);
  }
  // text that merely starts like one ("BZh" and no block size digit, "PK" and no header) is read as text
  assert.deepEqual((await all(tmp('bz.log', 'BZhx\nPK!\n'))).map((r) => r.message), ['BZhx', 'PK!']);
});

test('stdin ("-"), gzipped', () => {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'test/sources/read-stdin.ts'], {
    input: gzipSync('Epoch 1 / 5\n3456ms 1843us/step - acc=0.912 loss=0.302 \n'), encoding: 'utf8',
  });
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(r.stdout.trim().split('\n').map((l) => JSON.parse(l)), [
    { message: 'Epoch 1 / 5', source: '-', stream: null, timestamp: null, eventId: null, line: 1 },
    { message: '3456ms 1843us/step - acc=0.912 loss=0.302 ', source: '-', stream: null, timestamp: null, eventId: null, line: 2 },
  ]);
});

const FILTER = {
  events: [
    { logStreamName: 'ecs/mnist/abc', timestamp: 1795503935977, message: '{"a":"x \\" } ] {"}', ingestionTime: 1795503936100, eventId: '3791' },
    { logStreamName: 'ecs/mnist/def', timestamp: 1795503935978, message: 'Epoch 1/5', ingestionTime: 1795503936101, eventId: '3792' },
  ],
  searchedLogStreams: [{ logStreamName: 'ecs/mnist/abc', searchedCompletely: true }],
};
const FILTER_RECORDS: LogRecord[] = [
  { message: '{"a":"x \\" } ] {"}', source: '', stream: 'ecs/mnist/abc', timestamp: 1795503935977, eventId: '3791', line: null },
  { message: 'Epoch 1/5', source: '', stream: 'ecs/mnist/def', timestamp: 1795503935978, eventId: '3792', line: null },
];

test('aws logs filter-log-events JSON, pretty-printed and compact', async () => {
  for (const [name, text] of [['pretty.json', JSON.stringify(FILTER, null, 4)], ['compact.json', JSON.stringify(FILTER)]] as const) {
    const p = tmp(name, text);
    assert.deepEqual(await all(p), FILTER_RECORDS.map((r) => ({ ...r, source: p })));
  }
});

test('aws logs get-log-events JSON (no stream, no eventId; tokens after the events)', async () => {
  const doc = {
    events: [{ timestamp: 5, message: 'one', ingestionTime: 6 }, { timestamp: 7, message: 'two', ingestionTime: 8 }],
    nextForwardToken: 'f/3779', nextBackwardToken: 'b/3779',
  };
  const p = tmp('get.json', JSON.stringify(doc, null, 4));
  assert.deepEqual((await all(p)).map((r) => [r.message, r.stream, r.timestamp, r.eventId]), [['one', null, 5, null], ['two', null, 7, null]]);
  // Keys in another order: the tokens first.
  const q = tmp('get2.json', JSON.stringify({ nextForwardToken: 'f/1', events: doc.events }));
  assert.equal((await all(q)).length, 2);
});

test('the events scanner gives the same answer however the text is chunked', () => {
  const text = JSON.stringify(FILTER, null, 2);
  const whole = new AwsEventsScanner();
  const expected = whole.feed(text);
  whole.end();
  assert.equal(expected.length, 2);
  for (const size of [1, 2, 3, 7, 64]) {
    const s = new AwsEventsScanner();
    const got = [];
    for (let i = 0; i < text.length; i += size) got.push(...s.feed(text.slice(i, i + size)));
    s.end();
    assert.deepEqual(got, expected, `chunks of ${size}`);
  }
  // and the bundled export: messages that are JSON lines, their quotes and backslashes escaped
  const fixture = readFileSync('fixtures/cloudwatch-filter-log-events.json', 'utf8');
  const events = JSON.parse(fixture).events as { message: string }[];
  assert.ok(fixture.includes('\\"'), 'escaped quotes in the export');
  for (const size of [1, 2, 5, 64, 4096, fixture.length]) {
    const s = new AwsEventsScanner();
    const got = [];
    for (let i = 0; i < fixture.length; i += size) got.push(...s.feed(fixture.slice(i, i + size)));
    s.end();
    assert.deepEqual(got.map((e) => e.message), events.map((e) => e.message), `the fixture in chunks of ${size}`);
  }
});

test('a small document is parsed whole, with the scanner\'s answer; anything odd is left to the scanner', () => {
  const scanned = (text: string) => {
    const s = new AwsEventsScanner();
    const got = s.feed(text);
    s.end();
    return got;
  };
  const docs = [readFileSync('fixtures/cloudwatch-filter-log-events.json', 'utf8'), JSON.stringify(FILTER, null, 4), JSON.stringify(FILTER),
    JSON.stringify({ nextForwardToken: 'f/1', events: [{ timestamp: 5, message: 'one' }, { timestamp: 'x', message: 'two', logStreamName: 3 }] })];
  for (const text of docs) assert.deepEqual(wholeDocumentEvents(text), scanned(text));
  const page = (m: string) => JSON.stringify({ events: [{ timestamp: 1, message: m }] });
  for (const odd of [`${page('a')}\n${page('b')}`, '{"events": [1]}', '{"events": [{"timestamp": 1}]}', '[1]', '{"foo": 1}', '{"events": {"a": 1}}',
    '{"events": [], "x": {"events": []}}', JSON.stringify(FILTER).slice(0, 100)]) {
    assert.equal(wholeDocumentEvents(odd), null, odd);
  }
});

test('the bundled CloudWatch fixture reads as 98 records of one stream', async () => {
  const records = await all('fixtures/cloudwatch-filter-log-events.json');
  assert.equal(records.length, 98);
  assert.equal(new Set(records.map((r) => r.stream)).size, 1);
  assert.ok(records.every((r) => r.eventId !== null && r.timestamp !== null && r.message.startsWith('{"schema":"mnist-train/1"')));
});

test('JSON documents of unknown shape, truncated ones, missing files and directories are one-line UserErrors', async () => {
  assert.match(await userError(tmp('other.json', JSON.stringify({ foo: [1, 2] }, null, 2))), /other\.json: not a known log shape .*no "events" array/);
  assert.match(await userError(tmp('array.json', '[\n  1,\n  2\n]\n')), /array\.json: not a known log shape .*not an object/);
  assert.match(await userError(tmp('bad-events.json', '{"events": [1, 2]}')), /an element of "events" is not an object/);
  assert.match(await userError(tmp('no-message.json', '{"events": [{"timestamp": 1}]}')), /has no "message" string/);
  assert.match(await userError(tmp('cut.json', JSON.stringify(FILTER, null, 4).slice(0, 300))), /ends before it is complete/);
  assert.match(await userError(join(dir, 'nope.log')), /nope\.log: no such file$/);
  assert.match(await userError(dir), /is a directory, not a log file$/);
});

test('a one-line JSON object that is not aws output is a JSON line, not a document', async () => {
  const records = await all(tmp('one.jsonl', '{"foo": 1}\n{"bar": 2}\n'));
  assert.deepEqual(records.map((r) => r.message), ['{"foo": 1}', '{"bar": 2}']);
});

test('pages of aws output saved one after another read as one stream', async () => {
  const page = (m: string) => JSON.stringify({ events: [{ timestamp: 1, message: m, ingestionTime: 2 }], nextForwardToken: 'f/1' }, null, 4);
  const p = tmp('pages.json', `${page('a')}\n${page('b')}\n`);
  assert.deepEqual((await all(p)).map((r) => r.message), ['a', 'b']);
  assert.match(await userError(tmp('trailing.json', `${page('a')}\nhello\n`)), /unexpected content after the JSON document/);
});

test('a consumer that stops early does not hang or throw', async () => {
  let n = 0;
  for await (const records of readFileRecords('fixtures/mnist-train-5epochs.jsonl')) {
    assert.deepEqual(records.map((r) => r.line), records.map((_, i) => i + 1));
    n++;
    break;
  }
  assert.equal(n, 1);
});

test('a UTF-8 byte-order mark does not stick to the first line', async () => {
  const p = tmp('bom.log', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('Epoch 1/5\n')]));
  assert.deepEqual((await all(p)).map((r) => r.message), ['Epoch 1/5']);
});

test('a gzipped aws-cli export is gunzipped, then scanned as a document', async () => {
  const p = tmp('export.json.gz', gzipSync(JSON.stringify(FILTER, null, 4)));
  assert.deepEqual(await all(p), FILTER_RECORDS.map((r) => ({ ...r, source: p })));
});

test('files of many reads (one buffer used again for each): every line whole, as written, gzipped or not, UTF-8 or UTF-16', async () => {
  // ~1 MB: 16 reads of 64 KB, with multi-byte characters (2, 3 and 4 bytes in UTF-8) across the
  // reads' edges, and a gzip stream whose chunks the gunzip stream may hold while the next is read
  let x = 0x2545f491;
  const noise = (): string => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0).toString(36);
  };
  // random digits keep the gzip file itself many reads long
  const lines = Array.from({ length: 9000 }, (_, i) => `${i} ${'é☃𝄞x'.repeat(1 + (i % 23))} ${noise()}${noise()}${noise()}${noise()}${noise()}${noise()} ${'y'.repeat(i % 97)}`);
  const text = `${lines.join('\n')}\n`;
  const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
  for (const [name, body] of [['many.log', Buffer.from(text)], ['many.log.gz', gzipSync(text)], ['many16.log', utf16], ['many16.log.gz', gzipSync(utf16)]] as const) {
    assert.ok(body.length > 4 * 65536, `${name} takes more than 4 reads`);
    const got = await all(tmp(name, body));
    assert.equal(got.length, lines.length, name);
    got.forEach((r, i) => {
      if (r.message !== lines[i]) assert.fail(`${name}, line ${i + 1}: ${JSON.stringify(r.message.slice(0, 60))}`);
    });
  }
});

// `aws logs filter-log-events --output text` (and get-log-events'): EVENTS lines, their fields in the order of
// their sorted keys, as awscli/text.py writes them; read as the JSON form is (it was "not a line of any known
// log format", 99 of them).

type Doc = Record<string, unknown>;

/**
 * What `--output text` prints for a response (awscli/text.py, for this shape): the top level's scalars on one
 * line, then each list of objects under its key in capitals, one line per object, its scalar keys sorted.
 */
function awsText(doc: Doc): string {
  const keys = Object.keys(doc).sort();
  const lines: string[] = [];
  const scalars = keys.filter((k) => typeof doc[k] !== 'object').map((k) => String(doc[k]));
  if (scalars.length) lines.push(scalars.join('\t'));
  for (const k of keys) {
    const list = doc[k];
    if (!Array.isArray(list) || !list.length) continue;
    const fields = [...new Set(list.flatMap((e: Doc) => Object.keys(e)))].sort();
    for (const e of list as Doc[]) lines.push([k.toUpperCase(), ...fields.map((f) => String(e[f] ?? ''))].join('\t'));
  }
  return `${lines.join('\n')}\n`;
}

const FIXTURE = 'fixtures/cloudwatch-filter-log-events.json';
const doc = JSON.parse(readFileSync(FIXTURE, 'utf8')) as { events: Doc[]; searchedLogStreams: Doc[] };
const fields = (r: LogRecord) => [r.message, r.stream, r.timestamp, r.eventId];

test('filter-log-events --output text: every EVENTS line is its event (stream, time, id, message), as the JSON form reads them', async () => {
  const text = awsText({ ...doc, nextToken: 'Bxkq6kVGFtq2y_Moigeqscq' });
  assert.match(text, /^Bxkq6kVGFtq2y_Moigeqscq\nEVENTS\t\d{56}\t\d{13}\tecs\/mnist-training\/\w+\t\{"schema":"mnist-train\/1"/);
  assert.match(text, /\nSEARCHEDLOGSTREAMS\t/);
  const fromText = await all(tmp('events.txt', text));
  const fromJson = await all(FIXTURE);
  assert.equal(fromText.length, 98);
  assert.deepEqual(fromText.map(fields), fromJson.map(fields));
  // each event's line in the file, for the data-quality section's quotes (the token is line 1)
  assert.deepEqual(fromText.slice(0, 2).map((r) => r.line), [2, 3]);
});

test('a message with a tab or a newline in it, get-log-events\' form, and lines around them', async () => {
  const id = '3'.repeat(56);
  const text = [
    'EVENTS\t' + id + '\t1796022338624\tjob/a\tEpoch 1/5\tloss: 0.3\t1796022338600',
    'EVENTS\t' + id.replace(/3$/, '4') + '\t1796022338625\tjob/a\tTraceback (most recent call last):',
    '  File "train.py", line 3',
    '',
    '',
    'ValueError: x\t1796022338601',
    'SEARCHEDLOGSTREAMS\tjob/a\tTrue',
  ].join('\n');
  assert.deepEqual((await all(tmp('tabs.txt', `${text}\n`))).map(fields), [
    ['Epoch 1/5\tloss: 0.3', 'job/a', 1796022338600, id],
    ['Traceback (most recent call last):\n  File "train.py", line 3\n\n\nValueError: x', 'job/a', 1796022338601, id.replace(/3$/, '4')],
  ]);
  // get-log-events: ingestionTime, message, timestamp (no stream, no id); its tokens' line is not an event
  const get = awsText({ events: [{ timestamp: 1796022338600, message: '{"epoch": 1, "loss": 0.31}', ingestionTime: 1796022338624 }],
    nextForwardToken: 'f/38593004851224513906', nextBackwardToken: 'b/38593004851224513906' });
  assert.deepEqual((await all(tmp('get.txt', get))).map(fields), [['{"epoch": 1, "loss": 0.31}', null, 1796022338600, null]]);
  // an event line left open at the end is kept as text, not dropped
  assert.deepEqual((await all(tmp('open.txt', `EVENTS\t${id}\t1\tjob/a\tstarts\nand never ends\n`))).map((r) => r.message),
    [`EVENTS\t${id}\t1\tjob/a\tstarts`, 'and never ends']);
});

test('mnist-report -i events.txt: the run of the text output, as of the JSON (was "no training run found", exit 2)', async () => {
  const path = tmp('report.txt', awsText(doc));
  const r = await runReport(['-i', path, '-f', 'json', '-o', '-', '--generated-at', '2026-11-24T00:00:00Z']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /98 records, 98 recognised, 1 run/);
  const json = JSON.parse(r.stdout) as { run: { run_id: string; streams: string[] } };
  assert.equal(json.run.run_id, '20261130T070537Z-f4b168');
  assert.deepEqual(json.run.streams, [doc.events[0]!.logStreamName]);
});
