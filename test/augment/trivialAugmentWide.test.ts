import * as tf from '@tensorflow/tfjs-core';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { adjustSharpness } from '../../src/augment/functional/adjustSharpness.js';
import { affineTransform } from '../../src/augment/functional/affineTransform.js';
import { autoContrast } from '../../src/augment/functional/autoContrast.js';
import { equalize } from '../../src/augment/functional/equalize.js';
import { trivialAugmentWide } from '../../src/augment/trivialAugmentWide.js';
import type {
  TrivialAugmentOp,
  TrivialAugmentStep,
  TrivialAugmentWideParams,
} from '../../src/augment/trivialAugmentWide.js';
import { assertChangesImagesAtP1, assertWithinRange, augmentationContract } from '../helpers/augmentationSuite.js';
import type { AugmentationSpec } from '../helpers/augmentationSuite.js';
import { describeBackends } from '../helpers/backends.js';
import { expectNoLeaks } from '../helpers/leaks.js';
import { runs } from '../helpers/runs.js';
import reference from './keras-trivial-augment-wide.json' with { type: 'json' };

const OPS: TrivialAugmentOp[] = [
  'Identity',
  'ShearX',
  'ShearY',
  'TranslateX',
  'TranslateY',
  'Rotate',
  'Brightness',
  'Color',
  'Contrast',
  'Sharpness',
  'Posterize',
  'Solarize',
  'AutoContrast',
  'Equalize',
];
const values = (t: tf.Tensor) => Array.from(t.dataSync());
const info = (batchSize: number) => ({ batchSize, height: 8, width: 8, channels: 3 });
const step = (op: TrivialAugmentOp, bin: number, negate = false, applied = true): TrivialAugmentStep => ({
  op,
  bin,
  negate,
  applied,
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

/**
 * torchvision's `_get_inverse_affine_matrix(center, angle, translate, 1, shear)` (image-centred coordinates),
 * re-derived here, turned into affineTransform's 8 numbers in pixel-centre coordinates.
 */
function torchvisionRow(
  w: number,
  h: number,
  angle: number,
  translate: [number, number],
  shear: [number, number],
  center?: [number, number],
): number[] {
  const rad = (d: number) => (d * Math.PI) / 180;
  const [rot, sx, sy] = [rad(angle), rad(shear[0]), rad(shear[1])];
  // Pixel coordinates with (0, 0) at the image centre, as torchvision's grid.
  const [cx, cy] = center ? [center[0] - w / 2, center[1] - h / 2] : [0, 0];
  const a = Math.cos(rot - sy) / Math.cos(sy);
  const b = (-Math.cos(rot - sy) * Math.tan(sx)) / Math.cos(sy) - Math.sin(rot);
  const c = Math.sin(rot - sy) / Math.cos(sy);
  const d = (-Math.sin(rot - sy) * Math.tan(sx)) / Math.cos(sy) + Math.cos(rot);
  const m = [d, -b, 0, -c, a, 0];
  m[2] = m[0]! * (-cx - translate[0]) + m[1]! * (-cy - translate[1]) + cx;
  m[5] = m[3]! * (-cx - translate[0]) + m[4]! * (-cy - translate[1]) + cy;
  // Output pixel x (centre x − (w − 1)/2 in the grid) reads grid point M·(x − o), i.e. pixel M·(x − o) + o.
  const [ox, oy] = [(w - 1) / 2, (h - 1) / 2];
  return [m[0]!, m[1]!, m[2]! + ox - m[0]! * ox - m[1]! * oy, m[3]!, m[4]!, m[5]! + oy - m[3]! * ox - m[4]! * oy, 0, 0];
}

describeBackends('trivialAugmentWide', () => {
  // The ops' constants (sharpness border, resampling grids) are cached on first use and kept on purpose; the
  // suite's leak check warms up with one draw and measures another, so every op runs once on its batch shape
  // first and the check then sees only real leaks. The every-op leak test below has no warm-up of its own.
  beforeAll(() => {
    const images = tf.zeros([2, 6, 6, 1]) as tf.Tensor4D;
    for (const op of OPS) {
      for (const aug of [
        trivialAugmentWide(),
        trivialAugmentWide({ numMagnitudeBins: 5, interpolation: 'bilinear', fillValue: 0.5 }),
      ]) {
        tf.dispose(aug.apply({ images }, { samples: [step(op, 1), step(op, 2)] }).images);
      }
    }
    images.dispose();
  });
  describe('torchvision defaults (31 bins, nearest, fill 0)', () => {
    const spec: AugmentationSpec = { make: (p, seed) => trivialAugmentWide({ p, seed }) };
    augmentationContract(spec);
    it('keeps values within [0, 1]', () => assertWithinRange(spec, [0, 1]));
    // About one image in six is left as it was (Identity, Color on one channel, bin 0 of a signed op), so 8 images.
    it('changes at least one image with p = 1', () => assertChangesImagesAtP1(spec, { minBatch: 8, minSide: 4 }));
  });
  describe('bilinear, 5 bins, fill 0.5', () => {
    const spec: AugmentationSpec = {
      make: (p, seed) =>
        trivialAugmentWide({ numMagnitudeBins: 5, interpolation: 'bilinear', fillValue: 0.5, p, seed }),
    };
    augmentationContract(spec);
    it('keeps values within [0, 1]', () => assertWithinRange(spec, [0, 1, 0.5]));
  });

  // torchvision's float kernels and grid_sample with fixed draws, in numpy (scripts/keras/trivial_augment_wide.py).
  it.each(reference.cases.map((c) => [c.name, c] as const))('equals torchvision semantics: %s', (_, c) => {
    const images = tf.tensor4d(c.images, c.shape as [number, number, number, number]);
    const aug = trivialAugmentWide(c.options as { interpolation: 'nearest' | 'bilinear' });
    const out = aug.apply({ images }, c.params as TrivialAugmentWideParams);
    // float32 here against float64 there: 1e-5 absolute on values in [0, 1].
    expect(maxDiff(values(out.images), c.expected)).toBeLessThan(1e-5);
    tf.dispose([images, out.images]);
  });

  it("applies each image's op as torchvision's float kernels would, image by image", () => {
    const [h, w] = [6, 7];
    const images = tf.randomUniform([14, h, w, 3], 0, 1, 'float32', 4) as tf.Tensor4D;
    // 31 bins: linspace(0, 0.99) bin k is 0.033·k, linspace(0, 32) 32k/30, linspace(0, 135) 4.5k, solarize 1 − k/30.
    const params: TrivialAugmentWideParams = {
      samples: [
        step('Identity', 5, true),
        step('ShearX', 10, true),
        step('ShearY', 20),
        step('TranslateX', 3, true),
        step('TranslateY', 2),
        step('Rotate', 7),
        step('Brightness', 15, true),
        step('Color', 30),
        step('Contrast', 12, true),
        step('Sharpness', 30),
        step('Posterize', 12),
        step('Solarize', 20),
        step('AutoContrast', 0),
        step('Equalize', 0),
      ],
    };
    const out = trivialAugmentWide({ interpolation: 'bilinear', fillValue: 0.25 }).apply({ images }, params);
    const deg = (m: number) => (Math.atan(m) * 180) / Math.PI;
    // torchvision's fill rule: the image and a ones mask resampled with zero padding, then img·mask + (1 − mask)·fill.
    const warp = (x: tf.Tensor4D, row: number[]) => {
      const zero = { interpolation: 'bilinear', fillValue: 0 } as const;
      const mask = affineTransform(tf.onesLike(x), row, zero);
      return tf.add(tf.mul(affineTransform(x, row, zero), mask), tf.mul(tf.sub(1, mask), 0.25)) as tf.Tensor4D;
    };
    const gray = (x: tf.Tensor4D) => tf.sum(tf.mul(x, tf.tensor1d([0.2989, 0.587, 0.114])), -1, true);
    const blend = (x: tf.Tensor4D, g: tf.Tensor, f: number) =>
      tf.clipByValue(tf.add(tf.mul(x, f), tf.mul(g, 1 - f)), 0, 1) as tf.Tensor4D;
    const per: ((x: tf.Tensor4D) => tf.Tensor4D)[] = [
      (x) => x,
      (x) => warp(x, torchvisionRow(w, h, 0, [0, 0], [deg(-0.33), 0], [0, 0])),
      (x) => warp(x, torchvisionRow(w, h, 0, [0, 0], [0, deg(0.66)], [0, 0])),
      (x) => warp(x, torchvisionRow(w, h, 0, [-3, 0], [0, 0])), // int(-3.2)
      (x) => warp(x, torchvisionRow(w, h, 0, [0, 2], [0, 0])), // int(2.133)
      // F.rotate passes −angle to the matrix: counter-clockwise on screen.
      (x) => warp(x, torchvisionRow(w, h, -31.5, [0, 0], [0, 0])),
      (x) => blend(x, tf.zeros([1, 1, 1, 1]), 1 - 0.495),
      (x) => blend(x, gray(x), 1.99),
      (x) => blend(x, tf.mean(gray(x)), 1 - 0.396),
      (x) => {
        const sharp = adjustSharpness(x, 1.99);
        const inner = tf.pad(tf.ones([1, h - 2, w - 2, 1]), [
          [0, 0],
          [1, 1],
          [1, 1],
          [0, 0],
        ]);
        return tf.where(tf.cast(inner, 'bool'), sharp, x) as tf.Tensor4D;
      },
      // round(8 − 12/5) = 6 bits.
      (x) => tf.div(tf.minimum(tf.floor(tf.mul(x, 64)), 63), 64) as tf.Tensor4D,
      (x) => tf.where(tf.greaterEqual(x, 1 - 20 / 30), tf.sub(1, x), x) as tf.Tensor4D,
      (x) => autoContrast(x),
      (x) => equalize(x),
    ];
    const expected = per.flatMap((f, i) => values(f(tf.slice(images, [i, 0, 0, 0], [1, h, w, 3]) as tf.Tensor4D)));
    // float32 bins (0.033·k rounded to float32) and a different summation order in the blends.
    expect(maxDiff(values(out.images), expected)).toBeLessThan(2e-6);
    // A no-op would fail: every image but the identity's changed by far more than the tolerance.
    const input = values(images);
    const size = h * w * 3;
    for (let i = 1; i < 14; i++) {
      const a = values(out.images).slice(i * size, (i + 1) * size);
      expect(maxDiff(a, input.slice(i * size, (i + 1) * size)), OPS[i]).toBeGreaterThan(1e-3);
    }
    tf.dispose([images, out.images]);
  });

  it("follows torchvision's bins: posterize 8 to 2 bits, translate int(32k/30), solarize 1 to 0", () => {
    const one = tf.fill([1, 1, 1, 1], 0.99) as tf.Tensor4D;
    const aug = trivialAugmentWide();
    const at = (op: TrivialAugmentOp, bin: number, images = one) =>
      values(aug.apply({ images }, { samples: [step(op, bin)] }).images);
    // round(8 − k/5), halves to even: 8, 8, 8, 7, 7, 7, 7, 7, 6, ...; 0.99 keeps floor(0.99·2^b)/2^b.
    const bits = [8, 8, 8, 7, 7, 7, 7, 7, 6];
    bits.forEach((b, k) => expect(at('Posterize', k)[0]).toBeCloseTo(Math.floor(0.99 * 2 ** b) / 2 ** b, 6));
    expect(at('Posterize', 30)[0]).toBe(0.75);
    // A 1-pixel-wide ramp moved by int(m) pixels to the right: the first int(m) columns are the fill (0).
    const ramp = tf.tensor4d(
      Array.from({ length: 40 }, (_, i) => (i + 1) / 40),
      [1, 1, 40, 1],
    );
    for (const [k, shift] of [
      [14, 14],
      [15, 16],
      [16, 17],
      [29, 30],
      [30, 32],
    ] as const) {
      const moved = at('TranslateX', k, ramp);
      expect(moved.findIndex((v) => v > 0)).toBe(shift);
      expect(moved[shift]).toBeCloseTo(1 / 40, 6);
    }
    // Solarize at bin 0 (threshold 1) inverts only pixels of 1; at bin 30 (threshold 0) every pixel.
    expect(at('Solarize', 0)[0]).toBeCloseTo(0.99, 6);
    expect(at('Solarize', 30)[0]).toBeCloseTo(0.01, 6);
    tf.dispose([one, ramp]);
  });

  it('draws ops and bins uniformly (chi-square, fixed seeds), signs and p at their rates', () => {
    for (const seed of [1, 2, 3]) {
      const { samples } = trivialAugmentWide({ seed, p: 0.7 }).sample(info(4000));
      // 13 degrees of freedom: 0.999 quantile 34.5; 30 degrees: 59.7. A sampler stuck on one value scores thousands.
      expect(chiSquare(OPS.map((op) => samples.filter((s) => s.op === op).length))).toBeLessThan(34.5);
      const binCounts = Array.from({ length: 31 }, (_, k) => samples.filter((s) => s.bin === k).length);
      expect(chiSquare(binCounts)).toBeLessThan(59.7);
      const negated = samples.filter((s) => s.negate).length / samples.length;
      expect(Math.abs(negated - 0.5)).toBeLessThan(4 * Math.sqrt(0.25 / samples.length));
      const applied = samples.filter((s) => s.applied).length / samples.length;
      expect(Math.abs(applied - 0.7)).toBeLessThan(4 * Math.sqrt(0.21 / samples.length));
    }
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 300 }), fc.integer(), (bins, seed) => {
        const { samples } = trivialAugmentWide({ numMagnitudeBins: bins, seed }).sample(info(30));
        expect(samples.every((s) => Number.isInteger(s.bin) && s.bin >= 0 && s.bin < bins)).toBe(true);
        expect(samples.every((s) => OPS.includes(s.op) && s.applied)).toBe(true);
      }),
      { numRuns: runs(20) },
    );
  });

  it('treats each image alone: a batch gives what its images give one by one', () => {
    const stepArb = fc.record({
      op: fc.constantFrom(...OPS),
      bin: fc.integer({ min: 0, max: 30 }),
      negate: fc.boolean(),
      applied: fc.boolean(),
    });
    fc.assert(
      fc.property(fc.array(stepArb, { minLength: 2, maxLength: 4 }), fc.nat(1000), (samples, seed) => {
        const n = samples.length;
        const images = tf.randomUniform([n, 5, 6, 3], 0, 1, 'float32', seed) as tf.Tensor4D;
        const aug = trivialAugmentWide({ interpolation: 'bilinear' });
        const out = aug.apply({ images }, { samples });
        const alone = samples.flatMap((s, i) => {
          const one = tf.slice(images, [i, 0, 0, 0], [1, 5, 6, 3]) as tf.Tensor4D;
          const r = aug.apply({ images: one }, { samples: [s] });
          const v = values(r.images);
          tf.dispose([one, r.images]);
          return v;
        });
        // Contrast and equalize read the whole image, so an image leaking into another would show.
        expect(maxDiff(values(out.images), alone)).toBeLessThan(1e-6);
        tf.dispose([images, out.images]);
      }),
      { numRuns: runs(10) },
    );
  });

  it('skips the work of ops no image drew, and leaks nothing with every op drawn', async () => {
    const images = tf.randomUniform([14, 5, 5, 3], 0, 1, 'float32', 2) as tf.Tensor4D;
    const aug = trivialAugmentWide({ seed: 2 });
    await expectNoLeaks(() => aug.apply({ images }, { samples: OPS.map((op) => step(op, 17, true)) }).images);
    const none = aug.apply({ images }, { samples: OPS.map((op) => step(op, 17, true, false)) });
    expect(values(none.images)).toEqual(values(images));
    tf.dispose([images, none.images]);
  });

  it('rejects bad options, bad params and masks naming trivialAugmentWide', () => {
    expect(() => trivialAugmentWide({ numMagnitudeBins: 1 })).toThrow(/^trivialAugmentWide: numMagnitudeBins must be/);
    expect(() => trivialAugmentWide({ numMagnitudeBins: 2.5 })).toThrow(/^trivialAugmentWide: numMagnitudeBins/);
    expect(() => trivialAugmentWide({ interpolation: 'bicubic' as never })).toThrow(/^trivialAugmentWide: interp/);
    expect(() => trivialAugmentWide({ fillValue: NaN })).toThrow(/^trivialAugmentWide: fillValue/);
    expect(() => trivialAugmentWide({ p: 2 })).toThrow(/^trivialAugmentWide: p/);
    expect(() => trivialAugmentWide({ numBins: 2 } as never)).toThrow(/^trivialAugmentWide: .*numMagnitudeBins/);
    const images = tf.zeros([1, 4, 4, 3]) as tf.Tensor4D;
    const masks = tf.zeros([1, 4, 4, 1]) as tf.Tensor4D;
    const aug = trivialAugmentWide({ numMagnitudeBins: 5, seed: 1 });
    expect(() => aug.apply({ images }, { samples: [step('Rotate', 5)] })).toThrow(
      /^trivialAugmentWide: params.samples\[0\] must be/,
    );
    expect(() => aug.apply({ images }, { samples: [step('Invert' as never, 1)] })).toThrow(/params.samples\[0\]/);
    expect(() => aug.apply({ images }, { samples: [] })).toThrow(/^trivialAugmentWide: params.samples must be/);
    expect(() => aug({ images, masks })).toThrow(/^trivialAugmentWide/);
    tf.dispose([images, masks]);
  });
});
