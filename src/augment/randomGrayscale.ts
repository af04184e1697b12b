import { tile } from '@tensorflow/tfjs-core';
import type { Tensor4D } from '@tensorflow/tfjs-core';
import { checkProbability, optionNames } from '../core/validate.js';
import { photometricAugmentation, photometricOptions } from './_internal/photometricRandom.js';
import type { Augmentation } from './augmentation.js';
import { rgbToGrayscale } from './functional/rgbToGrayscale.js';

/** Options of {@link randomGrayscale}: Keras 3 `RandomGrayscale`'s, camel-cased, plus `p`. */
export interface RandomGrayscaleOptions {
  /** Probability that an image is turned gray, drawn per image (Keras' `factor`). @defaultValue 0.5 */
  factor?: number;
  /**
   * Probability that an image is considered at all, drawn before `factor`'s draw: the rate is `p · factor`.
   * @defaultValue 1
   */
  p?: number;
  /** Seed of the generator the parameters are drawn from. @defaultValue a fresh random seed */
  seed?: number;
}

const RANDOM_GRAYSCALE_OPTIONS = optionNames<RandomGrayscaleOptions>()('factor', 'p', 'seed');

/** Parameters of one {@link randomGrayscale} call. */
export interface RandomGrayscaleParams {
  /** Per image: whether it is turned gray. */
  applied: boolean[];
}

/**
 * Turns a random subset of RGB images gray, keeping three channels: Keras 3 `RandomGrayscale` (and
 * torchvision's `RandomGrayscale(p)`, whose default is 0.1). Each selected image becomes its luma
 * ({@link rgbToGrayscale}) in all three channels. Labels pass through unchanged.
 *
 * @param options - `factor`, `p`, `seed`.
 * @returns An {@link Augmentation} with {@link RandomGrayscaleParams}.
 * @throws Error naming `randomGrayscale`, the option and the value for `factor` or `p` outside [0, 1] or
 *   an unknown option; naming it and the shape for images that are not RGB.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { randomGrayscale } from 'tfjs-regularization/augment';
 *
 * const gray = randomGrayscale({ factor: 1, seed: 5 });
 * const out = gray({ images: tf.tensor4d([1, 0, 0], [1, 1, 1, 3]) });
 * console.log(Array.from(out.images.dataSync()).map((v) => v.toFixed(4)).join(',')); // 0.2989,0.2989,0.2989
 * ```
 */
export function randomGrayscale(options?: RandomGrayscaleOptions): Augmentation<RandomGrayscaleParams> {
  const fn = 'randomGrayscale';
  const { o, p } = photometricOptions<RandomGrayscaleOptions>(fn, options, RANDOM_GRAYSCALE_OPTIONS);
  const factor = checkProbability(fn, o.factor ?? 0.5, 'factor');
  return photometricAugmentation({
    name: fn,
    seed: o.seed,
    p,
    rgb: true,
    rate: (rng) => rng.uniform() < factor,
    params: {},
    transform: (images) => tile(rgbToGrayscale(images), [1, 1, 1, 3]) as Tensor4D,
  });
}
