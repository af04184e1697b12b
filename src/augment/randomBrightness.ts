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
import { adjustBrightness } from './functional/adjustBrightness.js';
import { checkValueRange } from './functional/_internal/photometric.js';

/** Options of {@link randomBrightness}: Keras 3 `RandomBrightness`'s, camel-cased, plus `p`. */
export interface RandomBrightnessOptions {
  /**
   * The brightness shift as a fraction of the value range, in [-1, 1]: `[lower, upper]`, or one number
   * `f` for `[-f, f]` (Keras' `factor`). Required.
   */
  factor: number | [number, number];
  /**
   * `[low, high]` of the pixel values: the shift is scaled to it and the result clipped to it (Keras'
   * `value_range`; Keras defaults to `[0, 255]`, this library's images are in [0, 1]).
   * @defaultValue [0, 1]
   */
  valueRange?: [number, number];
  /** Probability that an image is transformed, drawn per image. @defaultValue 1 */
  p?: number;
  /** Seed of the generator the parameters are drawn from. @defaultValue a fresh random seed */
  seed?: number;
}

const RANDOM_BRIGHTNESS_OPTIONS = optionNames<RandomBrightnessOptions>()('factor', 'valueRange', 'p', 'seed');

/** Parameters of one {@link randomBrightness} call. */
export interface RandomBrightnessParams {
  /** Per image: whether it is transformed. */
  applied: boolean[];
  /** Per image: the amount added, in the images' units (Keras' `rgb_delta`). */
  delta: number[];
}

/**
 * Shifts the brightness of each image by a random amount: Keras 3 `RandomBrightness`. Per image, `u`
 * is drawn uniformly from `factor`'s `[lower, upper]`, `delta = u · (high − low)` is added to every
 * pixel ({@link adjustBrightness}) and the result is clipped to the value range. torchvision's
 * `ColorJitter(brightness)` multiplies instead (see {@link colorJitter}). Labels pass through unchanged.
 *
 * @param options - `factor` (required), `valueRange`, `p`, `seed`.
 * @returns An {@link Augmentation} with {@link RandomBrightnessParams}.
 * @throws Error naming `randomBrightness`, the option and the value for a factor outside [-1, 1], a bad
 *   value range, `p` outside [0, 1] or an unknown option.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { randomBrightness } from 'tfjs-regularization/augment';
 *
 * const brighten = randomBrightness({ factor: [0.5, 0.5], seed: 1 });
 * const out = brighten({ images: tf.fill([2, 2, 2, 3], 0.25) as tf.Tensor4D });
 * console.log(brighten.lastParams!.delta.join(',')); // 0.5,0.5
 * console.log(out.images.dataSync()[0]); // 0.75
 * ```
 */
export function randomBrightness(options: RandomBrightnessOptions): Augmentation<RandomBrightnessParams> {
  const fn = 'randomBrightness';
  const { o, p } = photometricOptions<RandomBrightnessOptions>(fn, options ?? {}, RANDOM_BRIGHTNESS_OPTIONS);
  const factor = checkFactor(fn, 'factor', o.factor, [-1, 1], 'symmetric');
  const [low, high] = checkValueRange(fn, o.valueRange);
  const draw = uniformIn(factor);
  return photometricAugmentation({
    name: fn,
    seed: o.seed,
    p,
    params: { delta: { ...FINITE, draw: (rng) => draw(rng) * (high - low) } },
    transform: (images, { delta }) => clip(adjustBrightness(images, delta), low, high) as Tensor4D,
  });
}
