import * as tf from '@tensorflow/tfjs-core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Augmentation, Batch } from '../../src/augment/augmentation.js';
import { cutout } from '../../src/augment/cutout.js';
import { gaussianNoise } from '../../src/augment/gaussianNoise.js';
import { randomAffine } from '../../src/augment/randomAffine.js';
import { randomOrder } from '../../src/augment/randomOrder.js';
import { assertChangesImagesAtP1, assertWithinRange, augmentationContract } from '../helpers/augmentationSuite.js';
import type { AugmentationSpec } from '../helpers/augmentationSuite.js';
import { describeBackends } from '../helpers/backends.js';
import { expectNoLeaks } from '../helpers/leaks.js';
import { runs } from '../helpers/runs.js';

const values = (t: tf.Tensor | undefined): number[] => (t ? Array.from(t.dataSync()) : []);
const free = (...bs: Batch[]) => bs.forEach((b) => tf.dispose([b.images, ...(b.labels ? [b.labels] : [])]));

describeBackends('randomOrder', () => {
  describe('of cutout and a flip (step by step)', () => {
    const spec: AugmentationSpec = {
      make: (p, seed) =>
        randomOrder([cutout({ size: 2, value: 0.5, p }), randomAffine({ horizontalFlip: true, p })], { seed }),
    };
    augmentationContract(spec);
    it('keeps values within the input range (and the fill)', () => assertWithinRange(spec, [0.5]));
    it('changes at least one image with p = 1', () => assertChangesImagesAtP1(spec));
  });
  describe('of two affine steps (matrices composed in order)', () => {
    const spec: AugmentationSpec = {
      make: (p, seed) =>
        randomOrder([randomAffine({ rotationRange: 40, p }), randomAffine({ widthShiftRange: 0.3, p })], { seed }),
    };
    augmentationContract(spec);
    it('keeps values within the input range', () => assertWithinRange(spec, []));
    it('changes at least one image with p = 1', () => assertChangesImagesAtP1(spec, { minSide: 5 }));
  });

  it('equals its steps applied one by one in the drawn order', () => {
    const steps: Augmentation[] = [
      cutout({ size: 3, value: 0.5 }),
      gaussianNoise({ stddev: 0.2 }),
      cutout({ size: 2, value: 1 }),
    ];
    fc.assert(
      fc.property(fc.nat(1e6), (seed) => {
        const images = tf.randomUniform([3, 6, 6, 1], 0, 1, 'float32', seed) as tf.Tensor4D;
        const all = randomOrder(steps, { seed });
        const out = all({ images });
        const { order, params } = all.lastParams!;
        let current: Batch = { images };
        const made: Batch[] = [];
        for (const j of order) made.push((current = steps[j]!.apply(current, params[j])));
        expect(values(out.images)).toEqual(values(current.images));
        free(out, ...made, { images });
      }),
      { numRuns: runs(10) },
    );
  });

  it('composes affine steps in the drawn order: a flip and a shift (exact with nearest sampling) do not commute', () => {
    const images = tf.randomUniform([2, 5, 7, 2], 0, 1, 'float32', 3) as tf.Tensor4D;
    const opts = { interpolation: 'nearest', fillMode: 'constant', fillValue: 0.5 } as const;
    const flip = randomAffine({ horizontalFlip: true, ...opts });
    const shift = randomAffine({ widthShiftRange: 3, ...opts });
    const sample = (tx: number, flipHorizontal: boolean) => ({
      samples: [0, 1].map(() => ({ theta: 0, tx, ty: 0, shear: 0, zx: 1, zy: 1, flipHorizontal, flipVertical: false })),
    });
    const params = [sample(0, true), sample(2, false)];
    const outs: number[][] = [];
    for (const order of [
      [0, 1],
      [1, 0],
    ]) {
      const out = randomOrder([flip, shift]).apply({ images }, { order, params });
      const a = [flip, shift][order[0]!]!.apply({ images }, params[order[0]!]!);
      const b = [flip, shift][order[1]!]!.apply(a, params[order[1]!]!);
      expect(values(out.images)).toEqual(values(b.images));
      outs.push(values(out.images));
      free(out, a, b);
    }
    expect(outs[0]).not.toEqual(outs[1]);
    images.dispose();
  });

  it('frees the intermediate outputs of its steps', async () => {
    const images = tf.ones([2, 4, 4, 1]) as tf.Tensor4D;
    const all = randomOrder([cutout({ size: 1 }), cutout({ size: 2 }), gaussianNoise({ stddev: 0.1 })], { seed: 1 });
    await expectNoLeaks(() => [all({ images }).images]);
    images.dispose();
  });
});

it('draws every order equally often (binomial bounds on the 6 orders of 3 steps, fixed seed)', () => {
  const all = randomOrder([cutout({ size: 1 }), cutout({ size: 1 }), cutout({ size: 1 })], { seed: 21 });
  const counts = new Map<string, number>();
  const k = 12000;
  for (let t = 0; t < k; t++) {
    const key = all.sample({ batchSize: 1, height: 2, width: 2, channels: 1 }).order.join('');
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  expect([...counts.keys()].sort()).toEqual(['012', '021', '102', '120', '201', '210']);
  for (const c of counts.values()) expect(Math.abs(c - k / 6)).toBeLessThan(4 * Math.sqrt((k * 5) / 36));
});

it('rejects bad steps and replayed params, naming randomOrder', () => {
  expect(() => randomOrder('x' as never)).toThrow(
    'randomOrder: augs must be an array of at least 1 augmentation, got "x"',
  );
  const images = tf.zeros([1, 3, 3, 1]) as tf.Tensor4D;
  const all = randomOrder([cutout({ size: 1 }), cutout({ size: 1 })]);
  expect(() => all.apply({ images }, { order: [0, 0], params: [null, null] })).toThrow(
    'randomOrder: params.order must be a permutation of 0..1, got [0,0]',
  );
  images.dispose();
});
