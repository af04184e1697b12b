import * as tf from '@tensorflow/tfjs-core';
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { lambdaBox, minMaxBox } from '../../src/augment/_internal/boxes.js';
import type { Batch } from '../../src/augment/augmentation.js';
import { mixupOrCutmix } from '../../src/augment/mixupOrCutmix.js';
import type { MixupOrCutmixOptions, MixupOrCutmixParams } from '../../src/augment/mixupOrCutmix.js';
import { assertChangesImagesAtP1, assertWithinRange, augmentationContract } from '../helpers/augmentationSuite.js';
import type { AugmentationSpec } from '../helpers/augmentationSuite.js';
import { describeBackends } from '../helpers/backends.js';
import { runs } from '../helpers/runs.js';

/**
 * timm's Mixup re-derived in numpy from timm/data/mixup.py (torch and timm are not installed), by
 * scripts/keras/timm_mixup.py: per case the drawn params, the mixed images (NHWC) and the targets.
 */
const REFERENCE = JSON.parse(readFileSync(join(import.meta.dirname, 'keras-timm-mixup.json'), 'utf8')) as {
  shape: [number, number, number, number];
  numClasses: number;
  cases: {
    settings: Record<string, unknown> & { mode: 'batch' | 'pair' | 'elem' };
    params: MixupOrCutmixParams;
    input: number[];
    ids: number[];
    images: number[];
    targets: number[][];
  }[];
  lambdaBoxes: { h: number; w: number; lambda: number; cy: number; cx: number; box: number[] }[];
  minMaxBoxes: { h: number; w: number; minMax: [number, number]; draws: [number, number][]; box: number[] }[];
};

const values = (t: tf.Tensor | undefined): number[] => (t ? Array.from(t.dataSync()) : []);
const free = (...bs: Batch[]) => bs.forEach((b) => tf.dispose([b.images, ...(b.labels ? [b.labels] : [])]));
const area = ([y0, x0, y1, x1]: number[]) => (y1! - y0!) * (x1! - x0!);

describeBackends(
  'mixupOrCutmix',
  () => {
    const spec: AugmentationSpec = {
      // ε = 0 so that p = 0 is the identity on the labels too (with ε > 0 they are smoothed, as timm's).
      make: (p, seed) => mixupOrCutmix({ mixupAlpha: 0.8, cutmixAlpha: 1, mode: 'elem', labelSmoothing: 0, p, seed }),
      labels: true,
    };
    augmentationContract(spec);
    it('keeps values within the input range', () => assertWithinRange(spec, []));
    it('changes at least one image with p = 1', () => assertChangesImagesAtP1(spec, { minBatch: 4, minSide: 4 }));

    it("equals timm's Mixup (re-derived in numpy) on every reference case: images and smoothed, mixed targets", () => {
      const [n, h, w, c] = REFERENCE.shape;
      expect(REFERENCE.cases.length).toBeGreaterThanOrEqual(30);
      for (const ref of REFERENCE.cases) {
        const { mode, settings } = { mode: ref.settings.mode, settings: ref.settings };
        const aug = mixupOrCutmix({
          mixupAlpha: settings['mixupAlpha'] as number,
          cutmixAlpha: settings['cutmixAlpha'] as number,
          ...(settings['cutmixMinMax'] ? { cutmixMinMax: settings['cutmixMinMax'] as [number, number] } : {}),
          correctLam: settings['correctLam'] as boolean,
          labelSmoothing: settings['labelSmoothing'] as number,
          numClasses: REFERENCE.numClasses,
          mode,
          seed: 1,
        });
        const images = tf.tensor4d(ref.input, [n, h, w, c]);
        const labels = tf.tensor1d(ref.ids, 'int32') as unknown as tf.Tensor2D;
        const out = aug.apply({ images, labels }, ref.params);
        const got = values(out.images);
        ref.images.forEach((v, i) => expect(Math.abs(got[i]! - v)).toBeLessThan(1e-6));
        const targets = out.labels!.arraySync();
        ref.targets.flat().forEach((v, i) => expect(Math.abs(targets.flat()[i]! - v)).toBeLessThan(1e-6));
        tf.dispose([images, labels, out.images, out.labels!]);
      }
    });

    it("draws timm's boxes: from λ (trunc, floor(cut / 2) each side, clipped) and within a min-max range", () => {
      for (const r of REFERENCE.lambdaBoxes) expect(lambdaBox(r.h, r.w, r.lambda, r.cy, r.cx)).toEqual(r.box);
      for (const r of REFERENCE.minMaxBoxes) {
        const draws = [...r.draws];
        const box = minMaxBox(r.h, r.w, r.minMax, (k) => {
          const [n, offset] = draws.shift()!;
          expect(k).toBe(n);
          return offset;
        });
        expect(box).toEqual(r.box);
        expect(draws).toEqual([]);
      }
    });
  },
  { only: ['cpu', 'wasm', 'tensorflow'] },
);

it('shares one draw per batch, per pair (i, n - 1 - i) or per element; CutMix λ is the pasted box area', () => {
  fc.assert(
    fc.property(
      fc.constantFrom<'batch' | 'pair' | 'elem'>('batch', 'pair', 'elem'),
      fc.integer({ min: 1, max: 9 }),
      fc.integer({ min: 1, max: 12 }),
      fc.integer({ min: 1, max: 12 }),
      fc.boolean(),
      fc.boolean(),
      fc.nat(1e6),
      (mode, n, h, w, minMax, correctLam, seed) => {
        const options: MixupOrCutmixOptions = { mixupAlpha: 0.8, cutmixAlpha: 1, mode, correctLam, seed };
        if (minMax) options.cutmixMinMax = [0.2, 0.8];
        const p = mixupOrCutmix(options).sample({ batchSize: n, height: h, width: w, channels: 1 });
        const key = (i: number) => JSON.stringify([p.applied[i], p.cutmix[i], p.lambda[i], p.boxes[i]]);
        for (let i = 0; i < n; i++) {
          if (mode === 'batch') expect(key(i)).toBe(key(0));
          if (mode === 'pair') {
            if (2 * i + 1 === n) expect(p.applied[i]).toBe(false);
            else expect(key(i)).toBe(key(n - 1 - i));
          }
          if (p.cutmix[i] && (correctLam || minMax))
            expect(p.lambda[i]).toBeCloseTo(1 - area(p.boxes[i]!) / (h * w), 12);
          if (!p.cutmix[i]) expect(p.boxes[i]).toEqual([0, 0, 0, 0]);
        }
        // Elements draw independently: a large batch in 'elem' mode holds more than one MixUp λ. Only MixUp's
        // λ is a continuous draw: CutMix's is a box area, which on a tiny image takes few values (all eight
        // elements of a 1×1 batch switching to CutMix share λ = 1 by chance, not by a shared draw).
        const mixupLambdas = p.lambda.filter((_, i) => p.applied[i] && !p.cutmix[i]);
        if (mode === 'elem' && mixupLambdas.length >= 2) expect(new Set(mixupLambdas).size).toBeGreaterThan(1);
      },
    ),
    { numRuns: runs(100) },
  );
});

it('switches to CutMix at rate switchProb and mixes at rate p (binomial bounds, fixed seeds)', () => {
  const info = { batchSize: 10, height: 8, width: 8, channels: 1 };
  for (const [switchProb, p] of [
    [0.5, 1],
    [0.2, 0.6],
    [0.9, 0.3],
  ] as const) {
    for (const mode of ['batch', 'elem'] as const) {
      const aug = mixupOrCutmix({ mixupAlpha: 0.8, cutmixAlpha: 1, switchProb, p, mode, seed: 11 });
      const trials = mode === 'batch' ? 3000 : 300;
      let mixed = 0;
      let cut = 0;
      let units = 0;
      for (let t = 0; t < trials; t++) {
        const s = aug.sample(info);
        const idx = mode === 'batch' ? [0] : [...Array(info.batchSize).keys()];
        for (const i of idx) {
          units++;
          if (s.applied[i]) mixed++;
          if (s.cutmix[i]) cut++;
        }
      }
      // Four standard deviations: a wrong rate of a few percent fails, a right one passes with these seeds.
      const bound = (k: number, q: number) => 4 * Math.sqrt(k * q * (1 - q));
      expect(Math.abs(mixed - units * p)).toBeLessThan(bound(units, p) + 1);
      expect(Math.abs(cut - mixed * switchProb)).toBeLessThan(bound(mixed, switchProb));
    }
  }
  // Only one of them on: no switching.
  const info1 = { batchSize: 6, height: 4, width: 4, channels: 1 };
  expect(mixupOrCutmix({ seed: 1, mode: 'elem' }).sample(info1).cutmix.some(Boolean)).toBe(false);
  expect(mixupOrCutmix({ seed: 1, mode: 'elem', mixupAlpha: 0, cutmixAlpha: 1 }).sample(info1).cutmix).toEqual(
    info1.batchSize ? Array(6).fill(true) : [],
  );
});

it('smooths the targets also where nothing is mixed (p = 0), leaving the images as they are', () => {
  const images = tf.randomUniform([3, 4, 4, 2], 0, 1, 'float32', 3) as tf.Tensor4D;
  const labels = tf.tensor2d([[0], [2], [1]], [3, 1], 'int32');
  const out = mixupOrCutmix({ p: 0, numClasses: 3, seed: 2 })({ images, labels });
  expect(values(out.images)).toEqual(values(images));
  const on = 0.9 + 0.1 / 3;
  const off = 0.1 / 3;
  const expected = [
    [on, off, off],
    [off, off, on],
    [off, on, off],
  ];
  out
    .labels!.arraySync()
    .flat()
    .forEach((v, i) => expect(v).toBeCloseTo(expected.flat()[i]!, 6));
  free({ images, labels }, out);
});

it('rejects bad options and replayed params, naming mixupOrCutmix', () => {
  expect(() => mixupOrCutmix({ mixupAlpha: 0 })).toThrow(
    /^mixupOrCutmix: mixupAlpha must be > 0 when cutmixAlpha is 0/,
  );
  expect(() => mixupOrCutmix({ mixupAlpha: 0, cutmixMinMax: [0.2, 0.8] })).not.toThrow();
  expect(() => mixupOrCutmix({ cutmixMinMax: [0.8, 0.2] })).toThrow(
    /^mixupOrCutmix: cutmixMinMax must be \[min, max\]/,
  );
  expect(() => mixupOrCutmix({ switchProb: 2 })).toThrow(
    'mixupOrCutmix: switchProb must be a probability in [0, 1], got 2',
  );
  expect(() => mixupOrCutmix({ mode: 'half' as never })).toThrow(
    /^mixupOrCutmix: mode must be one of "batch", "pair", "elem"/,
  );
  expect(() => mixupOrCutmix({ switch_prob: 0.5 } as never)).toThrow(/did you mean "switchProb"/);
  const images = tf.zeros([2, 4, 4, 1]) as tf.Tensor4D;
  const labels = tf.tensor2d([
    [1, 0],
    [0, 1],
  ]);
  const aug = mixupOrCutmix({ cutmixAlpha: 1, seed: 1 });
  const params = {
    applied: [true, true],
    cutmix: [true, true],
    lambda: [0.5, 0.75],
    boxes: [
      [0, 0, 2, 4],
      [0, 0, 2, 2],
    ],
  };
  expect(() => aug.apply({ images, labels }, params as never)).not.toThrow();
  expect(() => aug.apply({ images, labels }, { ...params, lambda: [0.5, 0.5] } as never)).toThrow(
    /^mixupOrCutmix: params.lambda\[1\] must be 1 - box area/,
  );
  expect(() =>
    aug.apply({ images, labels }, {
      ...params,
      boxes: [
        [0, 0, 5, 4],
        [0, 0, 2, 2],
      ],
    } as never),
  ).toThrow(/^mixupOrCutmix: params.boxes must be/);
  expect(() => aug({ images })).toThrow(/^mixupOrCutmix: batch.labels must be given/);
  tf.dispose([images, labels]);
});
