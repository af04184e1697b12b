import * as tf from '@tensorflow/tfjs-core';
import type { Tensor1D, Tensor4D } from '@tensorflow/tfjs-core';
import { checkImages, checkPerSample, emptyResult, finite, perSampleTensor, tidy4d } from './_internal/photometric.js';

const FN = 'adjustBrightness';

/**
 * Adds `delta` to every pixel: `tf.image.adjust_brightness`, with one delta per image allowed. Like
 * TensorFlow it does not clip (Keras' `RandomBrightness` layer clips to its value range afterwards).
 *
 * @param images - `[batch, height, width, channels]` float32 images, any channel count.
 * @param delta - The amount to add, in the images' units: a number, or one per image (an array or a 1-D tensor).
 * @returns A new tensor of the images' shape (inputs are not disposed).
 * @throws Error naming `adjustBrightness`, the argument and the value for non-rank-4 or non-float32
 *   images, or a delta that is not a finite number or not one per image.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { adjustBrightness } from 'tfjs-regularization/augment';
 *
 * const images = tf.fill([2, 1, 1, 3], 0.5) as tf.Tensor4D;
 * const brighter = adjustBrightness(images, [0.25, -0.5]);
 * console.log(Array.from(brighter.dataSync()).join(',')); // 0.75,0.75,0.75,0,0,0
 * ```
 */
export function adjustBrightness(images: Tensor4D, delta: number | readonly number[] | Tensor1D): Tensor4D {
  const [batch] = checkImages(FN, images);
  const d = checkPerSample(FN, 'delta', delta, batch, finite);
  if (batch === 0) return emptyResult(images.shape);
  return tidy4d(() => tf.add(images, perSampleTensor(d, batch)));
}
