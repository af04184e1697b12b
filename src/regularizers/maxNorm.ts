import { constraints } from '@tensorflow/tfjs-layers';
import type { Constraint } from './_internal/constraint.js';
import { checkInteger, checkNonNegative, checkOptions, optionNames } from '../core/validate.js';

/** Options of {@link maxNorm}. */
export interface MaxNormOptions {
  /** Largest allowed L2 norm of each weight vector. Keras: `max_value`. @defaultValue 2 */
  maxValue?: number;
  /**
   * Axis along which norms are computed: 0 constrains each output unit of a Dense kernel `[in, out]`.
   * Keras: `axis`.
   * @defaultValue 0
   */
  axis?: number;
}

const MAX_NORM_OPTIONS = optionNames<MaxNormOptions>()('maxValue', 'axis');

/**
 * Keras' `MaxNorm` weight constraint: after each update, weight vectors whose L2 norm exceeds
 * `maxValue` are rescaled to that norm (the constraint of Srivastava et al.'s dropout paper).
 * Serializes as `MaxNorm` with Keras' config keys.
 *
 * @param options - `maxValue` (finite, >= 0) and `axis` (an integer).
 * @returns A tfjs-layers `Constraint`, usable as `kernelConstraint` / `biasConstraint`.
 * @throws Error naming `maxNorm`, the option and the value for bad input.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { maxNorm } from 'tfjs-regularization/regularizers';
 *
 * const w = maxNorm({ maxValue: 1, axis: 0 }).apply(tf.tensor2d([[3], [4]]));
 * console.log(Array.from(w.dataSync()).map((v) => v.toFixed(2))); // ['0.60', '0.80']
 * ```
 */
export function maxNorm(options?: MaxNormOptions): Constraint {
  const { maxValue = 2, axis = 0 } = checkOptions<MaxNormOptions>('maxNorm', options, MAX_NORM_OPTIONS);
  return constraints.maxNorm({
    maxValue: checkNonNegative('maxNorm', 'maxValue', maxValue),
    axis: checkInteger('maxNorm', 'axis', axis),
  });
}
