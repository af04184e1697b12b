import * as tf from '@tensorflow/tfjs-core';
import fc from 'fast-check';
import { expect, it } from 'vitest';
import { l1 } from '../../src/regularizers/l1.js';
import { l1l2 } from '../../src/regularizers/l1l2.js';
import { l2 } from '../../src/regularizers/l2.js';
import { describeBackends } from '../helpers/backends.js';
import { badRate, close, rate, weights } from '../helpers/arbitraries.js';
import { expectNoLeaks } from '../helpers/leaks.js';

const scalarOf = (p: tf.Scalar): number => {
  const v = p.dataSync()[0]!;
  p.dispose();
  return v;
};

describeBackends('l1l2', () => {
  it('is l1 * sum|w| + l2 * sum w^2 on a known tensor, defaults 0.01 / 0.01', () => {
    const x = tf.tensor1d([1, -2, 3]);
    expect(scalarOf(l1l2({ l1: 0.1, l2: 0.5 }).apply(x))).toBeCloseTo(0.1 * 6 + 0.5 * 14, 5);
    expect(scalarOf(l1l2().apply(x))).toBeCloseTo(0.01 * 6 + 0.01 * 14, 6);
    x.dispose();
  });

  it('equals L1 + L2 for any rates and weights', () => {
    fc.assert(
      fc.property(weights(), rate, rate, (w, a, b) => {
        const x = tf.tensor1d(w);
        const both = scalarOf(l1l2({ l1: a, l2: b }).apply(x));
        const sum = scalarOf(l1(a).apply(x)) + scalarOf(l2(b).apply(x));
        x.dispose();
        expect(both).toBeGreaterThanOrEqual(0);
        expect(close(both, sum)).toBe(true);
      }),
    );
  });

  it("has Keras' gradient: l1 * sign(w) + 2 * l2 * w (0 at w = 0 for L1), for L1, L2 and L1L2", () => {
    fc.assert(
      fc.property(weights(), rate, rate, (w0, a, b) => {
        // Subnormal weights are tested as exact zeros: wasm and tfjs-node flush them to zero (as
        // TensorFlow does), the JS cpu backend does not. Tiny normal weights (1e-30) keep their sign.
        const w = [0, 1e-30, -1e-30, ...w0.map((v) => (Math.abs(v) < 2 ** -126 ? 0 : v))];
        const x = tf.tensor1d(w);
        const grad = (reg: { apply(t: tf.Tensor): tf.Scalar }) => {
          const g = tf.grad((t: tf.Tensor) => reg.apply(t))(x);
          const v = Array.from(g.dataSync());
          g.dispose();
          return v;
        };
        const expected = (l1r: number, l2r: number) => w.map((v) => l1r * Math.sign(v) + 2 * l2r * v);
        const cases: [number[], number[]][] = [
          [grad(l1(a)), expected(a, 0)],
          [grad(l2(b)), expected(0, b)],
          [grad(l1l2({ l1: a, l2: b })), expected(a, b)],
          [grad(l1l2({ l1: 0, l2: 0 })), expected(0, 0)],
        ];
        x.dispose();
        for (const [got, want] of cases) got.forEach((g, i) => expect(close(g, want[i]!)).toBe(true));
      }),
    );
  });

  it('records no extra tensors under a gradient (leak check of the explicit gradient)', async () => {
    const x = tf.tensor1d([1, -2, 0]);
    await expectNoLeaks(() => tf.grad((t: tf.Tensor) => l1l2({ l1: 0.1, l2: 0.2 }).apply(t))(x));
    x.dispose();
  });

  it('leaks no tensors', async () => {
    const x = tf.tensor1d([1, -2]);
    await expectNoLeaks(() => l1l2({ l1: 0.1, l2: 0.2 }).apply(x));
    x.dispose();
  });
});

it('l1l2 rejects bad options naming the option and value', () => {
  expect(() => l1l2({ l1: -1 })).toThrow('l1l2: l1 must be a finite number >= 0, got -1');
  expect(() => l1l2({ l2: Infinity })).toThrow('l1l2: l2 must be a finite number >= 0, got Infinity');
  expect(() => l1l2(0.1 as never)).toThrow('l1l2: options must be an options object, got 0.1');
  fc.assert(
    fc.property(badRate, (r) => {
      // null is refused as every option refuses it: no value was given.
      const message =
        r === null ? /^l1l2: l2 must be given a value or left out/ : /^l1l2: l2 must be a finite number >= 0, got /;
      expect(() => l1l2({ l2: r as number })).toThrow(message);
    }),
  );
});
