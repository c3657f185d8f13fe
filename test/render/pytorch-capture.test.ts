// The real PyTorch examples/mnist capture rendered: its charts' captions and its progress table say
// what the log has (validation per epoch; per-batch training losses only).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeRun } from '../../src/analyze/analyze.js';
import { renderReport } from '../../src/render/report.js';
import { readRuns } from '../parse/helpers.js';
import { GEN } from '../analyze/build.js';

const text = (files: { name: string; data: string | Buffer }[], name: string): string => String(files.find((f) => f.name === name)!.data);

async function render(path: string, charts = true): Promise<{ md: string; html: string }> {
  const parsed = await readRuns(path);
  const a = analyzeRun(parsed.runs[0]!, parsed.quality, { generatedAt: GEN, noRun: parsed.no_run });
  const files = await renderReport(a, charts ? ['md', 'html'] : ['md'], { charts });
  return { md: text(files, 'report.md'), html: charts ? text(files, 'report.html') : '' };
}

test('per-batch losses alone: the checks name no chart, and the batch loss chart says it, only where it is drawn', async () => {
  const lacks = 'The log has no epoch training loss (only per-batch losses), so divergence cannot be judged.';
  const caption = 'The log has no epoch training loss: these batches are all the training loss it has.';
  const { md, html } = await render('fixtures/formats/pytorch-mnist.log');
  for (const doc of [md, html]) {
    assert.ok(doc.includes(lacks));
    assert.ok(doc.includes(caption), 'the batch loss chart\'s caption');
  }
  assert.match(md, /!\[[^\]]*these batches are all the training loss it has\.\]\(batch-loss\.svg\)/);
  // -o -: no chart drawn, and no sentence points to one; only the note where the charts would be
  const stdout = (await render('fixtures/formats/pytorch-mnist.log', false)).md;
  assert.ok(stdout.includes(lacks));
  const named = stdout.split('\n').filter((l) => /chart/i.test(l));
  assert.deepEqual(named, ['### Charts', 'Charts are written only with an output folder (`-o DIR`), not with `-o -`.']);
  // a log with an epoch training loss: its batch chart's caption does not say so
  const events = await render('fixtures/mnist-train-5epochs.jsonl');
  assert.ok(events.md.includes('(downsampled with spikes kept); red points are spikes.'));
  assert.ok(!events.md.includes(caption));
});

test('loss and accuracy captions name the series drawn: validation alone for the PyTorch example', async () => {
  const { md, html } = await render('fixtures/formats/pytorch-mnist.log');
  for (const doc of [md, html]) {
    assert.doesNotMatch(doc, /training and validation (loss|accuracy) for each epoch/);
    assert.match(doc, /Loss per epoch: validation loss for each epoch; the dotted vertical line is the best epoch \(10\)\./);
    assert.match(doc, /Accuracy per epoch: validation accuracy for each epoch; the dotted vertical line is the best epoch \(10\)\./);
  }
  // the tqdm variant's bar gives a training accuracy per epoch: both are drawn and named
  const tqdm = await render('fixtures/formats/pytorch-mnist-tqdm.log');
  assert.match(tqdm.md, /Accuracy per epoch: training and validation accuracy for each epoch/);
  assert.match(tqdm.md, /Loss per epoch: validation loss for each epoch/);
});

test('the progress table leaves out a column that is n/a on every epoch, in md and html', async () => {
  const { md, html } = await render('fixtures/formats/pytorch-mnist.log');
  const mdTable = md.slice(md.indexOf('### Training Progress'), md.indexOf('### Charts'));
  assert.match(mdTable, /^\| Epoch \| Val loss \| Val accuracy \|$/m);
  assert.match(mdTable, /^\| ---: \| ---: \| ---: \|$/m);
  assert.match(mdTable, /^\| 10 \| 0\.0545 \| 98\.17% \|$/m);
  assert.doesNotMatch(mdTable, /n\/a/);
  const htmlTable = html.slice(html.indexOf('<h3>Training Progress</h3>'), html.indexOf('<h3 id="charts">'));
  assert.match(htmlTable, /<thead><tr><th class="num">Epoch<\/th><th class="num">Val loss<\/th><th class="num">Val accuracy<\/th><\/tr><\/thead>/);
  assert.match(htmlTable, /<tr><td class="num">10<\/td><td class="num">0\.0545<\/td><td class="num">98\.17%<\/td><\/tr>/);
  assert.doesNotMatch(htmlTable, /n\/a/);
  // a log with the training accuracy (the tqdm bar) keeps that column and the accuracy gap
  const tqdm = await render('fixtures/formats/pytorch-mnist-tqdm.log');
  assert.match(tqdm.md, /^\| Epoch \| Accuracy \| Val loss \| Val accuracy \| Gap acc\. \(val − train\) \|$/m);
});
