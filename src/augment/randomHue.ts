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
import { adjustHue } from './functional/adjustHue.js';
import { checkValueRange } from './functional/_internal/photometric.js';

/** Options of {@link randomHue}: Keras 3 `RandomHue`'s, camel-cased, plus `p`. */
export interface RandomHueOptions {
  /**
   * In [0, 1]: `u` is drawn from `[lower, upper]`, or from `[0, f]` for one number `f`, and the hue turns by
   * `±u / 2` turns, the sign drawn with probability 1/2 (Keras' `factor`: 1 is a shift of up to half a
   * turn either way). Required.
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

const RANDOM_HUE_OPTIONS = optionNames<RandomHueOptions>()('factor', 'valueRange', 'p', 'seed');

/** Parameters of one {@link randomHue} call. */
export interface RandomHueParams {
  /** Per image: whether it is transformed. */
  applied: boolean[];
  /** Per image: the hue shift in turns (Keras' transformation `factor`), in [−0.5, 0.5] when drawn. */
  delta: number[];
}

/**
 * Rotates the hue of RGB images by a random amount: Keras 3 `RandomHue`. Per image a sign (−1 when a
 * uniform draw exceeds 1/2, as Keras) and `u` in `[lower, upper]` are drawn, and the hue turns by `sign
 * · u / 2` ({@link adjustHue}, TensorFlow's hue kernel; Keras' HSV round trip gives the same up to
 * rounding, as the tests check), clipped to the value range. torchvision's `ColorJitter(hue=h)` draws
 * the shift from `[−h, h]` turns directly (see {@link colorJitter}). Labels pass through unchanged.
 *
 * @param options - `factor` (required), `valueRange`, `p`, `seed`.
 * @returns An {@link Augmentation} with {@link RandomHueParams}.
 * @throws Error naming `randomHue`, the option and the value for a factor outside [0, 1], a bad value
 *   range, `p` outside [0, 1] or an unknown option; naming it and the shape for images that are not RGB.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { randomHue } from 'tfjs-regularization/augment';
 *
 * const hue = randomHue({ factor: 1, seed: 4 });
 * const red = tf.tensor4d([1, 0, 0], [1, 1, 1, 3]);
 * const out = hue({ images: red });
 * console.log(Math.abs(hue.lastParams!.delta[0]!) <= 0.5); // true
 * const cyan = hue.apply({ images: red }, { applied: [true], delta: [0.5] });
 * console.log(Array.from(cyan.images.dataSync()).map((v) => v.toFixed(2)).join(',')); // 0.00,1.00,1.00
 * ```
 */
export function randomHue(options: RandomHueOptions): Augmentation<RandomHueParams> {
  const fn = 'randomHue';
  const { o, p } = photometricOptions<RandomHueOptions>(fn, options ?? {}, RANDOM_HUE_OPTIONS);
  const factor = checkFactor(fn, 'factor', o.factor, [0, 1], 'fromZero');
  const [low, high] = checkValueRange(fn, o.valueRange);
  const draw = uniformIn(factor);
  return photometricAugmentation({
    name: fn,
    seed: o.seed,
    p,
    rgb: true,
    params: {
      delta: {
        ...FINITE,
        draw: (rng) => {
          const sign = rng.uniform() > 0.5 ? -1 : 1;
          return sign * draw(rng) * 0.5;
        },
      },
    },
    transform: (images, { delta }) => clip(adjustHue(images, delta), low, high) as Tensor4D,
  });
}
