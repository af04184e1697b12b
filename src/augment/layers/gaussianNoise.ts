import { add, randomNormal, serialization } from '@tensorflow/tfjs-core';
import type { Tensor } from '@tensorflow/tfjs-core';
import { tfSeed } from '../../core/random.js';
import { registerOnce } from '../../core/serialization.js';
import { optionNames } from '../../core/validate.js';
import { checkNoiseStddev } from '../_internal/batch.js';
import { AugmentLayer, checkArgs, checkLayerOptions, LAYER_ARGS } from './_internal/AugmentLayer.js';
import type { Layer, LayerArgs } from './_internal/AugmentLayer.js';

type ConfigDict = serialization.ConfigDict;

/** Options of `layers.gaussianNoise` (Keras 3 `GaussianNoise`), plus tfjs' LayerArgs. */
export interface GaussianNoiseLayerOptions extends LayerArgs {
  /** Standard deviation of the noise, a finite number >= 0. Required. Keras: `stddev`. */
  stddev: number;
  /** Seed of the layer's generator. Keras: `seed`. @defaultValue a fresh random seed */
  seed?: number | null;
}

const GAUSSIAN_NOISE_LAYER_OPTIONS = optionNames<GaussianNoiseLayerOptions>()('stddev', 'seed', ...LAYER_ARGS);

/**
 * Keras 3 GaussianNoise(stddev, seed): adds N(0, stddev²) noise in training only. Registered as
 * 'SeededGaussianNoise' so that tfjs-layers' own 'GaussianNoise' (unseeded, same semantics) keeps
 * loading Keras and tfjs models unchanged.
 */
export class SeededGaussianNoise extends AugmentLayer {
  static className = 'SeededGaussianNoise';
  readonly stddev: number;

  constructor(args: GaussianNoiseLayerOptions) {
    const fn = 'layers.gaussianNoise';
    checkArgs<GaussianNoiseLayerOptions>(fn, args, ['stddev']);
    super(fn, args, false);
    this.stddev = checkNoiseStddev(fn, args.stddev);
    this.supportsMasking = true;
  }

  protected augment(x: Tensor): Tensor {
    // The noise seed comes from the layer's generator; seeded normals are drawn identically on every backend.
    const seed = tfSeed(this.rng.nextSeed());
    return add(x, randomNormal(x.shape, 0, this.stddev, 'float32', seed));
  }

  protected options(): ConfigDict {
    return { stddev: this.stddev };
  }
}

/**
 * Keras 3's `GaussianNoise(stddev, seed)` layer: while training it adds N(0, stddev²) noise to
 * every element; at inference it is the identity. Any input shape (images or features).
 *
 * tfjs-layers' own `tf.layers.gaussianNoise` has the same training-only semantics but no seed: its
 * noise cannot be reproduced. This one draws a noise seed per call from the layer's seeded
 * generator, so equal seeds give equal noise, on every backend. It saves and loads under the class
 * name `SeededGaussianNoise` (config stddev, seed), leaving the name `GaussianNoise` to tfjs' layer,
 * which is what Keras-exported models load into.
 *
 * @param options - `stddev` (required), `seed`, and tfjs' layer options (`name`, `inputShape`, ...).
 * @returns A tfjs-layers `Layer`.
 * @throws Error naming `layers.gaussianNoise`, the option and the value for a missing or negative
 *   `stddev` or a non-integer seed.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { layers } from 'tfjs-regularization/augment';
 *
 * const noise = layers.gaussianNoise({ stddev: 0.1, seed: 3 });
 * const x = tf.fill([64, 64], 0.5);
 * const noisy = noise.apply(x, { training: true }) as tf.Tensor;
 * const std = tf.sqrt(tf.moments(tf.sub(noisy, x)).variance).dataSync()[0]!;
 * console.log(Math.abs(std - 0.1) < 0.01); // true
 * const inference = noise.apply(x) as tf.Tensor;
 * console.log(tf.all(tf.equal(inference, x)).dataSync()[0]); // identity: 1
 * ```
 */
export function gaussianNoise(options: GaussianNoiseLayerOptions): Layer {
  registerOnce(SeededGaussianNoise);
  return new SeededGaussianNoise(
    checkLayerOptions('layers.gaussianNoise', options, GAUSSIAN_NOISE_LAYER_OPTIONS, ['stddev'], ['seed']),
  );
}
