import * as tf from '@tensorflow/tfjs-core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Augmentation, Batch } from '../../src/augment/augmentation.js';
import { cutout } from '../../src/augment/cutout.js';
import { gaussianNoise } from '../../src/augment/gaussianNoise.js';
import { randomAffine } from '../../src/augment/randomAffine.js';
import { randomChoice } from '../../src/augment/randomChoice.js';
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

describeBackends('randomChoice', () => {
  describe('of cutout and a flip (masks)', () => {
    const spec: AugmentationSpec = {
      make: (p, seed) =>
        randomChoice([cutout({ size: 2, value: 0.5, p }), randomAffine({ horizontalFlip: true, p })], { seed }),
    };
    augmentationContract(spec);
    it('keeps values within the input range (and the fill)', () => assertWithinRange(spec, [0.5]));
    // An image that draws the flip is flipped only half the time (Keras' horizontalFlip), so each one is left
    // unchanged with probability 1/4: 4 images all were in 1 of 256 runs, 16 in 1 of 4 billion.
    it('changes at least one image with p = 1', () => assertChangesImagesAtP1(spec, { minBatch: 16 }));
  });
  describe('of two affine steps (one matrix per sample)', () => {
    const spec: AugmentationSpec = {
      make: (p, seed) =>
        randomChoice([randomAffine({ rotationRange: 40, p }), randomAffine({ zoomRange: 0.3, p })], { seed }),
    };
    augmentationContract(spec);
    it('keeps values within the input range', () => assertWithinRange(spec, []));
    it('changes at least one image with p = 1', () => assertChangesImagesAtP1(spec, { minSide: 5 }));
  });

  it("gives each sample its chosen candidate's output, on the mask path and the matrix path", () => {
    const sets: Augmentation[][] = [
      [cutout({ size: 3, value: 0.5 }), gaussianNoise({ stddev: 0.2 }), randomAffine({ rotationRange: 90 })],
      [randomAffine({ rotationRange: 90 }), randomAffine({ zoomRange: 0.5 })],
    ];
    fc.assert(
      fc.property(fc.array(fc.nat(5), { minLength: 1, maxLength: 6 }), fc.nat(1e6), (raw, seed) => {
        const n = raw.length;
        const images = tf.randomUniform([n, 5, 6, 2], 0, 1, 'float32', seed) as tf.Tensor4D;
        for (const candidates of sets) {
          const choice = raw.map((r) => r % candidates.length);
          const one = randomChoice(candidates, { seed });
          const params = one.sample({ batchSize: n, height: 5, width: 6, channels: 2 }).params;
          const out = one.apply({ images }, { choice, params });
          const each = candidates.map((c, j) => c.apply({ images }, params[j]));
          for (let i = 0; i < n; i++) {
            const want = image(each[choice[i]!]!.images, i);
            image(out.images, i).forEach((v, j) => expect(Math.abs(v - want[j]!)).toBeLessThanOrEqual(1e-5));
          }
          free(out, ...each);
        }
        images.dispose();
      }),
      { numRuns: runs(10) },
    );
  });
});

it('chooses with frequencies proportional to weights, never a zero weight (binomial bounds, fixed seeds)', () => {
  const steps = [0, 1, 2, 3].map(() => cutout({ size: 1 }));
  for (const weights of [
    [1, 1, 1, 1],
    [1, 2, 0, 5],
    [0, 0, 3, 1],
  ]) {
    const one = randomChoice(steps, { weights, seed: 9 });
    const k = 20000;
    const counts = [0, 0, 0, 0];
    for (const c of one.sample({ batchSize: k, height: 2, width: 2, channels: 1 }).choice) counts[c]!++;
    const total = weights.reduce((a, b) => a + b, 0);
    weights.forEach((w, j) => {
      const q = w / total;
      if (w === 0) expect(counts[j]).toBe(0);
      else expect(Math.abs(counts[j]! - k * q)).toBeLessThan(4 * Math.sqrt(k * q * (1 - q)));
    });
  }
});

it('rejects bad candidates, weights and replayed params, naming randomChoice', () => {
  expect(() => randomChoice([])).toThrow('randomChoice: augs must be an array of at least 1 augmentation, got []');
  expect(() => randomChoice([cutout({ size: 1 }), 3 as never])).toThrow(
    'randomChoice: augs[1] must be an Augmentation, got 3',
  );
  expect(() => randomChoice([cutout({ size: 1 })], { weights: [1, 2] })).toThrow(
    /^randomChoice: weights must be 1 finite/,
  );
  expect(() => randomChoice([cutout({ size: 1 })], { weights: [0] })).toThrow(/^randomChoice: weights must be/);
  expect(() => randomChoice([cutout({ size: 1 })], { weights: [-1] })).toThrow(/^randomChoice: weights must be/);
  const images = tf.zeros([2, 3, 3, 1]) as tf.Tensor4D;
  const c = randomChoice([cutout({ size: 1 }), cutout({ size: 2 })]);
  expect(() => c.apply({ images }, { choice: [0, 2], params: [null, null] })).toThrow(
    /^randomChoice: params.choice must be 2 integers in \[0, 2\)/,
  );
  expect(() => c.apply({ images }, { choice: [0, 1], params: [null] })).toThrow(/^randomChoice: params.params must be/);
  expect(() => c.apply({ images }, { choice: [0, 1], params: [null, null] })).toThrow(/^cutout: params must be/);
  images.dispose();
});
