import { optionNames } from '../core/validate.js';
import {
  checkFactor,
  FINITE,
  photometricAugmentation,
  photometricOptions,
  uniformIn,
} from './_internal/photometricRandom.js';
import type { Augmentation } from './augmentation.js';
import { adjustSharpness } from './functional/adjustSharpness.js';
import { checkValueRange } from './functional/_internal/photometric.js';

/** Options of {@link randomSharpness}: Keras 3 `RandomSharpness`'s, camel-cased, plus `p`. */
export interface RandomSharpnessOptions {
  /**
   * In [0, 1]: `u` is drawn from `[lower, upper]`, or from `[0, f]` for one number `f`, and the sharpness
   * factor is `2u`: 0 fully smoothed, 0.5 unchanged, 1 sharpened (Keras' `factor`; torchvision's
   * `RandomAdjustSharpness(sharpness_factor)` is `factor: [s / 2, s / 2]`). Required.
   */
  factor: number | [number, number];
  /**
   * `[low, high]` of the pixel values, the result is clipped to it (Keras' `value_range`; Keras defaults
   * to `[0, 255]`, this library's images are in [0, 1]).
   * @defaultValue [0, 1]
   */
  valueRange?: [number, number];
  /** Probability that an image is transformed, drawn per image (torchvision's default is 0.5). @defaultValue 1 */
  p?: number;
  /** Seed of the generator the parameters are drawn from. @defaultValue a fresh random seed */
  seed?: number;
}

const RANDOM_SHARPNESS_OPTIONS = optionNames<RandomSharpnessOptions>()('factor', 'valueRange', 'p', 'seed');

/** Parameters of one {@link randomSharpness} call. */
export interface RandomSharpnessParams {
  /** Per image: whether it is transformed. */
  applied: boolean[];
  /** Per image: PIL's sharpness factor, twice Keras' transformation `factor` (1 keeps the image). */
  factor: number[];
}

/**
 * Blends each image with a smoothed copy by a random sharpness factor: Keras 3 `RandomSharpness`
 * ({@link adjustSharpness}, PIL's kernel, zero-padded as Keras). Labels pass through unchanged.
 *
 * @param options - `factor` (required), `valueRange`, `p`, `seed`.
 * @returns An {@link Augmentation} with {@link RandomSharpnessParams}.
 * @throws Error naming `randomSharpness`, the option and the value for a factor outside [0, 1], a bad
 *   value range, `p` outside [0, 1] or an unknown option.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { randomSharpness } from 'tfjs-regularization/augment';
 *
 * const sharp = randomSharpness({ factor: [0, 0], seed: 11 });
 * const out = sharp({ images: tf.tensor4d([0, 0, 0, 0, 0.65, 0, 0, 0, 0], [1, 3, 3, 1]) });
 * console.log(sharp.lastParams!.factor[0]); // 0
 * console.log(out.images.dataSync()[4]); // the centre keeps 5/13 of itself: 0.25
 * ```
 */
export function randomSharpness(options: RandomSharpnessOptions): Augmentation<RandomSharpnessParams> {
  const fn = 'randomSharpness';
  const { o, p } = photometricOptions<RandomSharpnessOptions>(fn, options ?? {}, RANDOM_SHARPNESS_OPTIONS);
  const draw = uniformIn(checkFactor(fn, 'factor', o.factor, [0, 1], 'fromZero'));
  const valueRange = checkValueRange(fn, o.valueRange);
  return photometricAugmentation({
    name: fn,
    seed: o.seed,
    p,
    params: { factor: { ...FINITE, draw: (rng) => 2 * draw(rng) } },
    transform: (images, { factor }) => adjustSharpness(images, factor, { valueRange }),
  });
}
