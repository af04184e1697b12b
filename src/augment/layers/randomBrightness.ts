import { serialization } from '@tensorflow/tfjs-core';
import type { RandomGenerator } from '../../core/random.js';
import { registerOnce } from '../../core/serialization.js';
import { optionNames } from '../../core/validate.js';
import { uniformIn } from '../_internal/photometricRandom.js';
import type { Augmentation, BatchInfo } from '../augmentation.js';
import { randomBrightness as brightnessAugmentation } from '../randomBrightness.js';
import type { RandomBrightnessParams } from '../randomBrightness.js';
import { checkArgs, checkLayerOptions, factorConfig } from './_internal/AugmentLayer.js';
import type { Factor, Layer } from './_internal/AugmentLayer.js';
import { AugmentationLayer, IMAGE_LAYER_ARGS, kerasFactor, kerasValueRange, perImage } from './_internal/ImageLayer.js';
import type { ImageLayerOptions } from './_internal/ImageLayer.js';

type ConfigDict = serialization.ConfigDict;

/** Options of `layers.randomBrightness` (Keras 3 `RandomBrightness`). */
export interface RandomBrightnessLayerOptions extends ImageLayerOptions {
  /**
   * The shift as a fraction of the value range, in [-1, 1]: `f` draws in [-f, f], `[lower, upper]` in that range.
   * Required. Keras: `factor`.
   */
  factor: Factor;
  /** `[low, high]` of the pixel values; the shift scales with it and the output is clipped to it. Keras:
   * `value_range`. @defaultValue [0, 255] (Keras' default) */
  valueRange?: [number, number];
}

const RANDOM_BRIGHTNESS_LAYER_OPTIONS = optionNames<RandomBrightnessLayerOptions>()(
  'factor',
  'valueRange',
  ...IMAGE_LAYER_ARGS,
);

/** Keras 3 RandomBrightness: the {@link randomBrightness} augmentation, whose draw is Keras' `rgb_delta`. */
export class RandomBrightness extends AugmentationLayer<RandomBrightnessParams> {
  static className = 'RandomBrightness';
  readonly factor: number | number[];
  readonly valueRange: [number, number];
  protected readonly aug: Augmentation<RandomBrightnessParams>;
  private readonly range: [number, number];

  constructor(args: RandomBrightnessLayerOptions) {
    const fn = 'layers.randomBrightness';
    checkArgs<RandomBrightnessLayerOptions>(fn, args, ['factor']);
    super(fn, args, 'any');
    this.range = kerasFactor(fn, 'factor', args.factor, [-1, 1]);
    this.factor = factorConfig(args.factor);
    this.valueRange = kerasValueRange(fn, args.valueRange);
    this.aug = brightnessAugmentation({ factor: 0, valueRange: this.valueRange, seed: 0 });
  }

  // Keras' rgb_delta: u · (high − low), u uniform in the factor range (a pair may reach past [-1, 1], as in Keras).
  protected override draw(info: BatchInfo, rng: RandomGenerator): RandomBrightnessParams {
    const [low, high] = this.valueRange;
    const u = uniformIn(this.range);
    return perImage(info, 'delta', () => u(rng) * (high - low));
  }

  protected options(): ConfigDict {
    return { factor: this.factor, valueRange: [...this.valueRange] };
  }
}

/**
 * Keras 3's `RandomBrightness` layer: while training, per image, `u` is drawn uniformly in the factor range and
 * `u · (high − low)` is added to every pixel, the result clipped to the value range; at inference it is the identity.
 *
 * Built on the {@link randomBrightness} augmentation with Keras' default value range `[0, 255]` (pass
 * `valueRange: [0, 1]` for images in [0, 1]). Saves and loads with the model (class name `RandomBrightness`,
 * config factor, value_range, seed, data_format). Any channel count.
 *
 * @param options - `factor` (required), `valueRange`, `seed`, `dataFormat`, and tfjs' layer options.
 * @returns A tfjs-layers `Layer`.
 * @throws Error naming `layers.randomBrightness`, the option and the value for a missing factor or one outside
 *   [-1, 1], a bad value range or data format, a non-integer seed or an unknown option.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { layers } from 'tfjs-regularization/augment';
 *
 * const brighten = layers.randomBrightness({ factor: [0.1, 0.1], seed: 1 });
 * const out = brighten.apply(tf.fill([1, 2, 2, 3], 100), { training: true }) as tf.Tensor;
 * console.log(out.dataSync()[0]); // 100 + 0.1 · 255: 125.5
 * ```
 */
export function randomBrightness(options: RandomBrightnessLayerOptions): Layer {
  registerOnce(RandomBrightness);
  return new RandomBrightness(
    checkLayerOptions('layers.randomBrightness', options, RANDOM_BRIGHTNESS_LAYER_OPTIONS, ['factor'], ['seed']),
  );
}
