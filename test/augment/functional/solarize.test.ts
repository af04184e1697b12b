import * as tf from '@tensorflow/tfjs-core';
import fc from 'fast-check';
import { expect, it } from 'vitest';
import { describeBackends } from '../../helpers/backends.js';
import { expectNoLeaks } from '../../helpers/leaks.js';
import { runs } from '../../helpers/runs.js';
import { imagesArbitrary, maxDiff, parityTests, values } from './photometricReference.js';
import { solarize } from '../../../src/augment/functional/solarize.js';

describeBackends('solarize', () => {
  parityTests('solarize');

  it('inverts exactly the pixels at or above the threshold, and stays in the value range', async () => {
    await fc.assert(
      fc.asyncProperty(
        imagesArbitrary({ low: -1, high: 3 }),
        fc.double({ min: -1, max: 3, noNaN: true }),
        async (c, t) => {
          const got = values(c, (x) => solarize(x, t, { valueRange: [-1, 3] }));
          c.values.forEach((v, i) => {
            expect(got[i]).toBeCloseTo(v < Math.fround(t) ? v : 2 - v, 5);
            expect(got[i]).toBeGreaterThanOrEqual(-1);
            expect(got[i]).toBeLessThanOrEqual(3);
          });
          // A threshold above the range leaves in-range images as they are.
          expect(values(c, (x) => solarize(x, 3.5, { valueRange: [-1, 3] }))).toEqual(Float32Array.from(c.values));
        },
      ),
      { numRuns: runs(20) },
    );
  });

  it('adds the per-image addition before the threshold, clipped to the range; leak-free', async () => {
    const x = tf.tensor4d([0.2, 0.6, 0.2, 0.6], [2, 1, 2, 1]);
    const out = solarize(x, [0.5, 0.5], { addition: [0.5, -0.3] });
    // Image 0: 0.7 → 0.3, 1.1 → 1 → 0; image 1: -0.1 → 0, 0.3.
    expect(maxDiff(out.dataSync(), [0.3, 0, 0, 0.3])).toBeLessThan(1e-6);
    const param = tf.tensor1d([0.5, 0.1]);
    await expectNoLeaks(() => solarize(x, param, { addition: param }));
    tf.dispose([x, out, param]);
  });
});
