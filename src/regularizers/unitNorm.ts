import { constraints } from '@tensorflow/tfjs-layers';
import type { Constraint } from './_internal/constraint.js';
import { checkInteger, checkOptions, optionNames } from '../core/validate.js';

/** Options of {@link unitNorm}. */
export interface UnitNormOptions {
  /** Axis along which norms are computed. Keras: `axis`. @defaultValue 0 */
  axis?: number;
}

const UNIT_NORM_OPTIONS = optionNames<UnitNormOptions>()('axis');

/**
 * Keras' `UnitNorm` weight constraint: rescales each weight vector to unit L2 norm after every
 * update. Serializes as `UnitNorm`.
 *
 * @param options - `axis`, an integer.
 * @returns A tfjs-layers `Constraint`.
 * @throws Error naming `unitNorm`, `axis` and the value for a non-integer axis.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { unitNorm } from 'tfjs-regularization/regularizers';
 *
 * const w = unitNorm().apply(tf.tensor2d([[3], [4]]));
 * console.log(Array.from(w.dataSync()).map((v) => v.toFixed(2))); // ['0.60', '0.80']
 * ```
 */
export function unitNorm(options?: UnitNormOptions): Constraint {
  const { axis = 0 } = checkOptions<UnitNormOptions>('unitNorm', options, UNIT_NORM_OPTIONS);
  return constraints.unitNorm({ axis: checkInteger('unitNorm', 'axis', axis) });
}
