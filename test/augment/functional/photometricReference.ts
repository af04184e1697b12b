import * as tf from '@tensorflow/tfjs-core';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { expect, it } from 'vitest';
import * as augment from '../../../src/augment/index.js';

/**
 * The references of scripts/keras/photometric.py: TensorFlow 2.21's tf.image ops and Keras 3.15's
 * layers' transform_images with fixed transformations, on three 5×6 RGB images (see the script).
 */
export interface ReferenceCase {
  op: string;
  args: Record<string, unknown>;
  valueRange: [number, number];
  expected: number[];
}

export const REFERENCE = JSON.parse(readFileSync(join(import.meta.dirname, 'keras-photometric.json'), 'utf8')) as {
  keras: string;
  tensorflow: string;
  shape: [number, number, number, number];
  images: number[];
  cases: ReferenceCase[];
};

type Param = number | number[];

/** Calls the library's op of a reference case, the parameters as given (an array per image, or a number). */
function call(c: ReferenceCase, images: tf.Tensor4D, asTensor: boolean): tf.Tensor {
  const p = (v: unknown) => (asTensor && Array.isArray(v) ? tf.tensor1d(v as number[]) : (v as Param));
  const a = c.args;
  const valueRange = c.valueRange;
  switch (c.op) {
    case 'adjustBrightness':
      return augment.adjustBrightness(images, p(a.delta));
    case 'adjustContrast':
      return augment.adjustContrast(images, p(a.factor));
    case 'adjustSaturation':
      return augment.adjustSaturation(images, p(a.factor));
    case 'adjustHue':
      return augment.adjustHue(images, p(a.delta));
    case 'rgbToGrayscale':
      return augment.rgbToGrayscale(images);
    case 'solarize':
      return augment.solarize(images, p(a.threshold), {
        valueRange,
        ...(a.addition === undefined ? {} : { addition: p(a.addition) }),
      });
    case 'posterize':
      return augment.posterize(images, p(a.bits), { valueRange });
    case 'invert':
      return augment.invert(images, { valueRange });
    case 'equalize':
      return augment.equalize(images, { valueRange, bins: a.bins as number });
    case 'autoContrast':
      return augment.autoContrast(images, { valueRange });
    case 'adjustSharpness':
      return augment.adjustSharpness(images, p(a.factor), { valueRange });
    case 'gaussianBlur':
      return augment.gaussianBlur(images, {
        kernelSize: a.kernelSize as number,
        sigma: p(a.sigma),
        ...(a.sigmaY === undefined ? {} : { sigmaY: p(a.sigmaY) }),
      });
    default:
      throw new Error(`no such op ${c.op}`);
  }
}

/** The reference images in a case's value range (the script scales them by 255 for [0, 255]). */
export function referenceImages(valueRange: readonly [number, number] = [0, 1]): tf.Tensor4D {
  const scale = valueRange[1] === 255 ? 255 : 1;
  // float32 as numpy computed it: x * 255 rounded to float32.
  return tf.tensor4d(
    REFERENCE.images.map((v) => Math.fround(Math.fround(v) * scale)),
    REFERENCE.shape,
  );
}

/**
 * One test per reference case of `op`: ours within `tolerance` (relative to max(1, |reference|)),
 * parameters given as numbers/arrays and again as 1-D tensors.
 */
export function parityTests(op: string, tolerance = 1e-5): void {
  const cases = REFERENCE.cases.filter((c) => c.op === op);
  it(`has Keras/TensorFlow references for ${op}`, () => expect(cases.length).toBeGreaterThan(0));
  cases.forEach((c) => {
    it(`equals TensorFlow ${REFERENCE.tensorflow} / Keras ${REFERENCE.keras} for ${JSON.stringify(c.args)} in [${c.valueRange.join(', ')}]`, () => {
      for (const asTensor of [false, true]) {
        const images = referenceImages(c.valueRange);
        const out = call(c, images, asTensor);
        const got = out.dataSync();
        expect(got.length).toBe(c.expected.length);
        let worst = 0;
        let at = -1;
        for (let i = 0; i < got.length; i++) {
          const err = Math.abs(got[i]! - c.expected[i]!) / Math.max(1, Math.abs(c.expected[i]!));
          if (!(err <= worst)) [worst, at] = [err, i];
        }
        if (process.env.SHOW_WORST)
          console.log(op, JSON.stringify(c.args).slice(0, 40), c.valueRange[1], asTensor, worst.toExponential(2));
        expect(
          worst,
          `worst at ${at}: ${got[at]} vs ${c.expected[at]} (params as ${asTensor ? 'tensors' : 'numbers'})`,
        ).toBeLessThanOrEqual(tolerance);
        tf.dispose([images, out]);
      }
    });
  });
}

/** A random batch for the property tests: its shape and float32 values. */
export interface ImageCase {
  shape: [number, number, number, number];
  values: number[];
}

/**
 * Random float32 batches: 1 to 3 images, sides 1 to 6 (at least `minSide`), `channels` channels (1 to 3
 * when not given), values in [low, high]; `levels` quantizes them to k / levels steps of the range.
 */
export function imagesArbitrary(
  o: { channels?: number; minSide?: number; low?: number; high?: number; levels?: number } = {},
): fc.Arbitrary<ImageCase> {
  const [low, high] = [o.low ?? 0, o.high ?? 1];
  return fc
    .tuple(
      fc.integer({ min: 1, max: 3 }),
      fc.integer({ min: o.minSide ?? 1, max: 6 }),
      fc.integer({ min: o.minSide ?? 1, max: 6 }),
      o.channels === undefined ? fc.integer({ min: 1, max: 3 }) : fc.constant(o.channels),
    )
    .chain(([b, h, w, c]) =>
      fc
        .array(
          o.levels === undefined
            ? fc.double({ min: 0, max: 1, noNaN: true })
            : fc.integer({ min: 0, max: o.levels }).map((k) => k / o.levels!),
          { minLength: b * h * w * c, maxLength: b * h * w * c },
        )
        .map((u) => ({
          shape: [b, h, w, c] as [number, number, number, number],
          // TensorFlow flushes float32 subnormals to zero; they are no pixel values worth testing.
          values: u.map((v) => Math.fround(Math.abs(v) < 1e-30 ? low : low + v * (high - low))),
        })),
    );
}

export const image4d = (c: ImageCase): tf.Tensor4D => tf.tensor4d(c.values, c.shape);

/** Runs `fn` on a fresh tensor of the case and returns the output values, disposing both. */
export function values(c: ImageCase, fn: (x: tf.Tensor4D) => tf.Tensor): Float32Array {
  const x = image4d(c);
  const out = fn(x);
  const v = out.dataSync() as Float32Array;
  tf.dispose([x, out]);
  return v;
}

/** The largest absolute difference of two arrays of the same length. */
export function maxDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i]! - b[i]!));
  return worst;
}
