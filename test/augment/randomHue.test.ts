import * as tf from '@tensorflow/tfjs-core';
import fc from 'fast-check';
import { adjustHue } from '../../src/augment/functional/adjustHue.js';
import { randomHue } from '../../src/augment/randomHue.js';
import { perImage, photometricTests } from '../helpers/photometricRandom.js';

photometricTests({
  name: 'randomHue',
  factory: randomHue as never,
  options: { factor: 0.5 },
  rgb: true,
  // TensorFlow's hue kernel against Keras' HSV round trip: float32 rounding differs by up to ~1e-6 per channel.
  tolerance: 1e-5,
  functional: (images, p) => tf.clipByValue(adjustHue(images, p['delta'] as number[]), 0, 1),
  params: (n) => fc.record({ delta: perImage(n, -0.5, 0.5) }),
  ranges: fc
    .tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true }))
    .filter(([a, b]) => Math.abs(a - b) > 0.05)
    .map(([a, b]) => ({
      options: { factor: [a, b] },
      key: 'delta',
      abs: true,
      lo: Math.min(a, b) / 2,
      hi: Math.max(a, b) / 2,
    })),
});
