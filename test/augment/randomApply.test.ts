import * as tf from '@tensorflow/tfjs-core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Augmentation, Batch } from '../../src/augment/augmentation.js';
import { cutout } from '../../src/augment/cutout.js';
import { mixup } from '../../src/augment/mixup.js';
import { randomAffine } from '../../src/augment/randomAffine.js';
import { randomApply } from '../../src/augment/randomApply.js';
import { assertChangesImagesAtP1, assertWithinRange, augmentationContract } from '../helpers/augmentationSuite.js';
import type { AugmentationSpec } from '../helpers/augmentationSuite.js';
import { describeBackends } from '../helpers/backends.js';
import { runs } from '../helpers/runs.js';

const values = (t: tf.Tensor | undefined): number[] => (t ? Array.from(t.dataSync()) : []);
const free = (...bs: Batch[]) => bs.forEach((b) => tf.dispose([b.images, ...(b.labels ? [b.labels] : [])]));
const image = (t: tf.Tensor, i: number) => {
  const per = t.size / t.shape[0]!;
  return values(t).slice(i * per, (i + 1) * per);
};

describeBackends('randomApply', () => {
  describe('of cutout (masks)', () => {
    const spec: AugmentationSpec = { make: (p, seed) => randomApply(cutout({ size: 2, value: 0.5 }), { p, seed }) };
    augmentationContract(spec);
    it('keeps values within the input range (and the fill)', () => assertWithinRange(spec, [0.5]));
    it('changes at least one image with p = 1', () => assertChangesImagesAtP1(spec));
  });
  describe('of randomAffine (identity matrices)', () => {
    const spec: AugmentationSpec = { make: (p, seed) => randomApply(randomAffine({ rotationRange: 40 }), { p, seed }) };
    augmentationContract(spec);
    it('keeps values within the input range', () => assertWithinRange(spec, []));
    it('changes at least one image with p = 1', () => assertChangesImagesAtP1(spec, { minSide: 5 }));
  });

  it("gives each sample the augmentation's output where drawn and its input elsewhere, labels too", () => {
    fc.assert(
      fc.property(fc.array(fc.boolean(), { minLength: 1, maxLength: 6 }), fc.nat(1e6), (applied, seed) => {
        const n = applied.length;
        const images = tf.randomUniform([n, 5, 5, 2], 0, 1, 'float32', seed) as tf.Tensor4D;
        const labels = tf.tidy(() =>
          tf.oneHot(
            tf.tensor1d(
              [...Array(n).keys()].map((i) => i % 3),
              'int32',
            ),
            3,
          ),
        );
        const batch = { images, labels: tf.cast(labels, 'float32') as tf.Tensor2D };
        for (const inner of [
          cutout({ size: 3, value: 0.5 }),
          randomAffine({ rotationRange: 90 }),
          mixup(),
        ] as Augmentation[]) {
          const gate = randomApply(inner, { seed });
          const params = gate.sample({ batchSize: n, height: 5, width: 5, channels: 2 });
          const full = inner.apply(batch, params.params);
          const out = gate.apply(batch, { applied, params: params.params });
          for (let i = 0; i < n; i++) {
            const want = applied[i] ? full : batch;
            const near = inner.name === 'randomAffine' ? 1e-5 : 0;
            image(out.images, i).forEach((v, j) =>
              expect(Math.abs(v - image(want.images, i)[j]!)).toBeLessThanOrEqual(near),
            );
            expect(image(out.labels!, i)).toEqual(image(want.labels!, i));
          }
          free(full, out);
        }
        free(batch);
        labels.dispose();
      }),
      { numRuns: runs(10) },
    );
  });
});

it('applies at rate p per sample (binomial bound, fixed seeds)', () => {
  const info = { batchSize: 50, height: 4, width: 4, channels: 1 };
  for (const p of [0.1, 0.5, 0.8]) {
    const gate = randomApply(cutout({ size: 1 }), { p, seed: 5 });
    let on = 0;
    for (let t = 0; t < 100; t++) on += gate.sample(info).applied.filter(Boolean).length;
    const k = 100 * info.batchSize;
    expect(Math.abs(on - k * p)).toBeLessThan(4 * Math.sqrt(k * p * (1 - p)));
  }
  // torchvision's default.
  const half = randomApply(cutout({ size: 1 }), { seed: 5 });
  const k = 5000;
  const on = half.sample({ ...info, batchSize: k }).applied.filter(Boolean).length;
  expect(Math.abs(on - k / 2)).toBeLessThan(4 * Math.sqrt(k / 4));
});

it('rejects bad arguments and labels that cannot be selected per sample, naming randomApply', () => {
  expect(() => randomApply(1 as never)).toThrow('randomApply: aug must be an Augmentation, got 1');
  expect(() => randomApply(cutout({ size: 1 }), { p: 2 })).toThrow(
    'randomApply: p must be a probability in [0, 1], got 2',
  );
  expect(() => randomApply(cutout({ size: 1 }), { prob: 1 } as never)).toThrow(/^randomApply: unknown option "prob"/);
  const images = tf.zeros([2, 3, 3, 1]) as tf.Tensor4D;
  const ids = tf.tensor2d([[0], [1]], [2, 1], 'int32');
  const mix = mixup({ numClasses: 2 });
  const params = mix.sample({ batchSize: 2, height: 3, width: 3, channels: 1 });
  expect(() => randomApply(mix).apply({ images, labels: ids }, { applied: [true, false], params })).toThrow(
    /^randomApply: the labels of its augmentations must be all/,
  );
  expect(() => randomApply(mix).apply({ images }, { applied: [true], params })).toThrow(
    /^randomApply: params.applied must be 2 booleans/,
  );
  tf.dispose([images, ids]);
});
