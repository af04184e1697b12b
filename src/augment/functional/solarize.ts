import * as tf from '@tensorflow/tfjs-core';
import type { Tensor1D, Tensor4D } from '@tensorflow/tfjs-core';
import { clip } from '../../core/clip.js';
import { cachedScalar } from '../../core/constantCache.js';
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

const FN = 'solarize';

/** Options of {@link solarize}: Keras 3 `Solarization`'s, camel-cased, with the draws fixed. */
export interface SolarizeOptions {
  /**
   * `[low, high]` of the pixel values (Keras' `value_range`: Keras defaults to `[0, 255]`, this
   * library's images are in [0, 1]).
   * @defaultValue [0, 1]
   */
  valueRange?: [number, number];
  /**
   * Added to every pixel before the threshold, the sum clipped to the value range (Keras' drawn
   * `additions`; timm's `solarize_add`), in the images' units: a number, or one per image (an array or a 1-D tensor).
   * @defaultValue 0
   */
  addition?: number | readonly number[] | Tensor1D;
}

const SOLARIZE_OPTIONS = optionNames<SolarizeOptions>()('valueRange', 'addition');

/**
 * Inverts every pixel at or above `threshold`: Keras 3 `Solarization`'s transformation with the
 * threshold and addition given instead of drawn. Each pixel plus the addition is clipped to
 * `[low, high]`, then kept if below the threshold and replaced by `low + high - value` otherwise (Keras'
 * `255 - value` in its [0, 255] working range; torchvision's and PIL's `solarize` for addition 0).
 *
 * @param images - `[batch, height, width, channels]` float32 images in the value range, any channel count.
 * @param threshold - In the images' units (Keras draws it in [0, 255] units): pixels `>= threshold` are
 *   inverted; above `high`, the op is a clip. A number, or one per image (an array or a 1-D tensor).
 * @param options - Value range and addition; see {@link SolarizeOptions}.
 * @returns A new tensor of the images' shape, in the value range (inputs are not disposed).
 * @throws Error naming `solarize`, the argument and the value for bad images, a threshold or addition that
 *   is not a finite number or not one per image, a bad value range or an unknown option.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { solarize } from 'tfjs-regularization/augment';
 *
 * const image = tf.tensor4d([0.2, 0.5, 0.9], [1, 1, 3, 1]);
 * console.log(Array.from(solarize(image, 0.5).dataSync()).map((v) => v.toFixed(1)).join(',')); // 0.2,0.5,0.1
 * ```
 */
export function solarize(
  images: Tensor4D,
  threshold: number | readonly number[] | Tensor1D,
  options?: SolarizeOptions,
): Tensor4D {
  const [batch] = checkImages(FN, images);
  const t = checkPerSample(FN, 'threshold', threshold, batch, finite);
  const opts = checkOptions<SolarizeOptions>(FN, options, SOLARIZE_OPTIONS);
  const [low, high] = checkValueRange(FN, opts.valueRange);
  const addition =
    opts.addition === undefined ? 0 : checkPerSample(FN, 'options.addition', opts.addition, batch, finite);
  if (batch === 0) return emptyResult(images.shape);
  return tidy4d(() => {
    const added = addition === 0 ? images : tf.add(images, perSampleTensor(addition, batch));
    const clipped = clip(added, low, high);
    return tf.where(tf.less(clipped, perSampleTensor(t, batch)), clipped, tf.sub(cachedScalar(low + high), clipped));
  });
}
