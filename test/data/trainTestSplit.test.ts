import * as tf from '@tensorflow/tfjs-core';
import fc from 'fast-check';
import { expect, it } from 'vitest';
import { randomGenerator } from '../../src/core/random.js';
import { trainTestSplit } from '../../src/data/trainTestSplit.js';
import { describeBackends } from '../helpers/backends.js';
import { expectNoLeaks } from '../helpers/leaks.js';
import { runs } from '../helpers/runs.js';

/** n samples whose rows encode their index: x[i] = [i, i + 0.5], y[i] = 10 * i. */
function indexed(n: number): { x: tf.Tensor2D; y: tf.Tensor1D } {
  return {
    x: tf.tensor2d(Array.from({ length: n }, (_, i) => [i, i + 0.5])),
    y: tf.tensor1d(
      Array.from({ length: n }, (_, i) => 10 * i),
      'int32',
    ),
  };
}

/** The sample indices of each part, checking on the way that x and y rows stay paired. */
function indices(s: ReturnType<typeof trainTestSplit<tf.Tensor2D, tf.Tensor1D>>): { train: number[]; test: number[] } {
  const rows = (x: tf.Tensor2D, y: tf.Tensor1D): number[] => {
    const xs = x.arraySync();
    const ys = Array.from(y.dataSync());
    expect(xs.map((r) => r[1]! - r[0]!)).toEqual(xs.map(() => 0.5));
    expect(ys).toEqual(xs.map((r) => 10 * r[0]!));
    return xs.map((r) => r[0]!);
  };
  return { train: rows(s.xTrain, s.yTrain), test: rows(s.xTest, s.yTest) };
}

const disposeAll = (s: object): void => tf.dispose(Object.values(s) as tf.Tensor[]);

describeBackends('trainTestSplit', () => {
  it('takes ceil(n * testSize) test samples (as scikit-learn), or an integer count', () => {
    const cases: Array<[number, number, number]> = [
      [10, 0.2, 2],
      [10, 0.25, 3],
      [7, 0.5, 4],
      [100, 0.33, 33],
      [10, 3, 3],
      [10, 1, 1],
      [60000, 0.2, 12000],
    ];
    for (const [n, testSize, nTest] of cases) {
      const x = tf.zeros([n], 'int32');
      const y = tf.zeros([n, 2]);
      const s = trainTestSplit(x, y, { testSize });
      expect([s.xTrain.shape, s.xTest.shape, s.yTrain.shape, s.yTest.shape]).toEqual([
        [n - nTest],
        [nTest],
        [n - nTest, 2],
        [nTest, 2],
      ]);
      disposeAll({ ...s, x, y });
    }
  });

  it('partitions the samples into disjoint, complete parts with x and y rows paired', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 40 }),
        fc.double({ min: 0.01, max: 0.99, noNaN: true }),
        fc.integer(),
        (n, testSize, seed) => {
          fc.pre(Math.ceil(n * testSize) < n);
          const { x, y } = indexed(n);
          const s = trainTestSplit(x, y, { testSize, seed });
          const { train, test } = indices(s);
          expect(test.length).toBe(Math.ceil(n * testSize));
          expect([...train, ...test].sort((a, b) => a - b)).toEqual(Array.from({ length: n }, (_, i) => i));
          disposeAll({ ...s, x, y });
        },
      ),
      { numRuns: runs(15) },
    );
  });

  it('is reproducible per seed: the test set is the first indices of randomGenerator(seed).permutation(n)', () => {
    const { x, y } = indexed(50);
    const a = trainTestSplit(x, y, { seed: 7 });
    const b = trainTestSplit(x, y, { seed: 7 });
    const c = trainTestSplit(x, y, { seed: 8 });
    const d = trainTestSplit(x, y);
    const perm = randomGenerator(7).permutation(50);
    expect(indices(a)).toEqual({ test: perm.slice(0, 10), train: perm.slice(10) });
    expect(indices(b)).toEqual(indices(a));
    expect(indices(c).test).not.toEqual(indices(a).test);
    expect(indices(d).test).toEqual(randomGenerator(42).permutation(50).slice(0, 10)); // default seed 42
    [a, b, c, d].forEach(disposeAll);
    tf.dispose([x, y]);
  });

  it('without shuffle, keeps the order: the first samples train, the last ones test', () => {
    const { x, y } = indexed(10);
    const s = trainTestSplit(x, y, { testSize: 0.3, shuffle: false });
    expect(indices(s)).toEqual({ train: [0, 1, 2, 3, 4, 5, 6], test: [7, 8, 9] });
    disposeAll({ ...s, x, y });
  });

  it('keeps dtypes and trailing dimensions (images [n, h, w, 1], int32 and bool targets)', () => {
    const n = 6;
    const x = tf.tensor4d(
      Array.from({ length: n * 4 }, (_, i) => i),
      [n, 2, 2, 1],
    );
    for (const y of [tf.tensor1d([0, 1, 2, 3, 4, 5], 'int32'), tf.tensor1d([1, 0, 1, 0, 1, 0], 'bool')]) {
      const s = trainTestSplit(x, y, { testSize: 2, seed: 3 });
      expect(s.xTrain.shape).toEqual([4, 2, 2, 1]);
      expect([s.xTrain.dtype, s.yTrain.dtype, s.yTest.dtype]).toEqual(['float32', y.dtype, y.dtype]);
      const order = randomGenerator(3).permutation(n);
      const xs = s.xTest.arraySync() as number[][][][];
      expect(xs.map((img) => img[1]![0]![0])).toEqual(order.slice(0, 2).map((i) => 4 * i + 2));
      const yAll = Array.from(y.dataSync());
      expect(Array.from(s.yTrain.dataSync())).toEqual(order.slice(2).map((i) => yAll[i]));
      disposeAll({ ...s, y });
    }
    x.dispose();
  });

  it('leaves its inputs alive and leaks no tensors', async () => {
    const { x, y } = indexed(20);
    await expectNoLeaks(() => trainTestSplit(x, y, { seed: 1 }));
    await expectNoLeaks(() => trainTestSplit(x, y, { shuffle: false }));
    expect(x.isDisposed || y.isDisposed).toBe(false);
    tf.dispose([x, y]);
  });
});

it('trainTestSplit rejects bad arguments naming the function, argument and value', () => {
  const x = tf.zeros([10, 2]);
  const y = tf.zeros([10]);
  const bad = (options: unknown) => () => trainTestSplit(x, y, options as never);
  expect(() => trainTestSplit([[1]] as never, y)).toThrow('trainTestSplit: x must be a tensor of rank >= 1, got [[1]]');
  expect(() => trainTestSplit(tf.scalar(1), y)).toThrow(
    'trainTestSplit: x must be a tensor of rank >= 1, got a float32 tensor of shape []',
  );
  expect(() => trainTestSplit(x, tf.zeros([9]))).toThrow(
    'trainTestSplit: y must be a tensor with the same first dimension as x (10), got a float32 tensor of shape [9]',
  );
  expect(bad(5)).toThrow('trainTestSplit: options must be an options object, got 5');
  expect(bad({ testSize: 0 })).toThrow(
    'trainTestSplit: options.testSize must be a fraction in (0, 1) or an integer count >= 1, got 0',
  );
  expect(bad({ testSize: 1.5 })).toThrow(/^trainTestSplit: options\.testSize .* got 1\.5$/);
  expect(bad({ testSize: -0.2 })).toThrow(/^trainTestSplit: options\.testSize .* got -0\.2$/);
  expect(bad({ testSize: '0.2' })).toThrow(/^trainTestSplit: options\.testSize .* got "0\.2"$/);
  expect(bad({ testSize: 10 })).toThrow(
    'trainTestSplit: options.testSize must be a size leaving at least one training sample of the 10 (test size 10), got 10',
  );
  expect(bad({ testSize: 0.99 })).toThrow(
    /^trainTestSplit: options\.testSize must be a size leaving .* \(test size 10\), got 0\.99$/,
  );
  expect(bad({ seed: 1.5 })).toThrow(
    'trainTestSplit: options.seed must be a safe integer (|seed| <= 2^53 - 1), got 1.5',
  );
  expect(bad({ shuffle: 'yes' })).toThrow('trainTestSplit: options.shuffle must be a boolean, got "yes"');
  tf.dispose([x, y]);
});
