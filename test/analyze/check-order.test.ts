// The Checks table says "Ordered by severity: fail, warn, info, pass": over every capture in
// fixtures/, every run's checks are in that order in the analysis and in report.json, and, for the
// runs with an evaluation (whose check evaluation.recall once came after every pass), in report.md
// and report.html too.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeRun } from '../../src/analyze/analyze.js';
import { CHECK_STATUS_ORDER, type CheckStatus } from '../../src/analyze/types.js';
import { renderReport } from '../../src/render/report.js';
import { collectRuns } from '../../src/runs/collect.js';
import { readInputs } from '../../src/sources/inputs.js';
import { GEN } from './build.js';

const FIXTURES = ['fixtures', 'fixtures/formats', 'fixtures/bad']
  .flatMap((dir) => readdirSync(dir).map((name) => join(dir, name)))
  .filter((f) => statSync(f).isFile() && !f.endsWith('.md'))
  .sort();

function assertOrdered(statuses: readonly string[], label: string): void {
  const ranks = statuses.map((s) => CHECK_STATUS_ORDER.indexOf(s as CheckStatus));
  assert.ok(ranks.every((r) => r >= 0), `${label}: ${statuses.join(' ')}`);
  assert.ok(ranks.every((r, i) => i === 0 || ranks[i - 1]! <= r), `${label}: not fail, warn, info, pass: ${statuses.join(' ')}`);
}

const text = (files: { name: string; data: string | Buffer }[], name: string): string => String(files.find((f) => f.name === name)!.data);

test('every capture in fixtures/: the checks are ordered fail, warn, info, pass in the analysis and in every report', async () => {
  assert.ok(FIXTURES.includes('fixtures/cloudwatch-filter-log-events.json'));
  let withEvaluation = 0;
  for (const f of FIXTURES) {
    const { runs, quality, no_run } = await collectRuns(readInputs([f]), { format: null });
    for (const run of runs) {
      const label = `${f} run ${run.run_id}`;
      const a = analyzeRun(run, quality, { generatedAt: GEN, noRun: no_run });
      assertOrdered(a.checks.map((c) => c.status), `${label} analysis`);
      const json = JSON.parse(text(await renderReport(a, ['json']), 'report.json')) as { checks: { status: string }[] };
      assertOrdered(json.checks.map((c) => c.status), `${label} report.json`);
      if (!a.evaluation) continue;
      withEvaluation++;
      const files = await renderReport(a, ['md', 'html']);
      const md = text(files, 'report.md');
      const mdTable = md.slice(md.indexOf('## Checks'), md.indexOf('\n\n', md.indexOf('| --- | --- | ---: |')));
      const mdStatuses = [...mdTable.matchAll(/^\| \S+ (fail|warn|info|pass) \|/gm)].map((m) => m[1]!);
      assert.equal(mdStatuses.length, a.checks.length, `${label} report.md rows`);
      assertOrdered(mdStatuses, `${label} report.md`);
      const html = text(files, 'report.html');
      const at = html.indexOf('<table id="checks"');
      assert.ok(at >= 0, `${label} report.html has the checks table`);
      const table = html.slice(at, html.indexOf('</table>', at));
      const htmlStatuses = [...table.matchAll(/<tr><td class="(fail|warn|info|pass)">/g)].map((m) => m[1]!);
      assert.equal(htmlStatuses.length, a.checks.length, `${label} report.html rows`);
      assertOrdered(htmlStatuses, `${label} report.html`);
    }
  }
  assert.ok(withEvaluation >= 2, `runs with an evaluation: ${withEvaluation}`);
});
