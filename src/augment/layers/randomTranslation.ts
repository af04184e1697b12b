import { serialization } from '@tensorflow/tfjs-core';
import { registerOnce } from '../../core/serialization.js';
import { optionNames } from '../../core/validate.js';
import type { RandomGenerator } from '../../core/random.js';
import { AffineLayer, KERAS_AFFINE_ARGS } from './_internal/AffineLayer.js';
import type { KerasAffineOptions } from './_internal/AffineLayer.js';
import { checkArgs, checkFactor, checkLayerOptions, factorConfig } from './_internal/AugmentLayer.js';
import type { Factor, FactorRange, Layer } from './_internal/AugmentLayer.js';

type ConfigDict = serialization.ConfigDict;

/** Options of `layers.randomTranslation` (Keras 3 `RandomTranslation`). */
export interface RandomTranslationOptions extends KerasAffineOptions {
  /**
   * Vertical shift as a fraction of the height: f draws in [-f, f], or [lo, hi]; positive moves down. Within [-1, 1].
   * Keras: `height_factor`.
   */
  heightFactor: Factor;
  /**
   * Horizontal shift as a fraction of the width: f draws in [-f, f], or [lo, hi]; positive moves right. Within [-1, 1].
   * Keras: `width_factor`.
   */
  widthFactor: Factor;
}

const RANDOM_TRANSLATION_OPTIONS = optionNames<RandomTranslationOptions>()(
  'heightFactor',
  'widthFactor',
  ...KERAS_AFFINE_ARGS,
);

/**
 * Keras 3 RandomTranslation: shifts of u·height rows and v·width columns (u, v uniform in the
 * factor ranges, not rounded); positive moves the content down / right.
 */
export class RandomTranslation extends AffineLayer {
  static className = 'RandomTranslation';
  readonly heightFactor: number | number[];
  readonly widthFactor: number | number[];
  private readonly heightRange: FactorRange;
  private readonly widthRange: FactorRange;

  constructor(args: RandomTranslationOptions) {
    const fn = 'layers.randomTranslation';
    checkArgs<RandomTranslationOptions>(fn, args, ['heightFactor', 'widthFactor']);
    super(fn, args);
    this.heightRange = checkFactor(fn, 'heightFactor', args.heightFactor);
    this.widthRange = checkFactor(fn, 'widthFactor', args.widthFactor);
    this.heightFactor = factorConfig(args.heightFactor);
    this.widthFactor = factorConfig(args.widthFactor);
  }

  protected rows(batch: number, height: number, width: number, rng: RandomGenerator): number[][] {
    return Array.from({ length: batch }, () => {
      const dy = rng.uniform(...this.heightRange) * height;
      const dx = rng.uniform(...this.widthRange) * width;
      return [1, 0, -dx, 0, 1, -dy, 0, 0];
    });
  }

  protected options(): ConfigDict {
    return { heightFactor: this.heightFactor, widthFactor: this.widthFactor, ...this.samplingConfig() };
  }
}

/**
 * Keras 3's `RandomTranslation` layer: while training each image is shifted by its own random
 * amount; at inference it is the identity.
 *
 * The factors are fractions of the image size, as in Keras: `heightFactor: f` shifts by
 * u·height rows with u uniform in [−f, f] (a pair `[lo, hi]` draws in [lo, hi]); positive moves the
 * content down. `widthFactor` likewise in columns; positive moves it right. Shifts are not rounded
 * (bilinear resampling blends sub-pixel shifts); uncovered points are filled per `fillMode`
 * (Keras' default `'reflect'`). Drawn in JavaScript from the layer's seeded generator.
 *
 * Saves and loads with the model (class name `RandomTranslation`, config height_factor,
 * width_factor, fill_mode, interpolation, fill_value, seed). Input: `[batch, height, width,
 * channels]`; place it before any trainable layer (the resampling has no gradient in tfjs).
 *
 * @param options - `heightFactor` and `widthFactor` (both required), `fillMode`, `interpolation`,
 *   `fillValue`, `seed`, and tfjs' layer options.
 * @returns A tfjs-layers `Layer`.
 * @throws Error naming `layers.randomTranslation`, the option and the value for a missing factor
 *   or one outside [-1, 1], an unknown fill mode or interpolation, a non-finite fill value or a
 *   non-integer seed.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { layers } from 'tfjs-regularization/augment';
 *
 * const shift = layers.randomTranslation({
 *   heightFactor: 0, widthFactor: [0.25, 0.25], fillMode: 'constant', interpolation: 'nearest',
 * });
 * const row = tf.tensor4d([1, 2, 3, 4], [1, 1, 4, 1]);
 * const moved = shift.apply(row, { training: true }) as tf.Tensor;
 * console.log(Array.from(moved.dataSync()).join(',')); // a quarter of the width to the right: 0,1,2,3
 * const inference = shift.apply(row) as tf.Tensor;
 * console.log(Array.from(inference.dataSync()).join(',')); // identity: 1,2,3,4
 * ```
 */
export function randomTranslation(options: RandomTranslationOptions): Layer {
  registerOnce(RandomTranslation);
  return new RandomTranslation(
    checkLayerOptions(
      `layers.randomTranslation`,
      options,
      RANDOM_TRANSLATION_OPTIONS,
      ['heightFactor', 'widthFactor'],
      ['seed'],
    ),
  );
}
