import { add, clone, matMul, mul, randomUniform, reshape, tensor3d } from '@tensorflow/tfjs-core';
import type { Tensor2D, Tensor3D } from '@tensorflow/tfjs-core';
import { checkOptions, optionNames, checkPositive, checkProbability, checkFloat32 } from '../core/validate.js';
import { gaussianBand } from './_internal/gaussianBand.js';
import { checkApplied, checkParamsObject, checkParamsSeed, passLabels } from './_internal/batch.js';
import { defineAugmentation } from './_internal/defineAugmentation.js';
import { warpMasksAt } from './_internal/masks.js';
import { identityPoints } from './_internal/resample/grids.js';
import { checkResampleOptions } from './_internal/resample/options.js';
import type { ResampleSettings } from './_internal/resample/options.js';
import { resampleAt } from './_internal/resample/resample.js';
import type { Augmentation, BatchInfo } from './augmentation.js';

/** Options of {@link elastic}; the defaults are Simard et al.'s MNIST values. */
export interface ElasticOptions {
  /**
   * Scale of the displacement, in pixels (the field before scaling is a smoothed uniform [-1, 1] field).
   * @defaultValue 34
   */
  alpha?: number;
  /**
   * Standard deviation of the Gaussian smoothing the field, in pixels: small is jittery, large is nearly rigid.
   * @defaultValue 4
   */
  sigma?: number;
  /** Probability that an image is distorted, drawn per image. @defaultValue 1 */
  p?: number;
  /** Seed of the generator the parameters are drawn from. @defaultValue a fresh random seed */
  seed?: number;
  /** What points displaced outside the image read, as in affineTransform. @defaultValue 'constant' */
  fillMode?: 'constant' | 'reflect' | 'wrap' | 'nearest';
  /** The value of the fill in `'constant'` mode. @defaultValue 0 */
  fillValue?: number;
  /** How a point between pixels is read. @defaultValue 'bilinear' */
  interpolation?: 'nearest' | 'bilinear';
}

const ELASTIC_OPTIONS = optionNames<ElasticOptions>()(
  'alpha',
  'sigma',
  'p',
  'seed',
  'fillMode',
  'fillValue',
  'interpolation',
);

/** Parameters of one {@link elastic} call. */
export interface ElasticParams {
  /** Per image: whether it is distorted. */
  applied: boolean[];
  /**
   * Seed of the batch's random fields (both axes of every image); the same seed gives the same fields on every backend.
   */
  seed: number;
}

/**
 * Elastic distortion (Simard, Steinkraus & Platt, 2003): per image, two random fields of
 * displacements uniform in [-1, 1] per pixel (one per axis) are smoothed by a Gaussian of standard
 * deviation `sigma` pixels, scaled by `alpha` pixels and added to the pixel coordinates; the image
 * is resampled there by the same sampler as affineTransform (same fill modes and interpolation).
 *
 * The Gaussian is truncated at 3·sigma (and at the image size) and normalized to sum 1; beyond the
 * border the random field counts as 0 (scipy's `mode='constant'`, as in the usual implementation),
 * so displacements fade within 3·sigma of the edges, to about half at a corner. With the defaults
 * (alpha 34, sigma 4) the displacement per axis has a standard deviation of about 1.4 pixels away
 * from the edges, varying smoothly over the image. Everything runs on the device: the fields come
 * from `tf.randomUniform` seeded by the parameters (identical on every backend), and two
 * one-dimensional Gaussian passes (matrix products) smooth them. Masks move with the images
 * (the same field, nearest sampling, 0 outside); labels pass through unchanged.
 *
 * @param options - `alpha`, `sigma`, `p`, `seed`, `fillMode`, `fillValue`, `interpolation`.
 * @returns An {@link Augmentation} with {@link ElasticParams}.
 * @throws Error naming `elastic`, the option and the value for a negative or non-finite `alpha`,
 *   a `sigma` that is not a finite number > 0, `p` outside [0, 1], an unknown fill mode or
 *   interpolation, a non-finite fill value or a non-integer seed.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { elastic } from 'tfjs-regularization/augment';
 *
 * const distort = elastic({ alpha: 34, sigma: 4, fillMode: 'nearest', seed: 5 });
 * // Each pixel's value is its column x, so a pixel's change is its horizontal displacement.
 * const ramp = tf.tidy(() => tf.tile(tf.reshape(tf.range(0, 28), [1, 1, 28, 1]), [2, 28, 1, 1])) as tf.Tensor4D;
 * const out = distort({ images: ramp });
 * console.log(out.images.shape.join('x')); // 2x28x28x1
 * const moved = tf.mean(tf.abs(tf.sub(out.images, ramp))).dataSync()[0]!;
 * console.log(moved > 0.5 && moved < 1.5); // about a pixel: true
 * const again = distort.apply({ images: ramp }, distort.lastParams!); // replay: the very same field
 * console.log(tf.max(tf.abs(tf.sub(again.images, out.images))).dataSync()[0]); // 0
 * ```
 */
export function elastic(options?: ElasticOptions): Augmentation<ElasticParams> {
  const fn = 'elastic';
  const o = checkOptions<ElasticOptions>(fn, options, ELASTIC_OPTIONS);
  const alpha = checkFloat32(fn, 'alpha', o.alpha ?? 34, 0);
  const sigma = checkPositive(fn, 'sigma', o.sigma ?? 4);
  const p = checkProbability(fn, o.p ?? 1);
  const resampling = checkResampleOptions(fn, o, 'constant');
  return defineAugmentation<ElasticParams>({
    name: fn,
    seed: o.seed,
    sample: (info, rng) => ({
      applied: Array.from({ length: info.batchSize }, () => rng.bernoulli(p)),
      seed: rng.nextSeed(),
    }),
    checkParams: (params, info) => checkElasticParams(fn, params, info),
    apply: (batch, params, info) => {
      const labels = passLabels(batch);
      const masks = batch.masks;
      if (alpha === 0 || !params.applied.includes(true)) {
        return { images: clone(batch.images), ...labels, ...(masks ? { masks: clone(masks) } : {}) };
      }
      // One field for the images and their masks: drawn once, from params.seed.
      const points = displacedPoints(params, info, alpha, sigma);
      const settings: ResampleSettings = { ...resampling, outHeight: info.height, outWidth: info.width };
      return {
        images: resampleAt(batch.images, points, settings),
        ...labels,
        ...(masks ? { masks: warpMasksAt(masks, points) } : {}),
      };
    },
    masks: 'apply',
  });
}

/**
 * Source coordinates [2 (x, y), batch · height · width]. The x fields of every image come first,
 * then the y fields, so the 2·batch fields smooth as separate planes and reshape straight into
 * the sampler's layout, with no transpose. Images left alone get a zero displacement: integer
 * coordinates, which the sampler reads back exactly.
 */
function displacedPoints(params: ElasticParams, info: BatchInfo, alpha: number, sigma: number): Tensor2D {
  const { batchSize: n, height: h, width: w } = info;
  // tf.randomUniform draws seeded values in JavaScript, hence identically on every backend.
  const noise = randomUniform([2 * n * h, w], -1, 1, 'float32', params.seed);
  // Separable smoothing as two matMuls with banded matrices, because a one-channel conv2d is many
  // times slower on tfjs-node. Rows along x, then every image's columns along y.
  const alongX = reshape(matMul(noise as Tensor2D, gaussianBand(sigma, w, truncated(sigma, w))), [2 * n, h, w]);
  const smooth = matMul(
    reshape(gaussianBand(sigma, h, truncated(sigma, h)), [1, h, h]) as Tensor3D,
    alongX as Tensor3D,
  );
  const gains = tensor3d(
    params.applied.map((a) => (a ? alpha : 0)),
    [1, n, 1],
  );
  const displacement = mul(reshape(smooth, [2, n, h * w]), gains);
  return reshape(add(displacement, identityPoints(h, w)), [2, n * h * w]);
}

/** The kernel radius: 3·sigma, and at most len − 1, beyond which no tap lands in the image. */
function truncated(sigma: number, len: number): number {
  return Math.min(Math.ceil(3 * sigma), len - 1);
}

function checkElasticParams(fn: string, params: unknown, info: BatchInfo): void {
  const p = checkParamsObject(fn, params, '{applied, seed}');
  checkApplied(fn, p['applied'], info);
  checkParamsSeed(fn, p['seed']);
}
