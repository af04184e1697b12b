import { serialization } from '@tensorflow/tfjs-core';
import type { RandomGenerator } from '../../core/random.js';
import { registerOnce } from '../../core/serialization.js';
import { optionNames } from '../../core/validate.js';
import { uniformIn } from '../_internal/photometricRandom.js';
import type { Augmentation, BatchInfo } from '../augmentation.js';
import { randomHue as hueAugmentation } from '../randomHue.js';
import type { RandomHueParams } from '../randomHue.js';
import { checkArgs, checkLayerOptions, factorConfig } from './_internal/AugmentLayer.js';
import type { Factor, Layer } from './_internal/AugmentLayer.js';
import { AugmentationLayer, IMAGE_LAYER_ARGS, kerasFactor, kerasValueRange, perImage } from './_internal/ImageLayer.js';
import type { ImageLayerOptions } from './_internal/ImageLayer.js';

type ConfigDict = serialization.ConfigDict;

/** Options of `layers.randomHue` (Keras 3 `RandomHue`). */
export interface RandomHueLayerOptions extends ImageLayerOptions {
  /**
   * `u` is drawn in `[lower, upper]` and the hue turns by `±u / 2` of a full turn (sign random); one number `f` is
   * `[0, f]`. Within [0, 1]. Required. Keras: `factor`.
   */
  factor: Factor;
  /** `[low, high]` of the pixel values; the output is clipped to it. Keras: `value_range`.
   * @defaultValue [0, 255] (Keras' default) */
  valueRange?: [number, number];
}

const RANDOM_HUE_LAYER_OPTIONS = optionNames<RandomHueLayerOptions>()('factor', 'valueRange', ...IMAGE_LAYER_ARGS);

/** Keras 3 RandomHue: Keras' draw (sign, then amount), applied by the {@link randomHue} augmentation. */
export class RandomHue extends AugmentationLayer<RandomHueParams> {
  static className = 'RandomHue';
  readonly factor: number | number[];
  readonly valueRange: [number, number];
  protected readonly aug: Augmentation<RandomHueParams>;
  private readonly range: [number, number];

  constructor(args: RandomHueLayerOptions) {
    const fn = 'layers.randomHue';
    checkArgs<RandomHueLayerOptions>(fn, args, ['factor']);
    super(fn, args, 'rgb');
    this.range = kerasFactor(fn, 'factor', args.factor, [0, 1]);
    this.factor = factorConfig(args.factor);
    this.valueRange = kerasValueRange(fn, args.valueRange);
    this.aug = hueAugmentation({ factor: 0, valueRange: this.valueRange, seed: 0 });
  }

  // Keras: the sign is −1 when a uniform draw exceeds 1/2, the amount uniform in the range, halved.
  protected override draw(info: BatchInfo, rng: RandomGenerator): RandomHueParams {
    const u = uniformIn(this.range);
    return perImage(info, 'delta', () => (rng.uniform() > 0.5 ? -1 : 1) * u(rng) * 0.5);
  }

  protected options(): ConfigDict {
    return { factor: this.factor, valueRange: [...this.valueRange] };
  }
}

/**
 * Keras 3's `RandomHue` layer: while training, per image, the hue of the RGB image turns by `±u / 2` of a full turn,
 * `u` uniform in the factor range and the sign random; the output is clipped to the value range. At inference it is
 * the identity.
 *
 * Keras' draw, applied with the {@link randomHue} augmentation (TensorFlow's hue kernel). Input: RGB, 3 channels on
 * the channel axis. Saves and loads with the model (class name `RandomHue`, config factor, value_range, seed,
 * data_format).
 *
 * @param options - `factor` (required), `valueRange`, `seed`, `dataFormat`, and tfjs' layer options.
 * @returns A tfjs-layers `Layer`.
 * @throws Error naming `layers.randomHue`, the option and the value for a missing or bad factor, value range or data
 *   format, a non-integer seed or an unknown option; naming it and the input shape for non-RGB input.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { layers } from 'tfjs-regularization/augment';
 *
 * const hue = layers.randomHue({ factor: [0.5, 0.5], valueRange: [0, 1], seed: 1 }); // a quarter turn either way
 * const out = hue.apply(tf.tensor4d([1, 0, 0], [1, 1, 1, 3]), { training: true }) as tf.Tensor;
 * const [r, g, b] = Array.from(out.dataSync(), (v) => Math.round(v * 2) / 2);
 * console.log(r === 0.5 && ((g === 1 && b === 0) || (g === 0 && b === 1))); // red turned to chartreuse or violet: true
 * ```
 */
export function randomHue(options: RandomHueLayerOptions): Layer {
  registerOnce(RandomHue);
  return new RandomHue(checkLayerOptions('layers.randomHue', options, RANDOM_HUE_LAYER_OPTIONS, ['factor'], ['seed']));
}
