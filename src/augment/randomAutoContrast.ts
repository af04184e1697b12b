import { optionNames } from '../core/validate.js';
import { photometricAugmentation, photometricOptions } from './_internal/photometricRandom.js';
import type { Augmentation } from './augmentation.js';
import { autoContrast } from './functional/autoContrast.js';
import { checkValueRange } from './functional/_internal/photometric.js';

/** Options of {@link randomAutoContrast}: Keras 3 `AutoContrast`'s, camel-cased, plus `p` and `seed`. */
export interface RandomAutoContrastOptions {
  /**
   * `[low, high]` of the pixel values (Keras' `value_range`; Keras defaults to `[0, 255]`, this library's
   * images are in [0, 1]).
   * @defaultValue [0, 1]
   */
  valueRange?: [number, number];
  /**
   * Probability that an image is stretched, drawn per image: torchvision's `RandomAutocontrast(p=0.5)`
   * (Keras' `AutoContrast` always applies: `p: 1`).
   * @defaultValue 0.5
   */
  p?: number;
  /** Seed of the generator the parameters are drawn from. @defaultValue a fresh random seed */
  seed?: number;
}

const RANDOM_AUTO_CONTRAST_OPTIONS = optionNames<RandomAutoContrastOptions>()('valueRange', 'p', 'seed');

/** Parameters of one {@link randomAutoContrast} call. */
export interface RandomAutoContrastParams {
  /** Per image: whether it is stretched. */
  applied: boolean[];
}

/**
 * Stretches each channel of a random subset of the images to the full value range ({@link autoContrast}:
 * Keras 3 `AutoContrast`'s transformation, torchvision's `autocontrast`). Labels pass through unchanged.
 *
 * @param options - `valueRange`, `p`, `seed`.
 * @returns An {@link Augmentation} with {@link RandomAutoContrastParams}.
 * @throws Error naming `randomAutoContrast`, the option and the value for a bad value range, `p` outside
 *   [0, 1] or an unknown option.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { randomAutoContrast } from 'tfjs-regularization/augment';
 *
 * const stretch = randomAutoContrast({ p: 1, seed: 9 });
 * const out = stretch({ images: tf.tensor4d([0.25, 0.5, 0.75], [1, 1, 3, 1]) });
 * console.log(Array.from(out.images.dataSync()).join(',')); // 0,0.5,1
 * ```
 */
export function randomAutoContrast(options?: RandomAutoContrastOptions): Augmentation<RandomAutoContrastParams> {
  const fn = 'randomAutoContrast';
  const { o, p } = photometricOptions<RandomAutoContrastOptions>(fn, options, RANDOM_AUTO_CONTRAST_OPTIONS, 0.5);
  const valueRange = checkValueRange(fn, o.valueRange);
  return photometricAugmentation({
    name: fn,
    seed: o.seed,
    p,
    params: {},
    transform: (images) => autoContrast(images, { valueRange }),
  });
}
