import * as tf from '@tensorflow/tfjs-core';
import fc from 'fast-check';
import { expect, it } from 'vitest';
import { describeBackends } from '../../helpers/backends.js';
import { expectNoLeaks } from '../../helpers/leaks.js';
import { runs } from '../../helpers/runs.js';
import { imagesArbitrary, parityTests, values } from './photometricReference.js';
import { adjustBrightness } from '../../../src/augment/functional/adjustBrightness.js';

describeBackends('adjustBrightness', () => {
  parityTests('adjustBrightness');

  it('adds each image its own delta, unclipped, and delta 0 is the identity', async () => {
    await fc.assert(
      fc.asyncProperty(imagesArbitrary(), fc.double({ min: -2, max: 2, noNaN: true }), async (c, d) => {
        const [b, h, w, ch] = c.shape;
        const deltas = Array.from({ length: b }, (_, i) => d * (i - 1));
        const got = values(c, (x) => adjustBrightness(x, deltas));
        const per = h * w * ch;
        c.values.forEach((v, i) => expect(got[i]).toBeCloseTo(v + deltas[Math.floor(i / per)]!, 5));
        expect(values(c, (x) => adjustBrightness(x, 0))).toEqual(Float32Array.from(c.values));
      }),
      { numRuns: runs(20) },
    );
  });

  it('is leak-free and rejects a delta per image of the wrong length, naming the function', async () => {
    const x = tf.zeros([2, 3, 3, 3]) as tf.Tensor4D;
    const param = tf.tensor1d([0.1, 0.2]);
    await expectNoLeaks(() => adjustBrightness(x, param));
    param.dispose();
    expect(() => adjustBrightness(x, [0.1])).toThrow(
      /^adjustBrightness: delta must be a number or one value per image \(2 numbers/,
    );
    expect(() => adjustBrightness(x, tf.tensor1d([1, 2, 3]))).toThrow(
      /^adjustBrightness: delta must be .*got a float32 tensor of shape \[3\]/,
    );
    expect(adjustBrightness(tf.zeros([0, 2, 2, 1]) as tf.Tensor4D, []).shape).toEqual([0, 2, 2, 1]);
    x.dispose();
  });
});
