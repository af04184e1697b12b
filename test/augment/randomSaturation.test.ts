import fc from 'fast-check';
import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { adjustSaturation } from '../../src/augment/functional/adjustSaturation.js';
import { randomSaturation } from '../../src/augment/randomSaturation.js';
import { perImage, photometricTests } from '../helpers/photometricRandom.js';

photometricTests({
  name: 'randomSaturation',
  factory: randomSaturation as never,
  options: { factor: [0.1, 0.9] },
  rgb: true,
  functional: (images, p) => adjustSaturation(images, p['factor'] as number[]),
  params: (n) => fc.record({ factor: perImage(n, 0, 5) }),
  ranges: fc
    .tuple(fc.double({ min: 0, max: 0.95, noNaN: true }), fc.double({ min: 0, max: 0.95, noNaN: true }))
    .filter(([a, b]) => Math.abs(a - b) > 0.05)
    .map(([a, b]) => {
      const [lo, hi] = [Math.min(a, b), Math.max(a, b)];
      // u = m (1 + eps) / (1 + m) inverts m = u / (1 - u + eps): the uniform draw behind each factor.
      const map = (m: number) => (m * (1 + 1e-7)) / (1 + m);
      return { options: { factor: [lo, hi] }, key: 'factor', lo, hi, map };
    }),
});

it('randomSaturation rejects images that are not RGB, naming itself and the shape', () => {
  const images = tf.zeros([1, 2, 2, 1]) as tf.Tensor4D;
  expect(() => randomSaturation({ factor: 0.5 })({ images })).toThrow(
    'randomSaturation: batch.images shape must be RGB images [batch, height, width, 3], got [1,2,2,1]',
  );
  images.dispose();
});
