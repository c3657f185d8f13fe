// The two models. Every layer with weights gets a seeded initializer (seed, seed+1,
// ...) so that the same --seed builds the same weights on the same backend.

import { tf } from './tf.js';
import type { ModelInfo } from '../events.js';
import { IMAGE_SIZE } from './dataset.js';

export type ModelName = 'mlp' | 'cnn';
export const MODEL_NAMES: readonly ModelName[] = ['mlp', 'cnn'];

export interface BuiltModel {
  model: tf.Sequential;
  info: ModelInfo;
}

/** Build `name` with weights initialised from `seed`. */
export function buildModel(name: ModelName, seed: number): BuiltModel {
  const init = seededInit(seed);
  const model = tf.sequential({ name });
  const input = { inputShape: [IMAGE_SIZE, IMAGE_SIZE, 1] };
  if (name === 'mlp') {
    // The TensorFlow beginner quickstart.
    model.add(tf.layers.flatten({ ...input, name: 'flatten' }));
    model.add(tf.layers.dense({ units: 128, activation: 'relu', name: 'dense', ...init() }));
    model.add(tf.layers.dropout({ rate: 0.2, seed, name: 'dropout' }));
    model.add(tf.layers.dense({ units: 10, activation: 'softmax', name: 'dense_1', ...init() }));
  } else {
    // The Keras "simple MNIST convnet", which reaches about 99% in a few epochs.
    model.add(tf.layers.conv2d({ ...input, filters: 32, kernelSize: 3, activation: 'relu', name: 'conv2d', ...init() }));
    model.add(tf.layers.maxPooling2d({ poolSize: 2, name: 'max_pooling2d' }));
    model.add(tf.layers.conv2d({ filters: 64, kernelSize: 3, activation: 'relu', name: 'conv2d_1', ...init() }));
    model.add(tf.layers.maxPooling2d({ poolSize: 2, name: 'max_pooling2d_1' }));
    model.add(tf.layers.flatten({ name: 'flatten' }));
    model.add(tf.layers.dropout({ rate: 0.5, seed, name: 'dropout' }));
    model.add(tf.layers.dense({ units: 10, activation: 'softmax', name: 'dense', ...init() }));
  }
  return { model, info: describeModel(name, model) };
}

type Initializer = ReturnType<typeof tf.initializers.zeros>;

function seededInit(seed: number): () => { kernelInitializer: Initializer; biasInitializer: Initializer } {
  let next = seed;
  return () => ({
    kernelInitializer: tf.initializers.glorotUniform({ seed: next++ }),
    biasInitializer: tf.initializers.zeros(),
  });
}

function describeModel(name: string, model: tf.Sequential): ModelInfo {
  return {
    name,
    parameters: model.countParams(),
    layers: model.layers.map((layer) => ({
      name: layer.name,
      type: layer.getClassName(),
      output_shape: layer.outputShape as (number | null)[],
      parameters: layer.countParams(),
    })),
  };
}
