import { OrthogonalRegularizer } from './_internal/OrthogonalRegularizer.js';
import { registerOnce } from '../core/serialization.js';
import { checkNonNegative, checkOneOf, checkOptions, optionNames } from '../core/validate.js';
import type { Regularizer } from './regularizer.js';

/** Options of {@link orthogonal}. */
export interface OrthogonalOptions {
  /** Penalty factor. Keras: `factor`. @defaultValue 0.01 */
  factor?: number;
  /**
   * `'rows'` pushes the rows of the 2-D weight towards mutual orthogonality; `'columns'` the columns.
   * For a Dense kernel of shape `[inputDim, units]`, `'rows'` acts on the input feature vectors.
   * Keras: `mode`.
   * @defaultValue 'rows'
   */
  mode?: 'rows' | 'columns';
}

const ORTHOGONAL_OPTIONS = optionNames<OrthogonalOptions>()('factor', 'mode');

/**
 * Keras 3's `OrthogonalRegularizer`: `factor` times the mean absolute cosine similarity between
 * every pair of distinct rows (or columns) of a 2-D weight. Orthogonal rows cost nothing; parallel
 * rows cost `factor`.
 *
 * Serializes as `{"class_name": "OrthogonalRegularizer", "config": {"factor": ..., "mode": ...}}`.
 * Applying it to a weight whose rank is not 2 throws, as in Keras.
 *
 * @param options - Factor and mode.
 * @returns A tfjs-layers `Regularizer`.
 * @throws Error naming `orthogonal`, the option and the value for a bad factor or mode.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { orthogonal } from 'tfjs-regularization/regularizers';
 *
 * const reg = orthogonal({ factor: 1, mode: 'rows' });
 * console.log(reg.apply(tf.tensor2d([[1, 0], [0, 2]])).dataSync()[0]); // orthogonal rows: 0
 * console.log(reg.apply(tf.tensor2d([[1, 1], [2, 2]])).dataSync()[0]); // parallel rows: 1
 * ```
 */
export function orthogonal(options?: OrthogonalOptions): Regularizer {
  const { factor = 0.01, mode = 'rows' } = checkOptions<OrthogonalOptions>('orthogonal', options, ORTHOGONAL_OPTIONS);
  registerOnce(OrthogonalRegularizer);
  return new OrthogonalRegularizer(
    checkNonNegative('orthogonal', 'factor', factor),
    checkOneOf('orthogonal', 'mode', mode, ['rows', 'columns'] as const),
  );
}
