// The real Ultralytics YOLOv8 classify capture (fixtures/formats/ultralytics-classify.log: 3 animal classes,
// validated every epoch on the dataset's test split, no validation loss) through the report CLI: what the
// verdict, its key numbers and the checks say must be what that log gives.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runReport } from './report-cli.js';

const CAPTURE = 'fixtures/formats/ultralytics-classify.log';
const GEN = ['--generated-at', '2026-11-24T00:00:00Z'];

interface Report {
  verdict: { level: string; reason: string; findings: { rule: string; reason: string }[]; caveats: string[]; key: { best: Record<string, unknown> } };
  best: Record<string, unknown>;
  quality: { unrecognised: number };
  checks: { id: string; status: string; threshold: unknown; message: string }[];
}
// one run of the CLI per format, shared by the tests below
const asJson = runReport(['-i', CAPTURE, '-f', 'json', '-o', '-', ...GEN]);
const asMd = runReport(['-i', CAPTURE, '-f', 'md', '-o', '-', ...GEN]);
async function report(): Promise<Report> {
  const r = await asJson;
  assert.equal(r.code, 0, r.stderr);
  return JSON.parse(r.stdout) as Report;
}

test('the verdict names the two ERROR lines it warns for, of the 10 unrecognised Data Quality counts, not the plain text it counts (which Checks still says)', async () => {
  const r = await asJson;
  const json = await report();
  assert.equal(json.verdict.level, 'needs attention');
  // the count is Data Quality's Unrecognised column (report.json quality.unrecognised), the two that warn beside it
  assert.equal(json.quality.unrecognised, 10);
  assert.equal(json.verdict.reason, '10 unrecognised (2 of them not plain text) out of 3,677 records; see Data Quality (and 1 more finding, see Checks).');
  assert.doesNotMatch(JSON.stringify(json.verdict), /not a problem/);
  assert.match(json.checks.find((c) => c.id === 'data.quality')!.message,
    /^10 unrecognised \(2 of them not plain text\) out of 3,677 records; see Data Quality\. 8 lines of plain text \(.*\): counted too, not a problem\.$/);
  assert.ok(r.stderr.includes('verdict for run "ultralytics-classify": needs attention: 10 unrecognised (2 of them not plain text) out of 3,677 records; see Data Quality (and 1 more finding, see Checks).\n'), r.stderr);
});

test('no validation loss: the best epoch is the highest validation top-1, epoch 24 (90.9%), in the key numbers, Best Epoch and report.json', async () => {
  const json = await report();
  // "      24/50 …" then "                   all      0.909          1", and best.pt's own "all      0.909          1"
  assert.deepEqual(json.best, { epoch: 24, loss: 0.02065, accuracy: null, val_loss: null, val_accuracy: 0.909, by: 'val_accuracy' });
  const { low, high, ...best } = json.verdict.key.best;
  assert.deepEqual(best, { epoch: 24, by: 'val_accuracy', val_loss: null, val_accuracy: 0.909 });
  assert.deepEqual([(low as number).toFixed(4), (high as number).toFixed(4)], ['0.7217', '0.9747']);
  const md = await asMd;
  assert.equal(md.code, 0, md.stderr);
  assert.match(md.stdout, /\| Final val accuracy \| Best epoch \(highest val accuracy\) \|.*\n.*\n\| 86\.40% \(95% CI 66\.71%–95\.27%\) \| 24: 90\.90% \(95% CI 72\.17%–97\.47%\) \|/);
  assert.ok(md.stdout.includes('### Best Epoch\n\nThe log has no validation loss, so the best epoch is the one with the highest validation accuracy, epoch 24 (90.90%); ' +
    'the final epoch 50 has 86.40% (−4.50 pp). Without a validation loss the final epoch is not judged against it.\n'), md.stdout);
});

test('chance is one in the 3 classes the log gives the model ("Overriding model.yaml nc=1000 with nc=3"), not MNIST\'s one in 10', async () => {
  const chance = (await report()).checks.find((c) => c.id === 'accuracy.chance')!;
  assert.deepEqual([chance.status, chance.threshold], ['pass', 1 / 3]);
  assert.equal(chance.message, 'Final validation accuracy 86.40% is above the chance level of 33% for the 3 classes the log gives the model (nc=3) ' +
    'with 95% confidence (interval from 66.71%).');
  assert.ok((await asMd).stdout.includes('| fails when the 95% interval reaches 33% |'));
});

test('the caveat says what the log says: validation scored the test split ("val: None...", "val: Scanning …/test... 22 images")', async () => {
  const json = await report();
  const caveat = "Validation scored the test split, as the log says (its validation reads the dataset's test folder, 22 images): " +
    'where the test split chose the epoch, as a best checkpoint kept by validation does, its accuracy is not a held-out test score.';
  // first beside the verdict; the convergence caveat (training loss still falling) follows it
  assert.equal(json.verdict.caveats[0], caveat);
  assert.ok(!json.verdict.caveats.some((c: string) => /does not say which data/.test(c)), json.verdict.caveats.join('\n'));
  const md = (await asMd).stdout;
  assert.ok(md.includes(`Beside the verdict (caveats that do not change it):\n- ${caveat}\n`), md);
  assert.doesNotMatch(md, /does not say which data was used for validation/);
});
