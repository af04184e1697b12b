import { optionNames } from '../core/validate.js';
import { checkFactor, photometricAugmentation, photometricOptions, uniformIn } from './_internal/photometricRandom.js';
import type { Augmentation } from './augmentation.js';
import { invert } from './functional/invert.js';
import { checkValueRange } from './functional/_internal/photometric.js';

/** Options of {@link randomInvert}: Keras 3 `RandomInvert`'s, camel-cased, plus `p`. */
export interface RandomInvertOptions {
  /**
   * In [0, 1]: per image a probability is drawn from `[lower, upper]` (from `[0, f]` for one number `f`)
   * and the image is inverted with it, so the rate is `(lower + upper) / 2` (Keras' `factor`: its default
   * 1 inverts half the images; torchvision's `RandomInvert(p)` is `factor: [p, p]`).
   * @defaultValue 1
   */
  factor?: number | [number, number];
  /**
   * `[low, high]` of the pixel values (Keras' `value_range`; Keras defaults to `[0, 255]`, this library's
   * images are in [0, 1]).
   * @defaultValue [0, 1]
   */
  valueRange?: [number, number];
  /** Probability that an image is considered at all, drawn before `factor`'s draws. @defaultValue 1 */
  p?: number;
  /** Seed of the generator the parameters are drawn from. @defaultValue a fresh random seed */
  seed?: number;
}

const RANDOM_INVERT_OPTIONS = optionNames<RandomInvertOptions>()('factor', 'valueRange', 'p', 'seed');

/** Parameters of one {@link randomInvert} call. */
export interface RandomInvertParams {
  /** Per image: whether it is inverted (Keras' `apply_inversion`, and the `p` gate). */
  applied: boolean[];
}

/**
 * Inverts a random subset of the images, `low + high − x` ({@link invert}): Keras 3 `RandomInvert`,
 * drawing per image a probability in `factor`'s range and a uniform threshold below it, as Keras does.
 * Keras computes `high − x`, the same for a range starting at 0. Labels pass through unchanged.
 *
 * @param options - `factor`, `valueRange`, `p`, `seed`.
 * @returns An {@link Augmentation} with {@link RandomInvertParams}.
 * @throws Error naming `randomInvert`, the option and the value for a factor outside [0, 1], a bad value
 *   range, `p` outside [0, 1] or an unknown option.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { randomInvert } from 'tfjs-regularization/augment';
 *
 * const inv = randomInvert({ factor: [1, 1], seed: 10 });
 * const out = inv({ images: tf.tensor4d([0, 0.25, 1], [1, 1, 3, 1]) });
 * console.log(Array.from(out.images.dataSync()).join(',')); // 1,0.75,0
 * ```
 */
export function randomInvert(options?: RandomInvertOptions): Augmentation<RandomInvertParams> {
  const fn = 'randomInvert';
  const { o, p } = photometricOptions<RandomInvertOptions>(fn, options, RANDOM_INVERT_OPTIONS);
  const probability = uniformIn(checkFactor(fn, 'factor', o.factor ?? 1, [0, 1], 'fromZero'));
  const valueRange = checkValueRange(fn, o.valueRange);
  return photometricAugmentation({
    name: fn,
    seed: o.seed,
    p,
    rate: (rng) => {
      const q = probability(rng);
      return rng.uniform() < q;
    },
    params: {},
    transform: (images) => invert(images, { valueRange }),
  });
}
