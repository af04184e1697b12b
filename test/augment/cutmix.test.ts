import * as tf from '@tensorflow/tfjs-core';
import fc from 'fast-check';
import { expect, it } from 'vitest';
import type { Batch } from '../../src/augment/augmentation.js';
import { cutmix } from '../../src/augment/cutmix.js';
import { assertChangesImagesAtP1, assertWithinRange, augmentationContract } from '../helpers/augmentationSuite.js';
import type { AugmentationSpec } from '../helpers/augmentationSuite.js';
import { describeBackends } from '../helpers/backends.js';
import { expectNoLeaks } from '../helpers/leaks.js';
import { runs } from '../helpers/runs.js';

const values = (t: tf.Tensor | undefined): number[] => (t ? Array.from(t.dataSync()) : []);
const rows = (t: tf.Tensor | undefined): number[][] => (t ? (t.arraySync() as number[][]) : []);
const free = (...bs: Batch[]) => bs.forEach((b) => tf.dispose([b.images, ...(b.labels ? [b.labels] : [])]));
const oneHot = (ids: number[], k: number) =>
  tf.tidy(() => tf.cast(tf.oneHot(tf.tensor1d(ids, 'int32'), k), 'float32') as tf.Tensor2D);

/** Image i is the constant i + 1 (every channel), label class i % k: pasted pixels tell their source. */
function constants(n: number, h: number, w: number, c: number, k: number): Batch & { ids: number[] } {
  const ids = Array.from({ length: n }, (_, i) => i % k);
  const images = tf.tidy(() =>
    tf.mul(tf.ones([n, h, w, c]), tf.reshape(tf.range(1, n + 1), [n, 1, 1, 1])),
  ) as tf.Tensor4D;
  return { images, labels: oneHot(ids, k), ids };
}

describeBackends('cutmix', () => {
  const spec: AugmentationSpec = { make: (p, seed) => cutmix({ p, seed }), labels: true };
  augmentationContract(spec);
  it('keeps values within the input range (and fill values)', () => assertWithinRange(spec, []));
  it('changes at least one image with p = 1', () => assertChangesImagesAtP1(spec, { minBatch: 10, minSide: 4 }));

  it('λ is 1 - (pixels taken from the partner) / (H W), the box is what is pasted, and label rows sum to 1', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 5 }),
        fc.integer({ min: 1, max: 9 }),
        fc.integer({ min: 1, max: 9 }),
        fc.integer({ min: 1, max: 3 }),
        fc.double({ min: 0.1, max: 3, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 0.5, noNaN: true }),
        fc.nat(1e6),
        (n, h, w, c, alpha, p, labelSmoothing, seed) => {
          const k = 3;
          const batch = constants(n, h, w, c, k);
          const aug = cutmix({ alpha, p, labelSmoothing, seed });
          const out = aug(batch);
          const { permutation, boxes, lambda, applied } = aug.lastParams!;
          const img = values(out.images);
          const labels = rows(out.labels);
          for (let i = 0; i < n; i++) {
            const own = i + 1;
            const partner = permutation[i]! + 1;
            const [y0, x0, y1, x1] = boxes[i]!;
            let taken = 0;
            for (let y = 0; y < h; y++) {
              for (let x = 0; x < w; x++) {
                const inBox = applied[i]! && y >= y0 && y < y1 && x >= x0 && x < x1;
                for (let ch = 0; ch < c; ch++) {
                  const v = img[((i * h + y) * w + x) * c + ch]!;
                  expect(v).toBe(inBox ? partner : own);
                  if (v !== own && ch === 0) taken++;
                }
              }
            }
            if (partner !== own) expect(lambda[i]).toBeCloseTo(1 - taken / (h * w), 12);
            if (!applied[i]) expect(lambda[i]).toBe(1);
            const expected = Array.from(
              { length: k },
              (_, j) =>
                ((j === batch.ids[i] ? lambda[i]! : 0) + (j === batch.ids[permutation[i]!] ? 1 - lambda[i]! : 0)) *
                  (1 - labelSmoothing) +
                labelSmoothing / k,
            );
            labels[i]!.forEach((v, j) => expect(v).toBeCloseTo(expected[j]!, 5));
            expect(Math.abs(labels[i]!.reduce((a, b) => a + b, 0) - 1)).toBeLessThan(1e-5);
          }
          free(batch, out);
        },
      ),
      { numRuns: runs(25) },
    );
  });

  it('pastes a given box exactly, on every channel, and mixes labels with the given λ', () => {
    const pixel = (i: number, v: number) => (i === 0 ? [v, -v] : [100 + v, -(100 + v)]);
    const images = tf.tensor4d(
      [0, 1].flatMap((i) => Array.from({ length: 12 }, (_, v) => pixel(i, v)).flat()),
      [2, 3, 4, 2],
    );
    const labels = tf.tensor2d([
      [1, 0],
      [0, 1],
    ]);
    const params = {
      permutation: [1, 0],
      boxes: [
        [1, 1, 3, 3],
        [0, 2, 1, 4],
      ] as Array<[number, number, number, number]>,
      lambda: [1 - 4 / 12, 1 - 2 / 12],
      applied: [true, true],
    };
    const out = cutmix({ seed: 1 }).apply({ images, labels }, params);
    const expected0 = [0, 1, 2, 3, 4, 105, 106, 7, 8, 109, 110, 11];
    const expected1 = [100, 101, 2, 3, 104, 105, 106, 107, 108, 109, 110, 111];
    expect(values(out.images)).toEqual([...expected0, ...expected1].flatMap((v) => [v, -v]));
    rows(out.labels)
      .flat()
      .forEach((v, i) => expect(v).toBeCloseTo([2 / 3, 1 / 3, 1 / 6, 5 / 6][i]!, 6));
    // Not applied: the box is ignored and λ = 1.
    const off = cutmix({ seed: 1 }).apply(
      { images, labels },
      { ...params, lambda: [2 / 3, 1], applied: [true, false] },
    );
    expect(values(off.images).slice(24)).toEqual(values(images).slice(24));
    expect(rows(off.labels)[1]).toEqual([0, 1]);
    free({ images, labels }, out, off);
  });

  it('applies label smoothing exactly and treats class ids like one-hot labels', () => {
    const { images, labels } = constants(3, 4, 4, 1, 3);
    const e = 0.2 / 3;
    const params = {
      permutation: [1, 2, 0],
      boxes: [
        [0, 0, 2, 4],
        [0, 0, 0, 0],
        [0, 0, 4, 4],
      ] as Array<[number, number, number, number]>,
      lambda: [0.5, 1, 0],
      applied: [true, true, true],
    };
    const smooth = cutmix({ labelSmoothing: 0.2, seed: 1 }).apply({ images, labels }, params);
    const expected = [
      [0.4 + e, 0.4 + e, e],
      [e, 0.8 + e, e],
      [0.8 + e, e, e],
    ];
    rows(smooth.labels)
      .flat()
      .forEach((v, i) => expect(v).toBeCloseTo(expected.flat()[i]!, 6));
    const reference = cutmix({ seed: 4, alpha: 0.5 })({ images, labels });
    const forms = [
      tf.tensor2d([[0], [1], [2]], [3, 1], 'int32'),
      tf.tensor2d([[0], [1], [2]]),
      tf.tensor1d([0, 1, 2], 'int32') as unknown as tf.Tensor2D,
    ];
    for (const form of forms) {
      const out = cutmix({ seed: 4, alpha: 0.5, numClasses: 3 })({ images, labels: form });
      expect(values(out.images)).toEqual(values(reference.images));
      expect(values(out.labels)).toEqual(values(reference.labels));
      free(out);
    }
    tf.dispose(forms);
    free({ images, labels }, smooth, reference);
  });

  it('samples paper-style boxes: effective λ has the mean of a clipped sqrt(1 - λ) box', () => {
    // λ₀ ~ U(0, 1) (alpha = 1), sides r = sqrt(1 - λ₀) of the image, centre uniform: per axis the clipped
    // length averages r - r²/4, so E[area] = E[u - u^1.5 / 2 + u² / 16] with u = 1 - λ₀ ~ U(0, 1), i.e. 1/2 - 1/5 +
    // 1/48.
    const info = { batchSize: 3000, height: 64, width: 64, channels: 1 };
    const params = cutmix({ seed: 11 }).sample(info);
    const mean = params.lambda.reduce((a, b) => a + b, 0) / info.batchSize;
    expect(Math.abs(mean - (1 - (1 / 2 - 1 / 5 + 1 / 48)))).toBeLessThan(0.02);
    // Without clipping the mean would be 1/2: the clipping must be accounted for.
    expect(mean).toBeGreaterThan(0.6);
    params.boxes.forEach((b, i) =>
      expect(params.lambda[i]).toBeCloseTo(1 - ((b[2] - b[0]) * (b[3] - b[1])) / 4096, 12),
    );
    const gated = cutmix({ p: 0.5, seed: 2 }).sample(info);
    expect(Math.abs(gated.applied.filter(Boolean).length / info.batchSize - 0.5)).toBeLessThan(0.04);
    gated.applied.forEach((on, i) => {
      if (!on) expect([gated.lambda[i], ...gated.boxes[i]!]).toEqual([1, 0, 0, 0, 0]);
    });
  });

  it('rejects missing labels, class ids without numClasses and inconsistent params, naming cutmix', () => {
    const { images, labels } = constants(2, 4, 4, 1, 2);
    const aug = cutmix({ seed: 1 });
    expect(() => aug({ images })).toThrow(/^cutmix: batch.labels must be given \(mixing combines labels\)/);
    expect(() => aug({ images, labels: tf.tensor1d([0, 1]) as unknown as tf.Tensor2D })).toThrow(
      /^cutmix: numClasses must be given when batch.labels are class ids/,
    );
    const base = {
      permutation: [1, 0],
      boxes: [
        [0, 0, 2, 2],
        [0, 0, 0, 0],
      ] as Array<[number, number, number, number]>,
      lambda: [0.75, 1],
      applied: [true, true],
    };
    expect(() =>
      aug.apply(
        { images, labels },
        {
          ...base,
          boxes: [
            [0, 0, 5, 2],
            [0, 0, 0, 0],
          ],
        },
      ),
    ).toThrow(
      /^cutmix: params.boxes must be an array of 2 integer boxes \[y0, x0, y1, x1\] with 0 <= y0 <= y1 <= 4, 0 <= x0 <= x1 <= 4/,
    );
    expect(() => aug.apply({ images, labels }, { ...base, boxes: [[0, 0, 2, 2]] })).toThrow(
      /^cutmix: params.boxes must be an array of 2/,
    );
    expect(() => aug.apply({ images, labels }, { ...base, lambda: [0.5, 1] })).toThrow(
      'cutmix: params.lambda[0] must be 1 - box area / (4 * 4) = 0.75, got 0.5',
    );
    expect(() => aug.apply({ images, labels }, { ...base, permutation: [1] })).toThrow(
      /^cutmix: params.permutation must be an array of 2/,
    );
    free({ images, labels });
  });

  it('leaks nothing with class-id vector labels', async () => {
    const { images } = constants(3, 5, 5, 2, 3);
    const vector = tf.tensor1d([2, 0, 1], 'int32') as unknown as tf.Tensor2D;
    const aug = cutmix({ numClasses: 3, labelSmoothing: 0.1, seed: 2 });
    await expectNoLeaks(() => {
      const out = aug({ images, labels: vector });
      return [out.images, out.labels];
    });
    tf.dispose([images, vector]);
  });
});

it('cutmix rejects bad options naming the option and the value, and defaults alpha to 1', () => {
  expect(() => cutmix({ alpha: 0 })).toThrow('cutmix: alpha must be a finite number > 0, got 0');
  expect(() => cutmix({ alpha: Number.POSITIVE_INFINITY })).toThrow(
    'cutmix: alpha must be a finite number > 0, got Infinity',
  );
  expect(() => cutmix({ p: -0.1 })).toThrow('cutmix: p must be a probability in [0, 1], got -0.1');
  expect(() => cutmix({ numClasses: 0 })).toThrow('cutmix: numClasses must be an integer >= 2, got 0');
  expect(() => cutmix({ labelSmoothing: 1.5 })).toThrow('cutmix: labelSmoothing must be a number in [0, 1), got 1.5');
  expect(() => cutmix({ seed: Number.NaN })).toThrow(
    'cutmix: seed must be a safe integer (|seed| <= 2^53 - 1), got NaN',
  );
  // alpha = 1 gives λ₀ uniform: the same draws as an explicit alpha of 1.
  const info = { batchSize: 50, height: 8, width: 8, channels: 1 };
  expect(cutmix({ seed: 3 }).sample(info)).toEqual(cutmix({ seed: 3, alpha: 1 }).sample(info));
  expect(cutmix({ seed: 3 }).sample(info)).not.toEqual(cutmix({ seed: 3, alpha: 0.2 }).sample(info));
});
