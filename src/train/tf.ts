// TensorFlow.js for the trainer, loaded with require. An ES `import` of
// @tensorflow/tfjs makes Node scan the CommonJS source of tfjs and every package it
// re-exports for their export names (cjs-module-lexer, several MB of JavaScript):
// ~0.45 s of CPU at every start of mnist-train, against ~0.2 s for require. So the
// trainer's files take `tf` from here; the few types they name are listed below
// (a const and a namespace of types share the name `tf`).

import { createRequire } from 'node:module';
import type * as T from '@tensorflow/tfjs';

export const tf = createRequire(import.meta.url)('@tensorflow/tfjs') as typeof T;

// eslint-disable-next-line @typescript-eslint/no-namespace
export declare namespace tf {
  export type LayersModel = T.LayersModel;
  export type Sequential = T.Sequential;
  export type Variable = T.Variable;
  export type Tensor = T.Tensor;
  export type Scalar = T.Scalar;
  export type Tensor1D = T.Tensor1D;
  export type Tensor2D = T.Tensor2D;
  export type Tensor4D = T.Tensor4D;
  export type TensorInfo = T.TensorInfo;
  export type NamedAttrMap = T.NamedAttrMap;
  export type Optimizer = T.Optimizer;
  export namespace backend_util {
    export type ExplicitPadding = T.backend_util.ExplicitPadding;
  }
  export namespace serialization {
    export type ConfigDict = T.serialization.ConfigDict;
  }
}
