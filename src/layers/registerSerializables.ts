import { registerOnce } from '../core/serialization.js';
import { ActivityRegularization } from './activityRegularization.js';
import { DropBlock2D } from './dropBlock.js';
import { DropPath } from './dropPath.js';
import { SeededDropout } from './dropout.js';
import { GroupNormalization } from './groupNormalization.js';
import { SpatialDropout2D } from './spatialDropout2d.js';

/**
 * Registers this module's layers (`SpatialDropout2D`, `DropBlock2D`, `DropPath`,
 * `GroupNormalization`, `ActivityRegularization`) with tfjs' serialization registry, so that
 * `tf.loadLayersModel` can rebuild a saved model that holds them.
 *
 * Every factory registers its own class; call this when an application loads such a model without
 * calling a factory (importing the library registers nothing). The root `registerSerializables()`
 * does this too. Calling it again does nothing.
 *
 * @example
 * ```ts
 * import { serialization } from '@tensorflow/tfjs-core';
 * import { registerSerializables } from 'tfjs-regularization/layers';
 *
 * registerSerializables();
 * console.log('GroupNormalization' in serialization.SerializationMap.getMap().classNameMap); // true
 * ```
 */
export function registerSerializables(): void {
  registerOnce(SeededDropout, SpatialDropout2D, DropBlock2D, DropPath, GroupNormalization, ActivityRegularization);
}
