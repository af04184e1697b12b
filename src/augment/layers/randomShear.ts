import { serialization } from '@tensorflow/tfjs-core';
import type { RandomGenerator } from '../../core/random.js';
import { registerOnce } from '../../core/serialization.js';
import { invalidArgument, optionNames } from '../../core/validate.js';
import { uniformIn } from '../_internal/photometricRandom.js';
import { AffineLayer, KERAS_AFFINE_ARGS } from './_internal/AffineLayer.js';
import type { KerasAffineOptions } from './_internal/AffineLayer.js';
import { checkArgs, checkLayerOptions, factorConfig } from './_internal/AugmentLayer.js';
import type { Factor, Layer } from './_internal/AugmentLayer.js';

type ConfigDict = serialization.ConfigDict;

/** Options of `layers.randomShear` (Keras 3 `RandomShear`). */
export interface RandomShearLayerOptions extends KerasAffineOptions {
  /**
   * Horizontal shear: `f` draws in [-f, f], `[lower, upper]` in that range; entries within [0, 1]. Keras: `x_factor`.
   * @defaultValue 0
   */
  xFactor?: Factor;
  /** Vertical shear, as `xFactor`. Keras: `y_factor`. @defaultValue 0 */
  yFactor?: Factor;
}

const RANDOM_SHEAR_LAYER_OPTIONS = optionNames<RandomShearLayerOptions>()('xFactor', 'yFactor', ...KERAS_AFFINE_ARGS);

/** Keras' `_set_factor_with_name`: every entry in [0, 1]; one number `f` is [-f, f]. */
function shearFactor(fn: string, arg: string, value: unknown): [number, number] {
  const unit = (v: unknown): v is number => typeof v === 'number' && v >= 0 && v <= 1;
  if (unit(value)) return [-value, value];
  if (Array.isArray(value) && value.length === 2 && value.every(unit)) {
    const [a, b] = value as [number, number];
    return a <= b ? [a, b] : [b, a];
  }
  throw invalidArgument(fn, arg, value, 'a number in [0, 1] or a pair [lower, upper] of numbers in [0, 1]');
}

/**
 * Keras 3 RandomShear: per image one sign (−1 when a uniform draw exceeds 1/2) multiplies both shears; the row is
 * Keras' own, `[1, sx, 0, sy, 1, 0, 0, 0]`, about the image's origin.
 */
export class RandomShear extends AffineLayer {
  static className = 'RandomShear';
  readonly xFactor: number | number[];
  readonly yFactor: number | number[];
  private readonly xRange: [number, number];
  private readonly yRange: [number, number];

  constructor(args: RandomShearLayerOptions) {
    const fn = 'layers.randomShear';
    const a = checkArgs<RandomShearLayerOptions>(fn, args ?? {}, []);
    super(fn, a);
    this.xRange = shearFactor(fn, 'xFactor', a.xFactor ?? 0);
    this.yRange = shearFactor(fn, 'yFactor', a.yFactor ?? 0);
    this.xFactor = factorConfig(a.xFactor ?? 0);
    this.yFactor = factorConfig(a.yFactor ?? 0);
  }

  protected rows(batch: number, _height: number, _width: number, rng: RandomGenerator): number[][] {
    const [x, y] = [uniformIn(this.xRange), uniformIn(this.yRange)];
    return Array.from({ length: batch }, () => {
      const sign = rng.uniform() > 0.5 ? -1 : 1;
      const sy = sign * y(rng);
      const sx = sign * x(rng);
      return [1, sx, 0, sy, 1, 0, 0, 0];
    });
  }

  protected options(): ConfigDict {
    return { xFactor: this.xFactor, yFactor: this.yFactor, ...this.samplingConfig() };
  }
}

/**
 * Keras 3's `RandomShear` layer, the shear of the {@link randomAffine} augmentation as a Keras layer: while
 * training, per image, shears `sx` and `sy` are drawn in the factor ranges and both multiplied by one random sign;
 * output pixel (x, y) reads the input at (x + sx · y, sy · x + y), resampled by {@link affineTransform} with
 * Keras' defaults (`fillMode: 'reflect'`, `interpolation: 'bilinear'`). At inference it is the identity.
 *
 * Saves and loads with the model (class name `RandomShear`, config x_factor, y_factor, fill_mode, interpolation,
 * fill_value, seed, data_format). Any channel count; place it before any trainable layer (the resampling has no
 * gradient in tfjs).
 *
 * @param options - `xFactor`, `yFactor`, `fillMode`, `interpolation`, `fillValue`, `seed`, `dataFormat`, and tfjs'
 *   layer options.
 * @returns A tfjs-layers `Layer`.
 * @throws Error naming `layers.randomShear`, the option and the value for a factor entry outside [0, 1], an unknown
 *   fill mode, interpolation or data format, a non-finite fill value, a non-integer seed or an unknown option.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { layers } from 'tfjs-regularization/augment';
 *
 * const shear = layers.randomShear({ xFactor: [1, 1], fillMode: 'constant', interpolation: 'nearest', seed: 2 });
 * const x = tf.tensor4d([1, 2, 3, 4], [1, 2, 2, 1]);
 * const out = Array.from((shear.apply(x, { training: true }) as tf.Tensor).dataSync());
 * // Row 1 moves one pixel left or right (sign random); row 0 stays.
 * console.log(out.join(',') === '1,2,4,0' || out.join(',') === '1,2,0,3'); // true
 * ```
 */
export function randomShear(options?: RandomShearLayerOptions): Layer {
  registerOnce(RandomShear);
  return new RandomShear(
    checkLayerOptions('layers.randomShear', options ?? {}, RANDOM_SHEAR_LAYER_OPTIONS, [], ['seed']),
  );
}
