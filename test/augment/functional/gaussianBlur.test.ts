import * as tf from '@tensorflow/tfjs-core';
import fc from 'fast-check';
import { expect, it } from 'vitest';
import { describeBackends } from '../../helpers/backends.js';
import { expectNoLeaks } from '../../helpers/leaks.js';
import { runs } from '../../helpers/runs.js';
import { maxDiff, parityTests } from './photometricReference.js';
import { gaussianBlur } from '../../../src/augment/functional/gaussianBlur.js';

const gaussian = (size: number, sigma: number) => {
  const t = Array.from({ length: size }, (_, i) => Math.exp(-0.5 * ((i - (size - 1) / 2) / sigma) ** 2));
  const total = t.reduce((a, b) => a + b, 0);
  return t.map((v) => v / total);
};

describeBackends('gaussianBlur', () => {
  parityTests('gaussianBlur');

  it('blurs a centred impulse into the outer product of two normalized Gaussians, per image', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(1, 3, 5),
        fc.constantFrom(1, 3, 7),
        fc.array(fc.double({ min: 0.2, max: 4, noNaN: true }), { minLength: 1, maxLength: 3 }),
        fc.double({ min: 0.2, max: 4, noNaN: true }),
        async (kw, kh, sigmas, sigmaY) => {
          const [h, w] = [kh + 2, kw + 2];
          const impulse = Array.from({ length: h * w }, (_, i) => (i === ((h - 1) / 2) * w + (w - 1) / 2 ? 1 : 0));
          const x = tf.tensor4d(
            sigmas.flatMap(() => impulse),
            [sigmas.length, h, w, 1],
          );
          const out = gaussianBlur(x, { kernelSize: [kw, kh], sigma: sigmas, sigmaY });
          const got = out.dataSync();
          sigmas.forEach((s, b) => {
            const [gy, gx] = [gaussian(kh, sigmaY), gaussian(kw, s)];
            for (let y = 0; y < h; y++)
              for (let xx = 0; xx < w; xx++) {
                const inside = y >= 1 && y <= kh && xx >= 1 && xx <= kw;
                // The impulse at the centre spreads the flipped kernel (symmetric) around it.
                const expected = inside ? gy[y - 1]! * gx[xx - 1]! : 0;
                expect(got[b * h * w + y * w + xx]).toBeCloseTo(expected, 6);
              }
          });
          tf.dispose([x, out]);
        },
      ),
      { numRuns: runs(20) },
    );
  });

  it('per-image sigmas equal one call per image with that sigma', () => {
    const x = tf.randomUniform([3, 5, 6, 2], 0, 1, 'float32', 4) as tf.Tensor4D;
    const sigmas = [0.5, 1, 2.5];
    const batched = gaussianBlur(x, { kernelSize: 5, sigma: tf.tensor1d(sigmas) as tf.Tensor1D });
    const single = sigmas.map((s, i) =>
      tf.tidy(() => gaussianBlur(tf.slice(x, [i], [1]), { kernelSize: 5, sigma: s })),
    );
    const joined = tf.concat(single);
    expect(maxDiff(batched.dataSync(), joined.dataSync())).toBeLessThan(1e-6);
    tf.dispose([x, batched, joined, ...single]);
  });

  it('rejects an even kernel and a sigma <= 0, and is leak-free', async () => {
    const x = tf.randomUniform([2, 4, 4, 3], 0, 1, 'float32', 2) as tf.Tensor4D;
    expect(() => gaussianBlur(x, { kernelSize: 4 })).toThrow(
      /^gaussianBlur: options.kernelSize must be an odd integer/,
    );
    expect(() => gaussianBlur(x, { sigma: [1, 0] })).toThrow(
      /^gaussianBlur: options.sigma\[1\] must be a number > 0, got 0/,
    );
    await expectNoLeaks(() => gaussianBlur(x, { kernelSize: 3, sigma: 1.5 }));
    await expectNoLeaks(() => gaussianBlur(x, { kernelSize: 3, sigma: [1, 2], sigmaY: 0.5 }));
    x.dispose();
  });
});
