import { invalidArgument, optionNames } from '../core/validate.js';
import { photometricAugmentation, photometricOptions } from './_internal/photometricRandom.js';
import type { Augmentation } from './augmentation.js';
import { equalize } from './functional/equalize.js';
import { checkValueRange } from './functional/_internal/photometric.js';

/** Options of {@link randomEqualize}: Keras 3 `Equalization`'s, camel-cased, plus `p` and `seed`. */
export interface RandomEqualizeOptions {
  /**
   * `[low, high]` of the pixel values (Keras' `value_range`; Keras defaults to `[0, 255]`, this library's
   * images are in [0, 1]).
   * @defaultValue [0, 1]
   */
  valueRange?: [number, number];
  /** Histogram bins over the value range, an integer from 1 to 2^24 (Keras' `bins`). @defaultValue 256 */
  bins?: number;
  /**
   * Probability that an image is equalized, drawn per image: torchvision's `RandomEqualize(p=0.5)`
   * (Keras' `Equalization` always equalizes: `p: 1`).
   * @defaultValue 0.5
   */
  p?: number;
  /** Seed of the generator the parameters are drawn from. @defaultValue a fresh random seed */
  seed?: number;
}

const RANDOM_EQUALIZE_OPTIONS = optionNames<RandomEqualizeOptions>()('valueRange', 'bins', 'p', 'seed');

/** Parameters of one {@link randomEqualize} call. */
export interface RandomEqualizeParams {
  /** Per image: whether it is equalized. */
  applied: boolean[];
}

/**
 * Equalizes the histogram of a random subset of the images, each image on its own ({@link equalize}:
 * Keras 3 `Equalization`'s transformation, PIL's and torchvision's per-image histograms; on a batch
 * Keras pools one histogram over all its images). Labels pass through unchanged.
 *
 * @param options - `valueRange`, `bins`, `p`, `seed`.
 * @returns An {@link Augmentation} with {@link RandomEqualizeParams}.
 * @throws Error naming `randomEqualize`, the option and the value for a bad value range, bins that are
 *   not an integer from 1 to 2^24, `p` outside [0, 1] or an unknown option.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { randomEqualize } from 'tfjs-regularization/augment';
 *
 * const eq = randomEqualize({ valueRange: [0, 255], p: 1, seed: 8 });
 * const out = eq({ images: tf.tensor4d([10, 10, 20, 30], [1, 2, 2, 1]) });
 * console.log(Array.from(out.images.dataSync()).join(',')); // 0,0,128,255
 * ```
 */
export function randomEqualize(options?: RandomEqualizeOptions): Augmentation<RandomEqualizeParams> {
  const fn = 'randomEqualize';
  const { o, p } = photometricOptions<RandomEqualizeOptions>(fn, options, RANDOM_EQUALIZE_OPTIONS, 0.5);
  const valueRange = checkValueRange(fn, o.valueRange);
  const bins = o.bins ?? 256;
  if (typeof bins !== 'number' || !Number.isInteger(bins) || bins < 1 || bins > 2 ** 24) {
    throw invalidArgument(fn, 'bins', bins, 'an integer from 1 to 2^24');
  }
  return photometricAugmentation({
    name: fn,
    seed: o.seed,
    p,
    params: {},
    transform: (images) => equalize(images, { valueRange, bins }),
  });
}
