import { serialization } from '@tensorflow/tfjs-core';
import { registerOnce } from '../../core/serialization.js';
import { checkOneOf, optionNames } from '../../core/validate.js';
import type { Augmentation } from '../augmentation.js';
import { randomFlip as flipAugmentation } from '../randomFlip.js';
import type { RandomFlipParams } from '../randomFlip.js';
import { checkArgs, checkLayerOptions } from './_internal/AugmentLayer.js';
import type { Layer } from './_internal/AugmentLayer.js';
import { AugmentationLayer, IMAGE_LAYER_ARGS } from './_internal/ImageLayer.js';
import type { ImageLayerOptions } from './_internal/ImageLayer.js';

type ConfigDict = serialization.ConfigDict;

/** Options of `layers.randomFlip` (Keras 3 `RandomFlip`). */
export interface RandomFlipLayerOptions extends ImageLayerOptions {
  /**
   * `'horizontal'` (left-right), `'vertical'` (top-bottom) or `'horizontal_and_vertical'` (both at once, on one coin
   * per image). Keras: `mode`.
   * @defaultValue 'horizontal_and_vertical'
   */
  mode?: 'horizontal' | 'vertical' | 'horizontal_and_vertical';
}

const RANDOM_FLIP_LAYER_OPTIONS = optionNames<RandomFlipLayerOptions>()('mode', ...IMAGE_LAYER_ARGS);

/** Keras 3 RandomFlip: the {@link randomFlip} augmentation, whose coin per image is Keras' `uniform <= 0.5`. */
export class RandomFlip extends AugmentationLayer<RandomFlipParams> {
  static className = 'RandomFlip';
  readonly mode: NonNullable<RandomFlipLayerOptions['mode']>;
  protected readonly aug: Augmentation<RandomFlipParams>;

  constructor(args: RandomFlipLayerOptions) {
    const fn = 'layers.randomFlip';
    super(fn, checkArgs<RandomFlipLayerOptions>(fn, args ?? {}, []), 'any');
    // tfjs camel-cases string values when it loads a config: a saved 'horizontal_and_vertical' comes back so.
    const given =
      (args?.mode as string | undefined) === 'horizontalAndVertical' ? 'horizontal_and_vertical' : args?.mode;
    this.mode = checkOneOf(fn, 'mode', given ?? 'horizontal_and_vertical', [
      'horizontal',
      'vertical',
      'horizontal_and_vertical',
    ] as const);
    this.aug = flipAugmentation({ mode: this.mode, seed: 0 });
  }

  protected options(): ConfigDict {
    return { mode: this.mode };
  }
}

/**
 * Keras 3's `RandomFlip` layer: while training each image is mirrored with probability 1/2, left-right,
 * top-bottom, or both at once (`'horizontal_and_vertical'`: one coin per image, so the image is turned by 180°
 * or left alone, as in Keras); at inference it is the identity.
 *
 * Built on the {@link randomFlip} augmentation; the coins are drawn in JavaScript from the layer's seeded generator,
 * so a seed gives the same flips on every backend. Saves and loads with the model (class name `RandomFlip`, Keras'
 * config names: mode, seed, data_format). Input: `[batch, height, width, channels]`, or channels first with
 * `dataFormat: 'channelsFirst'`.
 *
 * @param options - `mode`, `seed`, `dataFormat`, and tfjs' layer options (`name`, `inputShape`, ...).
 * @returns A tfjs-layers `Layer`.
 * @throws Error naming `layers.randomFlip`, the option and the value for an unknown mode or data format, a
 *   non-integer seed or an unknown option.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { layers } from 'tfjs-regularization/augment';
 *
 * const flip = layers.randomFlip({ mode: 'horizontal', seed: 4 });
 * const rows = tf.tensor4d([1, 2, 3], [1, 1, 3, 1]).tile([64, 1, 1, 1]);
 * const out = (flip.apply(rows, { training: true }) as tf.Tensor).reshape([64, 3]).arraySync() as number[][];
 * const flipped = out.filter((r) => r.join() === '3,2,1').length;
 * console.log(flipped + out.filter((r) => r.join() === '1,2,3').length); // every row flipped or kept: 64
 * console.log(flipped > 16 && flipped < 48); // about half: true
 * const inference = flip.apply(rows) as tf.Tensor;
 * console.log(tf.all(tf.equal(inference, rows)).dataSync()[0]); // identity: 1
 * ```
 */
export function randomFlip(options?: RandomFlipLayerOptions): Layer {
  registerOnce(RandomFlip);
  return new RandomFlip(checkLayerOptions('layers.randomFlip', options ?? {}, RANDOM_FLIP_LAYER_OPTIONS, [], ['seed']));
}
