import * as tf from '@tensorflow/tfjs-core';
import fc from 'fast-check';
import { expect, it } from 'vitest';
import { describeBackends } from '../../helpers/backends.js';
import { expectNoLeaks } from '../../helpers/leaks.js';
import { runs } from '../../helpers/runs.js';
import { imagesArbitrary, maxDiff, parityTests, values } from './photometricReference.js';
import { adjustSaturation } from '../../../src/augment/functional/adjustSaturation.js';

describeBackends('adjustSaturation', () => {
  parityTests('adjustSaturation');

  it('factor 1 is the identity, factor 0 grays each pixel at its maximum, and no factor moves the maximum', async () => {
    await fc.assert(
      fc.asyncProperty(imagesArbitrary({ channels: 3 }), fc.double({ min: 0, max: 4, noNaN: true }), async (c, f) => {
        expect(
          maxDiff(
            values(c, (x) => adjustSaturation(x, 1)),
            c.values,
          ),
        ).toBeLessThan(1e-6);
        const gray = values(c, (x) => adjustSaturation(x, 0));
        const scaled = values(c, (x) => adjustSaturation(x, f));
        for (let p = 0; p < c.values.length; p += 3) {
          const max = Math.max(c.values[p]!, c.values[p + 1]!, c.values[p + 2]!);
          [0, 1, 2].forEach((k) => expect(gray[p + k]).toBeCloseTo(max, 6));
          expect(Math.max(scaled[p]!, scaled[p + 1]!, scaled[p + 2]!)).toBeCloseTo(max, 6);
          // Saturation is clipped at 1: the minimum never goes below 0 for images in [0, 1].
          expect(Math.min(scaled[p]!, scaled[p + 1]!, scaled[p + 2]!)).toBeGreaterThanOrEqual(-1e-6);
        }
      }),
      { numRuns: runs(20) },
    );
  });

  it('needs RGB, says so, and is leak-free', async () => {
    expect(() => adjustSaturation(tf.zeros([1, 2, 2, 1]) as tf.Tensor4D, 1)).toThrow(
      /^adjustSaturation: images must be RGB images: 3 channels in the last axis, got a float32 tensor of shape \[1, 2, 2, 1\]/,
    );
    const x = tf.randomUniform([2, 3, 3, 3], 0, 1, 'float32', 1) as tf.Tensor4D;
    const param = tf.tensor1d([0.5, 2]);
    await expectNoLeaks(() => adjustSaturation(x, param));
    param.dispose();
    x.dispose();
  });
});
