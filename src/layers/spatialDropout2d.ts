import { mul, serialization } from '@tensorflow/tfjs-core';
import type { Tensor } from '@tensorflow/tfjs-core';
import { checkLayerOptions, LAYER_ARGS } from '../core/layerOptions.js';
import type { Layer, LayerArgs } from '../core/layerOptions.js';
import { registerOnce } from '../core/serialization.js';
import { invalidArgument, optionNames } from '../core/validate.js';
import { checkDataFormat, DropLayer } from './_internal/DropLayer.js';
import type { DataFormat } from './_internal/DropLayer.js';

type ConfigDict = serialization.ConfigDict;

/** Options of `spatialDropout2d` (Keras 3 `SpatialDropout2D`), plus tfjs' LayerArgs. */
export interface SpatialDropout2DOptions extends LayerArgs {
  /** Fraction of the feature maps to drop, in [0, 1). Required. Keras: `rate`. */
  rate: number;
  /**
   * Where the channels are: 'channelsLast' is `[batch, height, width, channels]`, 'channelsFirst'
   * `[batch, channels, height, width]`. Keras: `data_format`.
   * @defaultValue 'channelsLast' (tfjs-layers' image data format, as Keras' default `channels_last`)
   */
  dataFormat?: DataFormat;
  /** Seed of the layer's generator; equal seeds give equal masks. Keras: `seed`. @defaultValue a fresh random seed */
  seed?: number | null;
}

const SPATIAL_DROPOUT_2D_OPTIONS = optionNames<SpatialDropout2DOptions>()('rate', 'dataFormat', 'seed', ...LAYER_ARGS);

/**
 * Keras 3 SpatialDropout2D: dropout with noise shape (batch, 1, 1, channels) (channels last) or
 * (batch, channels, 1, 1) (channels first), so whole feature maps are kept or dropped.
 */
export class SpatialDropout2D extends DropLayer {
  static className = 'SpatialDropout2D';
  readonly dataFormat: DataFormat;

  constructor(args: SpatialDropout2DOptions) {
    super('spatialDropout2d', args);
    this.dataFormat = checkDataFormat('spatialDropout2d', args.dataFormat);
  }

  protected override checkShape(shape: readonly (number | null)[]): void {
    if (shape.length !== 4) {
      const layout = this.dataFormat === 'channelsFirst' ? 'channels, height, width' : 'height, width, channels';
      throw invalidArgument(this.factoryName, 'input shape', shape, `rank 4, [batch, ${layout}]`);
    }
  }

  protected drop(x: Tensor): Tensor {
    const [batch, a, , b] = x.shape as [number, number, number, number];
    const shape = this.dataFormat === 'channelsFirst' ? [batch, a, 1, 1] : [batch, 1, 1, b];
    return mul(x, this.keepMask(shape));
  }

  protected override options(): ConfigDict {
    return { dataFormat: this.dataFormat };
  }
}

/**
 * Keras 3's `SpatialDropout2D` layer: while training it drops whole feature maps, each
 * (sample, channel) pair kept with probability 1 − rate and scaled by 1/(1 − rate); at inference
 * (and at rate 0) it is the identity. tfjs-layers has only `spatialDropout1d`.
 *
 * Where neighbouring pixels are strongly correlated (early convolutions), element-wise dropout
 * barely regularizes; dropping entire channels does. The mask, `[batch, 1, 1, channels]` (or
 * `[batch, channels, 1, 1]` for `dataFormat: 'channelsFirst'`), is drawn in JavaScript from the
 * layer's seeded generator for each training call: the same seed gives the same masks on every
 * backend. Saves and loads with the model (class name `SpatialDropout2D`, config rate,
 * data_format, seed, as Keras writes it).
 *
 * @param options - `rate` (required), `dataFormat`, `seed`, and tfjs' layer options (`name`, `inputShape`, ...).
 * @returns A tfjs-layers `Layer`. Its input must have rank 4 (an error naming `spatialDropout2d` at build otherwise).
 * @throws Error naming `spatialDropout2d`, the option and the value for a missing rate or one outside
 *   [0, 1), an unknown data format, a non-integer seed or an unknown option.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { spatialDropout2d } from 'tfjs-regularization/layers';
 *
 * const drop = spatialDropout2d({ rate: 0.5, seed: 1 });
 * const x = tf.ones([2, 3, 3, 4]);
 * const y = drop.apply(x, { training: true }) as tf.Tensor;
 * // Each (sample, channel) map is all 0 or all 2 (= 1 / (1 - 0.5)).
 * const perMap = tf.sub(tf.max(y, [1, 2]), tf.min(y, [1, 2]));
 * console.log(tf.max(perMap).dataSync()[0]); // 0
 * console.log(Array.from(new Set(y.dataSync())).sort().join(',')); // 0,2
 * const inference = drop.apply(x) as tf.Tensor;
 * console.log(tf.all(tf.equal(inference, x)).dataSync()[0]); // identity: 1
 * ```
 */
export function spatialDropout2d(options: SpatialDropout2DOptions): Layer {
  registerOnce(SpatialDropout2D);
  return new SpatialDropout2D(
    checkLayerOptions('spatialDropout2d', options, SPATIAL_DROPOUT_2D_OPTIONS, ['rate'], ['seed']),
  );
}
