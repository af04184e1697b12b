import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { nodeImport } from '../../core/node.js';

/** The model modelCheckpoint wrote to `dir` (model.json + weights.bin), read without tfjs-node. */
export async function loadCheckpoint(dir: string): Promise<tfl.LayersModel> {
  const fs = await nodeImport('fs/promises');
  const path = await nodeImport('path');
  const json = JSON.parse(await fs.readFile(path.join(dir, 'model.json'), 'utf8'));
  const bin = await fs.readFile(path.join(dir, 'weights.bin'));
  return tfl.loadLayersModel(
    tf.io.fromMemory({
      modelTopology: json.modelTopology,
      weightSpecs: json.weightsManifest[0].weights,
      weightData: bin.buffer.slice(bin.byteOffset, bin.byteOffset + bin.byteLength),
    }),
  );
}
