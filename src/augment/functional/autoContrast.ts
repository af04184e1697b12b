import * as tf from '@tensorflow/tfjs-core';
import type { Tensor4D } from '@tensorflow/tfjs-core';
import { clip } from '../../core/clip.js';
import { cachedScalar } from '../../core/constantCache.js';
import { checkOptions, optionNames } from '../../core/validate.js';
import { checkImages, checkValueRange, emptyResult, is255, tidy4d } from './_internal/photometric.js';

const FN = 'autoContrast';

/** Options of {@link autoContrast}: Keras 3 `AutoContrast`'s, camel-cased. */
export interface AutoContrastOptions {
  /**
   * `[low, high]` of the pixel values (Keras' `value_range`: Keras defaults to `[0, 255]`, this
   * library's images are in [0, 1]).
   * @defaultValue [0, 1]
   */
  valueRange?: [number, number];
}

const AUTO_CONTRAST_OPTIONS = optionNames<AutoContrastOptions>()('valueRange');

/**
 * Stretches each channel of each image linearly so that its minimum becomes `low` and its maximum
 * `high`: Keras 3 `AutoContrast` (torchvision's `autocontrast`; PIL's with no cutoff). A constant
 * channel is left as it is (Keras gets there through a NaN it replaces by the input; here a mask does
 * it, so no backend's NaN rules matter).
 *
 * @param images - `[batch, height, width, channels]` float32 images in the value range, any channel count.
 * @param options - The value range; see {@link AutoContrastOptions}.
 * @returns A new tensor of the images' shape, in the value range (inputs are not disposed).
 * @throws Error naming `autoContrast`, the argument and the value for bad images, a bad value range or an
 *   unknown option.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { autoContrast } from 'tfjs-regularization/augment';
 *
 * const image = tf.tensor4d([0.25, 0.5, 0.75], [1, 1, 3, 1]);
 * console.log(Array.from(autoContrast(image).dataSync()).join(',')); // 0,0.5,1
 * ```
 */
export function autoContrast(images: Tensor4D, options?: AutoContrastOptions): Tensor4D {
  checkImages(FN, images);
  const opts = checkOptions<AutoContrastOptions>(FN, options, AUTO_CONTRAST_OPTIONS);
  const range = checkValueRange(FN, opts.valueRange);
  if (images.shape[0] === 0) return emptyResult(images.shape);
  const [low, high] = range;
  return tidy4d(() => {
    const s = cachedScalar;
    // Keras' steps in its [0, 255] working range: x · scale − min · scale, clipped.
    const x255 = is255(range) ? images : tf.mul(tf.div(tf.sub(images, s(low)), s(high - low)), s(255));
    const min = tf.min(x255, [1, 2], true);
    const max = tf.max(x255, [1, 2], true);
    const scale = tf.div(s(255), tf.sub(max, min));
    const stretched = clip(tf.sub(tf.mul(x255, scale), tf.mul(min, scale)), 0, 255);
    const back = is255(range) ? stretched : tf.add(tf.mul(tf.div(stretched, s(255)), s(high - low)), s(low));
    return tf.where(tf.greater(max, min), back, images);
  });
}
