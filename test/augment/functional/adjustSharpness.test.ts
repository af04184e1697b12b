import * as tf from '@tensorflow/tfjs-core';
import fc from 'fast-check';
import { expect, it } from 'vitest';
import { describeBackends } from '../../helpers/backends.js';
import { expectNoLeaks } from '../../helpers/leaks.js';
import { runs } from '../../helpers/runs.js';
import { imagesArbitrary, maxDiff, parityTests, values } from './photometricReference.js';
import { adjustSharpness } from '../../../src/augment/functional/adjustSharpness.js';

describeBackends('adjustSharpness', () => {
  parityTests('adjustSharpness');

  it('factor 1 is the identity; any factor keeps a constant image inside its border and stays in the range', async () => {
    await fc.assert(
      fc.asyncProperty(
        imagesArbitrary({ minSide: 3 }),
        fc.double({ min: -1, max: 3, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        async (c, f, level) => {
          expect(
            maxDiff(
              values(c, (x) => adjustSharpness(x, 1)),
              c.values,
            ),
          ).toBeLessThan(1e-6);
          values(c, (x) => adjustSharpness(x, f)).forEach((v) => expect(v >= 0 && v <= 1).toBe(true));
          const flat = { ...c, values: c.values.map(() => Math.fround(level)) };
          const out = values(flat, (x) => adjustSharpness(x, f));
          const [, h, w, ch] = c.shape;
          out.forEach((v, i) => {
            const [y, x] = [Math.floor(i / (w * ch)) % h, Math.floor(i / ch) % w];
            if (y > 0 && y < h - 1 && x > 0 && x < w - 1) expect(v).toBeCloseTo(Math.fround(level), 5);
          });
        },
      ),
      { numRuns: runs(20) },
    );
  });

  it('is leak-free', async () => {
    const x = tf.randomUniform([2, 4, 4, 3], 0, 1, 'float32', 2) as tf.Tensor4D;
    const param = tf.tensor1d([0.5, 1.5]);
    await expectNoLeaks(() => adjustSharpness(x, param));
    tf.dispose([x, param]);
  });
});
