import * as tf from '@tensorflow/tfjs-core';
import fc from 'fast-check';
import { expect, it } from 'vitest';
import { l1 } from '../../src/regularizers/l1.js';
import { describeBackends } from '../helpers/backends.js';
import { badRate, close, rate, weights } from '../helpers/arbitraries.js';
import { expectNoLeaks } from '../helpers/leaks.js';

const value = (r: number, w: number[]): number => {
  const x = tf.tensor1d(w);
  const p = l1(r).apply(x);
  const v = p.dataSync()[0]!;
  tf.dispose([x, p]);
  return v;
};

describeBackends('l1', () => {
  it('is rate * sum(|w|) exactly on a known tensor', () => {
    const before = tf.memory().numTensors;
    const x = tf.tensor2d([
      [1, -2],
      [3, -0.5],
    ]);
    const p = l1(0.5).apply(x);
    expect(p.shape).toEqual([]);
    // Small dyadic weights and a power-of-two rate: the float32 penalty is exactly 3.25.
    expect(p.dataSync()[0]).toBe(0.5 * 6.5);
    // Any rate: the float32 product of the rate (as float32) and the (exact) sum.
    const q = l1(0.1).apply(x);
    expect(q.dataSync()[0]).toBe(Math.fround(Math.fround(0.1) * 6.5));
    tf.dispose([x, p, q]);
    expect(tf.memory().numTensors, 'tensors left by this test').toBe(before);
  });

  it('is >= 0, linear in the rate and in |w|', () => {
    fc.assert(
      fc.property(weights(), rate, (w, r) => {
        const base = value(r, w);
        expect(base).toBeGreaterThanOrEqual(0);
        expect(close(value(2 * r, w), 2 * base)).toBe(true);
        expect(
          close(
            value(
              r,
              w.map((x) => -3 * x),
            ),
            3 * base,
          ),
        ).toBe(true);
      }),
    );
  });

  it('leaks no tensors', async () => {
    const x = tf.tensor1d([1, -2]);
    await expectNoLeaks(() => l1(0.1).apply(x));
    x.dispose();
  });
});

it('l1 rejects bad rates', () => {
  expect(() => l1(-0.5)).toThrow('l1: rate must be a finite number >= 0, got -0.5');
  fc.assert(
    fc.property(badRate, (r) => {
      expect(() => l1(r as number)).toThrow(/^l1: rate must be a finite number >= 0, got /);
    }),
  );
});
