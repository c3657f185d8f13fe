// Save the trained model as model.json + weights.bin, the layout tfjs' file://
// handler writes. Written by our own IOHandler because file:// needs tfjs-node;
// each file goes to a temp name first and is renamed into place.

import * as tf from '@tensorflow/tfjs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { replaceFile } from '../atomic-write.js';
import { UserError } from '../errors.js';

/** Write `model` to DIR/model.json and DIR/weights.bin. */
export async function saveModel(model: tf.LayersModel, dir: string): Promise<void> {
  try {
    await mkdir(dir, { recursive: true });
  } catch (err) {
    throw new UserError(`--save-model ${dir}: cannot create directory (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
  }
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      const weights = artifacts.weightData ? tf.io.CompositeArrayBuffer.join(artifacts.weightData) : new ArrayBuffer(0);
      const json = {
        modelTopology: artifacts.modelTopology,
        format: artifacts.format ?? 'layers-model',
        generatedBy: artifacts.generatedBy,
        convertedBy: artifacts.convertedBy ?? null,
        weightsManifest: [{ paths: ['weights.bin'], weights: artifacts.weightSpecs ?? [] }],
      };
      await replaceFile(join(dir, 'weights.bin'), new Uint8Array(weights));
      await replaceFile(join(dir, 'model.json'), JSON.stringify(json));
      return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) };
    }),
  );
}
