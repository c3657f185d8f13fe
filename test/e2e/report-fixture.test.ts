// Must show: on the bundled CloudWatch-shaped fixture, the report's final metrics
// equal the fixture's last epoch_end at the printed precision, every chart the
// Markdown links to exists, and reruns with a fixed time are byte-identical.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { EXAMPLE_GENERATED_AT, listFiles, ROOT, runReport, sandbox } from './report-cli.js';

const FIXTURE = 'fixtures/cloudwatch-filter-log-events.json';

/** The last epoch_end, read straight from the aws-cli JSON without the project's parser. */
function lastEpochEnd(): Record<string, number> & { run_id: string } {
  const doc = JSON.parse(readFileSync(join(ROOT, FIXTURE), 'utf8')) as { events: { message: string }[] };
  const epochs = doc.events.map((e) => JSON.parse(e.message)).filter((e) => e.event === 'epoch_end');
  assert.ok(epochs.length >= 1, 'fixture has epoch_end events');
  return epochs[epochs.length - 1];
}

const section = (md: string, heading: string): string => {
  const i = md.indexOf(heading);
  assert.ok(i >= 0, `${heading} present`);
  return md.slice(i, md.indexOf('\n#', i + 1));
};

test('final training and validation metrics equal the last epoch_end at the printed precision', async () => {
  const last = lastEpochEnd();
  const { out } = sandbox();
  const r = await runReport(['--input', FIXTURE, '--out', out, '--generated-at', EXAMPLE_GENERATED_AT]);
  assert.equal(r.code, 0, r.stderr);
  const folder = join(out, last.run_id);
  const md = readFileSync(join(folder, 'report.md'), 'utf8');
  const pct = (x: number): string => `${(x * 100).toFixed(2)}%`;
  const train = section(md, `### Final Training Metrics (epoch ${last.epoch})`);
  assert.match(train, new RegExp(`- Loss: ${last.loss!.toFixed(4)}\\n`));
  assert.match(train, new RegExp(`- Accuracy: ${pct(last.accuracy!).replace('.', '\\.')} `));
  const val = section(md, `### Final Validation Metrics (epoch ${last.epoch})`);
  assert.match(val, new RegExp(`- Loss: ${last.val_loss!.toFixed(4)}\\n`));
  assert.match(val, new RegExp(`- Accuracy: ${pct(last.val_accuracy!).replace('.', '\\.')}`));
  const json = JSON.parse(readFileSync(join(folder, 'report.json'), 'utf8'));
  assert.deepEqual(json.final, { epoch: last.epoch, loss: last.loss, accuracy: last.accuracy, val_loss: last.val_loss, val_accuracy: last.val_accuracy });
  // the progress table's last row carries the same numbers
  const row = md.split('\n').find((l) => l.startsWith(`| ${last.epoch} | `));
  assert.ok(row?.startsWith(`| ${last.epoch} | ${last.loss!.toFixed(4)} | ${pct(last.accuracy!)} | ${last.val_loss!.toFixed(4)} | ${pct(last.val_accuracy!)} |`), row);

  const links = [...md.matchAll(/\]\(([^)]+)\)/g)].map((m) => m[1]!);
  assert.ok(links.filter((l) => l.endsWith('.svg')).length >= 3, 'loss, accuracy and gap charts at least');
  for (const link of links) assert.ok(existsSync(join(folder, link)), `${link} exists`);
  assert.match(r.stderr, /wrote 19 files/);
  assert.equal(r.stdout, '');
});

test('reruns with --generated-at, or with SOURCE_DATE_EPOCH, are byte-identical', async () => {
  const hashes: string[] = [];
  const runs: [string[], Record<string, string>][] = [
    [['--generated-at', EXAMPLE_GENERATED_AT], {}],
    [['--generated-at', EXAMPLE_GENERATED_AT], {}],
    [[], { SOURCE_DATE_EPOCH: String(Date.parse(EXAMPLE_GENERATED_AT) / 1000) }],
  ];
  let last = '';
  for (const [extra, env] of runs) {
    const { out } = sandbox();
    last = out;
    const r = await runReport(['--input', FIXTURE, '--out', out, ...extra], { env });
    assert.equal(r.code, 0, r.stderr);
    const h = createHash('sha256');
    for (const f of listFiles(out)) h.update(f).update(readFileSync(join(out, f)));
    hashes.push(h.digest('hex'));
  }
  assert.equal(hashes[0], hashes[1]);
  assert.equal(hashes[0], hashes[2]);
  // golden files: the committed example report is exactly what the code renders today
  const committed = listFiles(join(ROOT, 'reports'));
  assert.deepEqual(committed, listFiles(last), 'reports/ has the same files; run `npm run report:example` and review the diff');
  for (const f of committed) {
    assert.ok(readFileSync(join(ROOT, 'reports', f)).equals(readFileSync(join(last, f))),
      `reports/${f} is out of date: run \`npm run report:example\` and review the diff`);
  }
});
