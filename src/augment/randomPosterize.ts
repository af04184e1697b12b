import { invalidArgument, optionNames } from '../core/validate.js';
import { photometricAugmentation, photometricOptions } from './_internal/photometricRandom.js';
import type { Augmentation } from './augmentation.js';
import { posterize } from './functional/posterize.js';
import { checkValueRange } from './functional/_internal/photometric.js';

/** Options of {@link randomPosterize}: Keras 3 `RandomPosterization`'s, camel-cased, plus `p`. */
export interface RandomPosterizeOptions {
  /**
   * Bits kept per channel, integers from 1 to 8: one number for a fixed count (torchvision's
   * `RandomPosterize(bits)`), or `[lower, upper]` for a count drawn uniformly from `lower..upper`, both
   * included (Keras' `factor`). Required.
   */
  factor: number | [number, number];
  /**
   * `[low, high]` of the pixel values (Keras' `value_range`; Keras defaults to `[0, 255]`, this library's
   * images are in [0, 1]).
   * @defaultValue [0, 1]
   */
  valueRange?: [number, number];
  /** Probability that an image is transformed, drawn per image (torchvision's default is 0.5). @defaultValue 1 */
  p?: number;
  /** Seed of the generator the parameters are drawn from. @defaultValue a fresh random seed */
  seed?: number;
}

const RANDOM_POSTERIZE_OPTIONS = optionNames<RandomPosterizeOptions>()('factor', 'valueRange', 'p', 'seed');

/** Parameters of one {@link randomPosterize} call. */
export interface RandomPosterizeParams {
  /** Per image: whether it is transformed. */
  applied: boolean[];
  /** Per image: the bits kept, 1 to 8 (Keras' transformation holds `8 − bits`, its `shift_factor`). */
  bits: number[];
}

const isBits = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 1 && v <= 8;

/**
 * Keeps a random number of the most significant bits of each 8-bit pixel value: Keras 3
 * `RandomPosterization` ({@link posterize}). Keras 3.15's code reads one number `f` as the range `[1, f]`
 * and draws with an exclusive upper end (`RandomPosterization(4)` keeps 1 to 3 bits) where its
 * documentation calls `factor` "the number of bits to keep": here one number is that fixed count, as
 * torchvision's `RandomPosterize`, and a range includes both ends. Labels pass through unchanged.
 *
 * @param options - `factor` (required), `valueRange`, `p`, `seed`.
 * @returns An {@link Augmentation} with {@link RandomPosterizeParams}.
 * @throws Error naming `randomPosterize`, the option and the value for bits that are not integers from 1
 *   to 8, a bad value range, `p` outside [0, 1] or an unknown option.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { randomPosterize } from 'tfjs-regularization/augment';
 *
 * const poster = randomPosterize({ factor: 1, seed: 7 });
 * const out = poster({ images: tf.tensor4d([0.25, 0.75], [1, 1, 2, 1]) });
 * console.log(Array.from(out.images.dataSync()).map((v) => v.toFixed(3)).join(',')); // 0.000,0.502
 * ```
 */
export function randomPosterize(options: RandomPosterizeOptions): Augmentation<RandomPosterizeParams> {
  const fn = 'randomPosterize';
  const { o, p } = photometricOptions<RandomPosterizeOptions>(fn, options ?? {}, RANDOM_POSTERIZE_OPTIONS);
  const f = o.factor;
  let range: [number, number];
  if (isBits(f)) range = [f, f];
  else if (Array.isArray(f) && f.length === 2 && f.every(isBits)) range = f[0] <= f[1] ? [f[0], f[1]] : [f[1], f[0]];
  else throw invalidArgument(fn, 'factor', f, 'an integer from 1 to 8, or [lower, upper] of two');
  const valueRange = checkValueRange(fn, o.valueRange);
  const [lower, upper] = range;
  return photometricAugmentation({
    name: fn,
    seed: o.seed,
    p,
    params: {
      bits: {
        draw: (rng) => (lower === upper ? lower : lower + rng.integer(upper - lower + 1)),
        valid: isBits,
        expected: 'an integer from 1 to 8',
      },
    },
    transform: (images, { bits }) => posterize(images, bits, { valueRange }),
  });
}
