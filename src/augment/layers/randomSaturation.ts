import { serialization } from '@tensorflow/tfjs-core';
import type { RandomGenerator } from '../../core/random.js';
import { registerOnce } from '../../core/serialization.js';
import { optionNames } from '../../core/validate.js';
import { uniformIn } from '../_internal/photometricRandom.js';
import type { Augmentation, BatchInfo } from '../augmentation.js';
import { randomSaturation as saturationAugmentation } from '../randomSaturation.js';
import type { RandomSaturationParams } from '../randomSaturation.js';
import { checkArgs, checkLayerOptions, factorConfig } from './_internal/AugmentLayer.js';
import type { Factor, Layer } from './_internal/AugmentLayer.js';
import { AugmentationLayer, IMAGE_LAYER_ARGS, kerasFactor, kerasValueRange, perImage } from './_internal/ImageLayer.js';
import type { ImageLayerOptions } from './_internal/ImageLayer.js';

type ConfigDict = serialization.ConfigDict;

/** Options of `layers.randomSaturation` (Keras 3 `RandomSaturation`). */
export interface RandomSaturationLayerOptions extends ImageLayerOptions {
  /**
   * `u` is drawn in `[lower, upper]` and the saturation multiplied by `u / (1 − u)`: 0.5 keeps it, 0 makes the image
   * gray, 1 saturates it fully. One number `f` is `[−f, f]`, as Keras 3.15's code reads it (draws below 0 are gray).
   * Required. Keras: `factor`.
   */
  factor: Factor;
  /** `[low, high]` of the pixel values. Keras: `value_range`. @defaultValue [0, 255] (Keras' default) */
  valueRange?: [number, number];
}

const RANDOM_SATURATION_LAYER_OPTIONS = optionNames<RandomSaturationLayerOptions>()(
  'factor',
  'valueRange',
  ...IMAGE_LAYER_ARGS,
);

/** Keras 3 RandomSaturation: Keras' draw, applied by the {@link randomSaturation} augmentation. */
export class RandomSaturation extends AugmentationLayer<RandomSaturationParams> {
  static className = 'RandomSaturation';
  readonly factor: number | number[];
  readonly valueRange: [number, number];
  protected readonly aug: Augmentation<RandomSaturationParams>;
  private readonly range: [number, number];

  constructor(args: RandomSaturationLayerOptions) {
    const fn = 'layers.randomSaturation';
    checkArgs<RandomSaturationLayerOptions>(fn, args, ['factor']);
    super(fn, args, 'rgb');
    this.range = kerasFactor(fn, 'factor', args.factor, [-1, 1]);
    this.factor = factorConfig(args.factor);
    this.valueRange = kerasValueRange(fn, args.valueRange);
    this.aug = saturationAugmentation({ factor: 0, seed: 0 });
  }

  // Keras' factor u / (1 − u + ε); a negative one clips the saturation to 0 in Keras, as 0 does here.
  protected override draw(info: BatchInfo, rng: RandomGenerator): RandomSaturationParams {
    const u = uniformIn(this.range);
    return perImage(info, 'factor', () => {
      const v = u(rng);
      return Math.max(0, v / (1 - v + 1e-7));
    });
  }

  protected options(): ConfigDict {
    return { factor: this.factor, valueRange: [...this.valueRange] };
  }
}

/**
 * Keras 3's `RandomSaturation` layer: while training, per image, `u` is drawn uniformly in the factor range and the
 * HSV saturation of the RGB image is multiplied by `u / (1 − u + 1e-7)`; at inference it is the identity.
 *
 * Keras' draw, applied with the {@link randomSaturation} augmentation (TensorFlow's `adjust_saturation`). One
 * difference: the scaled saturation is clipped to [0, 1], where Keras clips it to `value_range` (so with Keras'
 * [0, 255] a saturation above 1 gives colours outside the range); the two agree whenever the scaled saturation stays
 * within 1, always with `valueRange: [0, 1]`. Input: RGB, 3 channels on the channel axis. Saves and loads with the
 * model (class name `RandomSaturation`, config factor, value_range, seed, data_format).
 *
 * @param options - `factor` (required), `valueRange`, `seed`, `dataFormat`, and tfjs' layer options.
 * @returns A tfjs-layers `Layer`.
 * @throws Error naming `layers.randomSaturation`, the option and the value for a missing or bad factor, value range
 *   or data format, a non-integer seed or an unknown option; naming it and the input shape for non-RGB input.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { layers } from 'tfjs-regularization/augment';
 *
 * const gray = layers.randomSaturation({ factor: [0, 0], valueRange: [0, 1], seed: 1 }); // multiplier 0
 * const out = gray.apply(tf.tensor4d([0.2, 0.6, 0.4], [1, 1, 1, 3]), { training: true }) as tf.Tensor;
 * console.log(Array.from(out.dataSync(), (v) => v.toFixed(2)).join(',')); // 0.60,0.60,0.60
 * ```
 */
export function randomSaturation(options: RandomSaturationLayerOptions): Layer {
  registerOnce(RandomSaturation);
  return new RandomSaturation(
    checkLayerOptions('layers.randomSaturation', options, RANDOM_SATURATION_LAYER_OPTIONS, ['factor'], ['seed']),
  );
}
