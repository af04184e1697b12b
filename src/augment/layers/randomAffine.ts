import { RandomAffine } from './_internal/otherLayers.js';
import type { Layer } from './_internal/AugmentLayer.js';
import type { RandomAffineLayerOptions } from './_internal/otherLayers.js';

export type { RandomAffineLayerOptions };

/**
 * The {@link randomAffine} augmentation (Keras' `ImageDataGenerator` options: rotation, shifts,
 * shear, zoom, flips) as a layer: while training it draws the augmentation's per-sample parameters
 * from the layer's seeded generator and applies them in one resampling pass; at inference it is
 * the identity. Same options, same defaults (`fillMode: 'nearest'`) and same sampling as the
 * augmentation, so `layers.randomAffine(o)` in a model trains like `randomAffine(o)` in a pipeline.
 *
 * Saves and loads with the model (class name `RandomAffine`; the config holds the options given).
 * Input: `[batch, height, width, channels]`; place it before any trainable layer (the resampling has
 * no gradient in tfjs).
 *
 * @param options - {@link RandomAffineOptions} plus tfjs' layer options (`name`, `inputShape`, ...).
 * @returns A tfjs-layers `Layer`.
 * @throws Error naming `layers.randomAffine`, the option and the value for bad options (the checks of
 *   {@link randomAffine}).
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { layers } from 'tfjs-regularization/augment';
 *
 * const augment = layers.randomAffine({ rotationRange: 30, widthShiftRange: 0.1, heightShiftRange: 0.1, zoomRange: 0.2, seed: 7 });
 * const x = tf.ones([4, 28, 28, 1]);
 * const y = augment.apply(x, { training: true }) as tf.Tensor;
 * console.log(y.shape.join('x'), tf.max(y).dataSync()[0]); // 4x28x28x1 1
 * console.log(augment.getConfig()['rotationRange']); // 30
 * ```
 */
export function randomAffine(options?: RandomAffineLayerOptions): Layer {
  return new RandomAffine(options ?? {});
}
