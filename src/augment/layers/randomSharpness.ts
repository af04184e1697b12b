import { serialization } from '@tensorflow/tfjs-core';
import type { RandomGenerator } from '../../core/random.js';
import { registerOnce } from '../../core/serialization.js';
import { optionNames } from '../../core/validate.js';
import { uniformIn } from '../_internal/photometricRandom.js';
import type { Augmentation, BatchInfo } from '../augmentation.js';
import { randomSharpness as sharpnessAugmentation } from '../randomSharpness.js';
import type { RandomSharpnessParams } from '../randomSharpness.js';
import { checkArgs, checkLayerOptions, factorConfig } from './_internal/AugmentLayer.js';
import type { Factor, Layer } from './_internal/AugmentLayer.js';
import { AugmentationLayer, IMAGE_LAYER_ARGS, kerasFactor, kerasValueRange, perImage } from './_internal/ImageLayer.js';
import type { ImageLayerOptions } from './_internal/ImageLayer.js';

type ConfigDict = serialization.ConfigDict;

/** Options of `layers.randomSharpness` (Keras 3 `RandomSharpness`). */
export interface RandomSharpnessLayerOptions extends ImageLayerOptions {
  /**
   * `u` is drawn in `[lower, upper]` and PIL's sharpness factor is `2u`: 0.5 keeps the image, 0 smooths it, 1
   * sharpens it. One number `f` is `[0, f]`. Within [0, 1]. Required. Keras: `factor`.
   */
  factor: Factor;
  /** `[low, high]` of the pixel values; the output is clipped to it. Keras: `value_range`.
   * @defaultValue [0, 255] (Keras' default) */
  valueRange?: [number, number];
}

const RANDOM_SHARPNESS_LAYER_OPTIONS = optionNames<RandomSharpnessLayerOptions>()(
  'factor',
  'valueRange',
  ...IMAGE_LAYER_ARGS,
);

/** Keras 3 RandomSharpness: Keras' draw, applied by the {@link randomSharpness} augmentation. */
export class RandomSharpness extends AugmentationLayer<RandomSharpnessParams> {
  static className = 'RandomSharpness';
  readonly factor: number | number[];
  readonly valueRange: [number, number];
  protected readonly aug: Augmentation<RandomSharpnessParams>;
  private readonly range: [number, number];

  constructor(args: RandomSharpnessLayerOptions) {
    const fn = 'layers.randomSharpness';
    checkArgs<RandomSharpnessLayerOptions>(fn, args, ['factor']);
    super(fn, args, 'any');
    this.range = kerasFactor(fn, 'factor', args.factor, [0, 1]);
    this.factor = factorConfig(args.factor);
    this.valueRange = kerasValueRange(fn, args.valueRange);
    this.aug = sharpnessAugmentation({ factor: 0, valueRange: this.valueRange, seed: 0 });
  }

  // Keras draws u in the range and blends with factor 2u.
  protected override draw(info: BatchInfo, rng: RandomGenerator): RandomSharpnessParams {
    const u = uniformIn(this.range);
    return perImage(info, 'factor', () => 2 * u(rng));
  }

  protected options(): ConfigDict {
    return { factor: this.factor, valueRange: [...this.valueRange] };
  }
}

/**
 * Keras 3's `RandomSharpness` layer: while training, per image, the image is blended with its smoothed copy (PIL's
 * 3 × 3 kernel, zero-padded as Keras) by the factor `2u`, `u` uniform in the factor range, and clipped to the value
 * range; at inference it is the identity.
 *
 * Keras' draw, applied with the {@link randomSharpness} augmentation. Any channel count. Saves and loads with the
 * model (class name `RandomSharpness`, config factor, value_range, seed, data_format).
 *
 * @param options - `factor` (required), `valueRange`, `seed`, `dataFormat`, and tfjs' layer options.
 * @returns A tfjs-layers `Layer`.
 * @throws Error naming `layers.randomSharpness`, the option and the value for a missing or bad factor, value range
 *   or data format, a non-integer seed or an unknown option.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { layers } from 'tfjs-regularization/augment';
 *
 * const keep = layers.randomSharpness({ factor: [0.5, 0.5], seed: 1 }); // PIL factor 1: the image itself
 * const x = tf.tensor4d([0, 255, 0, 255, 0, 255, 0, 255, 0], [1, 3, 3, 1]);
 * const out = keep.apply(x, { training: true }) as tf.Tensor;
 * console.log(Array.from(out.dataSync()).join(',')); // 0,255,0,255,0,255,0,255,0
 * ```
 */
export function randomSharpness(options: RandomSharpnessLayerOptions): Layer {
  registerOnce(RandomSharpness);
  return new RandomSharpness(
    checkLayerOptions('layers.randomSharpness', options, RANDOM_SHARPNESS_LAYER_OPTIONS, ['factor'], ['seed']),
  );
}
