import fc from 'fast-check';
import { autoContrast } from '../../src/augment/functional/autoContrast.js';
import { randomAutoContrast } from '../../src/augment/randomAutoContrast.js';
import { photometricTests } from '../helpers/photometricRandom.js';

photometricTests({
  name: 'randomAutoContrast',
  factory: randomAutoContrast as never,
  options: {},
  functional: (images) => autoContrast(images),
  params: () => fc.constant({}),
});
