import { optionNames } from '../core/validate.js';
import {
  checkFactor,
  FINITE,
  photometricAugmentation,
  photometricOptions,
  uniformIn,
} from './_internal/photometricRandom.js';
import type { Augmentation } from './augmentation.js';
import { solarize } from './functional/solarize.js';
import { checkValueRange } from './functional/_internal/photometric.js';

/** Options of {@link randomSolarize}: Keras 3 `Solarization`'s, camel-cased, plus `p`. */
export interface RandomSolarizeOptions {
  /**
   * In [0, 1], a fraction of the value range added to every pixel before the threshold: `[lower, upper]`,
   * or `[0, f]` for one number `f` (Keras' `addition_factor`).
   * @defaultValue 0
   */
  additionFactor?: number | [number, number];
  /**
   * In [0, 1], the threshold as a fraction of the value range above which pixels are inverted: `[lower,
   * upper]`, or `[0, f]` for one number `f` (Keras' `threshold_factor`; Keras' default 0 inverts every
   * pixel, torchvision's `RandomSolarize(threshold)` fixes it: pass `[t, t]`).
   * @defaultValue 0
   */
  thresholdFactor?: number | [number, number];
  /**
   * `[low, high]` of the pixel values (Keras' `value_range`; Keras defaults to `[0, 255]`, this library's
   * images are in [0, 1]).
   * @defaultValue [0, 1]
   */
  valueRange?: [number, number];
  /** Probability that an image is transformed, drawn per image. @defaultValue 1 */
  p?: number;
  /** Seed of the generator the parameters are drawn from. @defaultValue a fresh random seed */
  seed?: number;
}

const RANDOM_SOLARIZE_OPTIONS = optionNames<RandomSolarizeOptions>()(
  'additionFactor',
  'thresholdFactor',
  'valueRange',
  'p',
  'seed',
);

/** Parameters of one {@link randomSolarize} call. */
export interface RandomSolarizeParams {
  /** Per image: whether it is transformed. */
  applied: boolean[];
  /** Per image: the threshold, in the images' units (Keras' `thresholds` are in [0, 255] units). */
  threshold: number[];
  /** Per image: the addition, in the images' units (Keras' `additions`). */
  addition: number[];
}

/**
 * Solarizes each image with a random addition and threshold: Keras 3 `Solarization`. Per image an
 * addition and a threshold are drawn uniformly from their factors' ranges times the value range's
 * width (Keras draws in [0, 255] units), and {@link solarize} adds the addition, clips to the value range
 * and inverts the pixels at or above the threshold. Keras 3.15 scales only the upper end of each range
 * by 255 (its lower end stays a fraction, so a lower bound above 0 is nearly ignored); both ends are
 * scaled here, which is the same for a single number. Labels pass through unchanged.
 *
 * @param options - `additionFactor`, `thresholdFactor`, `valueRange`, `p`, `seed`.
 * @returns An {@link Augmentation} with {@link RandomSolarizeParams}.
 * @throws Error naming `randomSolarize`, the option and the value for factors outside [0, 1], a bad value
 *   range, `p` outside [0, 1] or an unknown option.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { randomSolarize } from 'tfjs-regularization/augment';
 *
 * const solar = randomSolarize({ thresholdFactor: [0.5, 0.5], seed: 6 });
 * const out = solar({ images: tf.tensor4d([0.25, 0.75], [1, 1, 2, 1]) });
 * console.log(Array.from(out.images.dataSync()).join(',')); // 0.25,0.25
 * ```
 */
export function randomSolarize(options?: RandomSolarizeOptions): Augmentation<RandomSolarizeParams> {
  const fn = 'randomSolarize';
  const { o, p } = photometricOptions<RandomSolarizeOptions>(fn, options, RANDOM_SOLARIZE_OPTIONS);
  const additions = checkFactor(fn, 'additionFactor', o.additionFactor ?? 0, [0, 1], 'fromZero');
  const thresholds = checkFactor(fn, 'thresholdFactor', o.thresholdFactor ?? 0, [0, 1], 'fromZero');
  const valueRange = checkValueRange(fn, o.valueRange);
  const [low, high] = valueRange;
  const [drawAddition, drawThreshold] = [uniformIn(additions), uniformIn(thresholds)];
  return photometricAugmentation({
    name: fn,
    seed: o.seed,
    p,
    params: {
      threshold: { ...FINITE, draw: (rng) => low + drawThreshold(rng) * (high - low) },
      addition: { ...FINITE, draw: (rng) => drawAddition(rng) * (high - low) },
    },
    transform: (images, { threshold, addition }) => solarize(images, threshold, { valueRange, addition }),
  });
}
