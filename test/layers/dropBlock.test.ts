import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import fc from 'fast-check';
import { expect, it } from 'vitest';
import { randomGenerator } from '../../src/core/random.js';
import { dropBlock } from '../../src/layers/dropBlock.js';
import { describeBackends } from '../helpers/backends.js';
import { expectNoLeaks } from '../helpers/leaks.js';
import { runs } from '../helpers/runs.js';
import { expectClose, expectIdentityAtInference, run, trainsButPredictsIdentity, values } from './helpers.js';

/**
 * timm's drop_block_2d (defaults: couple_channels, no noise, scale_by_keep), written out in loops:
 * the centres from the same generator draws (row-major over batch, height, width), each grown to
 * the kh×kw window timm's max pool gives it (rows c - floor(kh/2) .. c - floor(kh/2) + kh - 1, for
 * odd and, after its crop, even sizes), kept values scaled by numel / (Σ keep + 1e-7).
 */
function timmDropBlock(x: Float32Array, shape: number[], rate: number, blockSize: number, seed: number): Float32Array {
  const [b, h, w, c] = shape as [number, number, number, number];
  const [kh, kw] = [Math.min(blockSize, h), Math.min(blockSize, w)];
  const gamma = (rate * h * w) / (kh * kw) / ((h - kh + 1) * (w - kw + 1));
  const rng = randomGenerator(seed);
  const keep = new Float64Array(b * h * w).fill(1);
  for (let n = 0; n < b; n++)
    for (let i = 0; i < h; i++)
      for (let j = 0; j < w; j++) {
        if (!(rng.uniform() < gamma)) continue;
        for (let di = 0; di < kh; di++)
          for (let dj = 0; dj < kw; dj++) {
            const [r, q] = [i - Math.floor(kh / 2) + di, j - Math.floor(kw / 2) + dj];
            if (r >= 0 && r < h && q >= 0 && q < w) keep[(n * h + r) * w + q] = 0;
          }
      }
  const kept = keep.reduce((a, v) => a + v, 0);
  const scale = keep.length / (kept + 1e-7);
  return x.map((v, idx) => v * keep[Math.floor(idx / c)]! * scale);
}

describeBackends('dropBlock', () => {
  it("equals timm's drop_block_2d for the same centre draws, odd and even block sizes, clipped blocks (property)", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.tuple(
          fc.integer({ min: 1, max: 3 }),
          fc.integer({ min: 1, max: 9 }),
          fc.integer({ min: 1, max: 9 }),
          fc.integer({ min: 1, max: 3 }),
        ),
        fc.integer({ min: 1, max: 10 }),
        fc.double({ min: 0.05, max: 0.6, noNaN: true }),
        fc.integer(),
        async (shape, blockSize, rate, seed) => {
          const x = values(shape, seed);
          const expected = timmDropBlock(x.dataSync() as Float32Array, shape, rate, blockSize, seed);
          const y = run(dropBlock({ rate, blockSize, seed }), x, true);
          expectClose(y, expected, 1e-5);
          x.dispose();
        },
      ),
      { numRuns: runs(20) },
    );
  });

  it('is the identity at inference and at rate 0, for block sizes 1 to 7 (property)', () => {
    // The block size is taken from the seed, so that the shared property draws it too.
    const make = (rate: number, seed: number) => dropBlock({ rate, blockSize: 1 + (Math.abs(seed) % 7), seed });
    expectIdentityAtInference(make, fc.constant([2, 6, 5, 3]), 0.9, 10);
  });

  it('keeps the expected activation: the training mean equals the input mean, while blocks are dropped (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.double({ min: 0.05, max: 0.3, noNaN: true }),
        fc.integer({ min: 2, max: 5 }),
        fc.integer(),
        async (rate, blockSize, seed) => {
          const x = values([16, 24, 24, 4], seed, 0, 2);
          const inputMean = tf.mean(x).dataSync()[0]!;
          const y = dropBlock({ rate, blockSize, seed }).apply(x, { training: true }) as tf.Tensor;
          const mean = tf.mean(y).dataSync()[0]!;
          const dropped = tf.mean(tf.equal(y, 0)).dataSync()[0]!;
          // Blocks overlap and the border cuts some, so fewer than rate are dropped, but a fair part is.
          expect(dropped).toBeGreaterThan(rate / 4);
          // At most a block per centre: the centres are Binomial(pixels, gamma) (timm's gamma), here
          // bounded at 6 standard deviations above their mean (a few dozen centres at the smallest rates).
          const [n, side] = [16, 24];
          const gamma = (rate * side * side) / blockSize ** 2 / (side - blockSize + 1) ** 2;
          const centres = n * side * side * gamma;
          const most = ((centres + 6 * Math.sqrt(centres)) * blockSize ** 2) / (n * side * side);
          expect(dropped).toBeLessThan(most);
          expect(Math.abs(mean - inputMean)).toBeLessThan(0.02 * inputMean);
          tf.dispose([x, y]);
        },
      ),
      { numRuns: runs(5) },
    );
  });

  it('drops the same regions in every channel, in both data formats', () => {
    const last = run(dropBlock({ rate: 0.3, blockSize: 3, seed: 5 }), tf.ones([2, 9, 9, 4]), true);
    const first = run(
      dropBlock({ rate: 0.3, blockSize: 3, seed: 5, dataFormat: 'channelsFirst' }),
      tf.ones([2, 4, 9, 9]),
      true,
    );
    for (let n = 0; n < 2; n++)
      for (let p = 0; p < 81; p++)
        for (let k = 0; k < 4; k++) {
          expect(last[(n * 81 + p) * 4 + k]).toBe(last[(n * 81 + p) * 4]);
          expect(first[(n * 4 + k) * 81 + p]).toBe(last[(n * 81 + p) * 4]);
        }
    expect(last.some((v) => v === 0)).toBe(true);
  });

  it('acts in model.fit and not in model.predict', async () => {
    const r = await trainsButPredictsIdentity(dropBlock({ rate: 0.3, blockSize: 2, seed: 1 }), [6, 6, 2]);
    expect(r.predictEqualsInput).toBe(true);
    expect(r.evaluateLoss).toBe(0);
    expect(r.fitLoss).toBeGreaterThan(0.1);
  });

  it('leaks no tensor, in training or inference', async () => {
    const layer = dropBlock({ rate: 0.3, blockSize: 3, seed: 1 });
    const x = tf.ones([2, 5, 5, 2]);
    await expectNoLeaks(() => layer.apply(x, { training: true }));
    await expectNoLeaks(() => layer.apply(x));
    x.dispose();
  });
});

it('dropBlock rejects bad options and a rank other than 4, naming the factory, the option and the value', () => {
  const make = (o: unknown) => () => dropBlock(o as never);
  expect(make({ rate: 0.1 })).toThrow('dropBlock: blockSize is required, got options {"rate":0.1}');
  expect(make({ rate: 0.1, blockSize: 0 })).toThrow('dropBlock: blockSize must be a positive integer, got 0');
  expect(make({ rate: 0.1, blockSize: 2.5 })).toThrow('dropBlock: blockSize must be a positive integer, got 2.5');
  expect(make({ rate: 1.5, blockSize: 3 })).toThrow('dropBlock: rate must be a number in [0, 1), got 1.5');
  expect(make({ rate: 0.1, block_size: 3 })).toThrow(
    'dropBlock: unknown option "block_size"; did you mean "blockSize"?',
  );
  expect(() => tfl.sequential({ layers: [dropBlock({ rate: 0.1, blockSize: 3, inputShape: [4, 4] })] })).toThrow(
    'dropBlock: input shape must be rank 4, [batch, height, width, channels], got [null,4,4]',
  );
});
