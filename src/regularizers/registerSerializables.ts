import { registerOnce } from '../core/serialization.js';
import { L1, L1L2, L2 } from './_internal/L1L2.js';
import { OrthogonalRegularizer } from './_internal/OrthogonalRegularizer.js';

/**
 * Registers `L1`, `L2`, `L1L2` and `OrthogonalRegularizer` with tfjs' serialization registry so
 * that `tf.loadLayersModel` can rebuild models whose configs name them (Keras class names).
 *
 * Every factory of this module registers its own class; call this when an application loads such
 * a model without calling a factory (importing the library registers nothing). The root
 * `registerSerializables()` does this and registers the augmentation layers too. Calling it again
 * does nothing.
 *
 * @example
 * ```ts
 * import { serialization } from '@tensorflow/tfjs-core';
 * import { registerSerializables } from 'tfjs-regularization/regularizers';
 *
 * registerSerializables();
 * console.log('L2' in serialization.SerializationMap.getMap().classNameMap); // true
 * ```
 */
export function registerSerializables(): void {
  registerOnce(L1, L2, L1L2, OrthogonalRegularizer);
}
