import { L1L2 } from './_internal/L1L2.js';
import { registerOnce } from '../core/serialization.js';
import { checkNonNegative, checkOptions, optionNames } from '../core/validate.js';
import type { Regularizer } from './regularizer.js';

/** Options of {@link l1l2}. */
export interface L1L2Options {
  /** Factor of the L1 term `sum(|w|)`. Keras: `l1`. @defaultValue 0.01 */
  l1?: number;
  /** Factor of the L2 term `sum(w^2)`. Keras: `l2`. @defaultValue 0.01 */
  l2?: number;
}

const L1L2_OPTIONS = optionNames<L1L2Options>()('l1', 'l2');

/**
 * Elastic-net weight penalty, Keras' `keras.regularizers.l1_l2`: `l1 * sum(|w|) + l2 * sum(w^2)`.
 *
 * Serializes as `{"class_name": "L1L2", "config": {"l1": ..., "l2": ...}}`.
 *
 * @param options - The two factors, each a finite number >= 0.
 * @returns A tfjs-layers `Regularizer`.
 * @throws Error naming `l1l2`, the option and the value for a negative, non-finite or non-numeric factor.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { l1l2 } from 'tfjs-regularization/regularizers';
 *
 * const penalty = l1l2({ l1: 0.1, l2: 0.5 }).apply(tf.tensor1d([1, -2]));
 * console.log(penalty.dataSync()[0]); // 0.1 * 3 + 0.5 * 5 = 2.8
 * ```
 */
export function l1l2(options?: L1L2Options): Regularizer {
  const { l1 = 0.01, l2 = 0.01 } = checkOptions<L1L2Options>('l1l2', options, L1L2_OPTIONS);
  registerOnce(L1L2);
  return new L1L2(checkNonNegative('l1l2', 'l1', l1), checkNonNegative('l1l2', 'l2', l2));
}
