import fc from 'fast-check';
import { equalize } from '../../src/augment/functional/equalize.js';
import { randomEqualize } from '../../src/augment/randomEqualize.js';
import { photometricTests } from '../helpers/photometricRandom.js';

photometricTests({
  name: 'randomEqualize',
  factory: randomEqualize as never,
  options: { bins: 16 },
  functional: (images) => equalize(images, { bins: 16 }),
  params: () => fc.constant({}),
});
