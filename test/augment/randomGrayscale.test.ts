import * as tf from '@tensorflow/tfjs-core';
import fc from 'fast-check';
import { rgbToGrayscale } from '../../src/augment/functional/rgbToGrayscale.js';
import { randomGrayscale } from '../../src/augment/randomGrayscale.js';
import { photometricTests } from '../helpers/photometricRandom.js';

photometricTests({
  name: 'randomGrayscale',
  factory: randomGrayscale as never,
  options: { factor: 1 },
  rgb: true,
  functional: (images) => tf.tile(rgbToGrayscale(images), [1, 1, 1, 3]),
  params: () => fc.constant({}),
  rate: [
    { options: {}, rate: 1 },
    { options: { factor: 0.3 }, rate: 0.3 },
  ],
});
