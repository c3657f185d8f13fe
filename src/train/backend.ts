// Backend selection. auto: tfjs-node when it is installed and loads, else wasm
// (SIMD when the runtime has it) if wasm has every kernel the model needs to
// train, else the plain cpu backend. The reason is recorded in run_start, because
// "which backend ran, and why" explains most speed and accuracy differences.

import { createRequire } from 'node:module';
import { tf } from './tf.js';
import { UserError } from '../errors.js';
import type { ModelName } from './models.js';
import { registerCpuKernels, registerWasmKernels } from './kernels/index.js';

export type BackendRequest = 'auto' | 'tensorflow' | 'wasm' | 'cpu';
export const BACKEND_REQUESTS: readonly BackendRequest[] = ['auto', 'tensorflow', 'wasm', 'cpu'];

export interface BackendChoice {
  /** tfjs backend name as tf.getBackend() reports it: tensorflow, wasm or cpu. */
  backend: string;
  reason: string;
  versions: Record<string, string>;
  /** Lines for people (stderr), e.g. why auto did not keep wasm. */
  notes: string[];
}

// Kernels a model needs for its backward pass that a backend may lack. Checked by
// capability rather than by backend name, so a kernel registered later (see
// src/train/kernels/) makes auto keep wasm without touching this file.
const TRAINING_KERNELS: Record<ModelName, string[]> = {
  mlp: ['BatchMatMul', 'Relu', 'Softmax'],
  cnn: ['Conv2D', 'Conv2DBackpropInput', 'Conv2DBackpropFilter', 'MaxPool', 'MaxPoolGrad', 'BatchMatMul', 'Relu'],
};

/** Pick, load and activate a backend for training `model`. */
export async function selectBackend(request: BackendRequest, model: ModelName): Promise<BackendChoice> {
  // tfjs: the version of tfjs-core, which every tfjs package of one release shares (tf.ts loads no bundle)
  const versions: Record<string, string> = { tfjs: tf.version_core, node: process.versions.node };
  const why: string[] = [];
  const notes: string[] = [];

  if (request === 'auto' || request === 'tensorflow') {
    const node = await loadTfjsNode();
    if (node.ok) {
      await activate('tensorflow');
      versions['tfjs-node'] = node.version;
      return { backend: 'tensorflow', reason: 'tfjs-node loaded (native libtensorflow)', versions, notes };
    }
    if (request === 'tensorflow') throw new UserError(`--backend tensorflow: ${node.why}`);
    why.push(node.why);
  }

  if (request === 'auto' || request === 'wasm') {
    const wasm = await loadWasm();
    if (wasm.ok) {
      versions['tfjs-backend-wasm'] = wasm.version;
      registerWasmKernels(); // fast transposed MatMul, Conv2DBackpropFilter, ...: before the capability check
      const missing = missingKernels('wasm', model);
      if (missing.length === 0) {
        await activate('wasm');
        const simd = (await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT')) ? 'SIMD' : 'no SIMD';
        return { backend: 'wasm', reason: [...why, `wasm loaded (${simd})`].join('; '), versions, notes };
      }
      const lack = `wasm lacks ${missing.join(', ')} needed to train --model ${model}`;
      if (request === 'wasm') throw new UserError(`--backend wasm: ${lack}; use --backend auto or cpu`);
      why.push(lack);
      notes.push(`backend: ${lack}, so auto picks cpu`);
    } else {
      if (request === 'wasm') throw new UserError(`--backend wasm: ${wasm.why}`);
      why.push(wasm.why);
    }
  }

  registerCpuKernels(); // our Conv2DBackpropFilter (the stock one takes seconds per CNN batch) and fused Adam
  await activate('cpu');
  const reason = request === 'cpu' ? 'requested with --backend cpu' : [...why, 'using cpu'].join('; ');
  return { backend: 'cpu', reason, versions, notes };
}

type Load = { ok: true; version: string } | { ok: false; why: string };

async function loadTfjsNode(): Promise<Load> {
  try {
    // A variable specifier keeps TypeScript from resolving the optional package.
    const name = '@tensorflow/tfjs-node';
    const mod = (await import(name)) as { version?: Record<string, string> };
    return { ok: true, version: mod.version?.['tfjs-node'] ?? 'unknown' };
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    const notInstalled = e.code === 'ERR_MODULE_NOT_FOUND' && e.message.includes('tfjs-node');
    return { ok: false, why: notInstalled ? 'tfjs-node not installed' : `tfjs-node failed to load (${oneLine(e.message)})` };
  }
}

async function loadWasm(): Promise<Load> {
  try {
    // require, not import: see tf.ts
    const wasm = createRequire(import.meta.url)('@tensorflow/tfjs-backend-wasm') as typeof import('@tensorflow/tfjs-backend-wasm');
    return { ok: true, version: wasm.version_wasm };
  } catch (err) {
    return { ok: false, why: `wasm backend failed to load (${oneLine((err as Error).message)})` };
  }
}

async function activate(name: string): Promise<void> {
  const ok = await tf.setBackend(name);
  await tf.ready();
  if (!ok || tf.getBackend() !== name) throw new UserError(`backend ${name} failed to initialise`);
}

function missingKernels(backend: string, model: ModelName): string[] {
  return TRAINING_KERNELS[model].filter((k) => tf.getKernel(k, backend) === undefined);
}

function oneLine(s: string): string {
  const first = s.split('\n')[0] ?? '';
  return first.length > 160 ? `${first.slice(0, 160)}…` : first;
}
