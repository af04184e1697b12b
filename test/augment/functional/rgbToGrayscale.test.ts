import * as tf from '@tensorflow/tfjs-core';
import fc from 'fast-check';
import { expect, it } from 'vitest';
import { describeBackends } from '../../helpers/backends.js';
import { expectNoLeaks } from '../../helpers/leaks.js';
import { runs } from '../../helpers/runs.js';
import { image4d, imagesArbitrary, maxDiff, parityTests } from './photometricReference.js';
import { rgbToGrayscale } from '../../../src/augment/functional/rgbToGrayscale.js';

describeBackends('rgbToGrayscale', () => {
  parityTests('rgbToGrayscale');

  it("gives one channel, and a gray image itself up to TensorFlow's weights, which sum to 0.9999", async () => {
    await fc.assert(
      fc.asyncProperty(imagesArbitrary({ channels: 1 }), async (c) => {
        const gray = {
          ...c,
          shape: [...c.shape.slice(0, 3), 3] as [number, number, number, number],
          values: c.values.flatMap((v) => [v, v, v]),
        };
        const x = image4d(gray);
        const out = rgbToGrayscale(x);
        expect(out.shape).toEqual(c.shape);
        expect(
          maxDiff(
            out.dataSync(),
            c.values.map((v) => v * 0.9999),
          ),
        ).toBeLessThan(1e-6);
        tf.dispose([x, out]);
      }),
      { numRuns: runs(20) },
    );
  });

  it('needs RGB, keeps an empty batch empty and is leak-free', async () => {
    expect(() => rgbToGrayscale(tf.zeros([1, 2, 2, 1]) as tf.Tensor4D)).toThrow(
      /^rgbToGrayscale: images must be RGB images/,
    );
    expect(rgbToGrayscale(tf.zeros([0, 2, 3, 3]) as tf.Tensor4D).shape).toEqual([0, 2, 3, 1]);
    const x = tf.randomUniform([2, 3, 3, 3], 0, 1, 'float32', 1) as tf.Tensor4D;
    await expectNoLeaks(() => rgbToGrayscale(x));
    x.dispose();
  });
});
