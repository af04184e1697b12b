import * as tf from '@tensorflow/tfjs-core';
import type { Tensor4D } from '@tensorflow/tfjs-core';
import { cachedScalar } from '../../core/constantCache.js';
import { checkOptions, optionNames } from '../../core/validate.js';
import { checkImages, checkValueRange, emptyResult, tidy4d } from './_internal/photometric.js';

const FN = 'invert';

/** Options of {@link invert}: Keras 3 `RandomInvert`'s, camel-cased. */
export interface InvertOptions {
  /**
   * `[low, high]` of the pixel values (Keras' `value_range`: Keras defaults to `[0, 255]`, this
   * library's images are in [0, 1]).
   * @defaultValue [0, 1]
   */
  valueRange?: [number, number];
}

const INVERT_OPTIONS = optionNames<InvertOptions>()('valueRange');

/**
 * Mirrors every pixel in the value range, `low + high - x`: Keras 3 `RandomInvert`'s transformation
 * applied to every image (torchvision's and PIL's `invert`). Keras computes `high - x`, the same for
 * the usual ranges that start at 0; for another `low` this keeps the result in the range, where
 * Keras' would shift it by `low`.
 *
 * @param images - `[batch, height, width, channels]` float32 images, any channel count.
 * @param options - The value range; see {@link InvertOptions}.
 * @returns A new tensor of the images' shape (inputs are not disposed).
 * @throws Error naming `invert`, the argument and the value for bad images, a bad value range or an unknown option.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { invert } from 'tfjs-regularization/augment';
 *
 * const image = tf.tensor4d([0, 64, 255], [1, 1, 3, 1]);
 * console.log(Array.from(invert(image, { valueRange: [0, 255] }).dataSync()).join(',')); // 255,191,0
 * ```
 */
export function invert(images: Tensor4D, options?: InvertOptions): Tensor4D {
  checkImages(FN, images);
  const opts = checkOptions<InvertOptions>(FN, options, INVERT_OPTIONS);
  const [low, high] = checkValueRange(FN, opts.valueRange);
  if (images.shape[0] === 0) return emptyResult(images.shape);
  return tidy4d(() => tf.sub(cachedScalar(low + high), images));
}
