import { add, clone, randomNormal, reshape, tensor1d, where } from '@tensorflow/tfjs-core';
import type { Tensor4D } from '@tensorflow/tfjs-core';
import { clip as clipValues } from '../core/clip.js';
import { tfSeed } from '../core/random.js';
import {
  checkOptions,
  optionNames,
  checkProbability,
  invalidArgument,
  checkFloat32,
  FLOAT32_MAX,
} from '../core/validate.js';
import { checkApplied, checkParamsObject, checkParamsSeed, passLabels, checkNoiseStddev } from './_internal/batch.js';
import { defineAugmentation } from './_internal/defineAugmentation.js';
import type { Augmentation, BatchInfo } from './augmentation.js';

/** Options of {@link gaussianNoise}. */
export interface GaussianNoiseOptions {
  /** Standard deviation of the noise, in pixel units (0.1 is strong noise on [0, 1] images). Required. */
  stddev: number;
  /** Mean of the noise (a brightness shift). @defaultValue 0 */
  mean?: number;
  /** Probability that an image gets noise, drawn per image. @defaultValue 1 */
  p?: number;
  /**
   * `[min, max]`: noisy images are clipped to this range (e.g. `[0, 1]`); untouched images are never clipped.
   * @defaultValue no clipping
   */
  clip?: [number, number];
  /** Seed of the generator the parameters are drawn from. @defaultValue a fresh random seed */
  seed?: number;
}

const GAUSSIAN_NOISE_OPTIONS = optionNames<GaussianNoiseOptions>()('stddev', 'mean', 'p', 'clip', 'seed');

/** Parameters of one {@link gaussianNoise} call. */
export interface GaussianNoiseParams {
  /** Per image: whether it gets noise. */
  applied: boolean[];
  /**
   * Seed of the batch's noise field (every pixel of every image); the same seed gives the same noise on every backend.
   */
  seed: number;
}

/**
 * Additive Gaussian noise: `x + N(mean, stddev²)` independently per pixel and channel, on a random
 * subset of the batch (probability `p` per image), optionally clipped back to the pixel range.
 *
 * The noise field is generated from a seed kept in the parameters, so replaying
 * `lastParams` reproduces the noise exactly, on any backend. Labels pass through unchanged.
 *
 * @param options - `stddev` (required), `mean`, `p`, `clip`, `seed`.
 * @returns An {@link Augmentation} with {@link GaussianNoiseParams}.
 * @throws Error naming `gaussianNoise`, the option and the value for a missing or negative `stddev`,
 *   a non-finite `mean`, a `clip` that is not `[min, max]` with `min <= max`, or `p` outside [0, 1].
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { gaussianNoise } from 'tfjs-regularization/augment';
 *
 * const noise = gaussianNoise({ stddev: 0.1, clip: [0, 1], seed: 3 });
 * const images = tf.fill([8, 16, 16, 1], 0.5) as tf.Tensor4D;
 * const out = noise({ images });
 * const std = tf.sqrt(tf.moments(tf.sub(out.images, images)).variance).dataSync()[0]!;
 * console.log(Math.abs(std - 0.1) < 0.01); // true
 * const again = noise.apply({ images }, noise.lastParams!); // replay: the very same noise
 * console.log(tf.max(tf.abs(tf.sub(again.images, out.images))).dataSync()[0]); // 0
 * ```
 */
export function gaussianNoise(options: GaussianNoiseOptions): Augmentation<GaussianNoiseParams> {
  const fn = 'gaussianNoise';
  const o = checkOptions<GaussianNoiseOptions>(fn, options, GAUSSIAN_NOISE_OPTIONS);
  const stddev = checkNoiseStddev(fn, o.stddev);
  const mean = checkFloat32(fn, 'mean', o.mean ?? 0);
  const p = checkProbability(fn, o.p ?? 1);
  const clip = o.clip === undefined ? undefined : checkRange(fn, o.clip);
  return defineAugmentation<GaussianNoiseParams>({
    name: fn,
    seed: o.seed,
    sample: (info, rng) => ({
      applied: Array.from({ length: info.batchSize }, () => rng.bernoulli(p)),
      seed: rng.nextSeed(),
    }),
    checkParams: (params, info) => checkNoiseParams(fn, params, info),
    apply: (batch, params, info) => {
      const labels = passLabels(batch);
      const count = params.applied.filter(Boolean).length;
      if (count === 0 || (stddev === 0 && mean === 0 && clip === undefined))
        return { images: clone(batch.images), ...labels };
      // tfjs draws seeded normals in JavaScript, hence identically on every backend.
      const field = randomNormal(batch.images.shape, mean, stddev, 'float32', tfSeed(params.seed));
      let noisy = add(batch.images, field) as Tensor4D;
      if (clip) noisy = clipValues(noisy, clip[0], clip[1]);
      if (count === info.batchSize) return { images: noisy, ...labels };
      const gate = reshape(tensor1d(params.applied, 'bool'), [info.batchSize, 1, 1, 1]);
      return { images: where(gate, noisy, batch.images) as Tensor4D, ...labels };
    },
  });
}

function checkRange(fn: string, value: unknown): [number, number] {
  const ok =
    Array.isArray(value) &&
    value.length === 2 &&
    value.every((v) => typeof v === 'number' && Math.abs(v) <= FLOAT32_MAX);
  if (!ok || value[0] > value[1]) throw invalidArgument(fn, 'clip', value, '[min, max] with finite float32 min <= max');
  return [value[0], value[1]];
}

function checkNoiseParams(fn: string, params: unknown, info: BatchInfo): void {
  const p = checkParamsObject(fn, params, '{applied, seed}');
  checkApplied(fn, p['applied'], info);
  checkParamsSeed(fn, p['seed']);
}
