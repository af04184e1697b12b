import * as tf from '@tensorflow/tfjs-core';
import fc from 'fast-check';
import { expect, it } from 'vitest';
import { describeBackends } from '../../helpers/backends.js';
import { expectNoLeaks } from '../../helpers/leaks.js';
import { runs } from '../../helpers/runs.js';
import { imagesArbitrary, parityTests, values } from './photometricReference.js';
import { posterize } from '../../../src/augment/functional/posterize.js';

describeBackends('posterize', () => {
  parityTests('posterize');

  it('8 bits is the identity on whole 1/255 steps; b bits gives multiples of 2^(8-b)/255 and is idempotent', async () => {
    await fc.assert(
      fc.asyncProperty(imagesArbitrary({ levels: 255 }), fc.integer({ min: 1, max: 8 }), async (c, bits) => {
        expect(values(c, (x) => posterize(x, 8))).toEqual(Float32Array.from(c.values));
        const once = values(c, (x) => posterize(x, bits));
        const step = 2 ** (8 - bits);
        once.forEach((v, i) => {
          const level = Math.round(v * 255);
          expect(level % step).toBe(0);
          expect(level).toBeLessThanOrEqual(Math.round(c.values[i]! * 255));
        });
        const twice = values(c, (x) => tf.tidy(() => posterize(posterize(x, bits), bits)));
        expect(twice).toEqual(once);
      }),
      { numRuns: runs(20) },
    );
  });

  it('takes bits per image as an int32 tensor, rejects non-integer bits, and is leak-free', async () => {
    const x = tf.tensor4d([200, 200], [2, 1, 1, 1]);
    const bits = tf.tensor1d([1, 3], 'int32');
    const out = posterize(x, bits, { valueRange: [0, 255] });
    expect(Array.from(out.dataSync())).toEqual([128, 192]);
    expect(() => posterize(x, [1, 2.5])).toThrow(/^posterize: bits\[1\] must be an integer from 1 to 8, got 2.5/);
    expect(() => posterize(x, 0)).toThrow(/^posterize: bits must be an integer from 1 to 8, got 0/);
    await expectNoLeaks(() => posterize(x, bits));
    tf.dispose([x, bits, out]);
  });
});
