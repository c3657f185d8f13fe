// TensorFlow.js for the trainer: the parts it uses, loaded with require.
//
// - require, not import: an ES `import` of tfjs makes Node scan the CommonJS source
//   of every tfjs package for its export names (cjs-module-lexer, several MB of
//   JavaScript): ~0.45 s of CPU at every start of mnist-train.
// - tfjs-core, tfjs-layers and the cpu backend, not the @tensorflow/tfjs bundle, which
//   also loads the converter, tf.data and the WebGL backend (6.9 MB of JavaScript
//   instead of 3.2 MB; ~60 ms of CPU). The wasm backend is required by backend.ts.
// Every tfjs package resolves to the same tfjs-core, so tests and tools that import
// @tensorflow/tfjs share this engine, its backends and its registered kernels.
//
// The trainer's files take `tf` from here; the few types they name are listed below
// (a const and a namespace of types share the name `tf`).

import { createRequire } from 'node:module';
import type * as Core from '@tensorflow/tfjs-core';
import type * as Layers from '@tensorflow/tfjs-layers';

const require = createRequire(import.meta.url);
require('@tensorflow/tfjs-backend-cpu'); // registers the cpu backend
export const tf = {
  ...(require('@tensorflow/tfjs-core') as typeof Core),
  ...(require('@tensorflow/tfjs-layers') as typeof Layers),
} as typeof Core & typeof Layers;

// eslint-disable-next-line @typescript-eslint/no-namespace
export declare namespace tf {
  export type LayersModel = Layers.LayersModel;
  export type Sequential = Layers.Sequential;
  export type Variable = Core.Variable;
  export type Tensor = Core.Tensor;
  export type Scalar = Core.Scalar;
  export type Tensor1D = Core.Tensor1D;
  export type Tensor2D = Core.Tensor2D;
  export type Tensor4D = Core.Tensor4D;
  export type TensorInfo = Core.TensorInfo;
  export type NamedAttrMap = Core.NamedAttrMap;
  export type Optimizer = Core.Optimizer;
  export namespace backend_util {
    export type ExplicitPadding = Core.backend_util.ExplicitPadding;
  }
  export namespace serialization {
    export type ConfigDict = Core.serialization.ConfigDict;
  }
}
