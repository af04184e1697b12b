import { registerOnce } from '../../core/serialization.js';
import { SeededGaussianNoise } from './gaussianNoise.js';
import { RandomAffine } from './randomAffine.js';
import { RandomRotation } from './randomRotation.js';
import { RandomTranslation } from './randomTranslation.js';
import { RandomZoom } from './randomZoom.js';

/**
 * Registers the augmentation layers (`RandomRotation`, `RandomTranslation`, `RandomZoom`,
 * `RandomAffine`, `SeededGaussianNoise`) with tfjs' serialization registry, so that
 * `tf.loadLayersModel` can rebuild a saved model that holds them.
 *
 * Every layer factory registers its own class; call this when an application loads such a model
 * without calling a factory (importing the library registers nothing). The root
 * `registerSerializables()` does this and registers the regularizers too. Calling it again does
 * nothing.
 *
 * @example
 * ```ts
 * import { serialization } from '@tensorflow/tfjs-core';
 * import { layers } from 'tfjs-regularization/augment';
 *
 * layers.registerSerializables();
 * console.log('RandomRotation' in serialization.SerializationMap.getMap().classNameMap); // true
 * ```
 */
export function registerSerializables(): void {
  registerOnce(RandomRotation, RandomTranslation, RandomZoom, RandomAffine, SeededGaussianNoise);
}
