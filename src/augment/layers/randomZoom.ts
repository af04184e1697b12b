import { serialization } from '@tensorflow/tfjs-core';
import { registerOnce } from '../../core/serialization.js';
import { optionNames } from '../../core/validate.js';
import type { RandomGenerator } from '../../core/random.js';
import { AffineLayer, KERAS_AFFINE_ARGS } from './_internal/AffineLayer.js';
import type { KerasAffineOptions } from './_internal/AffineLayer.js';
import { checkArgs, checkFactor, checkLayerOptions, factorConfig } from './_internal/AugmentLayer.js';
import type { Factor, FactorRange, Layer } from './_internal/AugmentLayer.js';

type ConfigDict = serialization.ConfigDict;

/** Options of `layers.randomZoom` (Keras 3 `RandomZoom`). */
export interface RandomZoomOptions extends KerasAffineOptions {
  /**
   * Vertical zoom: scale 1 + u, u in [-f, f] or [lo, hi]; positive zooms out (content smaller), negative zooms in.
   * Within [-1, 1].
   * Keras: `height_factor`.
   */
  heightFactor: Factor;
  /**
   * Horizontal zoom, as heightFactor; null or absent: the vertical draw is used (aspect preserved).
   * Keras: `width_factor`.
   * @defaultValue null
   */
  widthFactor?: Factor | null;
}

const RANDOM_ZOOM_OPTIONS = optionNames<RandomZoomOptions>()('heightFactor', 'widthFactor', ...KERAS_AFFINE_ARGS);

/**
 * Keras 3 RandomZoom: scale z = 1 + u per axis (u uniform in the factor range) about the pixel-grid
 * centre; z > 1 (positive factor) zooms out, the content shrinks; z < 1 zooms in. Without a width
 * factor the height draw is used for both axes (aspect preserved).
 */
export class RandomZoom extends AffineLayer {
  static className = 'RandomZoom';
  readonly heightFactor: number | number[];
  readonly widthFactor: number | number[] | null;
  private readonly heightRange: FactorRange;
  private readonly widthRange: FactorRange | null;

  constructor(args: RandomZoomOptions) {
    const fn = 'layers.randomZoom';
    checkArgs<RandomZoomOptions>(fn, args, ['heightFactor']);
    super(fn, args);
    this.heightRange = checkFactor(fn, 'heightFactor', args.heightFactor);
    this.heightFactor = factorConfig(args.heightFactor);
    const width = args.widthFactor ?? null;
    this.widthRange = width === null ? null : checkFactor(fn, 'widthFactor', width);
    this.widthFactor = width === null ? null : factorConfig(width);
  }

  protected rows(batch: number, height: number, width: number, rng: RandomGenerator): number[][] {
    return Array.from({ length: batch }, () => {
      const zy = 1 + rng.uniform(...this.heightRange);
      const zx = this.widthRange === null ? zy : 1 + rng.uniform(...this.widthRange);
      return [zx, 0, ((width - 1) / 2) * (1 - zx), 0, zy, ((height - 1) / 2) * (1 - zy), 0, 0];
    });
  }

  protected options(): ConfigDict {
    return { heightFactor: this.heightFactor, widthFactor: this.widthFactor, ...this.samplingConfig() };
  }
}

/**
 * Keras 3's `RandomZoom` layer: while training each image is zoomed by its own random factor;
 * at inference it is the identity.
 *
 * As in Keras, a factor f draws u uniformly in [−f, f] (a pair `[lo, hi]` in [lo, hi]) and the
 * image is scaled about its pixel-grid centre so that output pixels read the input at scale
 * 1 + u: positive u zooms OUT (the content shrinks, the border is filled per `fillMode`, Keras'
 * default `'reflect'`), negative u zooms IN. Without `widthFactor` the height draw is used for both
 * axes, preserving the aspect ratio; with it, the axes are drawn independently.
 *
 * Saves and loads with the model (class name `RandomZoom`, config height_factor, width_factor,
 * fill_mode, interpolation, fill_value, seed). Input: `[batch, height, width, channels]`; place it
 * before any trainable layer (the resampling has no gradient in tfjs).
 *
 * @param options - `heightFactor` (required), `widthFactor`, `fillMode`, `interpolation`,
 *   `fillValue`, `seed`, and tfjs' layer options.
 * @returns A tfjs-layers `Layer`.
 * @throws Error naming `layers.randomZoom`, the option and the value for a missing height factor
 *   or a factor outside [-1, 1], an unknown fill mode or interpolation, a non-finite fill value or a
 *   non-integer seed.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { layers } from 'tfjs-regularization/augment';
 *
 * const zoomIn = layers.randomZoom({ heightFactor: [-0.5, -0.5], interpolation: 'nearest' }); // 2× in
 * const image = tf.tensor4d([...Array(16).keys()], [1, 4, 4, 1]);
 * const zoomed = zoomIn.apply(image, { training: true }) as tf.Tensor;
 * console.log(Array.from(zoomed.dataSync()).join(',')); // the centre 2×2 blown up: 5,5,6,6,5,5,6,6,9,9,10,10,9,9,10,10
 * const inference = zoomIn.apply(image) as tf.Tensor;
 * console.log(tf.all(tf.equal(inference, image)).dataSync()[0]); // identity: 1
 * ```
 */
export function randomZoom(options: RandomZoomOptions): Layer {
  registerOnce(RandomZoom);
  return new RandomZoom(
    checkLayerOptions(`layers.randomZoom`, options, RANDOM_ZOOM_OPTIONS, ['heightFactor'], ['widthFactor', 'seed']),
  );
}
