import * as tf from '@tensorflow/tfjs-core';
import type { Tensor1D, Tensor4D } from '@tensorflow/tfjs-core';
import { cachedScalar } from '../../core/constantCache.js';
import { checkImages, checkPerSample, emptyResult, finite, perSampleTensor, tidy4d } from './_internal/photometric.js';

const FN = 'adjustSaturation';

/**
 * Multiplies the HSV saturation of RGB images by `factor`, clipping it to [0, 1]:
 * `tf.image.adjust_saturation`, with one factor per image allowed.
 *
 * Hue and value are kept, so each channel moves along the line to the pixel's maximum; TensorFlow's
 * HSV round trip reduces to `out = v - k · (v - x)` with `v` the pixel's maximum, `k = clip(factor, 0,
 * v / (v - min))` (the clip is the saturation's), and `k = 0` where `v <= 0` (TensorFlow's saturation
 * of such a pixel is 0). That is a dozen elementwise ops instead of a hue computation and its inverse.
 *
 * @param images - `[batch, height, width, 3]` float32 RGB images.
 * @param factor - The saturation factor (1 keeps the images, 0 makes them gray at their HSV value, negative
 *   acts as 0): a number, or one per image (an array or a 1-D tensor).
 * @returns A new tensor of the images' shape (inputs are not disposed).
 * @throws Error naming `adjustSaturation`, the argument and the value for images that are not float32
 *   RGB `[batch, height, width, 3]`, or a factor that is not a finite number or not one per image.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { adjustSaturation } from 'tfjs-regularization/augment';
 *
 * const pixel = tf.tensor4d([0.8, 0.4, 0.2], [1, 1, 1, 3]);
 * const gray = adjustSaturation(pixel, 0);
 * console.log(Array.from(gray.dataSync()).map((v) => v.toFixed(2)).join(',')); // 0.80,0.80,0.80
 * const half = adjustSaturation(pixel, 0.5);
 * console.log(Array.from(half.dataSync()).map((v) => v.toFixed(2)).join(',')); // 0.80,0.60,0.50
 * ```
 */
export function adjustSaturation(images: Tensor4D, factor: number | readonly number[] | Tensor1D): Tensor4D {
  const [batch] = checkImages(FN, images, true);
  const f = checkPerSample(FN, 'factor', factor, batch, finite);
  if (batch === 0) return emptyResult(images.shape);
  return tidy4d(() => {
    const v = tf.max(images, -1, true);
    const range = tf.sub(v, tf.min(images, -1, true));
    const zero = cachedScalar(0);
    // v / range is +Infinity for a gray pixel (then k = factor, times v - x = 0) and NaN only where v = 0,
    // which the mask replaces.
    const k = tf.where(tf.greater(v, zero), tf.relu(tf.minimum(perSampleTensor(f, batch), tf.div(v, range))), zero);
    return tf.sub(v, tf.mul(k, tf.sub(v, images)));
  });
}
