// Save the trained model as model.json + weights.bin, the layout tfjs' file://
// handler writes. Written by our own IOHandler because file:// needs tfjs-node;
// each file goes to a temp name first and is renamed into place.

import { tf } from './tf.js';
import { access, constants } from 'node:fs/promises';
import { join } from 'node:path';
import { describeFsError, makeDirs, replaceFile } from '../atomic-write.js';
import { IoError, UserError } from '../errors.js';

/**
 * Make DIR and check it can be written, before any training: a --save-model that
 * names a file, a read-only place or /proc must fail in a second, not after the run.
 */
export async function prepareSaveDir(dir: string): Promise<void> {
  try {
    await makeDirs(dir);
    await access(dir, constants.W_OK);
  } catch (err) {
    throw new UserError(`--save-model ${dir}: cannot write the model there: ${describeFsError(err) ?? String(err)}`);
  }
}

/** Write `model` to DIR/model.json and DIR/weights.bin. */
export async function saveModel(model: tf.LayersModel, dir: string): Promise<void> {
  await prepareSaveDir(dir);
  try {
    await saveFiles(model, dir);
  } catch (err) {
    const why = describeFsError(err);
    if (why === null) throw err;
    throw new IoError(`--save-model ${dir}: cannot write the model: ${why}`);
  }
}

async function saveFiles(model: tf.LayersModel, dir: string): Promise<void> {
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
