import * as tf from '@tensorflow/tfjs-core';
import type { Tensor4D } from '@tensorflow/tfjs-core';
import { cachedConstant } from '../../core/constantCache.js';
import { checkImages, emptyResult, tidy4d } from './_internal/photometric.js';

const FN = 'rgbToGrayscale';

/**
 * The luma of RGB images, `0.2989 R + 0.5870 G + 0.1140 B`: `tf.image.rgb_to_grayscale`, one channel
 * out. (torchvision's `rgb_to_grayscale` uses the same weights; tile the result to 3 channels for its
 * `num_output_channels=3`.)
 *
 * @param images - `[batch, height, width, 3]` float32 RGB images.
 * @returns A new `[batch, height, width, 1]` tensor (inputs are not disposed).
 * @throws Error naming `rgbToGrayscale` for images that are not a float32 rank-4 tensor with 3 channels.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { rgbToGrayscale } from 'tfjs-regularization/augment';
 *
 * const red = tf.tensor4d([1, 0, 0], [1, 1, 1, 3]);
 * console.log(rgbToGrayscale(red).dataSync()[0]); // 0.2989
 * ```
 */
export function rgbToGrayscale(images: Tensor4D): Tensor4D {
  const [batch, height, width] = checkImages(FN, images, true);
  if (batch === 0) return emptyResult([0, height, width, 1]);
  return tidy4d(() => {
    // One matMul over every pixel: on tfjs-node fewer, larger ops beat three multiplies and two adds.
    const weights = cachedConstant('rgbToGrayscale:weights', () => tf.tensor2d([0.2989, 0.587, 0.114], [3, 1]));
    return tf.reshape(tf.matMul(tf.reshape(images, [-1, 3]), weights), [batch, height, width, 1]);
  });
}
