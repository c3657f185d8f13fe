import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, writeFile, readFile, symlink, rm } from 'node:fs/promises';
import { gzipSync } from 'node:zlib';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readIdx } from '../../src/train/idx.js';
import { loadMnist, defaultDataDir } from '../../src/train/dataset.js';
import { UserError } from '../../src/errors.js';

function labelsFile(labels: number[], magic = 2049, declared = labels.length): Buffer {
  const header = Buffer.alloc(8);
  header.writeUInt32BE(magic, 0);
  header.writeUInt32BE(declared, 4);
  return Buffer.concat([header, Buffer.from(labels)]);
}

async function tempDir(t: { after: (fn: () => Promise<void>) => void }): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'mnist-idx-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

async function rejectsWith(promise: Promise<unknown>, pattern: RegExp): Promise<void> {
  await assert.rejects(promise, (err: unknown) => {
    assert.ok(err instanceof UserError, `expected UserError, got ${String(err)}`);
    assert.match(err.message, pattern);
    assert.equal(err.message.includes('\n'), false, 'one line');
    return true;
  });
}

test('readIdx reads a plain and a gzipped labels file alike', async (t) => {
  const dir = await tempDir(t);
  await writeFile(join(dir, 'plain'), labelsFile([3, 1, 4, 1, 5]));
  await writeFile(join(dir, 'zipped'), gzipSync(labelsFile([3, 1, 4, 1, 5])));
  for (const name of ['plain', 'zipped']) {
    const idx = await readIdx(join(dir, name), { magic: 2049, dims: [5] });
    assert.deepEqual(idx.dims, [5]);
    assert.deepEqual([...idx.data], [3, 1, 4, 1, 5]);
  }
});

test('readIdx names the file and the problem: truncated data', async (t) => {
  const dir = await tempDir(t);
  const path = join(dir, 'train-labels-idx1-ubyte');
  await writeFile(path, labelsFile([1, 2, 3], 2049, 60000));
  await rejectsWith(readIdx(path, { magic: 2049, dims: [null] }), /train-labels-idx1-ubyte .*truncated: 3 data bytes, expected 60000/);
});

test('readIdx names the file and the problem: wrong magic, short header, bad gzip, missing file', async (t) => {
  const dir = await tempDir(t);
  await writeFile(join(dir, 'wrong-magic'), labelsFile([1], 2051));
  await rejectsWith(readIdx(join(dir, 'wrong-magic'), { magic: 2049, dims: [1] }), /wrong-magic .*magic number is 2051, expected 2049/);
  await writeFile(join(dir, 'short'), Buffer.from([0, 0, 8]));
  await rejectsWith(readIdx(join(dir, 'short'), { magic: 2049, dims: [1] }), /short .*too short for an IDX header/);
  await writeFile(join(dir, 'bad.gz'), Buffer.concat([gzipSync(labelsFile([1, 2])).subarray(0, 12)]));
  await rejectsWith(readIdx(join(dir, 'bad.gz'), { magic: 2049, dims: [2] }), /bad\.gz .*gzip data is corrupt/);
  await rejectsWith(readIdx(join(dir, 'nope'), { magic: 2049, dims: [1] }), /nope .*file not found/);
});

test('readIdx rejects wrong image dimensions', async (t) => {
  const dir = await tempDir(t);
  const header = Buffer.alloc(16);
  [2051, 1, 32, 32].forEach((v, i) => header.writeUInt32BE(v, 4 * i));
  await writeFile(join(dir, 'img'), Buffer.concat([header, Buffer.alloc(32 * 32)]));
  await rejectsWith(readIdx(join(dir, 'img'), { magic: 2051, dims: [null, 28, 28] }), /img .*dimension 1 is 32, expected 28 \(shape 1x32x32\)/);
});

test('loadMnist checks the real files, and per-digit counts catch a doctored labels file', async (t) => {
  const real = await loadMnist();
  assert.equal(real.train.count, 60000);
  assert.equal(real.test.images.length, 10000 * 784);

  const dir = await tempDir(t);
  const src = defaultDataDir();
  for (const name of ['train-images-idx3-ubyte', 'train-labels-idx1-ubyte', 't10k-images-idx3-ubyte']) {
    await symlink(join(src, name), join(dir, name));
  }
  const labels = Buffer.from(await readFile(join(src, 't10k-labels-idx1-ubyte')));
  labels[8] = labels[8] === 0 ? 1 : 0; // one test label changed: counts no longer match
  await writeFile(join(dir, 't10k-labels-idx1-ubyte.gz'), gzipSync(labels));
  await rejectsWith(loadMnist(dir), /t10k-labels-idx1-ubyte\.gz .*digit \d occurs \d+ times, expected \d+/);
});
