import { L2 } from './_internal/L1L2.js';
import { registerOnce } from '../core/serialization.js';
import { checkNonNegative } from '../core/validate.js';
import type { Regularizer } from './regularizer.js';

/**
 * L2 weight penalty, Keras' `keras.regularizers.l2`: adds `rate * sum(w^2)` to the training loss.
 *
 * The object serializes with Keras' class name, `{"class_name": "L2", "config": {"l2": rate}}`, so a
 * model using it saves and loads with `model.save` / `tf.loadLayersModel`, and Keras-exported
 * configs that name `L2` load too.
 *
 * @param rate - The penalty factor λ, a finite number >= 0. @defaultValue 0.01 (as in Keras)
 * @returns A tfjs-layers `Regularizer`, usable as `kernelRegularizer`, `biasRegularizer` or
 *   `activityRegularizer`.
 * @throws Error naming `l2`, `rate` and the value when `rate` is negative, not finite or not a number.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { layers } from '@tensorflow/tfjs-layers';
 * import { l2 } from 'tfjs-regularization/regularizers';
 *
 * const dense = layers.dense({ units: 1024, activation: 'relu', kernelRegularizer: l2(0.01) });
 * const penalty = l2(0.5).apply(tf.tensor1d([1, -2]));
 * console.log(penalty.dataSync()[0]); // 0.5 * (1 + 4) = 2.5
 * ```
 */
export function l2(rate: number = 0.01): Regularizer {
  registerOnce(L2);
  return new L2(checkNonNegative('l2', 'rate', rate));
}
