import { L1 } from './_internal/L1L2.js';
import { registerOnce } from '../core/serialization.js';
import { checkNonNegative } from '../core/validate.js';
import type { Regularizer } from './regularizer.js';

/**
 * L1 weight penalty, Keras' `keras.regularizers.l1`: adds `rate * sum(|w|)` to the training loss,
 * which drives weights to exactly zero (sparse kernels).
 *
 * Serializes as `{"class_name": "L1", "config": {"l1": rate}}`, Keras' own format.
 *
 * @param rate - The penalty factor λ, a finite number >= 0. @defaultValue 0.01 (as in Keras)
 * @returns A tfjs-layers `Regularizer`.
 * @throws Error naming `l1`, `rate` and the value when `rate` is negative, not finite or not a number.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { l1 } from 'tfjs-regularization/regularizers';
 *
 * const penalty = l1(0.1).apply(tf.tensor1d([1, -2, 3]));
 * console.log(penalty.dataSync()[0]); // 0.1 * (1 + 2 + 3) = 0.6
 * ```
 */
export function l1(rate: number = 0.01): Regularizer {
  registerOnce(L1);
  return new L1(checkNonNegative('l1', 'rate', rate));
}
