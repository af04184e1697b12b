import * as tf from '@tensorflow/tfjs-core';
import fc from 'fast-check';
import { gaussianBlur } from '../../src/augment/functional/gaussianBlur.js';
import { randomGaussianBlur } from '../../src/augment/randomGaussianBlur.js';
import { perImage, photometricTests } from '../helpers/photometricRandom.js';

photometricTests({
  name: 'randomGaussianBlur',
  factory: randomGaussianBlur as never,
  options: { factor: [1, 1], sigma: [0.5, 2] },
  functional: (images, p) =>
    tf.clipByValue(gaussianBlur(images, { sigma: p['sigma'] as number[], sigmaY: p['sigmaY'] as number[] }), 0, 1),
  params: (n) => fc.record({ sigma: perImage(n, 0.1, 3), sigmaY: perImage(n, 0.1, 3) }),
  ranges: fc
    .tuple(fc.double({ min: 0, max: 4, noNaN: true }), fc.double({ min: 0, max: 4, noNaN: true }), fc.boolean())
    .filter(([a, b]) => Math.abs(a - b) > 0.05)
    .map(([a, b, y]) => ({
      options: { sigma: [Math.min(a, b), Math.max(a, b)] },
      key: y ? 'sigmaY' : 'sigma',
      lo: Math.min(a, b) + 1e-6,
      hi: Math.max(a, b) + 1e-6,
    })),
  rate: [
    { options: {}, rate: 1 },
    { options: { factor: 1 }, rate: 0.5 },
    { options: { factor: [0.2, 0.6] }, rate: 0.4 },
  ],
});
