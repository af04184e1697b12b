import * as tf from '@tensorflow/tfjs-core';
import fc from 'fast-check';
import { expect, it } from 'vitest';
import { adjustContrast } from '../../src/augment/functional/adjustContrast.js';
import { randomContrast } from '../../src/augment/randomContrast.js';
import { perImage, photometricTests } from '../helpers/photometricRandom.js';

photometricTests({
  name: 'randomContrast',
  factory: randomContrast as never,
  options: { factor: 0.5 },
  functional: (images, p) => tf.clipByValue(adjustContrast(images, p['factor'] as number[]), 0, 1),
  params: (n) => fc.record({ factor: perImage(n, 0, 2) }),
  ranges: fc
    .tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true }))
    .filter(([a, b]) => a + b > 0.05)
    .map(([a, b]) => ({ options: { factor: [a, b] }, key: 'factor', lo: 1 - Math.min(a, b), hi: 1 + Math.max(a, b) })),
});

it('randomContrast reads one number f as [1 - f, 1 + f] (Keras documents it; Keras 3.15 code draws [1, 1 + f])', () => {
  const p = randomContrast({ factor: 0.3, seed: 2 }).sample({ batchSize: 500, height: 1, width: 1, channels: 1 });
  expect(Math.min(...p.factor)).toBeLessThan(0.72);
  expect(Math.max(...p.factor)).toBeGreaterThan(1.28);
  expect(() => randomContrast({ factor: -0.1 })).toThrow('randomContrast: factor must be a number in [0, 1]');
});
