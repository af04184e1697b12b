import fc from 'fast-check';
import { expect, it } from 'vitest';
import { posterize } from '../../src/augment/functional/posterize.js';
import { randomPosterize } from '../../src/augment/randomPosterize.js';
import { photometricTests } from '../helpers/photometricRandom.js';

photometricTests({
  name: 'randomPosterize',
  factory: randomPosterize as never,
  options: { factor: [1, 8] },
  functional: (images, p) => posterize(images, p['bits'] as number[]),
  params: (n) => fc.record({ bits: fc.array(fc.integer({ min: 1, max: 8 }), { minLength: n, maxLength: n }) }),
  ranges: fc
    .tuple(fc.integer({ min: 1, max: 8 }), fc.integer({ min: 1, max: 8 }))
    .filter(([a, b]) => a !== b)
    .map(([a, b]) => ({ options: { factor: [a, b] }, key: 'bits', lo: Math.min(a, b), hi: Math.max(a, b) })),
});

it('randomPosterize draws every bit count of its range, both ends included, about equally often', () => {
  const p = randomPosterize({ factor: [3, 6], seed: 4 }).sample({ batchSize: 4000, height: 1, width: 1, channels: 1 });
  for (const bits of [3, 4, 5, 6]) {
    const count = p.bits.filter((b) => b === bits).length;
    // Binomial(4000, 1/4): sd 27.4; 4.5 sd.
    expect(Math.abs(count - 1000)).toBeLessThanOrEqual(124);
  }
  expect(
    randomPosterize({ factor: 4, seed: 1 }).sample({ batchSize: 5, height: 1, width: 1, channels: 1 }).bits,
  ).toEqual([4, 4, 4, 4, 4]);
  expect(() => randomPosterize({ factor: 0 })).toThrow(
    'randomPosterize: factor must be an integer from 1 to 8, or [lower, upper] of two, got 0',
  );
});
