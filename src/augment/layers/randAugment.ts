import { serialization } from '@tensorflow/tfjs-core';
import type { Tensor4D } from '@tensorflow/tfjs-core';
import type { RandomGenerator } from '../../core/random.js';
import { registerOnce } from '../../core/serialization.js';
import { checkOneOf, invalidArgument, optionNames } from '../../core/validate.js';
import type { BatchInfo } from '../augmentation.js';
import { checkArgs, checkLayerOptions, factorConfig } from './_internal/AugmentLayer.js';
import type { Factor, Layer } from './_internal/AugmentLayer.js';
import { IMAGE_LAYER_ARGS, ImageLayer, kerasFactor, kerasValueRange } from './_internal/ImageLayer.js';
import type { ImageLayerOptions } from './_internal/ImageLayer.js';
import {
  autoContrastOp,
  colorDegeneration,
  equalization,
  layerOp,
  posterization,
  solarization,
} from './_internal/randAugmentOps.js';
import type { RandAugmentOp } from './_internal/randAugmentOps.js';
import { RandomBrightness } from './randomBrightness.js';
import { RandomContrast } from './randomContrast.js';
import { RandomRotation } from './randomRotation.js';
import { RandomSharpness } from './randomSharpness.js';
import { RandomShear } from './randomShear.js';
import { RandomTranslation } from './randomTranslation.js';

type ConfigDict = serialization.ConfigDict;

/** Options of `layers.randAugment` (Keras 3 `RandAugment`). */
export interface RandAugmentLayerOptions extends ImageLayerOptions {
  /** `[low, high]` of the pixel values, for every op. Keras: `value_range`. @defaultValue [0, 255] */
  valueRange?: [number, number];
  /**
   * Ops per call, each drawn uniformly from the eleven with replacement (one draw for the whole batch), applied in
   * the order drawn; an integer >= 0 (0 is the identity). Keras: `num_ops`.
   * @defaultValue 2
   */
  numOps?: number;
  /**
   * Strength of every op, `[lower, upper]` within [0, 1]; one number `f` is `[0, f]`. Each sub-layer gets the pair
   * as its factor (posterization `max(1, int(8 · upper))`). Keras: `factor`.
   * @defaultValue 0.5
   */
  factor?: Factor;
  /** Resampling of the shear, translation and rotation. Keras: `interpolation`. @defaultValue 'bilinear' */
  interpolation?: 'nearest' | 'bilinear';
}

const RAND_AUGMENT_LAYER_OPTIONS = optionNames<RandAugmentLayerOptions>()(
  'valueRange',
  'numOps',
  'factor',
  'interpolation',
  ...IMAGE_LAYER_ARGS,
);

/** Keras' `_AUGMENT_LAYERS`, in its order: an op index names one of these. */
export const RAND_AUGMENT_OPS = [
  'random_shear',
  'random_translation',
  'random_rotation',
  'random_brightness',
  'random_color_degeneration',
  'random_contrast',
  'random_sharpness',
  'random_posterization',
  'solarization',
  'auto_contrast',
  'equalization',
] as const;

/**
 * One call's draw: the op indices (into {@link RAND_AUGMENT_OPS}, in the order they run) and, at each drawn index,
 * that op's per-image parameters (the sub-layer's own draw; undefined for ops not drawn).
 * @internal
 */
export interface RandAugmentDraw {
  ops: number[];
  params: unknown[];
}

/** Keras 3 RandAugment: one set of op indices per call, each chosen op's own draw, the ops run in the drawn order. */
export class RandAugment extends ImageLayer<RandAugmentDraw> {
  static className = 'RandAugment';
  readonly valueRange: [number, number];
  readonly numOps: number;
  readonly factor: number | number[];
  readonly interpolation: 'nearest' | 'bilinear';
  private readonly ops: RandAugmentOp[];

  constructor(args: RandAugmentLayerOptions) {
    const fn = 'layers.randAugment';
    const a = checkArgs<RandAugmentLayerOptions>(fn, args ?? {}, []);
    super(fn, a, 'rgbOrGray');
    this.valueRange = kerasValueRange(fn, a.valueRange);
    const numOps = a.numOps ?? 2;
    if (typeof numOps !== 'number' || !Number.isInteger(numOps) || numOps < 0 || numOps > 1000) {
      throw invalidArgument(fn, 'numOps', numOps, 'an integer from 0 to 1000');
    }
    this.numOps = numOps;
    const range = kerasFactor(fn, 'factor', a.factor ?? 0.5, [0, 1]);
    if (range[0] < 0 || range[1] > 1) {
      // Keras' _set_factor lets such a pair through, and its sub-layers (RandomShear first) then reject it.
      throw invalidArgument(fn, 'factor', a.factor, 'a number in [0, 1] or a pair [lower, upper] of numbers in [0, 1]');
    }
    this.factor = factorConfig(a.factor ?? 0.5);
    this.interpolation = checkOneOf(fn, 'interpolation', a.interpolation ?? 'bilinear', ['nearest', 'bilinear']);
    const [valueRange, interpolation, factor] = [this.valueRange, this.interpolation, range];
    // The parts only transform: every draw comes from this layer's generator, so their own seeds are never used.
    const part = (key: string) => ({ name: `${String(this.name)}_${key}`, seed: 0 });
    this.ops = [
      layerOp(new RandomShear({ xFactor: factor, yFactor: factor, interpolation, ...part('shear') })),
      layerOp(
        new RandomTranslation({ heightFactor: factor, widthFactor: factor, interpolation, ...part('translation') }),
      ),
      layerOp(new RandomRotation({ factor, interpolation, ...part('rotation') })),
      layerOp(new RandomBrightness({ factor, valueRange, ...part('brightness') })),
      colorDegeneration(range, valueRange),
      layerOp(new RandomContrast({ factor, valueRange, ...part('contrast') })),
      layerOp(new RandomSharpness({ factor, valueRange, ...part('sharpness') })),
      posterization(range[1], valueRange),
      solarization(range, valueRange),
      autoContrastOp(valueRange),
      equalization(valueRange),
    ] as RandAugmentOp[];
  }

  // Keras draws the indices, then every op's transformation in its op order; only the chosen ops need drawing.
  protected draw(info: BatchInfo, rng: RandomGenerator): RandAugmentDraw {
    const ops = Array.from({ length: this.numOps }, () => rng.integer(RAND_AUGMENT_OPS.length));
    const params = this.ops.map((op, k) => (ops.includes(k) ? op.draw(info, rng) : undefined));
    return { ops, params };
  }

  // Keras computes every op and keeps the chosen one, numOps times: the chosen ops alone give the same images.
  protected transform(images: Tensor4D, draw: RandAugmentDraw): Tensor4D {
    return draw.ops.reduce((x, k) => this.ops[k]!.apply(x, draw.params[k]), images);
  }

  protected options(): ConfigDict {
    return {
      valueRange: [...this.valueRange],
      numOps: this.numOps,
      factor: this.factor,
      interpolation: this.interpolation,
    };
  }
}

/**
 * Keras 3's `RandAugment` layer: while training, `numOps` op indices are drawn uniformly (with replacement) from
 * Keras' eleven ops, once for the whole batch, and the chosen ops run in that order on every image, each with its
 * own per-image draw made once per call on the input (an op drawn twice runs twice with the same parameters, as in
 * Keras); at inference it is the identity. The ops, each given `factor` as Keras gives it:
 *
 * - `random_shear`, `random_translation`, `random_rotation`: the {@link randomShear}, {@link randomTranslation}
 *   and {@link randomRotation} layers (Keras' fill mode `'reflect'`, this layer's `interpolation`);
 * - `random_brightness`, `random_contrast`, `random_sharpness`: the {@link randomBrightness},
 *   {@link randomContrast} and {@link randomSharpness} layers;
 * - `random_color_degeneration`: per image `x + f · (gray − x)` (gray by Keras' luma weights, the image itself for
 *   one channel), `f` uniform in the factor range, clipped;
 * - `random_posterization`: keeps `b` bits per image, `b` an integer uniform in `[1, max(1, int(8 · upper)))`
 *   ({@link posterize});
 * - `solarization`: per image an addition and a threshold uniform in `[lower, upper · 255]` in Keras' [0, 255]
 *   units (Keras scales only the upper end; {@link solarize});
 * - `auto_contrast`: per image and channel ({@link autoContrast});
 * - `equalization`: per channel over the whole batch, as Keras' layer takes `images[..., i]` ({@link equalize} on
 *   the batch as one image).
 *
 * Every draw comes from this layer's seeded generator (Keras draws from its own seed generator; the values differ).
 * Keras computes all eleven ops and selects; this layer runs only the chosen ones, which gives the same images.
 * Input: RGB or grayscale, 3 or 1 channels (Keras' rgb_to_grayscale takes no other count). Saves and loads with
 * the model (class name `RandAugment`, config value_range, num_ops, factor, interpolation, seed, data_format).
 *
 * Departures from Keras 3.15: with `dataFormat: 'channelsFirst'`, Keras' AutoContrast reduces over axes (1, 2),
 * which in that layout are the channels and the rows (one stretch per image and column); this layer stretches per
 * image and channel over the spatial axes in both layouts, as Keras does for channelsLast. A factor pair must lie
 * within [0, 1] (Keras accepts others and its sub-layers then fail). Place it before any trainable layer (the
 * resampling has no gradient in tfjs).
 *
 * @param options - `valueRange`, `numOps`, `factor`, `interpolation`, `seed`, `dataFormat`, and tfjs' layer options.
 * @returns A tfjs-layers `Layer`.
 * @throws Error naming `layers.randAugment`, the option and the value for a bad value range, numOps, factor,
 *   interpolation or data format, a non-integer seed or an unknown option; naming it and the input shape for input
 *   of neither 1 nor 3 channels.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { layers } from 'tfjs-regularization/augment';
 *
 * const x = tf.randomUniform([2, 8, 8, 3], 0, 255, 'float32', 1);
 * const a = layers.randAugment({ numOps: 2, factor: 0.5, seed: 1 }).apply(x, { training: true }) as tf.Tensor;
 * const b = layers.randAugment({ numOps: 2, factor: 0.5, seed: 1 }).apply(x, { training: true }) as tf.Tensor;
 * console.log(a.shape.join(',')); // 2,8,8,3
 * console.log(tf.equal(a, b).all().dataSync()[0]); // same seed, same images: 1
 * const inference = layers.randAugment({ seed: 1 }).apply(x) as tf.Tensor;
 * console.log(tf.equal(inference, x).all().dataSync()[0]); // identity at inference: 1
 * ```
 */
export function randAugment(options?: RandAugmentLayerOptions): Layer {
  registerOnce(RandAugment);
  return new RandAugment(
    checkLayerOptions('layers.randAugment', options ?? {}, RAND_AUGMENT_LAYER_OPTIONS, [], ['seed']),
  );
}
