import { optionNames } from '../core/validate.js';
import { checkFactor, photometricAugmentation, photometricOptions, uniformIn } from './_internal/photometricRandom.js';
import type { Augmentation } from './augmentation.js';
import { adjustSaturation } from './functional/adjustSaturation.js';
import { checkValueRange } from './functional/_internal/photometric.js';

/** Options of {@link randomSaturation}: Keras 3 `RandomSaturation`'s, camel-cased, plus `p`. */
export interface RandomSaturationOptions {
  /**
   * In [0, 1]: `u` is drawn from `[lower, upper]`, or from `[0, f]` for one number `f`, and the saturation
   * is multiplied by `u / (1 − u)`: 0.5 keeps the image, 0 makes it gray, 1 fully saturated (Keras'
   * `factor`). Required.
   */
  factor: number | [number, number];
  /**
   * `[low, high]` of the pixel values (Keras' `value_range`). Accepted for Keras' signature: the HSV
   * saturation does not depend on the scale, and it is clipped to [0, 1] as `tf.image.adjust_saturation`
   * does (Keras clips it to the value range, which is the same for [0, 1]).
   * @defaultValue [0, 1]
   */
  valueRange?: [number, number];
  /** Probability that an image is transformed, drawn per image. @defaultValue 1 */
  p?: number;
  /** Seed of the generator the parameters are drawn from. @defaultValue a fresh random seed */
  seed?: number;
}

const RANDOM_SATURATION_OPTIONS = optionNames<RandomSaturationOptions>()('factor', 'valueRange', 'p', 'seed');

/** Parameters of one {@link randomSaturation} call. */
export interface RandomSaturationParams {
  /** Per image: whether it is transformed. */
  applied: boolean[];
  /** Per image: the saturation multiplier `u / (1 − u + 1e-7)` (Keras' transformation `factor`), >= 0. */
  factor: number[];
}

/**
 * Scales the HSV saturation of RGB images by a random factor: Keras 3 `RandomSaturation`. Per image,
 * `u` is drawn uniformly from `[lower, upper]` and the saturation is multiplied by `u / (1 − u + ε)` (ε =
 * 1e-7, Keras' epsilon) with {@link adjustSaturation}. Keras 3.15's code reads one number `f` as `[−f,
 * f]` (half the draws then make the image gray) where its documentation says `[0, f]`: this follows
 * the documentation; torchvision's saturation blends with the grayscale image instead (see
 * {@link colorJitter}). Labels pass through unchanged.
 *
 * @param options - `factor` (required), `valueRange`, `p`, `seed`.
 * @returns An {@link Augmentation} with {@link RandomSaturationParams}.
 * @throws Error naming `randomSaturation`, the option and the value for a factor outside [0, 1], a bad
 *   value range, `p` outside [0, 1] or an unknown option; naming it and the shape for images that are not RGB.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { randomSaturation } from 'tfjs-regularization/augment';
 *
 * const gray = randomSaturation({ factor: [0, 0], seed: 3 });
 * const out = gray({ images: tf.tensor4d([0.8, 0.4, 0.2], [1, 1, 1, 3]) });
 * console.log(Array.from(out.images.dataSync()).map((v) => v.toFixed(2)).join(',')); // 0.80,0.80,0.80
 * ```
 */
export function randomSaturation(options: RandomSaturationOptions): Augmentation<RandomSaturationParams> {
  const fn = 'randomSaturation';
  const { o, p } = photometricOptions<RandomSaturationOptions>(fn, options ?? {}, RANDOM_SATURATION_OPTIONS);
  const factor = checkFactor(fn, 'factor', o.factor, [0, 1], 'fromZero');
  checkValueRange(fn, o.valueRange);
  const draw = uniformIn(factor);
  return photometricAugmentation({
    name: fn,
    seed: o.seed,
    p,
    rgb: true,
    params: {
      factor: {
        draw: (rng) => {
          const u = draw(rng);
          return u / (1 - u + 1e-7);
        },
        valid: (v) => v >= 0 && v <= 3.4e38,
        expected: 'a finite number >= 0',
      },
    },
    transform: (images, { factor }) => adjustSaturation(images, factor),
  });
}
