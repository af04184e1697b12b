import * as tf from '@tensorflow/tfjs-core';
import fc from 'fast-check';
import { expect, it } from 'vitest';
import { adjustBrightness } from '../../src/augment/functional/adjustBrightness.js';
import { randomBrightness } from '../../src/augment/randomBrightness.js';
import { perImage, photometricTests } from '../helpers/photometricRandom.js';

photometricTests({
  name: 'randomBrightness',
  factory: randomBrightness as never,
  options: { factor: 0.5 },
  functional: (images, p) => tf.clipByValue(adjustBrightness(images, p['delta'] as number[]), 0, 1),
  params: (n) => fc.record({ delta: perImage(n, -1, 1) }),
  ranges: fc
    .tuple(fc.double({ min: -1, max: 1, noNaN: true }), fc.double({ min: -1, max: 1, noNaN: true }))
    .filter(([a, b]) => Math.abs(a - b) > 0.05)
    .map(([a, b]) => ({ options: { factor: [a, b] }, key: 'delta', lo: Math.min(a, b), hi: Math.max(a, b) })),
});

it('randomBrightness scales the shift to the value range and reads one number as [-f, f]', () => {
  const p = randomBrightness({ factor: 0.2, valueRange: [0, 255], seed: 1 }).sample({
    batchSize: 500,
    height: 1,
    width: 1,
    channels: 1,
  });
  expect(Math.min(...p.delta)).toBeLessThan(-0.18 * 255);
  expect(Math.max(...p.delta)).toBeGreaterThan(0.18 * 255);
  expect(p.delta.every((d) => Math.abs(d) <= 0.2 * 255)).toBe(true);
  expect(() => randomBrightness({ factor: 1.5 })).toThrow(
    'randomBrightness: factor must be a number in [-1, 1] or [lower, upper] of two such numbers, got 1.5',
  );
  expect(() => randomBrightness({ factor: 0.1, value_range: [0, 1] } as never)).toThrow(
    'randomBrightness: unknown option "value_range"; did you mean "valueRange"?',
  );
});
