import { registerOnce } from '../../core/serialization.js';
import { RandomCrop } from './randomCrop.js';
import { Cutout } from './cutout.js';
import { RandomErasing } from './randomErasing.js';
import { RandomFlip } from './randomFlip.js';
import { RandomBrightness } from './randomBrightness.js';
import { RandomContrast } from './randomContrast.js';
import { RandomSaturation } from './randomSaturation.js';
import { RandomHue } from './randomHue.js';
import { RandomGrayscale } from './randomGrayscale.js';
import { RandomShear } from './randomShear.js';
import { RandomSharpness } from './randomSharpness.js';
import { RandomColorJitter } from './randomColorJitter.js';
import { SeededGaussianNoise } from './gaussianNoise.js';
import { RandomAffine } from './randomAffine.js';
import { RandomRotation } from './randomRotation.js';
import { RandomTranslation } from './randomTranslation.js';
import { RandomZoom } from './randomZoom.js';
import { RandomElasticTransform } from './randomElasticTransform.js';
import { RandAugment } from './randAugment.js';

/**
 * Registers the augmentation layers (`RandomRotation`, `RandomTranslation`, `RandomZoom`,
 * `RandomAffine`, `SeededGaussianNoise` and the Keras 3 image layers `RandomCrop`, `RandomFlip`,
 * `RandomBrightness`, `RandomContrast`, `RandomSaturation`, `RandomHue`, `RandomGrayscale`,
 * `RandomSharpness`, `RandomColorJitter`, `RandomErasing`,
 * `RandomShear`, `Cutout`, `RandomElasticTransform` and `RandAugment`) with tfjs' serialization registry, so that
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
  registerOnce(
    RandomRotation,
    RandomTranslation,
    RandomZoom,
    RandomAffine,
    SeededGaussianNoise,
    RandomCrop,
    RandomFlip,
    RandomBrightness,
    RandomContrast,
    RandomSaturation,
    RandomHue,
    RandomGrayscale,
    RandomSharpness,
    RandomColorJitter,
    RandomErasing,
    RandomShear,
    Cutout,
    RandomElasticTransform,
    RandAugment,
  );
}
