import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import * as tfd from '@tensorflow/tfjs-data';
import fc from 'fast-check';
import { expect, it } from 'vitest';
import { updateBatchNormStatistics } from '../../src/callbacks/updateBatchNormStatistics.js';
import { describeBackends } from '../helpers/backends.js';
import { expectNoLeaks } from '../helpers/leaks.js';
import { runs } from '../helpers/runs.js';

const values = (t: tf.Tensor) => Array.from(t.dataSync());

/** Dense(3) → BatchNormalization, with a kernel and bias far from the identity. */
function denseBn(seed = 1) {
  const model = tfl.sequential({
    layers: [
      tfl.layers.dense({ inputShape: [2], units: 3, kernelInitializer: tfl.initializers.randomNormal({ seed }) }),
      tfl.layers.batchNormalization({ momentum: 0.5 }),
    ],
  });
  const weights = [tf.randomNormal([2, 3], 0, 2, 'float32', seed), tf.tensor1d([1, -2, 3])];
  model.layers[0]!.setWeights(weights);
  tf.dispose(weights);
  return model;
}

/** Mean and biased variance per column of a host matrix. */
function columnMoments(rows: number[][]): { mean: number[]; variance: number[] } {
  const n = rows.length;
  const mean = rows[0]!.map((_, j) => rows.reduce((s, r) => s + r[j]!, 0) / n);
  const variance = mean.map((m, j) => rows.reduce((s, r) => s + (r[j]! - m) ** 2, 0) / n);
  return { mean, variance };
}

function matrix(t: tf.Tensor): number[][] {
  const rows = tf.unstack(t);
  const out = rows.map(values);
  tf.dispose(rows);
  return out;
}

/** A layer's moving statistics. */
function moving(layer: tfl.layers.Layer): { mean: number[]; variance: number[] } {
  const w = layer.getWeights();
  return { mean: values(w[2]!), variance: values(w[3]!) };
}

function expectClose(actual: number[], expected: number[], rtol = 1e-5) {
  expect(actual.length).toBe(expected.length);
  actual.forEach((v, i) => expect(Math.abs(v - expected[i]!)).toBeLessThanOrEqual(rtol * (1 + Math.abs(expected[i]!))));
}

describeBackends('updateBatchNormStatistics', () => {
  it('one BN after a dense layer, one batch: exactly the mean and variance of its inputs over the data', async () => {
    const model = denseBn();
    const x = tf.randomNormal([12, 2], 0, 1, 'float32', 7);
    const dense = model.layers[0]!.apply(x) as tf.Tensor;
    const expected = columnMoments(matrix(dense));
    const kernelBefore = model.layers[0]!.getWeights().map(values);
    await updateBatchNormStatistics(model, x, { batchSize: 12 });
    const got = moving(model.layers[1]!);
    expectClose(got.mean, expected.mean);
    expectClose(got.variance, expected.variance);
    // Not the initial statistics, and no other weight touched.
    expect(got.mean).not.toEqual([0, 0, 0]);
    expect(model.layers[0]!.getWeights().map(values)).toEqual(kernelBefore);
    tf.dispose([x, dense]);
    model.dispose();
  });

  it('property: across batches, the mean is the data mean and the variance the size-weighted mean of batch variances', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 9 }), fc.integer({ min: 1, max: 9 }), async (samples, batchSize) => {
        const model = denseBn(samples);
        const x = tf.randomNormal([samples, 2], 0, 1, 'float32', batchSize);
        const dense = model.layers[0]!.apply(x) as tf.Tensor;
        const rows = matrix(dense);
        const batches: number[][][] = [];
        for (let s = 0; s < samples; s += batchSize) batches.push(rows.slice(s, s + batchSize));
        const variance = [0, 1, 2].map(
          (j) => batches.reduce((s, b) => s + b.length * columnMoments(b).variance[j]!, 0) / samples,
        );
        await updateBatchNormStatistics(model, x, { batchSize });
        const got = moving(model.layers[1]!);
        expectClose(got.mean, columnMoments(rows).mean, 1e-4);
        expectClose(got.variance, variance, 1e-4);
        tf.dispose([x, dense]);
        model.dispose();
      }),
      { numRuns: runs(10) },
    );
  });

  it('two BN layers: the second sees the first normalized with batch statistics, as in one training-mode pass', async () => {
    const input = tfl.input({ shape: [2] });
    const d1 = tfl.layers.dense({ units: 3, kernelInitializer: tfl.initializers.randomNormal({ seed: 2 }) });
    const bn1 = tfl.layers.batchNormalization({ gammaInitializer: 'ones', betaInitializer: 'zeros' });
    const d2 = tfl.layers.dense({ units: 2, kernelInitializer: tfl.initializers.randomNormal({ seed: 3 }) });
    const bn2 = tfl.layers.batchNormalization();
    const out = bn2.apply(d2.apply(bn1.apply(d1.apply(input)))) as tfl.SymbolicTensor;
    const model = tfl.model({ inputs: input, outputs: out });
    bn1.setWeights([tf.tensor1d([2, 0.5, 1]), tf.tensor1d([1, 0, -1]), tf.zeros([3]), tf.ones([3])]);
    const x = tf.randomNormal([10, 2], 0, 1, 'float32', 11);
    // Independently, on the host: per batch of 5, BN1 normalizes with the batch's own biased
    // statistics (epsilon 1e-3), then dense 2 applies; BN2's statistics are averaged over batches.
    const [k1, b1] = d1.getWeights().map(matrixOrVector);
    const [k2, b2] = d2.getWeights().map(matrixOrVector);
    const [g1, be1] = bn1.getWeights().map(values);
    const xs = matrix(x);
    const dense = (rows: number[][], k: number[][], b: number[]) =>
      rows.map((r) => b.map((bj, j) => bj + r.reduce((s, v, i) => s + v * k[i]![j]!, 0)));
    const sums = { m1: [0, 0, 0], v1: [0, 0, 0], m2: [0, 0], v2: [0, 0] };
    for (const batch of [xs.slice(0, 5), xs.slice(5)]) {
      const h1 = dense(batch, k1 as number[][], b1 as number[]);
      const s1 = columnMoments(h1);
      const n1 = h1.map((r) =>
        r.map((v, j) => ((v - s1.mean[j]!) / Math.sqrt(s1.variance[j]! + 1e-3)) * g1![j]! + be1![j]!),
      );
      const s2 = columnMoments(dense(n1, k2 as number[][], b2 as number[]));
      s1.mean.forEach((v, j) => ((sums.m1[j]! += v / 2), (sums.v1[j]! += s1.variance[j]! / 2)));
      s2.mean.forEach((v, j) => ((sums.m2[j]! += v / 2), (sums.v2[j]! += s2.variance[j]! / 2)));
    }
    await updateBatchNormStatistics(model, tfd.array(xs.map((r) => ({ xs: r, ys: [0] }))).batch(5));
    expectClose(moving(bn1).mean, sums.m1, 1e-4);
    expectClose(moving(bn1).variance, sums.v1, 1e-4);
    expectClose(moving(bn2).mean, sums.m2, 1e-4);
    expectClose(moving(bn2).variance, sums.v2, 1e-4);
    tf.dispose(x);
    model.dispose();
  });

  it('accepts a dataset of bare inputs, leaves no tensor behind, and restores the statistics when it fails', async () => {
    const model = denseBn();
    const x = tf.randomNormal([8, 2], 0, 1, 'float32', 5);
    await expectNoLeaks(() => updateBatchNormStatistics(model, x, { batchSize: 3 }));
    const viaTensor = moving(model.layers[1]!);
    await expectNoLeaks(() => updateBatchNormStatistics(model, tfd.array(matrix(x)).batch(3)));
    expectClose(moving(model.layers[1]!).mean, viaTensor.mean);
    const before = moving(model.layers[1]!);
    const bad = tfd.array([[1, 2], [3, 4], [5]] as number[][]).batch(1);
    await expect(updateBatchNormStatistics(model, bad)).rejects.toThrow();
    expect(moving(model.layers[1]!)).toEqual(before);
    tf.dispose(x);
    model.dispose();
  });

  it("keeps nothing of its pass: disposing the model afterwards frees all of the model's tensors", async () => {
    const before = tf.memory().numTensors;
    const model = denseBn();
    const x = tf.randomNormal([6, 2], 0, 1, 'float32', 9);
    await updateBatchNormStatistics(model, x, { batchSize: 4 });
    model.dispose();
    tf.dispose(x);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('rejects bad arguments naming updateBatchNormStatistics', async () => {
    const model = denseBn();
    const x = tf.zeros([4, 2]);
    await expect(updateBatchNormStatistics({} as never, x)).rejects.toThrow(
      'updateBatchNormStatistics: model must be a tfjs-layers model, got {}',
    );
    await expect(updateBatchNormStatistics(model, [] as never)).rejects.toThrow(
      'updateBatchNormStatistics: data must be batches of 1 input tensor(s), got []',
    );
    await expect(updateBatchNormStatistics(model, tf.zeros([0, 2]))).rejects.toThrow(
      'updateBatchNormStatistics: data must be data with at least one sample',
    );
    await expect(updateBatchNormStatistics(model, tfd.array([[1, 2]]).batch(1), { batchSize: 4 })).rejects.toThrow(
      'updateBatchNormStatistics: batchSize must be undefined for a dataset (it is batched already), got 4',
    );
    await expect(updateBatchNormStatistics(model, x, { batchSize: 0 })).rejects.toThrow(
      'updateBatchNormStatistics: batchSize must be a finite number > 0, got 0',
    );
    await expect(updateBatchNormStatistics(model, x, { batch_size: 4 } as never)).rejects.toThrow(
      'updateBatchNormStatistics: unknown option "batch_size"',
    );
    tf.dispose(x);
    model.dispose();
  });
});

function matrixOrVector(t: tf.Tensor): number[][] | number[] {
  return t.rank === 2 ? matrix(t) : values(t);
}
