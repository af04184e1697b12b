import * as tf from '@tensorflow/tfjs-core';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { augMix } from '../../src/augment/augMix.js';
import type { AugMixOp, AugMixParams, AugMixSample, AugMixStep } from '../../src/augment/augMix.js';
import { flow } from '../../src/augment/flow.js';
import { autoContrast } from '../../src/augment/functional/autoContrast.js';
import { equalize } from '../../src/augment/functional/equalize.js';
import { pipeline } from '../../src/augment/pipeline.js';
import { randomApply } from '../../src/augment/randomApply.js';
import { randomFlip } from '../../src/augment/randomFlip.js';
import { assertChangesImagesAtP1, assertWithinRange, augmentationContract } from '../helpers/augmentationSuite.js';
import type { AugmentationSpec } from '../helpers/augmentationSuite.js';
import { describeBackends } from '../helpers/backends.js';
import { expectNoLeaks } from '../helpers/leaks.js';
import { runs } from '../helpers/runs.js';
import reference from './keras-augmix.json' with { type: 'json' };

const OPS: AugMixOp[] = [
  'ShearX',
  'ShearY',
  'TranslateX',
  'TranslateY',
  'Rotate',
  'Posterize',
  'Solarize',
  'AutoContrast',
  'Equalize',
  'Brightness',
  'Color',
  'Contrast',
  'Sharpness',
];
const values = (t: tf.Tensor) => Array.from(t.dataSync());
const info = (batchSize: number) => ({ batchSize, height: 8, width: 8, channels: 3 });
const step = (op: AugMixOp, bin: number, negate = false): AugMixStep => ({ op, bin, negate });
const sample = (chains: AugMixStep[][], m: number, weights: number[], applied = true): AugMixSample => ({
  applied,
  m,
  weights,
  chains,
});

function maxDiff(a: number[], b: number[]): number {
  expect(a).toHaveLength(b.length);
  return a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i]!)), 0);
}

function chiSquare(counts: number[]): number {
  const total = counts.reduce((a, b) => a + b, 0);
  const e = total / counts.length;
  return counts.reduce((s, c) => s + (c - e) ** 2 / e, 0);
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const variance = (xs: number[]) => mean(xs.map((x) => (x - mean(xs)) ** 2));

describeBackends('augMix', () => {
  // The ops' constants (sharpness border, resampling grids) are cached on first use and kept on purpose, so
  // every op runs once on the suite's shapes first and the leak checks then see only real leaks.
  beforeAll(() => {
    const images = tf.zeros([2, 6, 6, 1]) as tf.Tensor4D;
    for (const op of OPS) {
      for (const aug of [augMix(), augMix({ interpolation: 'nearest', fillValue: 0.5 })]) {
        const s = sample([[step(op, 1)]], 0.5, [1]);
        tf.dispose(aug.apply({ images }, { samples: [s, s] }).images);
      }
    }
    images.dispose();
  });

  describe('torchvision defaults (severity 3, width 3, depth 1 to 3, alpha 1, all ops, bilinear)', () => {
    const spec: AugmentationSpec = { make: (p, seed) => augMix({ p, seed }) };
    augmentationContract(spec);
    it('keeps values within [0, 1]', () => assertWithinRange(spec, [0, 1]));
    it('changes at least one image with p = 1', () => assertChangesImagesAtP1(spec, { minBatch: 4, minSide: 4 }));
  });
  describe('the paper partial space, depth 2, width 2, alpha 0.5, nearest, fill 0.5, severity 10', () => {
    const spec: AugmentationSpec = {
      make: (p, seed) =>
        augMix({
          allOps: false,
          depth: 2,
          width: 2,
          alpha: 0.5,
          severity: 10,
          interpolation: 'nearest',
          fillValue: 0.5,
          p,
          seed,
        }),
    };
    augmentationContract(spec);
    it('keeps values within [0, 1]', () => assertWithinRange(spec, [0, 1, 0.5]));
  });

  // torchvision's float kernels composed per chain and mixed as the paper says, in numpy (scripts/keras/augmix.py).
  it.each(reference.cases.map((c) => [c.name, c] as const))('equals the mixed chains of the reference: %s', (_, c) => {
    const images = tf.tensor4d(c.images, c.shape as [number, number, number, number]);
    const aug = augMix(c.options as { interpolation: 'nearest' | 'bilinear'; fillValue: number; numSplits: number });
    const out = aug.apply({ images }, c.params as AugMixParams);
    // float32 here against float64 there: 1e-5 absolute on values in [0, 1].
    expect(maxDiff(values(out.images), c.expected)).toBeLessThan(1e-5);
    // A mix that dropped the chains would fail: the views are far from the images.
    const n = c.shape[0]!;
    const input = values(images);
    const views = values(out.images).slice(c.options.numSplits > 1 ? input.length : 0);
    expect(maxDiff(views.slice(0, input.length), input)).toBeGreaterThan(0.05);
    expect(out.images.shape[0]).toBe(n * c.options.numSplits);
    tf.dispose([images, out.images]);
  });

  it('mixes m · x + (1 − m) · Σ wᵢ · chainᵢ, each chain its ops in order (equalize and autocontrast included)', () => {
    const images = tf.randomUniform([1, 6, 7, 3], 0, 1, 'float32', 5) as tf.Tensor4D;
    // Brightness bin 2 of linspace(0, 0.9, 10) negated: factor 0.8; posterize bin 2: 3 bits.
    const chains = [
      [step('Equalize', 0), step('Brightness', 2, true)],
      [step('Posterize', 2)],
      [step('AutoContrast', 0)],
    ];
    const [m, w] = [0.3, [0.5, 0.2, 0.3]];
    const out = augMix().apply({ images }, { samples: [sample(chains, m, w)] });
    const expected = tf.tidy(() =>
      tf.addN([
        tf.mul(images, m),
        tf.mul(tf.clipByValue(tf.mul(equalize(images), 0.8), 0, 1), (1 - m) * w[0]!),
        tf.mul(tf.div(tf.minimum(tf.floor(tf.mul(images, 8)), 7), 8), (1 - m) * w[1]!),
        tf.mul(autoContrast(images), (1 - m) * w[2]!),
      ]),
    );
    expect(maxDiff(values(out.images), values(expected))).toBeLessThan(2e-6);
    // The order within a chain matters: brightness before equalize is another image.
    const swapped = augMix().apply(
      { images },
      { samples: [sample([[step('Brightness', 2, true), step('Equalize', 0)], ...chains.slice(1)], m, w)] },
    );
    expect(maxDiff(values(swapped.images), values(expected))).toBeGreaterThan(1e-3);
    tf.dispose([images, out.images, expected, swapped.images]);
  });

  it("follows torchvision AugMix's bins: posterize 4 to 0 bits, translate int(side/3 · k/9), solarize 1 to 0", () => {
    const aug = augMix();
    const at = (op: AugMixOp, bin: number, images: tf.Tensor4D) =>
      values(aug.apply({ images }, { samples: [sample([[step(op, bin)]], 0, [1])] }).images);
    const one = tf.fill([1, 1, 1, 1], 0.99) as tf.Tensor4D;
    // round(4 − k/2.25), halves to even: 4, 4, 3, 3, 2, 2, 1, 1, 0, 0; 0.99 keeps floor(0.99·2^b)/2^b.
    [4, 4, 3, 3, 2, 2, 1, 1, 0, 0].forEach((b, k) =>
      expect(at('Posterize', k, one)[0]).toBeCloseTo(Math.floor(0.99 * 2 ** b) / 2 ** b, 6),
    );
    // A 1-pixel-high ramp 30 wide moves right by int(10·k/9) pixels; the first columns are the fill (0).
    const ramp = tf.tensor4d(
      Array.from({ length: 30 }, (_, i) => (i + 1) / 30),
      [1, 1, 30, 1],
    );
    for (const [k, shift] of [
      [1, 1],
      [4, 4],
      [8, 8],
      [9, 10],
    ] as const) {
      const moved = at('TranslateX', k, ramp);
      expect(moved.findIndex((v) => v > 0)).toBe(shift);
    }
    expect(at('Solarize', 0, one)[0]).toBeCloseTo(0.99, 6);
    expect(at('Solarize', 9, one)[0]).toBeCloseTo(0.01, 6);
    tf.dispose([one, ramp]);
  });

  it('draws Dirichlet weights, Beta m, depths, ops, bins, signs and p at their laws (fixed seeds)', () => {
    for (const [seed, alpha, width] of [
      [1, 1, 3],
      [2, 0.5, 4],
      [3, 2, 2],
    ] as const) {
      const { samples } = augMix({ seed, alpha, width, p: 0.7 }).sample(info(3000));
      const n = samples.length;
      const ms = samples.map((s) => s.m);
      // Beta(α, α): mean 1/2, variance 1/(4(2α + 1)); four standard errors.
      expect(Math.abs(mean(ms) - 0.5)).toBeLessThan(4 * Math.sqrt(1 / (4 * (2 * alpha + 1)) / n));
      expect(Math.abs(variance(ms) / (1 / (4 * (2 * alpha + 1))) - 1)).toBeLessThan(0.08);
      // Dirichlet(α·1): each weight has mean 1/k and variance (1/k)(1 − 1/k)/(kα + 1); they sum to 1.
      const dirVar = ((1 / width) * (1 - 1 / width)) / (width * alpha + 1);
      for (let i = 0; i < width; i++) {
        const wi = samples.map((s) => s.weights[i]!);
        expect(Math.abs(mean(wi) - 1 / width)).toBeLessThan(4 * Math.sqrt(dirVar / n));
        expect(Math.abs(variance(wi) / dirVar - 1)).toBeLessThan(0.1);
      }
      expect(samples.every((s) => Math.abs(s.weights.reduce((a, b) => a + b) - 1) < 1e-12)).toBe(true);
      const chains = samples.flatMap((s) => s.chains);
      expect(chains).toHaveLength(n * width);
      // Depth uniform in 1..3 (2 degrees of freedom: 0.999 quantile 13.8).
      expect(chiSquare([1, 2, 3].map((d) => chains.filter((c) => c.length === d).length))).toBeLessThan(13.8);
      const steps = chains.flat();
      // 13 ops (12 degrees of freedom: 32.9); bins uniform below severity 3 (2: 13.8).
      expect(chiSquare(OPS.map((op) => steps.filter((s) => s.op === op).length))).toBeLessThan(32.9);
      expect(chiSquare([0, 1, 2].map((b) => steps.filter((s) => s.bin === b).length))).toBeLessThan(13.8);
      const negated = steps.filter((s) => s.negate).length / steps.length;
      expect(Math.abs(negated - 0.5)).toBeLessThan(4 * Math.sqrt(0.25 / steps.length));
      const applied = samples.filter((s) => s.applied).length / n;
      expect(Math.abs(applied - 0.7)).toBeLessThan(4 * Math.sqrt(0.21 / n));
    }
    const partial = augMix({ seed: 4, allOps: false, depth: 2, severity: 10 }).sample(info(2000)).samples;
    const steps = partial.flatMap((s) => s.chains).flat();
    expect(partial.every((s) => s.chains.every((c) => c.length === 2))).toBe(true);
    expect(chiSquare(OPS.slice(0, 9).map((op) => steps.filter((s) => s.op === op).length))).toBeLessThan(26.1);
    expect(steps.some((s) => OPS.slice(9).includes(s.op))).toBe(false);
    expect(chiSquare([...Array(10).keys()].map((b) => steps.filter((s) => s.bin === b).length))).toBeLessThan(27.9);
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 10 }), fc.integer({ min: 1, max: 5 }), fc.integer(), (sev, w, seed) => {
        const { samples } = augMix({ severity: sev, width: w, seed }).sample(info(10));
        expect(samples.every((s) => s.weights.length === w && s.chains.length === w && s.m >= 0 && s.m <= 1)).toBe(
          true,
        );
        expect(samples.flatMap((s) => s.chains.flat()).every((s) => s.bin < sev)).toBe(true);
      }),
      { numRuns: runs(20) },
    );
  });

  it('treats each image alone: a batch gives what its images give one by one', () => {
    const stepArb = fc.record({
      op: fc.constantFrom(...OPS),
      bin: fc.integer({ min: 0, max: 9 }),
      negate: fc.boolean(),
    });
    const sampleArb = fc.integer({ min: 1, max: 3 }).chain((width) =>
      fc.record({
        applied: fc.boolean(),
        m: fc.double({ min: 0, max: 1, noNaN: true }),
        weights: fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: width, maxLength: width }),
        chains: fc.array(fc.array(stepArb, { minLength: 1, maxLength: 3 }), { minLength: width, maxLength: width }),
      }),
    );
    fc.assert(
      fc.property(fc.array(sampleArb, { minLength: 2, maxLength: 3 }), fc.nat(1000), (samples, seed) => {
        const n = samples.length;
        const images = tf.randomUniform([n, 5, 6, 3], 0, 1, 'float32', seed) as tf.Tensor4D;
        const aug = augMix();
        const out = aug.apply({ images }, { samples });
        const alone = samples.flatMap((s, i) => {
          const one = tf.slice(images, [i, 0, 0, 0], [1, 5, 6, 3]) as tf.Tensor4D;
          const r = aug.apply({ images: one }, { samples: [s] });
          const v = values(r.images);
          tf.dispose([one, r.images]);
          return v;
        });
        expect(maxDiff(values(out.images), alone)).toBeLessThan(1e-6);
        // An image that is not augmented comes back exactly.
        samples.forEach((s, i) => {
          if (s.applied) return;
          const size = 5 * 6 * 3;
          expect(values(out.images).slice(i * size, (i + 1) * size)).toEqual(
            values(images).slice(i * size, (i + 1) * size),
          );
        });
        tf.dispose([images, out.images]);
      }),
      { numRuns: runs(10) },
    );
  });

  it('numSplits stacks [clean, augmented views] with labels repeated, each view an augMix of its own draws', () => {
    const images = tf.randomUniform([3, 6, 6, 3], 0, 1, 'float32', 9) as tf.Tensor4D;
    const labels = tf.tensor2d([1, 0, 0, 1, 1, 0], [3, 2]);
    const aug = augMix({ numSplits: 3, seed: 5 });
    const out = aug({ images, labels });
    expect(out.images.shape).toEqual([9, 6, 6, 3]);
    expect(values(out.labels!)).toEqual([...values(labels), ...values(labels), ...values(labels)]);
    const size = 3 * 6 * 6 * 3;
    const all = values(out.images);
    expect(all.slice(0, size)).toEqual(values(images));
    const samples = aug.lastParams!.samples;
    expect(samples).toHaveLength(6);
    const single = augMix();
    for (const v of [0, 1]) {
      const view = single.apply({ images }, { samples: samples.slice(v * 3, v * 3 + 3) });
      expect(maxDiff(all.slice((v + 1) * size, (v + 2) * size), values(view.images))).toBeLessThan(1e-7);
      tf.dispose(view.images);
    }
    // The two augmented views differ: independent draws.
    expect(maxDiff(all.slice(size, 2 * size), all.slice(2 * size))).toBeGreaterThan(0.01);
    // In a pipeline, later steps sample for the stacked batch; combinators refuse it as they refuse crops.
    const piped = pipeline([augMix({ numSplits: 2, seed: 1 }), randomFlip({ seed: 2 })], { seed: 3 })({ images });
    expect(piped.images.shape).toEqual([6, 6, 6, 3]);
    expect(() => randomApply(augMix({ numSplits: 3 }))).toThrow(/^randomApply: aug must be an augmentation that keeps/);
    // An empty batch stays empty.
    const empty = aug({ images: tf.zeros([0, 6, 6, 3]) as tf.Tensor4D, labels: tf.zeros([0, 2]) as tf.Tensor2D });
    expect(empty.images.shape).toEqual([0, 6, 6, 3]);
    tf.dispose([images, labels, out.images, out.labels!, piped.images, empty.images, empty.labels!]);
  });

  it('flow yields three times the batch with numSplits 3, flattened image by image', async () => {
    const x = tf.randomUniform([5, 4, 4, 1], 0, 1, 'float32', 3) as tf.Tensor4D;
    const y = tf.tensor2d([1, 0, 0, 1, 1, 0, 0, 1, 1, 0], [5, 2]);
    const data = flow(x, y, {
      batchSize: 2,
      shuffle: false,
      flatten: true,
      pipeline: augMix({ numSplits: 3, seed: 1 }),
    });
    const it = await data.iterator();
    const first = (await it.next()).value!;
    expect(first.xs.shape).toEqual([6, 16]);
    expect(first.ys.shape).toEqual([6, 2]);
    expect(values(first.xs).slice(0, 32)).toEqual(values(x).slice(0, 32));
    tf.dispose([x, y, first.xs, first.ys]);
  });

  it('skips the work of images not augmented, and leaks nothing with every op drawn', async () => {
    const images = tf.randomUniform([13, 5, 5, 3], 0, 1, 'float32', 2) as tf.Tensor4D;
    const aug = augMix({ seed: 2 });
    const every = OPS.map((op, i) =>
      sample([[step(op, 7, true), step(OPS[(i + 5) % 13]!, 3)], [step(op, 2)]], 0.4, [0.6, 0.4]),
    );
    await expectNoLeaks(() => aug.apply({ images }, { samples: every }).images);
    const labels = tf.zeros([13, 2]) as tf.Tensor2D;
    await expectNoLeaks(() => augMix({ numSplits: 3, seed: 1 })({ images, labels }));
    const none = aug.apply({ images }, { samples: every.map((s) => ({ ...s, applied: false })) });
    expect(values(none.images)).toEqual(values(images));
    tf.dispose([images, labels, none.images]);
  });

  it('rejects bad options, bad params and masks naming augMix', () => {
    expect(() => augMix({ severity: 0 })).toThrow(/^augMix: severity must be an integer from 1 to 10/);
    expect(() => augMix({ severity: 11 })).toThrow(/^augMix: severity/);
    expect(() => augMix({ width: 0 })).toThrow(/^augMix: width must be/);
    expect(() => augMix({ depth: 0 })).toThrow(/^augMix: depth must be/);
    expect(() => augMix({ depth: -2 })).toThrow(/^augMix: depth/);
    expect(() => augMix({ alpha: 0 })).toThrow(/^augMix: alpha/);
    expect(() => augMix({ alpha: Infinity })).toThrow(/^augMix: alpha/);
    expect(() => augMix({ allOps: 'yes' as never })).toThrow(/^augMix: allOps/);
    expect(() => augMix({ interpolation: 'bicubic' as never })).toThrow(/^augMix: interpolation/);
    expect(() => augMix({ fillValue: NaN })).toThrow(/^augMix: fillValue/);
    expect(() => augMix({ numSplits: 0 })).toThrow(/^augMix: numSplits/);
    expect(() => augMix({ p: 2 })).toThrow(/^augMix: p/);
    expect(() => augMix({ mixtureWidth: 3 } as never)).toThrow(/^augMix: .*mixtureWidth/);
    const images = tf.zeros([1, 4, 4, 3]) as tf.Tensor4D;
    const masks = tf.zeros([1, 4, 4, 1]) as tf.Tensor4D;
    const aug = augMix({ seed: 1 });
    const good = sample([[step('Rotate', 2)]], 0.5, [1]);
    const bad: unknown[] = [
      { ...good, chains: [[step('Rotate', 10)]] },
      { ...good, chains: [[step('Invert' as never, 1)]] },
      { ...good, chains: [[]] },
      { ...good, chains: [], weights: [] },
      { ...good, weights: [0.5, 0.5] },
      { ...good, weights: [-1] },
      { ...good, m: 1.5 },
      { ...good, applied: 1 },
    ];
    for (const s of bad) {
      expect(() => aug.apply({ images }, { samples: [s as AugMixSample] })).toThrow(
        /^augMix: params.samples\[0\] must be/,
      );
    }
    expect(() => aug.apply({ images }, { samples: [] })).toThrow(/^augMix: params.samples must be 1 entries/);
    expect(() => augMix({ numSplits: 3 }).apply({ images }, { samples: [good] })).toThrow(/must be 2 entries/);
    expect(() => aug({ images, masks })).toThrow(/^augMix: batch.masks cannot/);
    tf.dispose([images, masks]);
  });
});
