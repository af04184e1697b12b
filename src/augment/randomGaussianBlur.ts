import type { Tensor4D } from '@tensorflow/tfjs-core';
import { clip } from '../core/clip.js';
import { invalidArgument, optionNames } from '../core/validate.js';
import { checkFactor, photometricAugmentation, photometricOptions, uniformIn } from './_internal/photometricRandom.js';
import type { ParamSpec } from './_internal/photometricRandom.js';
import type { Augmentation } from './augmentation.js';
import { gaussianBlur } from './functional/gaussianBlur.js';
import { checkValueRange } from './functional/_internal/photometric.js';

/** Options of {@link randomGaussianBlur}: Keras 3 `RandomGaussianBlur`'s, camel-cased, plus `p`. */
export interface RandomGaussianBlurOptions {
  /**
   * In [0, 1]: per image a probability is drawn from `[lower, upper]` (from `[0, f]` for one number `f`)
   * and the image is blurred with it, so the rate is `(lower + upper) / 2` (Keras' `factor`: its default 1
   * blurs half the images; torchvision's `GaussianBlur` blurs all: `factor: [1, 1]`).
   * @defaultValue 1
   */
  factor?: number | [number, number];
  /** The kernel's size, odd: one number, or `[width, height]` (Keras' `kernel_size`). @defaultValue 3 */
  kernelSize?: number | [number, number];
  /**
   * The standard deviation's range, `[lower, upper]` with 0 <= lower <= upper, or `[0, s]` for one number
   * `s`; each image draws one sigma along x and one along y, plus 1e-6 as Keras (so a 0 draw is valid).
   * Keras bounds it to [0, 1]; any finite range is accepted here (torchvision's default is `[0.1, 2]`).
   * @defaultValue 1
   */
  sigma?: number | [number, number];
  /**
   * `[low, high]` of the pixel values, the result is clipped to it (Keras' `value_range`; Keras defaults
   * to `[0, 255]`, this library's images are in [0, 1]).
   * @defaultValue [0, 1]
   */
  valueRange?: [number, number];
  /** Probability that an image is considered at all, drawn before `factor`'s draws. @defaultValue 1 */
  p?: number;
  /** Seed of the generator the parameters are drawn from. @defaultValue a fresh random seed */
  seed?: number;
}

const RANDOM_GAUSSIAN_BLUR_OPTIONS = optionNames<RandomGaussianBlurOptions>()(
  'factor',
  'kernelSize',
  'sigma',
  'valueRange',
  'p',
  'seed',
);

/** Parameters of one {@link randomGaussianBlur} call. */
export interface RandomGaussianBlurParams {
  /** Per image: whether it is blurred (Keras' `should_apply_blur`, and the `p` gate). */
  applied: boolean[];
  /** Per image: the standard deviation along x (Keras' `blur_factor[0]`), > 0. */
  sigma: number[];
  /** Per image: the standard deviation along y (Keras' `blur_factor[1]`), > 0. */
  sigmaY: number[];
}

function checkKernelSize(fn: string, value: unknown): number | [number, number] {
  const odd = (v: unknown) => typeof v === 'number' && Number.isInteger(v) && v >= 1 && v % 2 === 1 && v <= 1023;
  if (odd(value)) return value as number;
  if (Array.isArray(value) && value.length === 2 && value.every(odd)) return [value[0], value[1]] as [number, number];
  throw invalidArgument(fn, 'kernelSize', value, 'an odd integer from 1 to 1023, or [width, height] of two');
}

function checkSigmaRange(fn: string, value: unknown): [number, number] {
  const ok = (v: unknown): v is number => typeof v === 'number' && v >= 0 && v <= 1e30;
  if (ok(value) && value > 0) return [0, value];
  if (Array.isArray(value) && value.length === 2 && value.every(ok)) {
    const [lower, upper] = value as [number, number];
    if (lower <= upper && upper > 0) return [lower, upper];
  }
  throw invalidArgument(fn, 'sigma', value, 'a number > 0, or [lower, upper] with 0 <= lower <= upper, upper > 0');
}

/**
 * Blurs a random subset of the images with a Gaussian of random width: Keras 3 `RandomGaussianBlur`
 * ({@link gaussianBlur}, zero-padded as Keras; torchvision pads by reflection), clipped to the value
 * range. Keras draws one pair of sigmas for the whole batch; here each image draws its own, as
 * torchvision's per-image calls do (and as every augmentation here draws per sample). Labels pass
 * through unchanged.
 *
 * @param options - `factor`, `kernelSize`, `sigma`, `valueRange`, `p`, `seed`.
 * @returns An {@link Augmentation} with {@link RandomGaussianBlurParams}.
 * @throws Error naming `randomGaussianBlur`, the option and the value for a factor outside [0, 1], a
 *   kernel size that is not odd, a bad sigma range or value range, `p` outside [0, 1] or an unknown option.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { randomGaussianBlur } from 'tfjs-regularization/augment';
 *
 * const blur = randomGaussianBlur({ factor: [1, 1], sigma: [1, 1], seed: 12 });
 * const dot = tf.tensor4d([0, 0, 0, 0, 1, 0, 0, 0, 0], [1, 3, 3, 1]);
 * const out = blur({ images: dot });
 * // The centre weight: (1 / (1 + 2·exp(−1/2)))², about 0.2042.
 * console.log(out.images.dataSync()[4].toFixed(4)); // 0.2042
 * ```
 */
export function randomGaussianBlur(options?: RandomGaussianBlurOptions): Augmentation<RandomGaussianBlurParams> {
  const fn = 'randomGaussianBlur';
  const { o, p } = photometricOptions<RandomGaussianBlurOptions>(fn, options, RANDOM_GAUSSIAN_BLUR_OPTIONS);
  const probability = uniformIn(checkFactor(fn, 'factor', o.factor ?? 1, [0, 1], 'fromZero'));
  const kernelSize = checkKernelSize(fn, o.kernelSize ?? 3);
  const drawSigma = uniformIn(checkSigmaRange(fn, o.sigma ?? 1));
  const [low, high] = checkValueRange(fn, o.valueRange);
  const sigma: ParamSpec = {
    draw: (rng) => drawSigma(rng) + 1e-6,
    valid: (v) => v > 0 && v <= 3.4e38,
    expected: 'a number > 0',
  };
  return photometricAugmentation({
    name: fn,
    seed: o.seed,
    p,
    rate: (rng) => {
      const q = probability(rng);
      return rng.uniform() < q;
    },
    params: { sigma, sigmaY: sigma },
    transform: (images, v) =>
      clip(gaussianBlur(images, { kernelSize, sigma: v.sigma, sigmaY: v.sigmaY }), low, high) as Tensor4D,
  });
}
