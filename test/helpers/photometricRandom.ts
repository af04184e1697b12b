import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Augmentation } from '../../src/augment/augmentation.js';
import { assertChangesImagesAtP1, assertWithinRange, augmentationContract } from './augmentationSuite.js';
import type { AugmentationSpec } from './augmentationSuite.js';
import { describeBackends } from './backends.js';
import { runs } from './runs.js';

/** A case of scripts/keras/photometric_random.py (Keras 3.15 / TensorFlow 2.21; torchvision's ops in numpy). */
interface ReferenceCase {
  kind: 'transform' | 'draws' | 'colorJitter';
  aug: string;
  options: Record<string, unknown>;
  params?: Record<string, unknown>;
  scale?: number;
  expected?: number[];
  n?: number;
  summary?: Record<string, { min: number; max: number; mean: number; std: number }>;
}

export const REFERENCE = JSON.parse(
  readFileSync(join(import.meta.dirname, '../augment/keras-photometric-random.json'), 'utf8'),
) as { keras: string; shape: [number, number, number, number]; images: number[]; cases: ReferenceCase[] };

type Params = { applied: boolean[] } & Record<string, unknown>;
type Factory = (options: Record<string, unknown>) => Augmentation<Params>;

/** A drawn parameter's range for given options: every draw must lie in it, and the draws must fill it. */
export interface RangeCase {
  options: Record<string, unknown>;
  key: string;
  lo: number;
  hi: number;
  /** Compare absolute values (a hue shift of random sign). */
  abs?: boolean;
  /** Compare mapped values: back to the uniform draw of a nonlinear parameter (saturation's u / (1 - u)). */
  map?: (v: number) => number;
}

export interface PhotometricTestSpec {
  name: string;
  factory: Factory;
  /** Options that make the augmentation change every image it is applied to (p and seed are added). */
  options: Record<string, unknown>;
  rgb?: boolean;
  /** What the augmentation must equal with fixed params: the functional op on every image, gated here. */
  functional: (images: tf.Tensor4D, params: Params) => tf.Tensor4D;
  /** Random valid params for a batch of n images (the `applied` gate is added). */
  params: (n: number) => fc.Arbitrary<Record<string, unknown>>;
  /** Ranges the draws fill, as a property over options. */
  ranges?: fc.Arbitrary<RangeCase>;
  /** Images whose values the output stays within (beside the input's range). @defaultValue [0, 1] */
  extras?: number[];
  /** Keras' own per-image rate for these options (RandomInvert, RandomGrayscale, RandomGaussianBlur). */
  rate?: { options: Record<string, unknown>; rate: number }[];
  /** Absolute tolerance against Keras per unit of the value range. @defaultValue 1e-5 */
  tolerance?: number;
  /**
   * `functional` runs the very same kernels, so apply must equal it bit for bit; false allows `tolerance`
   * (a per-image reference whose reductions round differently). @defaultValue true
   */
  exactFunctional?: boolean;
}

const maxAbsDiff = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
};

/** At most 4.5 standard deviations from n · rate: a fixed seed, so this either always passes or never. */
export function expectBinomial(count: number, n: number, rate: number, what: string): void {
  const sd = Math.sqrt(n * rate * (1 - rate));
  expect(Math.abs(count - n * rate), `${what}: ${count} of ${n}, expected about ${n * rate}`).toBeLessThanOrEqual(
    4.5 * sd + 1e-9,
  );
}

/**
 * The photometric tests shared by every random photometric augmentation: the property suite, range,
 * p = 1 changes images, apply equals the functional op with the same params, Keras' transform with the
 * same fixed transformation, Keras' draw distributions, the ranges filled, and p's rate.
 */
export function photometricTests(spec: PhotometricTestSpec): void {
  const make = (o: Record<string, unknown>) => spec.factory({ ...spec.options, ...o });
  const suite: AugmentationSpec = {
    make: (p, seed) => make({ p, seed }) as Augmentation,
    ...(spec.rgb === true ? { channels: 3 } : {}),
  };
  const cases = REFERENCE.cases.filter((c) => c.aug === spec.name);

  describeBackends(spec.name, () => {
    describe('property suite', () => {
      augmentationContract(suite);
      it('keeps values within the input range (and the value range)', () =>
        assertWithinRange(suite, spec.extras ?? [0, 1]));
      it('changes at least one image with p = 1', () => assertChangesImagesAtP1(suite));
    });

    it('apply with fixed params equals the functional op on the images it applies to, the input elsewhere', () => {
      const arb = fc.integer({ min: 1, max: 4 }).chain((n) =>
        fc.record({
          n: fc.constant(n),
          applied: fc.array(fc.boolean(), { minLength: n, maxLength: n }),
          values: spec.params(n),
          seed: fc.integer({ min: 1, max: 2 ** 30 }),
        }),
      );
      fc.assert(
        fc.property(arb, ({ n, applied, values, seed }) => {
          const params = { applied, ...values } as Params;
          const images = tf.randomUniform([n, 5, 4, 3], 0, 1, 'float32', seed) as tf.Tensor4D;
          const out = make({}).apply({ images }, params);
          const expected = tf.tidy(() => {
            const all = spec.functional(images, params);
            const mask = tf.reshape(tf.tensor1d(applied, 'bool'), [n, 1, 1, 1]);
            return tf.where(mask, all, images);
          });
          const diff = maxAbsDiff(out.images.dataSync(), expected.dataSync());
          tf.dispose([images, out.images, expected]);
          if (spec.exactFunctional === false) expect(diff).toBeLessThanOrEqual(spec.tolerance ?? 1e-5);
          else expect(diff).toBe(0);
        }),
        { numRuns: runs(10) },
      );
    });

    for (const c of cases.filter((k) => k.kind !== 'draws')) {
      it(`equals ${c.kind === 'colorJitter' ? 'torchvision' : 'Keras 3'} with the same fixed parameters (${JSON.stringify(c.options)})`, () => {
        const scale = c.scale ?? 1;
        const images = tf.tidy(() => tf.mul(tf.tensor4d(REFERENCE.images, REFERENCE.shape), scale) as tf.Tensor4D);
        const out = make(c.options).apply({ images }, c.params as Params);
        const diff = maxAbsDiff(out.images.dataSync(), c.expected!);
        tf.dispose([images, out.images]);
        expect(diff).toBeLessThanOrEqual((spec.tolerance ?? 1e-5) * scale);
      });
    }
  });

  describe(`${spec.name} draws`, () => {
    for (const c of cases.filter((k) => k.kind === 'draws')) {
      it(`draws as Keras 3 does (${JSON.stringify(c.options)})`, () => {
        const n = c.n!;
        const params = spec
          .factory({ ...c.options, seed: 99 })
          .sample({ batchSize: n, height: 1, width: 1, channels: 3 });
        for (const [key, k] of Object.entries(c.summary!)) {
          const raw =
            key === 'applied'
              ? params.applied.map(Number)
              : key === 'absDelta'
                ? (params['delta'] as number[]).map(Math.abs)
                : (params[key] as number[]);
          const min = Math.min(...raw);
          const max = Math.max(...raw);
          const mean = raw.reduce((s, v) => s + v, 0) / n;
          const width = Math.max(k.max - k.min, 1e-9);
          if (key !== 'applied') {
            expect(Math.abs(min - k.min), `${key} min`).toBeLessThanOrEqual(0.01 * width);
            expect(Math.abs(max - k.max), `${key} max`).toBeLessThanOrEqual(0.01 * width);
          }
          // Two independent samples of n: their means differ by at most 4.5 standard errors of the difference.
          expect(Math.abs(mean - k.mean), `${key} mean`).toBeLessThanOrEqual(4.5 * k.std * Math.sqrt(2 / n) + 1e-9);
        }
      });
    }

    if (spec.ranges !== undefined) {
      it('draws fill their ranges: every draw inside, the extremes within 2% of the ends', () => {
        fc.assert(
          fc.property(spec.ranges!, fc.integer({ min: 0, max: 2 ** 31 - 1 }), (r, seed) => {
            const params = make({ ...r.options, seed }).sample({ batchSize: 600, height: 1, width: 1, channels: 3 });
            const raw = (params[r.key] as number[]).map((v) =>
              (r.map ?? (r.abs === true ? Math.abs : (x: number) => x))(v),
            );
            const tol = 1e-6 * Math.max(1, Math.abs(r.lo), Math.abs(r.hi));
            for (const v of raw) {
              expect(v).toBeGreaterThanOrEqual(r.lo - tol);
              expect(v).toBeLessThanOrEqual(r.hi + tol);
            }
            const w = r.hi - r.lo;
            expect(Math.min(...raw)).toBeLessThanOrEqual(r.lo + 0.02 * w + tol);
            expect(Math.max(...raw)).toBeGreaterThanOrEqual(r.hi - 0.02 * w - tol);
          }),
          { numRuns: runs(20) },
        );
      });
    }

    it("applies with rate p (within a binomial bound) and p's gate does not move the other draws", () => {
      const n = 4000;
      for (const p of [0.3, 0.8]) {
        const params = make({ p, seed: 5 }).sample({ batchSize: n, height: 1, width: 1, channels: 3 });
        const keras = spec.rate?.find((r) => Object.keys(r.options).length === 0)?.rate ?? 1;
        expectBinomial(params.applied.filter(Boolean).length, n, p * keras, `p = ${p}`);
      }
      for (const r of spec.rate ?? []) {
        const params = make({ ...r.options, p: 1, seed: 6 }).sample({ batchSize: n, height: 1, width: 1, channels: 3 });
        expectBinomial(params.applied.filter(Boolean).length, n, r.rate, `Keras' rate ${JSON.stringify(r.options)}`);
      }
      // The same seed with another p draws the same parameters for every image: p only flips gates.
      const a = make({ p: 0.2, seed: 7 }).sample({ batchSize: 50, height: 1, width: 1, channels: 3 });
      const b = make({ p: 0.9, seed: 7 }).sample({ batchSize: 50, height: 1, width: 1, channels: 3 });
      const rest = (q: Params) => Object.entries(q).filter(([k]) => k !== 'applied');
      expect(rest(a)).toEqual(rest(b));
    });
  });
}

/** n values uniform in [lo, hi] (float32-exact, so that JSON round trips keep them). */
export const perImage = (n: number, lo: number, hi: number): fc.Arbitrary<number[]> =>
  fc.array(fc.double({ min: lo, max: hi, noNaN: true }).map(Math.fround), { minLength: n, maxLength: n });
