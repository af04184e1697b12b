import { RandomZoom } from './_internal/kerasLayers.js';
import type { Layer } from './_internal/AugmentLayer.js';
import type { RandomZoomOptions } from './_internal/kerasLayers.js';

export type { RandomZoomOptions };

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
  return new RandomZoom(options);
}
