import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';

export type { Layer as LayerLike } from '../../../src/augment/layers/_internal/AugmentLayer.js';
import type { Layer as LayerLike } from '../../../src/augment/layers/_internal/AugmentLayer.js';

export const values = (t: tf.Tensor | tf.Tensor[] | tfl.SymbolicTensor | tfl.SymbolicTensor[]): number[] =>
  Array.from((t as tf.Tensor).dataSync());

/** Runs the layer on a concrete tensor, in training mode or not, returning plain values (nothing kept). */
export function run(layer: LayerLike, x: tf.Tensor, training?: boolean): number[] {
  const y = (training === undefined ? layer.apply(x) : layer.apply(x, { training })) as tf.Tensor;
  const out = values(y);
  if (y !== x) y.dispose();
  return out;
}

/** Deterministic test pixels 0..1 (no Math.random). */
export function pixels(shape: number[], seed = 1): tf.Tensor {
  return tf.randomUniform(shape, 0, 1, 'float32', seed);
}

/** Saves a model to memory and loads it back, as a file round trip would. */
export async function saveAndLoad(model: tfl.LayersModel): Promise<tfl.LayersModel> {
  let saved: tf.io.ModelArtifacts | undefined;
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      saved = JSON.parse(JSON.stringify({ ...artifacts, weightData: undefined })) as tf.io.ModelArtifacts;
      saved.weightData = artifacts.weightData;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  return tfl.loadLayersModel(tf.io.fromMemory(saved!));
}

/** Runs `body` with the cpu backend active, then restores the current one. */
export async function onCpu<T>(body: () => T): Promise<T> {
  const current = tf.getBackend();
  await tf.setBackend('cpu');
  try {
    return body();
  } finally {
    await tf.setBackend(current);
  }
}
