import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { afterAll, expect, it } from 'vitest';
import { fastNodeKernels } from '../../src/backend/fastNodeKernels.js';
import { describeBackends } from '../helpers/backends.js';
import { expectNoLeaks } from '../helpers/leaks.js';

afterAll(() => {
  fastNodeKernels(false);
});

it('fastNodeKernels names the function, the argument and the bad value', () => {
  expect(() => fastNodeKernels('yes' as unknown as boolean)).toThrow(
    /^fastNodeKernels: enable must be a boolean, got "yes"/,
  );
});

/** Runs `fn` with tfjs-node's own kernels, then with the fast ones, and returns both results' values. */
function both<T extends tf.Tensor>(fn: () => T): [Float32Array, Float32Array, number[]] {
  fastNodeKernels(false);
  const stock = fn();
  fastNodeKernels(true);
  const fast = fn();
  const out: [Float32Array, Float32Array, number[]] = [
    stock.dataSync() as Float32Array,
    fast.dataSync() as Float32Array,
    fast.shape,
  ];
  expect(fast.shape).toEqual(stock.shape);
  tf.dispose([stock, fast]);
  return out;
}

function maxRelDiff(a: Float32Array, b: Float32Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!) / Math.max(1, Math.abs(a[i]!)));
  return m;
}

describeBackends(
  'fastNodeKernels',
  () => {
    it('installs its kernels, is idempotent, and false puts the very same tfjs-node kernels back', () => {
      fastNodeKernels(false);
      const step = tf.getKernel('Step', 'tensorflow');
      const bmm = tf.getKernel('BatchMatMul', 'tensorflow');
      expect(fastNodeKernels()).toBe(true);
      expect(fastNodeKernels(true)).toBe(true);
      expect(tf.getKernel('Step', 'tensorflow')).not.toBe(step);
      expect(tf.getKernel('BatchMatMul', 'tensorflow')).not.toBe(bmm);
      expect(fastNodeKernels(false)).toBe(false);
      expect(tf.getKernel('Step', 'tensorflow')).toBe(step);
      expect(tf.getKernel('BatchMatMul', 'tensorflow')).toBe(bmm);
    });

    it('returns false and changes nothing when a tfjs-node kernel it replaces is not registered', () => {
      fastNodeKernels(false);
      const step = tf.getKernel('Step', 'tensorflow')!;
      const bmm = tf.getKernel('BatchMatMul', 'tensorflow');
      tf.unregisterKernel('Step', 'tensorflow');
      try {
        expect(fastNodeKernels()).toBe(false);
        expect(tf.getKernel('BatchMatMul', 'tensorflow')).toBe(bmm);
        expect(tf.getKernel('Step', 'tensorflow')).toBeUndefined();
      } finally {
        tf.registerKernel(step);
      }
      expect(fastNodeKernels()).toBe(true);
    });

    it('step gives the same values as tfjs-node, NaN, infinities and signed zeros included; alpha != 0 is delegated', () => {
      const values = [
        NaN,
        -Infinity,
        -1,
        -0,
        0,
        1e-30,
        0.5,
        2,
        Infinity,
        ...Array.from({ length: 200 }, (_, i) => Math.sin(i) * 10),
      ];
      const [stock, fast] = both(() => tf.step(tf.tensor1d(values)));
      expect(Array.from(fast)).toEqual(Array.from(stock));
      const [stockA, fastA] = both(() => tf.step(tf.tensor1d(values), 0.3));
      expect(Array.from(fastA)).toEqual(Array.from(stockA));
    });

    it('matMul by a transposed larger matrix equals tfjs-node within float rounding; other cases are delegated', () => {
      const a = tf.randomNormal([37, 64], 0, 1, 'float32', 1);
      const w = tf.randomNormal([256, 64], 0, 1, 'float32', 2);
      const [stock, fast, shape] = both(() => tf.matMul(a, w, false, true));
      expect(shape).toEqual([37, 256]);
      expect(maxRelDiff(stock, fast)).toBeLessThan(1e-5);
      // Not the rewritten case: batched, transposeA, and a small transposed operand.
      const a3 = tf.randomNormal([2, 5, 8], 0, 1, 'float32', 3);
      const w3 = tf.randomNormal([2, 9, 8], 0, 1, 'float32', 4);
      const [s3, f3] = both(() => tf.matMul(a3, w3, false, true));
      expect(Array.from(f3)).toEqual(Array.from(s3));
      const [sA, fA] = both(() => tf.matMul(w, w, true, false));
      expect(Array.from(fA)).toEqual(Array.from(sA));
      const [sS, fS] = both(() => tf.matMul(w, a, false, true));
      expect(Array.from(fS)).toEqual(Array.from(sS));
      tf.dispose([a, w, a3, w3]);
    });

    it('a training step of a dense ReLU network gives the same weights within 1e-5', async () => {
      const build = () => {
        const m = tfl.sequential({
          layers: [
            tfl.layers.dense({
              inputShape: [20],
              units: 64,
              activation: 'relu',
              kernelInitializer: tfl.initializers.glorotUniform({ seed: 1 }),
            }),
            tfl.layers.dense({
              units: 5,
              activation: 'softmax',
              kernelInitializer: tfl.initializers.glorotUniform({ seed: 2 }),
            }),
          ],
        });
        m.compile({ optimizer: tf.train.momentum(0.1, 0.9), loss: 'categoricalCrossentropy' });
        return m;
      };
      const x = tf.randomUniform([16, 20], 0, 1, 'float32', 5);
      const y = tf.cast(
        tf.oneHot(tf.tensor1d([0, 1, 2, 3, 4, 0, 1, 2, 3, 4, 0, 1, 2, 3, 4, 0], 'int32'), 5),
        'float32',
      );
      const weights: Float32Array[][] = [];
      for (const on of [false, true]) {
        fastNodeKernels(on);
        const m = build();
        for (let i = 0; i < 3; i++) await m.trainOnBatch(x, y);
        weights.push(m.getWeights().map((w) => w.dataSync() as Float32Array));
        m.optimizer.dispose();
        m.dispose();
      }
      weights[0]!.forEach((w, i) => expect(maxRelDiff(w, weights[1]![i]!)).toBeLessThan(1e-5));
      tf.dispose([x, y]);
    });

    it('leaks no tensor', async () => {
      fastNodeKernels(true);
      const a = tf.randomNormal([8, 16]);
      const w = tf.randomNormal([32, 16]);
      await expectNoLeaks(() => [tf.matMul(a, w, false, true), tf.step(a)]);
      await expectNoLeaks(() => tf.grad((v: tf.Tensor) => tf.sum(tf.relu(tf.matMul(v, w, false, true))))(a));
      tf.dispose([a, w]);
    });
  },
  { only: ['tensorflow'] },
);

describeBackends(
  'fastNodeKernels on other backends',
  (backend) => {
    it(`leaves the ${backend} kernels alone`, () => {
      const step = tf.getKernel('Step', backend);
      const bmm = tf.getKernel('BatchMatMul', backend);
      fastNodeKernels(true);
      expect(tf.getKernel('Step', backend)).toBe(step);
      expect(tf.getKernel('BatchMatMul', backend)).toBe(bmm);
      fastNodeKernels(false);
    });
  },
  { only: ['cpu', 'wasm'] },
);
