import { registerClasses } from './_internal/registerClasses.js';

/**
 * Registers `L1`, `L2`, `L1L2` and `OrthogonalRegularizer` with tfjs' serialization registry so
 * that `tf.loadLayersModel` can rebuild models whose configs name them (Keras class names).
 *
 * Every factory of this module registers them already; call this only when an application loads
 * such a model without calling any factory (a bundler may otherwise drop the registration).
 * Calling it again does nothing.
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
  registerClasses();
}
