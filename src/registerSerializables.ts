import { registerSerializables as registerLayers } from './augment/layers/registerSerializables.js';
import { registerSerializables as registerRegularizationLayers } from './layers/registerSerializables.js';
import { registerSerializables as registerRegularizers } from './regularizers/registerSerializables.js';

/**
 * Registers every class this library defines with tfjs' serialization registry: the regularizers
 * (`L1`, `L2`, `L1L2`, `OrthogonalRegularizer`) and the augmentation layers (`RandomRotation`,
 * `RandomTranslation`, `RandomZoom`, `RandomAffine`, `SeededGaussianNoise`) and the layers module's
 * (`SpatialDropout2D`, `DropBlock2D`, `DropPath`, `GroupNormalization`, `ActivityRegularization`), so that
 * `tf.loadLayersModel` can rebuild any model saved with them.
 *
 * Importing the library registers nothing (it has no import side effects, so bundlers may drop what
 * an application does not use); each factory registers its own class when called. An application
 * that loads a saved model without calling the factories calls this once first. Calling it again
 * does nothing.
 *
 * @example
 * ```ts
 * import { serialization } from '@tensorflow/tfjs-core';
 * import { registerSerializables } from 'tfjs-regularization';
 *
 * registerSerializables();
 * const names = serialization.SerializationMap.getMap().classNameMap;
 * console.log('L2' in names, 'RandomRotation' in names, 'GroupNormalization' in names); // true true true
 * ```
 */
export function registerSerializables(): void {
  registerRegularizers();
  registerLayers();
  registerRegularizationLayers();
}
