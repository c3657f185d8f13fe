import { test } from 'node:test';
import assert from 'node:assert/strict';
import { scaleSimd } from '../../src/train/kernels/scale-simd.js';
import { WASM_API } from '../../src/train/kernels/wasm-asm.js';

test('scale turns every byte value into the float32 toTensors stores (b / 255), in order, and stops at the count rounded up to 16', () => {
  const memory = new WASM_API.Memory({ initial: 1 });
  const scale = scaleSimd(memory);
  assert.ok(scale, 'Node 20 has wasm SIMD');
  const bytes = new Uint8Array(memory.buffer);
  const floats = new Float32Array(memory.buffer);
  const n = 512; // every value twice, the second time reversed
  for (let i = 0; i < n; i++) bytes[i] = i < 256 ? i : 511 - i;
  const at = 1024; // float index of the output
  floats.fill(-1, at, at + n + 16);
  scale!(0, at * 4, n - 15); // rounds up to n
  const want = new Float32Array(n);
  for (let i = 0; i < n; i++) want[i] = bytes[i]! / 255;
  assert.deepEqual([...floats.subarray(at, at + n)], [...want]);
  assert.equal(floats[at + n], -1, 'written past the count rounded up to 16');
});
