import fc from 'fast-check';
import { adjustSharpness } from '../../src/augment/functional/adjustSharpness.js';
import { randomSharpness } from '../../src/augment/randomSharpness.js';
import { perImage, photometricTests } from '../helpers/photometricRandom.js';

photometricTests({
  name: 'randomSharpness',
  factory: randomSharpness as never,
  options: { factor: [0, 0.4] },
  functional: (images, p) => adjustSharpness(images, p['factor'] as number[]),
  params: (n) => fc.record({ factor: perImage(n, 0, 2) }),
  ranges: fc
    .tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true }))
    .filter(([a, b]) => Math.abs(a - b) > 0.05)
    .map(([a, b]) => ({ options: { factor: [a, b] }, key: 'factor', lo: 2 * Math.min(a, b), hi: 2 * Math.max(a, b) })),
});
