import * as tf from '@tensorflow/tfjs-core';
import fc from 'fast-check';
import { expect, it } from 'vitest';
import type { Batch } from '../../src/augment/augmentation.js';
import { mixup } from '../../src/augment/mixup.js';
import { assertChangesImagesAtP1, assertWithinRange, augmentationContract } from '../helpers/augmentationSuite.js';
import type { AugmentationSpec } from '../helpers/augmentationSuite.js';
import { describeBackends } from '../helpers/backends.js';
import { expectNoLeaks } from '../helpers/leaks.js';
import { runs } from '../helpers/runs.js';

const values = (t: tf.Tensor | undefined): number[] => (t ? Array.from(t.dataSync()) : []);
const rows = (t: tf.Tensor | undefined): number[][] => (t ? (t.arraySync() as number[][]) : []);
const free = (...bs: Batch[]) => bs.forEach((b) => tf.dispose([b.images, ...(b.labels ? [b.labels] : [])]));

/** A random batch with its labels in the requested form (class ids drawn from the seed). */
function batchOf(n: number, k: number, seed: number, form: 'onehot' | 'soft' | 'ids') {
  const ids = Array.from({ length: n }, (_, i) => (i * 5 + seed) % k);
  const images = tf.randomUniform([n, 3, 2, 2], 0, 1, 'float32', seed) as tf.Tensor4D;
  const labels = tf.tidy(
    () =>
      (form === 'ids'
        ? tf.tensor2d(ids, [n, 1], 'int32')
        : form === 'soft'
          ? tf.softmax(tf.randomNormal([n, k], 0, 2, 'float32', seed + 1))
          : tf.cast(tf.oneHot(tf.tensor1d(ids, 'int32'), k), 'float32')) as tf.Tensor2D,
  );
  return { images, labels, ids };
}

describeBackends('mixup', () => {
  const spec: AugmentationSpec = { make: (p, seed) => mixup({ p, seed }), labels: true };
  augmentationContract(spec);
  it('keeps values within the input range (and fill values)', () => assertWithinRange(spec, []));
  it('changes at least one image with p = 1', () => assertChangesImagesAtP1(spec, { minBatch: 10 }));

  it('returns soft labels whose rows sum to 1, for any labels, alpha, p and smoothing', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 5 }),
        fc.integer({ min: 2, max: 5 }),
        fc.double({ min: 0.05, max: 4, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 0.9, noNaN: true }),
        fc.constantFrom('onehot' as const, 'soft' as const, 'ids' as const),
        fc.nat(1e6),
        (n, k, alpha, p, labelSmoothing, form, seed) => {
          const batch = batchOf(n, k, seed, form);
          const out = mixup({ alpha, p, labelSmoothing, numClasses: k, seed })(batch);
          expect(out.labels!.shape).toEqual([n, k]);
          expect(out.labels!.dtype).toBe('float32');
          for (const row of rows(out.labels)) {
            expect(Math.abs(row.reduce((a, b) => a + b, 0) - 1)).toBeLessThan(1e-5);
            row.forEach((v) => expect(v).toBeGreaterThanOrEqual(labelSmoothing / k - 1e-6));
          }
          free(batch, out);
        },
      ),
      { numRuns: runs(20) },
    );
  });

  it('mixes images and labels exactly as λ x + (1 - λ) x[perm], keeping unmixed samples', () => {
    const images = tf.tensor4d([1, 2, 10, 20, 100, 200], [3, 1, 2, 1]);
    const labels = tf.tensor2d([
      [1, 0, 0],
      [0, 1, 0],
      [0, 0, 1],
    ]);
    // Sample 2 is not mixed: its λ of 0.3 must be ignored (λ = 1).
    const params = { permutation: [2, 0, 1], lambda: [0.25, 0.5, 0.3], applied: [true, true, false] };
    const out = mixup({ seed: 1 }).apply({ images, labels }, params);
    const expected = [0.25 * 1 + 0.75 * 100, 0.25 * 2 + 0.75 * 200, 5.5, 11, 100, 200];
    values(out.images).forEach((v, i) => expect(v).toBeCloseTo(expected[i]!, 4));
    const expectedLabels = [
      [0.25, 0, 0.75],
      [0.5, 0.5, 0],
      [0, 0, 1],
    ];
    rows(out.labels)
      .flat()
      .forEach((v, i) => expect(v).toBeCloseTo(expectedLabels.flat()[i]!, 6));
    free({ images, labels }, out);
  });

  it('applies label smoothing exactly: y (1 - ε) + ε / K after mixing', () => {
    const images = tf.zeros([2, 2, 2, 1]) as tf.Tensor4D;
    const labels = tf.tensor2d([[0], [3]], [2, 1], 'int32');
    const params = { permutation: [1, 0], lambda: [0.75, 1], applied: [true, true] };
    const out = mixup({ numClasses: 4, labelSmoothing: 0.1, seed: 1 }).apply({ images, labels }, params);
    const e = 0.1 / 4;
    const expected = [
      [0.75 * 0.9 + e, e, e, 0.25 * 0.9 + e],
      [e, e, e, 0.9 + e],
    ];
    rows(out.labels)
      .flat()
      .forEach((v, i) => expect(v).toBeCloseTo(expected.flat()[i]!, 6));
    free({ images, labels }, out);
  });

  it('gives the same result for class ids ([n, 1] int32 or float, [n]) as for one-hot labels', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 5 }), fc.integer({ min: 2, max: 6 }), fc.nat(1e6), (n, k, seed) => {
        const { images, labels, ids } = batchOf(n, k, seed, 'onehot');
        const reference = mixup({ alpha: 1, seed, p: 0.8 })({ images, labels });
        const forms = [
          tf.tensor2d(ids, [n, 1], 'int32'),
          tf.tensor2d(ids, [n, 1], 'float32'),
          tf.tensor1d(ids, 'int32') as unknown as tf.Tensor2D,
          // Float ids a rounding error away from the integer still name their class.
          tf.tensor2d(
            ids.map((c) => c + (c % 2 ? 1e-6 : -1e-6)),
            [n, 1],
          ),
          labels,
        ];
        for (const form of forms) {
          const out = mixup({ alpha: 1, seed, p: 0.8, numClasses: k })({ images, labels: form });
          expect(values(out.images)).toEqual(values(reference.images));
          expect(values(out.labels)).toEqual(values(reference.labels));
          free(out);
        }
        tf.dispose(forms.slice(0, 4));
        free({ images, labels }, reference);
      }),
      { numRuns: runs(10) },
    );
  });

  it('draws λ from Beta(alpha, alpha), gates samples with p and pairs them by a permutation', () => {
    const info = { batchSize: 4000, height: 2, width: 2, channels: 1 };
    const stats = (xs: number[]) => {
      const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
      return { mean, variance: xs.reduce((a, b) => a + (b - mean) ** 2, 0) / xs.length };
    };
    // Beta(a, a): mean 1/2, variance 1 / (4 (2a + 1)).
    for (const alpha of [1, 0.2]) {
      const { mean, variance } = stats(mixup({ alpha, seed: 5 }).sample(info).lambda);
      expect(mean).toBeCloseTo(0.5, 1);
      expect(Math.abs(variance - 1 / (4 * (2 * alpha + 1)))).toBeLessThan(0.01);
    }
    const gated = mixup({ p: 0.3, seed: 9 }).sample(info);
    expect(Math.abs(gated.applied.filter(Boolean).length / info.batchSize - 0.3)).toBeLessThan(0.03);
    gated.applied.forEach((on, i) => {
      if (!on) expect(gated.lambda[i]).toBe(1);
    });
    expect(gated.permutation.slice().sort((a, b) => a - b)).toEqual(
      Array.from({ length: info.batchSize }, (_, i) => i),
    );
  });

  it('requires labels, numClasses for class ids, and matching widths, naming mixup', () => {
    const images = tf.zeros([2, 2, 2, 1]) as tf.Tensor4D;
    const ids = tf.tensor2d([[0], [1]]);
    const vector = tf.tensor1d([0, 1], 'int32') as unknown as tf.Tensor2D;
    const wide = tf.zeros([2, 4]) as tf.Tensor2D;
    expect(() => mixup({ seed: 1 })({ images })).toThrow(
      /^mixup: batch.labels must be given \(mixing combines labels\).*got undefined$/,
    );
    expect(() => mixup({ seed: 1 })({ images, labels: ids })).toThrow(
      'mixup: numClasses must be given when batch.labels are class ids ([n, 1] or [n]), got undefined',
    );
    expect(() => mixup({ seed: 1 })({ images, labels: vector })).toThrow(
      /^mixup: numClasses must be given when batch.labels are class ids/,
    );
    expect(() => mixup({ seed: 1, numClasses: 3 })({ images, labels: wide })).toThrow(
      'mixup: batch.labels shape must be [n, 3] (one-hot, as numClasses is 3) or [n, 1] (class ids), got [2,4]',
    );
    expect(() =>
      mixup({ numClasses: 3 })({ images, labels: tf.tensor1d([0, 1, 2]) as unknown as tf.Tensor2D }),
    ).toThrow('mixup: batch.labels shape must be [2] (one class id per image), got [3]');
    const aug = mixup({ seed: 1 });
    expect(() =>
      aug.apply({ images, labels: wide }, { permutation: [0, 2], lambda: [1, 1], applied: [true, true] }),
    ).toThrow(/^mixup: params.permutation must be an array of 2 integer indices in \[0, 2\)/);
    expect(() =>
      aug.apply({ images, labels: wide }, { permutation: [0, 1], lambda: [1.5, 1], applied: [true, true] }),
    ).toThrow(/^mixup: params.lambda must be an array of 2 numbers in \[0, 1\]/);
    expect(() => aug.apply({ images, labels: wide }, { permutation: [0, 1], lambda: [1, 1], applied: [true] })).toThrow(
      /^mixup: params.applied must be an array of 2 booleans/,
    );
    tf.dispose([images, ids, vector, wide]);
  });

  it('leaks nothing with class-id labels, as a vector too', async () => {
    const images = tf.ones([3, 2, 2, 1]) as tf.Tensor4D;
    const vector = tf.tensor1d([2, 0, 1], 'int32') as unknown as tf.Tensor2D;
    const aug = mixup({ numClasses: 3, labelSmoothing: 0.1, seed: 2 });
    await expectNoLeaks(() => {
      const out = aug({ images, labels: vector });
      return [out.images, out.labels];
    });
    await expectNoLeaks(() => {
      const out = aug.apply({ images, labels: vector }, aug.lastParams!);
      return [out.images, out.labels];
    });
    tf.dispose([images, vector]);
  });
});

it('mixup rejects bad options naming the option and the value', () => {
  expect(() => mixup({ alpha: 0 })).toThrow('mixup: alpha must be a finite number > 0, got 0');
  expect(() => mixup({ alpha: -1 })).toThrow('mixup: alpha must be a finite number > 0, got -1');
  expect(() => mixup({ alpha: Number.NaN })).toThrow('mixup: alpha must be a finite number > 0, got NaN');
  expect(() => mixup({ alpha: '1' as unknown as number })).toThrow('mixup: alpha must be a finite number > 0, got "1"');
  expect(() => mixup({ p: 1.5 })).toThrow('mixup: p must be a probability in [0, 1], got 1.5');
  expect(() => mixup({ numClasses: 1 })).toThrow('mixup: numClasses must be an integer >= 2, got 1');
  expect(() => mixup({ numClasses: 2.5 })).toThrow('mixup: numClasses must be an integer >= 2, got 2.5');
  expect(() => mixup({ labelSmoothing: 1 })).toThrow('mixup: labelSmoothing must be a number in [0, 1), got 1');
  expect(() => mixup({ labelSmoothing: -0.1 })).toThrow('mixup: labelSmoothing must be a number in [0, 1), got -0.1');
  expect(() => mixup({ seed: 1.5 })).toThrow('mixup: seed must be a safe integer (|seed| <= 2^53 - 1), got 1.5');
  expect(() => mixup(3 as unknown as object)).toThrow('mixup: options must be an options object, got 3');
  expect(mixup({ seed: 1 }).name).toBe('mixup');
});
