import { serialization } from '@tensorflow/tfjs-core';
import type { Tensor4D } from '@tensorflow/tfjs-core';
import type { RandomGenerator } from '../../../core/random.js';
import { optionNames } from '../../../core/validate.js';
import { checkResampleOptions } from '../../_internal/resample/options.js';
import type { ResampleOptions } from '../../_internal/resample/options.js';
import type { BatchInfo } from '../../augmentation.js';
import { affineTransform } from '../../functional/affineTransform.js';
import { IMAGE_LAYER_ARGS, ImageLayer } from './ImageLayer.js';
import type { ImageLayerOptions } from './ImageLayer.js';

type ConfigDict = serialization.ConfigDict;

/** The options of a Keras geometric layer beside its factors. */
export const KERAS_AFFINE_ARGS: readonly (keyof KerasAffineOptions & string)[] = optionNames<KerasAffineOptions>()(
  'fillMode',
  'interpolation',
  'fillValue',
  ...IMAGE_LAYER_ARGS,
);

/**
 * Options shared by the Keras geometric layers, plus tfjs' LayerArgs (`name`, `inputShape`, ...).
 * Saved configs use Keras' names: fill_mode, interpolation, fill_value, seed.
 */
export interface KerasAffineOptions extends ImageLayerOptions {
  /**
   * What points outside the image read (see affineTransform; 'reflect' is dcba|abcd|dcba). Keras: `fill_mode`.
   * @defaultValue 'reflect'
   */
  fillMode?: 'constant' | 'reflect' | 'wrap' | 'nearest';
  /** Resampling. Keras: `interpolation`. @defaultValue 'bilinear' */
  interpolation?: 'nearest' | 'bilinear';
  /** Fill value for fillMode 'constant'. Keras: `fill_value`. @defaultValue 0 */
  fillValue?: number;
}

/**
 * A Keras geometric layer: per sample one 8-entry tf.image.transform row, drawn in JavaScript,
 * applied in a single resampling pass.
 */
export abstract class AffineLayer extends ImageLayer<number[][]> {
  protected readonly resampling: ResampleOptions;

  constructor(fn: string, args: KerasAffineOptions) {
    super(fn, args, 'any');
    this.resampling = checkResampleOptions(fn, args, 'reflect');
  }

  /** Per sample, the row mapping output (x, y) to the input point it reads, drawn from `rng`. */
  protected abstract rows(batch: number, height: number, width: number, rng: RandomGenerator): number[][];

  protected draw(info: BatchInfo, rng: RandomGenerator): number[][] {
    return this.rows(info.batchSize, info.height, info.width, rng);
  }

  protected transform(images: Tensor4D, rows: number[][]): Tensor4D {
    return affineTransform(images, rows, this.resampling);
  }

  protected samplingConfig(): ConfigDict {
    return { ...this.resampling };
  }
}
