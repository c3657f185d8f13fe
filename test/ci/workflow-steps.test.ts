// ci:rehearse claims to run the push workflow's steps. Both run the same script
// (.ci/steps.sh); this keeps the order and the step list from drifting apart.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';

const root = new URL('../../', import.meta.url);
const read = (p: string) => readFile(new URL(p, root), 'utf8');

/** `.ci/steps.sh <name>` invocations in order of appearance. */
function stepCalls(text: string): string[] {
  return [...text.matchAll(/\.ci\/steps\.sh (\w+)/g)].map((m) => m[1] ?? '');
}

test('the push workflow runs npm test, then train, report and summary from .ci/steps.sh', async () => {
  const wf = await read('.github/workflows/ci.yml');
  assert.deepEqual(stepCalls(wf), ['train', 'report', 'summary']);
  assert.ok(wf.indexOf('run: npm test') < wf.indexOf('.ci/steps.sh train'));
  assert.match(wf, /- name: Report to step summary\n\s+if: always\(\)/);
  assert.match(wf, /- name: Upload report\n\s+if: always\(\)\n\s+uses: actions\/upload-artifact@v4/);
  assert.match(wf, /path: ci-artifacts\/\n/);
});

test('ci:rehearse runs the same steps in the same order, and is the npm script', async () => {
  const sh = await read('.ci/rehearse.sh');
  assert.deepEqual(stepCalls(sh), ['train', 'report', 'summary']);
  assert.ok(sh.indexOf('npm test') < sh.indexOf('.ci/steps.sh train'));
  const pkg = JSON.parse(await read('package.json')) as { scripts: Record<string, string> };
  assert.equal(pkg.scripts['ci:rehearse'], 'bash .ci/rehearse.sh');
});

test('the artifact folder is ignored by git', async () => {
  const ignore = (await read('.gitignore')).split('\n');
  assert.ok(ignore.includes('ci-artifacts/'));
});
