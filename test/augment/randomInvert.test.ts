import fc from 'fast-check';
import { invert } from '../../src/augment/functional/invert.js';
import { randomInvert } from '../../src/augment/randomInvert.js';
import { photometricTests } from '../helpers/photometricRandom.js';

photometricTests({
  name: 'randomInvert',
  factory: randomInvert as never,
  options: { factor: [1, 1] },
  functional: (images) => invert(images),
  params: () => fc.constant({}),
  rate: [
    { options: {}, rate: 1 },
    { options: { factor: 1 }, rate: 0.5 },
    { options: { factor: [0.6, 0.8] }, rate: 0.7 },
  ],
});
