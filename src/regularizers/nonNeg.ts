import { constraints } from '@tensorflow/tfjs-layers';
import type { Constraint } from './_internal/constraint.js';

/**
 * Keras' `NonNeg` weight constraint: clamps negative weights to zero after every update.
 * Serializes as `NonNeg`.
 *
 * @returns A tfjs-layers `Constraint`.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { nonNeg } from 'tfjs-regularization/regularizers';
 *
 * console.log(Array.from(nonNeg().apply(tf.tensor1d([-1, 2])).dataSync())); // [0, 2]
 * ```
 */
export function nonNeg(): Constraint {
  return constraints.nonNeg();
}
