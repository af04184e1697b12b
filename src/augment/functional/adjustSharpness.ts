import * as tf from '@tensorflow/tfjs-core';
import type { Tensor1D, Tensor4D } from '@tensorflow/tfjs-core';
import { clip } from '../../core/clip.js';
import { cachedConstant, cachedScalar } from '../../core/constantCache.js';
import { checkOptions, optionNames } from '../../core/validate.js';
import {
  checkImages,
  checkPerSample,
  checkValueRange,
  emptyResult,
  finite,
  perSampleTensor,
  tidy4d,
} from './_internal/photometric.js';

const FN = 'adjustSharpness';

/** Options of {@link adjustSharpness}: Keras 3 `RandomSharpness`'s, camel-cased. */
export interface AdjustSharpnessOptions {
  /**
   * `[low, high]` of the pixel values, the result is clipped to it (Keras' `value_range`: Keras
   * defaults to `[0, 255]`, this library's images are in [0, 1]).
   * @defaultValue [0, 1]
   */
  valueRange?: [number, number];
}

const ADJUST_SHARPNESS_OPTIONS = optionNames<AdjustSharpnessOptions>()('valueRange');

/**
 * Blends each image with a smoothed copy of itself, `smoothed + factor · (x − smoothed)`, clipped to
 * the value range: Keras 3 `RandomSharpness`'s transformation with the factor given instead of drawn.
 * The factor is PIL's and torchvision's: 1 keeps the image, 0 gives the smoothed one, 2 sharpens
 * (Keras draws half of it and doubles it). The smoothing is PIL's kernel `[[1, 1, 1], [1, 5, 1], [1,
 * 1, 1]] / 13` per channel, zero-padded at the border as Keras does (PIL and torchvision keep the
 * border pixels unsmoothed, so the outermost pixels differ from theirs).
 *
 * @param images - `[batch, height, width, channels]` float32 images in the value range, any channel count.
 * @param factor - The sharpness factor: a number, or one per image (an array or a 1-D tensor).
 * @param options - The value range; see {@link AdjustSharpnessOptions}.
 * @returns A new tensor of the images' shape, in the value range (inputs are not disposed).
 * @throws Error naming `adjustSharpness`, the argument and the value for bad images, a factor that is not
 *   a finite number or not one per image, a bad value range or an unknown option.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { adjustSharpness } from 'tfjs-regularization/augment';
 *
 * const image = tf.tensor4d([0, 0, 0, 0, 0.65, 0, 0, 0, 0], [1, 3, 3, 1]);
 * const smoothed = adjustSharpness(image, 0);
 * console.log(smoothed.dataSync()[4]); // the centre keeps 5/13 of itself: 0.25
 * ```
 */
export function adjustSharpness(
  images: Tensor4D,
  factor: number | readonly number[] | Tensor1D,
  options?: AdjustSharpnessOptions,
): Tensor4D {
  const [batch, , , channels] = checkImages(FN, images);
  const f = checkPerSample(FN, 'factor', factor, batch, finite);
  const opts = checkOptions<AdjustSharpnessOptions>(FN, options, ADJUST_SHARPNESS_OPTIONS);
  const [low, high] = checkValueRange(FN, opts.valueRange);
  if (batch === 0) return emptyResult(images.shape);
  return tidy4d(() => {
    const kernel = cachedConstant(`adjustSharpness:kernel:${channels}`, () => {
      const [a, b] = [1 / 13, 5 / 13];
      return tf.tile(tf.tensor4d([a, a, a, a, b, a, a, a, a], [3, 3, 1, 1]), [1, 1, channels, 1]);
    }) as tf.Tensor4D;
    const smoothed = tf.depthwiseConv2d(images, kernel, 1, 'same');
    // Keras' form of the blend, x + (1 − factor) · (smoothed − x), for the same rounding.
    const blended = tf.add(
      images,
      tf.mul(tf.sub(cachedScalar(1), perSampleTensor(f, batch)), tf.sub(smoothed, images)),
    );
    return clip(blended, low, high);
  });
}
