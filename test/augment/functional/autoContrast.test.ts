import * as tf from '@tensorflow/tfjs-core';
import fc from 'fast-check';
import { expect, it } from 'vitest';
import { describeBackends } from '../../helpers/backends.js';
import { expectNoLeaks } from '../../helpers/leaks.js';
import { runs } from '../../helpers/runs.js';
import { imagesArbitrary, maxDiff, parityTests, values } from './photometricReference.js';
import { autoContrast } from '../../../src/augment/functional/autoContrast.js';

describeBackends('autoContrast', () => {
  parityTests('autoContrast');

  it('stretches each channel of each image to the full range, keeps constant channels, and is idempotent', async () => {
    await fc.assert(
      fc.asyncProperty(imagesArbitrary({ low: 0, high: 255, levels: 10 }), async (c) => {
        const opts = { valueRange: [0, 255] as [number, number] };
        const got = values(c, (x) => autoContrast(x, opts));
        const [, h, w, ch] = c.shape;
        for (let b = 0; b < c.shape[0]; b++) {
          for (let k = 0; k < ch; k++) {
            const idx = Array.from({ length: h * w }, (_, p) => (b * h * w + p) * ch + k);
            const ins = idx.map((i) => c.values[i]!);
            const [lo, hi] = [Math.min(...ins), Math.max(...ins)];
            idx.forEach((i) =>
              expect(got[i]).toBeCloseTo(lo === hi ? c.values[i]! : ((c.values[i]! - lo) * 255) / (hi - lo), 3),
            );
          }
        }
        const twice = values(c, (x) => tf.tidy(() => autoContrast(autoContrast(x, opts), opts)));
        expect(maxDiff(twice, got)).toBeLessThan(1e-3);
      }),
      { numRuns: runs(20) },
    );
  });

  it('is leak-free', async () => {
    const x = tf.randomUniform([2, 4, 4, 3], 0.2, 0.7, 'float32', 2) as tf.Tensor4D;
    await expectNoLeaks(() => autoContrast(x));
    x.dispose();
  });
});
