import * as tf from '@tensorflow/tfjs-core';
import fc from 'fast-check';
import { expect, it } from 'vitest';
import { l2 } from '../../src/regularizers/l2.js';
import { describeBackends } from '../helpers/backends.js';
import { badRate, close, rate, weights } from '../helpers/arbitraries.js';
import { expectNoLeaks } from '../helpers/leaks.js';

const value = (reg: ReturnType<typeof l2>, w: number[]): number => {
  const x = tf.tensor1d(w);
  const p = reg.apply(x);
  const v = p.dataSync()[0]!;
  tf.dispose([x, p]);
  return v;
};

describeBackends('l2', () => {
  it('is rate * sum(w^2) exactly on a known tensor', () => {
    const before = tf.memory().numTensors;
    const x = tf.tensor2d([
      [1, -2],
      [3, 0.5],
    ]);
    const p = l2(0.25).apply(x);
    expect(p.shape).toEqual([]);
    // Small dyadic weights and a power-of-two rate: the float32 penalty is exactly 14.25 / 4.
    expect(p.dataSync()[0]).toBe(0.25 * (1 + 4 + 9 + 0.25));
    // Keras' default rate: the float32 product of 0.01 (as float32) and the (exact) sum.
    const q = l2(0.01).apply(x);
    expect(q.dataSync()[0]).toBe(Math.fround(Math.fround(0.01) * (1 + 4 + 9 + 0.25)));
    tf.dispose([x, p, q]);
    expect(tf.memory().numTensors, 'tensors left by this test').toBe(before);
  });

  it('defaults to Keras rate 0.01', () => {
    expect(l2().getConfig()).toEqual({ l2: 0.01 });
    expect(value(l2(), [10])).toBeCloseTo(1, 5);
  });

  it('is >= 0, linear in the rate and quadratic in the weights', () => {
    fc.assert(
      fc.property(weights(), rate, fc.double({ min: 0, max: 4, noNaN: true }), (w, r, k) => {
        const base = value(l2(r), w);
        expect(base).toBeGreaterThanOrEqual(0);
        expect(close(value(l2(r * k), w), k * base)).toBe(true);
        expect(
          close(
            value(
              l2(r),
              w.map((x) => 2 * x),
            ),
            4 * base,
          ),
        ).toBe(true);
      }),
    );
  });

  it('leaks no tensors', async () => {
    const x = tf.tensor2d([
      [1, 2],
      [3, 4],
    ]);
    await expectNoLeaks(() => l2(0.1).apply(x));
    x.dispose();
  });
});

it('l2 rejects bad rates naming the function, argument and value', () => {
  expect(() => l2(-1)).toThrow('l2: rate must be a finite number >= 0, got -1');
  expect(() => l2(Number.NaN)).toThrow(/l2: rate .* got NaN/);
  expect(() => l2('0.1' as unknown as number)).toThrow(/l2: rate .* got "0.1"/);
  fc.assert(
    fc.property(badRate, (r) => {
      expect(() => l2(r as number)).toThrow(/^l2: rate must be a finite number >= 0, got /);
    }),
  );
});
