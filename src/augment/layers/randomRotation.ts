import { serialization } from '@tensorflow/tfjs-core';
import { registerOnce } from '../../core/serialization.js';
import { optionNames } from '../../core/validate.js';
import type { RandomGenerator } from '../../core/random.js';
import { AffineLayer, KERAS_AFFINE_ARGS } from './_internal/AffineLayer.js';
import type { KerasAffineOptions } from './_internal/AffineLayer.js';
import { checkArgs, checkFactor, checkLayerOptions, factorConfig } from './_internal/AugmentLayer.js';
import type { Factor, FactorRange, Layer } from './_internal/AugmentLayer.js';

type ConfigDict = serialization.ConfigDict;

/** Options of `layers.randomRotation` (Keras 3 `RandomRotation`). */
export interface RandomRotationOptions extends KerasAffineOptions {
  /**
   * Fraction of a full turn: f draws in [-f·2π, f·2π], [lo, hi] in [lo·2π, hi·2π]; positive is counter-clockwise.
   * Within [-1, 1].
   * Keras: `factor`.
   */
  factor: Factor;
}

const RANDOM_ROTATION_OPTIONS = optionNames<RandomRotationOptions>()('factor', ...KERAS_AFFINE_ARGS);

/**
 * Keras 3 RandomRotation: angle = 2π · u, u uniform in the factor range; positive turns the content
 * counter-clockwise on screen. The row is Keras' own: a rotation about the pixel-grid centre
 * ((w − 1)/2, (h − 1)/2) mapping output (x, y) to the input point it reads.
 */
export class RandomRotation extends AffineLayer {
  static className = 'RandomRotation';
  readonly factor: number | number[];
  private readonly range: FactorRange;

  constructor(args: RandomRotationOptions) {
    const fn = 'layers.randomRotation';
    checkArgs<RandomRotationOptions>(fn, args, ['factor']);
    super(fn, args);
    this.range = checkFactor(fn, 'factor', args.factor);
    this.factor = factorConfig(args.factor);
  }

  protected rows(batch: number, height: number, width: number, rng: RandomGenerator): number[][] {
    const [lo, hi] = this.range;
    return Array.from({ length: batch }, () => {
      const angle = 2 * Math.PI * rng.uniform(lo, hi);
      const [c, s] = [Math.cos(angle), Math.sin(angle)];
      const xOffset = (width - 1 - (c * (width - 1) - s * (height - 1))) / 2;
      const yOffset = (height - 1 - (s * (width - 1) + c * (height - 1))) / 2;
      return [c, -s, xOffset, s, c, yOffset, 0, 0];
    });
  }

  protected options(): ConfigDict {
    return { factor: this.factor, ...this.samplingConfig() };
  }
}

/**
 * Keras 3's `RandomRotation` layer: while training (model.fit, or `apply(x, {training: true})`)
 * each image is turned by its own random angle; at inference it is the identity.
 *
 * `factor` is a fraction of a full turn, as in Keras: `f` draws the angle uniformly in
 * [−f·2π, f·2π], a pair `[lo, hi]` in [lo·2π, hi·2π]; positive turns the content counter-clockwise
 * (so `[0.25, 0.25]` is exactly `np.rot90`). The rotation is about the pixel-grid centre with
 * Keras' own matrix, resampled by {@link affineTransform} with Keras' defaults (`fillMode: 'reflect'`,
 * `interpolation: 'bilinear'`). Angles are drawn in JavaScript from the layer's seeded generator, so a
 * seed reproduces the same sequence of augmentations on every backend.
 *
 * The layer saves and loads with the model (class name `RandomRotation`, Keras' config names:
 * factor, fill_mode, interpolation, fill_value, seed). Input: `[batch, height, width, channels]`.
 * Place it before any trainable layer (directly after the input, as Keras does): the resampling
 * has no gradient in tfjs.
 *
 * @param options - `factor` (required), `fillMode`, `interpolation`, `fillValue`, `seed`, and tfjs'
 *   layer options (`name`, `inputShape`, ...).
 * @returns A tfjs-layers `Layer` for `tf.sequential` / `apply`.
 * @throws Error naming `layers.randomRotation`, the option and the value for a missing factor or
 *   one outside [-1, 1], an unknown fill mode or interpolation, a non-finite fill value or a
 *   non-integer seed.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import * as tfl from '@tensorflow/tfjs-layers';
 * import { layers } from 'tfjs-regularization/augment';
 *
 * // Turns of up to ±0.1 of a full turn (±36°) while fitting, nothing at predict time.
 * const model = tfl.sequential({ layers: [
 *   layers.randomRotation({ factor: 0.1, inputShape: [8, 8, 1], seed: 1 }),
 *   tfl.layers.flatten(),
 *   tfl.layers.dense({ units: 2, activation: 'softmax' }),
 * ] });
 * console.log(model.layers[0]!.getClassName()); // RandomRotation
 *
 * const turn = layers.randomRotation({ factor: [0.25, 0.25], interpolation: 'nearest' });
 * const image = tf.tensor4d([1, 2, 3, 4], [1, 2, 2, 1]);
 * const turned = turn.apply(image, { training: true }) as tf.Tensor;
 * console.log(Array.from(turned.dataSync()).join(',')); // a quarter turn counter-clockwise: 2,4,1,3
 * const inference = turn.apply(image) as tf.Tensor;
 * console.log(Array.from(inference.dataSync()).join(',')); // identity: 1,2,3,4
 * ```
 */
export function randomRotation(options: RandomRotationOptions): Layer {
  registerOnce(RandomRotation);
  return new RandomRotation(
    checkLayerOptions(`layers.randomRotation`, options, RANDOM_ROTATION_OPTIONS, ['factor'], ['seed']),
  );
}
