import * as tf from '@tensorflow/tfjs-core';
import fc from 'fast-check';
import { expect, it } from 'vitest';
import { describeBackends } from '../../helpers/backends.js';
import { expectNoLeaks } from '../../helpers/leaks.js';
import { runs } from '../../helpers/runs.js';
import { imagesArbitrary, maxDiff, parityTests, values } from './photometricReference.js';
import { adjustHue } from '../../../src/augment/functional/adjustHue.js';

describeBackends('adjustHue', () => {
  parityTests('adjustHue', 1e-4);

  it('delta 0 and whole turns are the identity, shifts compose, and each pixel keeps its minimum and maximum', async () => {
    await fc.assert(
      fc.asyncProperty(
        imagesArbitrary({ channels: 3 }),
        fc.double({ min: -1, max: 1, noNaN: true }),
        fc.double({ min: -1, max: 1, noNaN: true }),
        async (c, a, b) => {
          expect(
            maxDiff(
              values(c, (x) => adjustHue(x, 0)),
              c.values,
            ),
          ).toBeLessThan(1e-5);
          expect(
            maxDiff(
              values(c, (x) => adjustHue(x, 1)),
              c.values,
            ),
          ).toBeLessThan(1e-5);
          const twice = values(c, (x) => tf.tidy(() => adjustHue(adjustHue(x, a), b)));
          expect(
            maxDiff(
              twice,
              values(c, (x) => adjustHue(x, a + b)),
            ),
          ).toBeLessThan(1e-4);
          const shifted = values(c, (x) => adjustHue(x, a));
          for (let p = 0; p < c.values.length; p += 3) {
            const [i, o] = [c.values.slice(p, p + 3), Array.from(shifted.slice(p, p + 3))];
            expect(Math.max(...o)).toBeCloseTo(Math.max(...i), 5);
            expect(Math.min(...o)).toBeCloseTo(Math.min(...i), 5);
          }
        },
      ),
      { numRuns: runs(20) },
    );
  });

  it('maps red to green at a third of a turn, needs RGB and is leak-free', async () => {
    const red = tf.tensor4d([1, 0, 0, 0.5, 0.25, 0.25], [2, 1, 1, 3]);
    const out = adjustHue(red, [1 / 3, -1 / 3]);
    expect(maxDiff(out.dataSync(), [0, 1, 0, 0.25, 0.25, 0.5])).toBeLessThan(1e-6);
    expect(() => adjustHue(tf.zeros([1, 2, 2, 4]) as tf.Tensor4D, 0)).toThrow(/^adjustHue: images must be RGB images/);
    const param = tf.tensor1d([0.1, 0.2]);
    await expectNoLeaks(() => adjustHue(red, param));
    param.dispose();
    tf.dispose([red, out]);
  });
});
