import { serialization } from '@tensorflow/tfjs-core';
import type { RandomGenerator } from '../../core/random.js';
import { registerOnce } from '../../core/serialization.js';
import { optionNames } from '../../core/validate.js';
import { uniformIn } from '../_internal/photometricRandom.js';
import type { Augmentation, BatchInfo } from '../augmentation.js';
import { randomContrast as contrastAugmentation } from '../randomContrast.js';
import type { RandomContrastParams } from '../randomContrast.js';
import { checkArgs, checkLayerOptions, factorConfig } from './_internal/AugmentLayer.js';
import type { Factor, Layer } from './_internal/AugmentLayer.js';
import { AugmentationLayer, IMAGE_LAYER_ARGS, kerasFactor, kerasValueRange, perImage } from './_internal/ImageLayer.js';
import type { ImageLayerOptions } from './_internal/ImageLayer.js';

type ConfigDict = serialization.ConfigDict;

/** Options of `layers.randomContrast` (Keras 3 `RandomContrast`). */
export interface RandomContrastLayerOptions extends ImageLayerOptions {
  /**
   * In [0, 1]: the contrast factor is drawn in `[1 − lower, 1 + upper]`; one number `f` is `[0, f]`, as Keras 3.15's
   * code reads it (factors in [1, 1 + f]). Required. Keras: `factor`.
   */
  factor: Factor;
  /** `[low, high]` of the pixel values; the output is clipped to it. Keras: `value_range`.
   * @defaultValue [0, 255] (Keras' default) */
  valueRange?: [number, number];
}

const RANDOM_CONTRAST_LAYER_OPTIONS = optionNames<RandomContrastLayerOptions>()(
  'factor',
  'valueRange',
  ...IMAGE_LAYER_ARGS,
);

/** Keras 3 RandomContrast: the {@link randomContrast} augmentation with Keras' reading of the factor. */
export class RandomContrast extends AugmentationLayer<RandomContrastParams> {
  static className = 'RandomContrast';
  readonly factor: number | number[];
  readonly valueRange: [number, number];
  protected readonly aug: Augmentation<RandomContrastParams>;
  private readonly range: [number, number];

  constructor(args: RandomContrastLayerOptions) {
    const fn = 'layers.randomContrast';
    checkArgs<RandomContrastLayerOptions>(fn, args, ['factor']);
    super(fn, args, 'any');
    this.range = kerasFactor(fn, 'factor', args.factor, [0, 1]);
    this.factor = factorConfig(args.factor);
    this.valueRange = kerasValueRange(fn, args.valueRange);
    this.aug = contrastAugmentation({ factor: 0, valueRange: this.valueRange, seed: 0 });
  }

  // Keras' contrast_factor: uniform in [1 − lower, 1 + upper].
  protected override draw(info: BatchInfo, rng: RandomGenerator): RandomContrastParams {
    const [lower, upper] = this.range;
    const u = uniformIn([1 - lower, 1 + upper]);
    return perImage(info, 'factor', () => u(rng));
  }

  protected options(): ConfigDict {
    return { factor: this.factor, valueRange: [...this.valueRange] };
  }
}

/**
 * Keras 3's `RandomContrast` layer: while training, per image, a factor is drawn uniformly in
 * `[1 − lower, 1 + upper]`, each pixel's distance from its image's per-channel mean is scaled by it and the result
 * is clipped to the value range; at inference it is the identity.
 *
 * One number `f` means `[0, f]`, so factors in `[1, 1 + f]`: that is Keras 3.15's code (its documentation says
 * `[1 − f, 1 + f]`; pass `[f, f]` for that; `[-a, a]` fixes the factor at 1 + a). The {@link randomContrast}
 * augmentation follows the documentation instead. Saves and loads with the model (class name `RandomContrast`,
 * config factor, value_range, seed, data_format). Any channel count.
 *
 * @param options - `factor` (required), `valueRange`, `seed`, `dataFormat`, and tfjs' layer options.
 * @returns A tfjs-layers `Layer`.
 * @throws Error naming `layers.randomContrast`, the option and the value for a missing factor or one outside
 *   [0, 1], a bad value range or data format, a non-integer seed or an unknown option.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { layers } from 'tfjs-regularization/augment';
 *
 * const contrast = layers.randomContrast({ factor: [-1, 1], seed: 1 }); // Keras' pair: factors in [2, 2]
 * const out = contrast.apply(tf.tensor4d([100, 140], [1, 1, 2, 1]), { training: true }) as tf.Tensor;
 * console.log(Array.from(out.dataSync()).join(',')); // 80,160
 * ```
 */
export function randomContrast(options: RandomContrastLayerOptions): Layer {
  registerOnce(RandomContrast);
  return new RandomContrast(
    checkLayerOptions('layers.randomContrast', options, RANDOM_CONTRAST_LAYER_OPTIONS, ['factor'], ['seed']),
  );
}
