import { serialization } from '@tensorflow/tfjs-core';
import { registerOnce } from '../../core/serialization.js';
import { checkProbability, optionNames } from '../../core/validate.js';
import type { Augmentation } from '../augmentation.js';
import { randomGrayscale as grayscaleAugmentation } from '../randomGrayscale.js';
import type { RandomGrayscaleParams } from '../randomGrayscale.js';
import { checkArgs, checkLayerOptions } from './_internal/AugmentLayer.js';
import type { Layer } from './_internal/AugmentLayer.js';
import { AugmentationLayer, IMAGE_LAYER_ARGS } from './_internal/ImageLayer.js';
import type { ImageLayerOptions } from './_internal/ImageLayer.js';

type ConfigDict = serialization.ConfigDict;

/** Options of `layers.randomGrayscale` (Keras 3 `RandomGrayscale`). */
export interface RandomGrayscaleLayerOptions extends ImageLayerOptions {
  /** Probability that an image is turned gray, in [0, 1]. Keras: `factor`. @defaultValue 0.5 */
  factor?: number;
}

const RANDOM_GRAYSCALE_LAYER_OPTIONS = optionNames<RandomGrayscaleLayerOptions>()('factor', ...IMAGE_LAYER_ARGS);

/** Keras 3 RandomGrayscale: the {@link randomGrayscale} augmentation, whose draw is Keras' `uniform < factor`. */
export class RandomGrayscale extends AugmentationLayer<RandomGrayscaleParams> {
  static className = 'RandomGrayscale';
  readonly factor: number;
  protected readonly aug: Augmentation<RandomGrayscaleParams>;

  constructor(args: RandomGrayscaleLayerOptions) {
    const fn = 'layers.randomGrayscale';
    super(fn, checkArgs<RandomGrayscaleLayerOptions>(fn, args ?? {}, []), 'rgb');
    this.factor = checkProbability(fn, args?.factor ?? 0.5, 'factor');
    this.aug = grayscaleAugmentation({ factor: this.factor, seed: 0 });
  }

  protected options(): ConfigDict {
    return { factor: this.factor };
  }
}

/**
 * Keras 3's `RandomGrayscale` layer: while training each RGB image is turned gray with probability `factor` (its
 * luma, ITU-R 601, in all three channels); at inference it is the identity.
 *
 * Built on the {@link randomGrayscale} augmentation, whose draw is Keras' (`uniform < factor` per image). Input: RGB,
 * 3 channels on the channel axis. Saves and loads with the model (class name `RandomGrayscale`, config factor, seed,
 * data_format).
 *
 * @param options - `factor`, `seed`, `dataFormat`, and tfjs' layer options.
 * @returns A tfjs-layers `Layer`.
 * @throws Error naming `layers.randomGrayscale`, the option and the value for a factor outside [0, 1], a bad data
 *   format, a non-integer seed or an unknown option; naming it and the input shape for non-RGB input.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { layers } from 'tfjs-regularization/augment';
 *
 * const gray = layers.randomGrayscale({ factor: 1, dataFormat: 'channelsFirst', seed: 1 });
 * const out = gray.apply(tf.tensor4d([1, 0, 0], [1, 3, 1, 1]), { training: true }) as tf.Tensor;
 * console.log(Array.from(out.dataSync(), (v) => v.toFixed(3)).join(',')); // 0.299,0.299,0.299
 * ```
 */
export function randomGrayscale(options?: RandomGrayscaleLayerOptions): Layer {
  registerOnce(RandomGrayscale);
  return new RandomGrayscale(
    checkLayerOptions('layers.randomGrayscale', options ?? {}, RANDOM_GRAYSCALE_LAYER_OPTIONS, [], ['seed']),
  );
}
