import type { Tensor4D } from '@tensorflow/tfjs-core';
import { clip } from '../core/clip.js';
import { optionNames } from '../core/validate.js';
import {
  checkFactor,
  FINITE,
  photometricAugmentation,
  photometricOptions,
  uniformIn,
} from './_internal/photometricRandom.js';
import type { Augmentation } from './augmentation.js';
import { adjustContrast } from './functional/adjustContrast.js';
import { checkValueRange } from './functional/_internal/photometric.js';

/** Options of {@link randomContrast}: Keras 3 `RandomContrast`'s, camel-cased, plus `p`. */
export interface RandomContrastOptions {
  /**
   * In [0, 1]: the contrast factor is drawn from `[1 − lower, 1 + upper]`; one number `f` is `lower =
   * upper = f` (Keras' `factor`, as Keras documents it). Required.
   */
  factor: number | [number, number];
  /**
   * `[low, high]` of the pixel values, the result is clipped to it (Keras' `value_range`; Keras defaults
   * to `[0, 255]`, this library's images are in [0, 1]).
   * @defaultValue [0, 1]
   */
  valueRange?: [number, number];
  /** Probability that an image is transformed, drawn per image. @defaultValue 1 */
  p?: number;
  /** Seed of the generator the parameters are drawn from. @defaultValue a fresh random seed */
  seed?: number;
}

const RANDOM_CONTRAST_OPTIONS = optionNames<RandomContrastOptions>()('factor', 'valueRange', 'p', 'seed');

/** Parameters of one {@link randomContrast} call. */
export interface RandomContrastParams {
  /** Per image: whether it is transformed. */
  applied: boolean[];
  /** Per image: the contrast factor (Keras' `contrast_factor`; 1 keeps the image). */
  factor: number[];
}

/**
 * Scales each image's contrast by a random factor: Keras 3 `RandomContrast`. Per image, a factor is
 * drawn uniformly from `[1 − lower, 1 + upper]`, each pixel's distance from its image's per-channel
 * mean is scaled by it ({@link adjustContrast}) and the result is clipped to the value range.
 * Keras 3.15's code reads one number `f` as `[0, f]`, hence factors in `[1, 1 + f]`, where its
 * documentation (and torchvision) say `[1 − f, 1 + f]`: this follows the documentation; pass `[0, f]`
 * for Keras' code. torchvision's contrast blends with the mean of the grayscale image instead of each
 * channel's mean (see {@link colorJitter}). Labels pass through unchanged.
 *
 * @param options - `factor` (required), `valueRange`, `p`, `seed`.
 * @returns An {@link Augmentation} with {@link RandomContrastParams}.
 * @throws Error naming `randomContrast`, the option and the value for a factor outside [0, 1], a bad
 *   value range, `p` outside [0, 1] or an unknown option.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { randomContrast } from 'tfjs-regularization/augment';
 *
 * const contrast = randomContrast({ factor: 0.5, seed: 2 });
 * const images = tf.tensor4d([0.4, 0.6], [1, 1, 2, 1]);
 * const out = contrast({ images });
 * const f = contrast.lastParams!.factor[0]!;
 * console.log(f >= 0.5 && f <= 1.5); // true
 * console.log(Math.abs(out.images.dataSync()[1]! - (0.5 + 0.1 * f)) < 1e-6); // true
 * ```
 */
export function randomContrast(options: RandomContrastOptions): Augmentation<RandomContrastParams> {
  const fn = 'randomContrast';
  const { o, p } = photometricOptions<RandomContrastOptions>(fn, options ?? {}, RANDOM_CONTRAST_OPTIONS);
  const [lower, upper] = checkFactor(fn, 'factor', o.factor, [0, 1], 'both');
  const [low, high] = checkValueRange(fn, o.valueRange);
  const draw = uniformIn([1 - lower, 1 + upper]);
  return photometricAugmentation({
    name: fn,
    seed: o.seed,
    p,
    params: { factor: { ...FINITE, draw } },
    transform: (images, { factor }) => clip(adjustContrast(images, factor), low, high) as Tensor4D,
  });
}
