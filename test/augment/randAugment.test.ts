import * as tf from '@tensorflow/tfjs-core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { affineTransform } from '../../src/augment/functional/affineTransform.js';
import { autoContrast } from '../../src/augment/functional/autoContrast.js';
import { equalize } from '../../src/augment/functional/equalize.js';
import { invert } from '../../src/augment/functional/invert.js';
import { posterize } from '../../src/augment/functional/posterize.js';
import { solarize } from '../../src/augment/functional/solarize.js';
import { randAugment } from '../../src/augment/randAugment.js';
import type { RandAugmentOp, RandAugmentParams, RandAugmentStep } from '../../src/augment/randAugment.js';
import { assertChangesImagesAtP1, assertWithinRange, augmentationContract } from '../helpers/augmentationSuite.js';
import type { AugmentationSpec } from '../helpers/augmentationSuite.js';
import { describeBackends } from '../helpers/backends.js';
import { expectNoLeaks } from '../helpers/leaks.js';
import { runs } from '../helpers/runs.js';
import reference from './keras-rand-augment.json' with { type: 'json' };

const OPS: RandAugmentOp[] = [
  'AutoContrast',
  'Equalize',
  'Invert',
  'Rotate',
  'Posterize',
  'Solarize',
  'SolarizeAdd',
  'Color',
  'Contrast',
  'Brightness',
  'Sharpness',
  'ShearX',
  'ShearY',
  'TranslateXRel',
  'TranslateYRel',
];
const values = (t: tf.Tensor) => Array.from(t.dataSync());
const info = (batchSize: number) => ({ batchSize, height: 8, width: 8, channels: 3 });

/** The largest |a − b| over two equally long arrays. */
function maxDiff(a: number[], b: number[]): number {
  expect(a).toHaveLength(b.length);
  return a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i]!)), 0);
}

/** Pearson's chi-square of counts against equal expected counts. */
function chiSquare(counts: number[]): number {
  const total = counts.reduce((a, b) => a + b, 0);
  const e = total / counts.length;
  return counts.reduce((s, c) => s + (c - e) ** 2 / e, 0);
}

describeBackends('randAugment', () => {
  describe('timm defaults (rand-m9, p 0.5 per op)', () => {
    const spec: AugmentationSpec = { make: (p, seed) => randAugment({ p, seed }) };
    augmentationContract(spec);
    it('keeps values within [0, 1] and the fill', () => assertWithinRange(spec, [0, 1, 128 / 255]));
  });
  describe('rand-m9-mstd0.5, every op applied', () => {
    const spec: AugmentationSpec = {
      make: (p, seed) => randAugment({ magnitudeStd: 0.5, opProbability: 1, numOps: 3, fillValue: 0, p, seed }),
    };
    augmentationContract(spec);
    it('keeps values within [0, 1]', () => assertWithinRange(spec, [0, 1]));
    it('changes at least one image with p = 1', () => assertChangesImagesAtP1(spec, { minBatch: 2, minSide: 4 }));
  });

  // timm's ops with fixed draws, computed in Python following timm's source (scripts/keras/rand_augment.py).
  it.each(reference.cases.map((c) => [c.name, c] as const))('equals timm semantics: %s', (_, c) => {
    const images = tf.tensor4d(c.images, c.shape as [number, number, number, number]);
    const out = randAugment({ seed: 1 }).apply({ images }, c.params as RandAugmentParams);
    // float32 arithmetic in a different order (and a different bilinear rounding on the portable resampler).
    expect(maxDiff(values(out.images), c.expected)).toBeLessThan(2e-5);
    tf.dispose([images, out.images]);
  });

  it('applies each layer as the functional ops and affineTransform would, image by image', () => {
    const images = tf.randomUniform([4, 6, 7, 3], 0, 1, 'float32', 9) as tf.Tensor4D;
    const step = (op: RandAugmentOp, magnitude: number, negate = false, applied = true): RandAugmentStep => ({
      op,
      magnitude,
      negate,
      applied,
    });
    const params: RandAugmentParams = {
      samples: [
        [step('Rotate', 9, true), step('Solarize', 5)],
        [step('ShearX', 9), step('Invert', 3, false, false)],
        [step('Equalize', 9), step('TranslateYRel', 6, true)],
        [step('Posterize', 9), step('AutoContrast', 2)],
      ],
    };
    const out = randAugment({ fillValue: 0.25 }).apply({ images }, params);
    const warp = (x: tf.Tensor4D, row: number[]) => affineTransform(x, row, { fillValue: 0.25 });
    const t = (27 * Math.PI) / 180; // Rotate m=9 negated: -27°, about the pixel-grid centre (3, 2.5)
    const [c, s] = [Math.cos(-t), Math.sin(-t)];
    const rotate = [c, -s, 3 - 3 * c + 2.5 * s, s, c, 2.5 - 3 * s - 2.5 * c, 0, 0];
    const per: ((x: tf.Tensor4D) => tf.Tensor4D)[][] = [
      [(x) => warp(x, rotate), (x) => solarize(x, 128 / 255)],
      [(x) => warp(x, [1, 0.27, 0.135, 0, 1, 0, 0, 0])],
      [(x) => equalize(x), (x) => warp(x, [1, 0, 0, 0, 1, -0.27 * 6, 0, 0])],
      [(x) => posterize(x, 3), (x) => autoContrast(x)],
    ];
    const expected = per.flatMap((fns, i) =>
      values(fns.reduce((x, f) => f(x), tf.slice(images, [i, 0, 0, 0], [1, 6, 7, 3]) as tf.Tensor4D)),
    );
    expect(maxDiff(values(out.images), expected)).toBeLessThan(1e-6);
    // Invert was drawn but not applied: image 1 is only sheared; had it been inverted, it would differ by far.
    const sheared = expected.slice(126, 252);
    const inverted = values(
      invert(warp(tf.slice(images, [1, 0, 0, 0], [1, 6, 7, 3]) as tf.Tensor4D, [1, 0.27, 0.135, 0, 1, 0, 0, 0])),
    );
    expect(maxDiff(inverted, sheared)).toBeGreaterThan(0.1);
    tf.dispose([images, out.images]);
  });

  it('picks ops uniformly over `ops` (chi-square, fixed seeds), and only from `ops`', () => {
    // 14 degrees of freedom: the 0.999 quantile is 36.1; a sampler stuck on one op scores in the thousands.
    for (const seed of [1, 2, 3]) {
      const { samples } = randAugment({ seed, numOps: 2 }).sample(info(1500));
      const counts = OPS.map((op) => samples.flat().filter((s) => s.op === op).length);
      expect(chiSquare(counts)).toBeLessThan(36.1);
    }
    fc.assert(
      fc.property(fc.subarray(OPS, { minLength: 1 }), fc.integer(), (ops, seed) => {
        const { samples } = randAugment({ ops, seed }).sample(info(20));
        expect(samples.flat().every((s) => ops.includes(s.op))).toBe(true);
      }),
      { numRuns: runs(20) },
    );
  });

  it('draws magnitudes m + N(0, mstd) clipped to [0, magnitudeMax], and uniform in [0, m] for mstd Infinity', () => {
    const { samples } = randAugment({ magnitude: 9, magnitudeStd: 0.5, seed: 5 }).sample(info(5000));
    const m = samples.flat().map((s) => s.magnitude);
    // P(N(9, 0.5) > 10) = P(Z > 2) = 0.02275: the clipped mass sits at 10 exactly, none above.
    const atMax = m.filter((v) => v === 10).length / m.length;
    expect(Math.abs(atMax - 0.02275)).toBeLessThan(4 * Math.sqrt((0.02275 * 0.97725) / m.length));
    expect(Math.max(...m)).toBe(10);
    const below = m.filter((v) => v < 10);
    // Below the clip, P(N < 9) = 0.5 of all draws and P(N < 8.5) = 0.1587.
    for (const [x, q] of [
      [9, 0.5],
      [8.5, 0.158655],
    ] as const) {
      const f = below.filter((v) => v < x).length / m.length;
      expect(Math.abs(f - q)).toBeLessThan(4 * Math.sqrt((q * (1 - q)) / m.length));
    }
    const fixed = randAugment({ magnitude: 12, seed: 5 }).sample(info(10));
    expect(new Set(fixed.samples.flat().map((s) => s.magnitude))).toEqual(new Set([10]));
    const uniform = randAugment({ magnitude: 8, magnitudeStd: Infinity, magnitudeMax: 20, seed: 5 }).sample(info(4000));
    const u = uniform.samples.flat().map((s) => s.magnitude);
    expect(Math.min(...u)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...u)).toBeLessThan(8);
    const deciles = Array.from({ length: 8 }, (_, k) => u.filter((v) => v >= k && v < k + 1).length);
    expect(chiSquare(deciles)).toBeLessThan(24.3); // 7 degrees of freedom, 0.999 quantile
  });

  it('applies each op with opProbability, signs half the time, and p gates whole images', () => {
    const { samples } = randAugment({ opProbability: 0.3, p: 0.5, seed: 8 }).sample(info(4000));
    const flat = samples.flat();
    const rate = flat.filter((s) => s.applied).length / flat.length;
    expect(Math.abs(rate - 0.15)).toBeLessThan(4 * Math.sqrt((0.15 * 0.85) / flat.length));
    const negated = flat.filter((s) => s.negate).length / flat.length;
    expect(Math.abs(negated - 0.5)).toBeLessThan(4 * Math.sqrt(0.25 / flat.length));
    // An image left out by p has no applied op; with p 1 and opProbability 1 every op applies.
    const untouched = samples.filter((l) => l.every((s) => !s.applied)).length / samples.length;
    expect(Math.abs(untouched - (0.5 + 0.5 * 0.7 ** 2))).toBeLessThan(0.04);
    const all = randAugment({ opProbability: 1, seed: 8 }).sample(info(50));
    expect(all.samples.flat().every((s) => s.applied)).toBe(true);
  });

  it('skips the work of ops no image drew, and leaks nothing with every op drawn', async () => {
    const images = tf.randomUniform([15, 5, 5, 3], 0, 1, 'float32', 2) as tf.Tensor4D;
    const params: RandAugmentParams = {
      samples: OPS.map((op) => [{ op, magnitude: 7, negate: true, applied: true }]),
    };
    const aug = randAugment({ seed: 2 });
    await expectNoLeaks(() => aug.apply({ images }, params).images);
    const none: RandAugmentParams = { samples: OPS.map((op) => [{ op, magnitude: 7, negate: true, applied: false }]) };
    const same = aug.apply({ images }, none);
    expect(values(same.images)).toEqual(values(images));
    tf.dispose([images, same.images]);
  });

  it('rejects bad options and bad params naming randAugment', () => {
    expect(() => randAugment({ numOps: 0 })).toThrow(/^randAugment: numOps must be/);
    expect(() => randAugment({ magnitude: -1 })).toThrow(/^randAugment: magnitude/);
    expect(() => randAugment({ ops: ['Rotate', 'Cutout' as RandAugmentOp] })).toThrow(/^randAugment: ops must be/);
    expect(() => randAugment({ opProbability: 2 })).toThrow(/^randAugment: opProbability/);
    expect(() => randAugment({ magnitudeStd: -1 })).toThrow(/^randAugment: magnitudeStd/);
    expect(() => randAugment({ numOp: 2 } as never)).toThrow(/^randAugment: .*numOps/);
    const images = tf.zeros([1, 4, 4, 3]) as tf.Tensor4D;
    const aug = randAugment({ seed: 1 });
    expect(() =>
      aug.apply({ images }, { samples: [[{ op: 'Rotate', magnitude: NaN, negate: false, applied: true }]] }),
    ).toThrow(/^randAugment: params.samples\[0\]\[0\] must be/);
    expect(() => aug.apply({ images }, { samples: [] })).toThrow(/^randAugment: params.samples must be/);
    tf.dispose(images);
  });
});
