// The real Ultralytics YOLOv8 classify capture (fixtures/formats/ultralytics-classify.log: 3 animal classes,
// validated every epoch on the dataset's test split, no validation loss) through the report CLI: what the
// verdict, its key numbers and the checks say must be what that log gives.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runReport } from './report-cli.js';

const CAPTURE = 'fixtures/formats/ultralytics-classify.log';
const GEN = ['--generated-at', '2026-11-24T00:00:00Z'];

interface Report {
  verdict: { level: string; reason: string; findings: { rule: string; reason: string }[]; caveats: string[] };
}

test('the verdict names the two ERROR lines it warns for, not the plain text it counts (which Checks still says)', async () => {
  const r = await runReport(['-i', CAPTURE, '-f', 'json', '-o', '-', ...GEN]);
  assert.equal(r.code, 0, r.stderr);
  const report = JSON.parse(r.stdout) as Report & { checks: { id: string; message: string }[] };
  assert.equal(report.verdict.level, 'needs attention');
  assert.equal(report.verdict.reason, '2 unrecognised out of 3,677 records; see Data Quality (and 1 more finding, see Checks).');
  assert.doesNotMatch(JSON.stringify(report.verdict), /not a problem/);
  assert.match(report.checks.find((c) => c.id === 'data.quality')!.message,
    /^2 unrecognised out of 3,677 records; see Data Quality\. 8 lines of plain text \(.*\): counted too, not a problem\.$/);
  assert.ok(r.stderr.includes('verdict for run "ultralytics-classify": needs attention: 2 unrecognised out of 3,677 records; see Data Quality (and 1 more finding, see Checks).\n'), r.stderr);
});
