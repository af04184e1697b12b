import * as tf from '@tensorflow/tfjs-core';
import fc from 'fast-check';
import { expect, it } from 'vitest';
import { describeBackends } from '../../helpers/backends.js';
import { expectNoLeaks } from '../../helpers/leaks.js';
import { runs } from '../../helpers/runs.js';
import { image4d, imagesArbitrary, maxDiff, parityTests, values } from './photometricReference.js';
import { adjustContrast } from '../../../src/augment/functional/adjustContrast.js';

describeBackends('adjustContrast', () => {
  parityTests('adjustContrast');

  it('factor 1 is the identity; any factor keeps each channel mean and scales the spread about it', async () => {
    await fc.assert(
      fc.asyncProperty(imagesArbitrary(), fc.double({ min: -3, max: 3, noNaN: true }), async (c, f) => {
        expect(
          maxDiff(
            values(c, (x) => adjustContrast(x, 1)),
            c.values,
          ),
        ).toBeLessThan(1e-6);
        const x = image4d(c);
        const out = adjustContrast(x, f);
        const [mIn, mOut] = [tf.mean(x, [1, 2]), tf.mean(out, [1, 2])];
        expect(maxDiff(mOut.dataSync(), mIn.dataSync())).toBeLessThan(1e-5);
        const [dIn, dOut] = [tf.sub(x, tf.mean(x, [1, 2], true)), tf.sub(out, tf.mean(x, [1, 2], true))];
        expect(maxDiff(dOut.dataSync(), tf.mul(dIn, f).dataSync())).toBeLessThan(1e-5);
        tf.dispose([x, out, mIn, mOut, dIn, dOut]);
      }),
      { numRuns: runs(20) },
    );
  });

  it('is leak-free', async () => {
    const x = tf.randomUniform([2, 3, 3, 2], 0, 1, 'float32', 1) as tf.Tensor4D;
    await expectNoLeaks(() => adjustContrast(x, [0.5, 0]));
    const param = tf.tensor1d([0.5, 2]);
    await expectNoLeaks(() => adjustContrast(x, param));
    param.dispose();
    x.dispose();
  });
});
