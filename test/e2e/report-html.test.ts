// Must show: report.html opens in headless Chromium (Debian's package, installed
// by .ci/run), every chart is drawn (marks with a non-zero bounding box), and the
// console shows no errors. Missing Chromium is a failure, not a skip: CI installs it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { runReport, sandbox } from './report-cli.js';

const CHROMIUM = '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync'];

test('report.html draws every chart in headless Chromium with a clean console and no network', async () => {
  assert.ok(existsSync(CHROMIUM), `${CHROMIUM} is missing: install Debian's chromium (apt-get install chromium), as .ci/run does`);
  const { out } = sandbox();
  const r = await runReport(['--input', 'fixtures/cloudwatch-filter-log-events.json', '--out', out, '--generated-at', '2026-11-24T00:00:00Z']);
  assert.equal(r.code, 0, r.stderr);
  const [folder] = readdirSync(out);
  const html = join(out, folder!, 'report.html');

  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
  try {
    const page = await browser.newPage();
    const problems: string[] = [];
    page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') problems.push(`${m.type()}: ${m.text()}`); });
    page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
    const requests: string[] = [];
    page.on('request', (req) => { if (!req.url().startsWith('file:') && !req.url().startsWith('data:')) requests.push(req.url()); });
    await page.goto(pathToFileURL(html).href, { waitUntil: 'load' });

    const charts = await page.$$eval('figure[id^="chart-"]', (figs) => figs.map((fig) => {
      const svg = fig.querySelector('svg');
      const box = svg?.getBoundingClientRect();
      // vega marks the data layer with role-mark (axes, legends and titles have their own roles)
      const marks = [...(svg?.querySelectorAll('.role-mark > path, .role-mark > line, .role-mark > circle, .role-mark > rect') ?? [])]
        .map((el) => el.getBoundingClientRect())
        .filter((b) => b.width > 0 && b.height > 0);
      const lines = [...(svg?.querySelectorAll('.mark-line.role-mark > path') ?? [])]
        .filter((el) => { const b = el.getBoundingClientRect(); return b.width > 50; }).length;
      const labels = [...(svg?.querySelectorAll('.role-axis-label text') ?? [])].map((t) => t.textContent);
      return { id: fig.id, width: box?.width ?? 0, height: box?.height ?? 0, marks: marks.length, lines, labels };
    }));
    assert.deepEqual(charts.map((c) => c.id), ['chart-loss', 'chart-accuracy', 'chart-gap', 'chart-batch-loss']);
    for (const c of charts) {
      assert.ok(c.width > 100 && c.height > 100, `${c.id} has a size: ${c.width}×${c.height}`);
      assert.ok(c.marks >= 1, `${c.id} has drawn marks (${c.marks})`);
      assert.ok(c.lines >= 1, `${c.id} has a line wider than 50 px`);
      assert.ok(c.labels.includes('1') && c.labels.includes('5'), `${c.id} epoch labels: ${c.labels.join(' ')}`);
    }
    assert.equal(await page.locator('h2', { hasText: 'Checks' }).count(), 1);
    const statuses = await page.$$eval('#checks td:first-child', (tds) => tds.map((td) => [td.className, td.textContent]));
    assert.ok(statuses.length >= 10, `checks table rows: ${statuses.length}`);
    for (const [cls, label] of statuses) assert.ok(['pass', 'warn', 'fail'].includes(label!) && cls === label, `${cls} ${label}`);
    assert.equal(await page.locator('script').count(), 0, 'no scripts needed');
    assert.deepEqual(problems, []);
    assert.deepEqual(requests, []);
  } finally {
    await browser.close();
  }
});
