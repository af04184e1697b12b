import * as tf from '@tensorflow/tfjs-core';
import fc from 'fast-check';
import { expect, it } from 'vitest';
import { describeBackends } from '../../helpers/backends.js';
import { expectNoLeaks } from '../../helpers/leaks.js';
import { runs } from '../../helpers/runs.js';
import { imagesArbitrary, parityTests, values } from './photometricReference.js';
import type { ImageCase } from './photometricReference.js';
import { equalize } from '../../../src/augment/functional/equalize.js';

/** Pixel indices of one channel of one image of a case. */
function channelIndices(c: ImageCase, image: number, channel: number): number[] {
  const [, h, w, ch] = c.shape;
  return Array.from({ length: h * w }, (_, p) => (image * h * w + p) * ch + channel);
}

describeBackends('equalize', () => {
  parityTests('equalize');

  it('per image and channel: keeps the order of pixels, sends the lowest occupied bin to low and the highest to high', async () => {
    await fc.assert(
      fc.asyncProperty(imagesArbitrary({ levels: 20 }), fc.constantFrom(256, 16, 5), async (c, bins) => {
        const got = values(c, (x) => equalize(x, { bins }));
        const bin = (v: number) =>
          Math.min(bins - 1, Math.max(0, Math.trunc(Math.fround(Math.fround(v * 255) * (bins - 1)) / 255)));
        for (let b = 0; b < c.shape[0]; b++) {
          for (let ch = 0; ch < c.shape[3]; ch++) {
            const idx = channelIndices(c, b, ch);
            const occupied = new Set(idx.map((i) => bin(c.values[i]!)));
            if (occupied.size <= 1) {
              // Kept, through Keras' round trip to [0, 255] and back.
              idx.forEach((i) => expect(got[i]).toBeCloseTo(c.values[i]!, 6));
              continue;
            }
            const outs = idx.map((i) => got[i]!);
            expect(Math.min(...outs)).toBe(0);
            expect(Math.max(...outs)).toBeCloseTo(1, 6);
            for (const i of idx)
              for (const j of idx) if (c.values[i]! < c.values[j]!) expect(got[i]).toBeLessThanOrEqual(got[j]!);
          }
        }
      }),
      { numRuns: runs(20) },
    );
  });

  it('equalizes each image on its own: an image gives the same output alone and in a batch', () => {
    const a = tf.tensor4d([0.1, 0.1, 0.2, 0.9], [1, 2, 2, 1]);
    const b = tf.tensor4d([0.5, 0.6, 0.7, 0.8], [1, 2, 2, 1]);
    const both = tf.concat([a, b]);
    const [alone, batched] = [equalize(a), equalize(both)];
    expect(Array.from(batched.dataSync().slice(0, 4))).toEqual(Array.from(alone.dataSync()));
    tf.dispose([a, b, both, alone, batched]);
  });

  it('rejects bad bins and is leak-free', async () => {
    const x = tf.randomUniform([2, 4, 4, 3], 0, 1, 'float32', 2) as tf.Tensor4D;
    expect(() => equalize(x, { bins: 0 })).toThrow(/^equalize: options.bins must be an integer from 1 to 2\^24, got 0/);
    await expectNoLeaks(() => equalize(x, { bins: 16 }));
    x.dispose();
  });
});
