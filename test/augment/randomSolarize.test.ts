import fc from 'fast-check';
import { solarize } from '../../src/augment/functional/solarize.js';
import { randomSolarize } from '../../src/augment/randomSolarize.js';
import { perImage, photometricTests } from '../helpers/photometricRandom.js';

photometricTests({
  name: 'randomSolarize',
  factory: randomSolarize as never,
  options: { thresholdFactor: 0.5, additionFactor: 0.2 },
  functional: (images, p) => solarize(images, p['threshold'] as number[], { addition: p['addition'] as number[] }),
  params: (n) => fc.record({ threshold: perImage(n, 0, 1), addition: perImage(n, -0.5, 0.5) }),
  ranges: fc
    .tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true }), fc.boolean())
    .filter(([a, b]) => Math.abs(a - b) > 0.05)
    .map(([a, b, threshold]) => ({
      options: { [threshold ? 'thresholdFactor' : 'additionFactor']: [a, b], valueRange: [0, 255] },
      key: threshold ? 'threshold' : 'addition',
      lo: Math.min(a, b) * 255,
      hi: Math.max(a, b) * 255,
    })),
});
