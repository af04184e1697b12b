import * as tf from '@tensorflow/tfjs-core';
import type { Tensor1D, Tensor4D } from '@tensorflow/tfjs-core';
import { checkImages, checkPerSample, emptyResult, finite, perSampleTensor, tidy4d } from './_internal/photometric.js';

const FN = 'adjustContrast';

/**
 * Scales each pixel's distance from its image's mean, per channel: `(x - mean) * factor + mean`, as
 * `tf.image.adjust_contrast` (the mean is over height and width, for each image and channel), with
 * one factor per image allowed. No clipping, as TensorFlow.
 *
 * @param images - `[batch, height, width, channels]` float32 images, any channel count.
 * @param factor - The contrast factor (1 leaves the images as they are, 0 gives each channel its mean, a
 *   negative factor inverts about the mean): a number, or one per image (an array or a 1-D tensor).
 * @returns A new tensor of the images' shape (inputs are not disposed).
 * @throws Error naming `adjustContrast`, the argument and the value for non-rank-4 or non-float32
 *   images, or a factor that is not a finite number or not one per image.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { adjustContrast } from 'tfjs-regularization/augment';
 *
 * const image = tf.tensor4d([0.2, 0.6], [1, 1, 2, 1]);
 * console.log(Array.from(adjustContrast(image, 2).dataSync()).map((v) => v.toFixed(2)).join(',')); // 0.00,0.80
 * ```
 */
export function adjustContrast(images: Tensor4D, factor: number | readonly number[] | Tensor1D): Tensor4D {
  const [batch] = checkImages(FN, images);
  const f = checkPerSample(FN, 'factor', factor, batch, finite);
  if (batch === 0) return emptyResult(images.shape);
  return tidy4d(() => {
    const mean = tf.mean(images, [1, 2], true);
    return tf.add(tf.mul(tf.sub(images, mean), perSampleTensor(f, batch)), mean);
  });
}
