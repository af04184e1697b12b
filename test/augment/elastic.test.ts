import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { elastic } from '../../src/augment/elastic.js';
import type { ElasticOptions, ElasticParams } from '../../src/augment/elastic.js';
import { affineTransform } from '../../src/augment/functional/affineTransform.js';
import { resampleAt } from '../../src/augment/_internal/resample/resample.js';
import { assertChangesImagesAtP1, assertWithinRange, augmentationContract } from '../helpers/augmentationSuite.js';
import type { AugmentationSpec } from '../helpers/augmentationSuite.js';
import { describeBackends } from '../helpers/backends.js';
import { expectNoLeaks } from '../helpers/leaks.js';

type Shape = [number, number, number, number];
const MODES = ['constant', 'reflect', 'wrap', 'nearest'] as const;

/** Deterministic pixels in [0, 1) from JavaScript, so every backend gets the same input. */
function pixels(shape: Shape): Float32Array {
  const out = new Float32Array(shape.reduce((a, b) => a * b));
  for (let i = 0; i < out.length; i++) out[i] = ((i * 7919) % 1000) / 1000;
  return out;
}

/**
 * Channel 0 holds each pixel's x and channel 1 its y: bilinear reads a linear image exactly, so out − in is the
 * displacement.
 */
function coordinateImages(n: number, size: number): Float32Array {
  const out = new Float32Array(n * size * size * 2);
  for (let i = 0; i < n * size * size; i++) {
    out[2 * i] = i % size;
    out[2 * i + 1] = Math.floor(i / size) % size;
  }
  return out;
}

/** Applies the augmentation (with params, or sampling them) and returns input, output and params; nothing kept. */
function run(options: ElasticOptions, shape: Shape, input = pixels(shape), params?: ElasticParams) {
  const images = tf.tensor4d(input, shape);
  const aug = elastic(options);
  const out = params ? aug.apply({ images }, params) : aug({ images });
  const output = out.images.dataSync() as Float32Array;
  tf.dispose([images, out.images]);
  return { input, output, params: aug.lastParams! };
}

/** Displacements (out − in over both coordinate channels) at pixels at least `margin` from every edge. */
function interiorDisplacements(options: ElasticOptions, n: number, size: number, margin: number): number[] {
  const { input, output } = run({ fillMode: 'nearest', ...options }, [n, size, size, 2], coordinateImages(n, size));
  const d: number[] = [];
  for (let i = 0; i < output.length; i++) {
    const pixel = Math.floor(i / 2) % (size * size);
    const [x, y] = [pixel % size, Math.floor(pixel / size)];
    if (Math.min(x, y, size - 1 - x, size - 1 - y) >= margin) d.push(output[i]! - input[i]!);
  }
  return d;
}

const std = (v: number[]): number => {
  const mean = v.reduce((s, x) => s + x, 0) / v.length;
  return Math.sqrt(v.reduce((s, x) => s + (x - mean) ** 2, 0) / v.length);
};

describeBackends('elastic', (backend) => {
  describe('bilinear, constant fill', () => {
    const spec: AugmentationSpec = { make: (p, seed) => elastic({ alpha: 4, sigma: 1, fillValue: -1, p, seed }) };
    augmentationContract(spec);
    it('keeps values within the input range (and fill values)', () => assertWithinRange(spec, [-1]));
    it('changes at least one image with p = 1', () => assertChangesImagesAtP1(spec));
  });
  describe('nearest, reflect', () => {
    const spec: AugmentationSpec = {
      make: (p, seed) => elastic({ alpha: 8, sigma: 2, fillMode: 'reflect', interpolation: 'nearest', p, seed }),
    };
    augmentationContract(spec);
    it('keeps values within the input range (and fill values)', () => assertWithinRange(spec, []));
    it('changes at least one image with p = 1', () => assertChangesImagesAtP1(spec, { minBatch: 4, minSide: 8 }));
  });

  it('is exactly the identity with alpha = 0, in every fill mode and interpolation', () => {
    const shape: Shape = [3, 7, 5, 2];
    for (const fillMode of MODES) {
      for (const interpolation of ['bilinear', 'nearest'] as const) {
        const { input, output } = run({ alpha: 0, fillMode, interpolation, fillValue: 9, seed: 4 }, shape);
        expect(output).toEqual(input);
      }
    }
  });

  it('gates per image: skipped images are exactly the input, distorted ones keep the same field', () => {
    const shape: Shape = [3, 12, 12, 1];
    const all = run({ seed: 2 }, shape, undefined, { applied: [true, true, true], seed: 77 }).output;
    const some = run({ seed: 2 }, shape, undefined, { applied: [true, false, true], seed: 77 });
    const image = (v: Float32Array, i: number) => Array.from(v.subarray(i * 144, (i + 1) * 144));
    expect(image(some.output, 1)).toEqual(image(some.input, 1));
    expect(image(some.output, 0)).toEqual(image(all, 0));
    expect(image(some.output, 2)).toEqual(image(all, 2));
    expect(image(all, 1)).not.toEqual(image(some.input, 1));
    const p = run({ p: 0.5, seed: 9 }, [40, 4, 4, 1]).params.applied.filter(Boolean).length;
    expect(p).toBeGreaterThan(8);
    expect(p).toBeLessThan(32);
  });

  it('moves a smooth image more as alpha grows', () => {
    const size = 24;
    const smooth = new Float32Array(4 * size * size).map(
      (_, i) => Math.sin((i % size) / 3) * Math.cos(Math.floor(i / size) / 4),
    );
    const change = [0.5, 2, 8].map((alpha) => {
      const { input, output } = run({ alpha, sigma: 3, fillMode: 'reflect', seed: 13 }, [4, size, size, 1], smooth);
      return output.reduce((s, v, i) => s + Math.abs(v - input[i]!), 0) / output.length;
    });
    expect(change[0]).toBeGreaterThan(0);
    expect(change[1]).toBeGreaterThan(change[0]! * 2);
    expect(change[2]).toBeGreaterThan(change[1]! * 2);
  });

  it('smooths the field: its spread falls from alpha/√3 (tiny sigma) as sigma grows, and is far below alpha at sigma 4', () => {
    const alpha = 2;
    // Away from the edges by 3·sigma + alpha, where neither the field's zero padding nor the fill reaches.
    const spread = [0.01, 0.5, 1, 2, 4].map(
      (sigma) =>
        std(interiorDisplacements({ alpha, sigma, seed: 21 }, 6, 48, Math.ceil(3 * sigma) + alpha + 1)) / alpha,
    );
    expect(Math.abs(spread[0]! - 1 / Math.sqrt(3))).toBeLessThan(0.03);
    for (let i = 1; i < spread.length; i++) expect(spread[i]).toBeLessThan(spread[i - 1]! * 0.9);
    expect(spread[4]).toBeGreaterThan(0.01);
    expect(spread[4]).toBeLessThan(0.1);
  });

  it('gives the same output for the same params on this backend as on cpu', async () => {
    const shape: Shape = [4, 20, 16, 3];
    const options: ElasticOptions = { p: 0.7, fillValue: 0.5, seed: 2024 };
    const { output: here, params } = run(options, shape);
    await tf.setBackend('cpu');
    const reference = run(options, shape, undefined, JSON.parse(JSON.stringify(params)) as ElasticParams).output;
    await tf.setBackend(backend);
    expect(params.applied).toContain(true);
    expect(here.length).toBe(reference.length);
    let worst = 0;
    here.forEach((v, i) => (worst = Math.max(worst, Math.abs(v - reference[i]!))));
    expect(worst).toBeLessThan(1e-4);
  });

  it('samples through the affine sampler: resampleAt at affine points matches affineTransform', () => {
    const shape: Shape = [2, 6, 7, 2];
    // A quarter-pixel shift keeps the points exact (no rounding ties, no seams); a rotation checks the continuous
    // modes.
    const cases = [
      { row: [1, 0, 0.25, 0, 1, -1.75, 0, 0], modes: MODES },
      { row: [0.8, -0.6, 2, 0.6, 0.8, -1, 0, 0], modes: ['constant', 'nearest', 'reflect'] as const },
    ];
    for (const { row, modes } of cases) {
      const xy = new Float32Array(2 * 2 * 42);
      for (let i = 0; i < 2 * 42; i++) {
        const [x, y] = [i % 7, Math.floor(i / 7) % 6];
        xy[i] = row[0]! * x + row[1]! * y + row[2]!;
        xy[2 * 42 + i] = row[3]! * x + row[4]! * y + row[5]!;
      }
      for (const fillMode of modes) {
        for (const interpolation of row[1] === 0 ? (['bilinear', 'nearest'] as const) : (['bilinear'] as const)) {
          const got = tf.tidy(() => {
            const images = tf.tensor4d(pixels(shape), shape);
            const settings = { fillMode, interpolation, fillValue: -2 };
            const at = resampleAt(images, tf.tensor2d(xy, [2, 84]), { ...settings, outHeight: 6, outWidth: 7 });
            return tf.max(tf.abs(tf.sub(at, affineTransform(images, row, settings)))).dataSync()[0]!;
          });
          expect(got, `${fillMode}/${interpolation}`).toBeLessThan(1e-5);
        }
      }
    }
  });

  it('passes labels through as new tensors, checks replayed params, and leaks nothing when gating', async () => {
    const images = tf.tensor4d(pixels([2, 5, 5, 1]), [2, 5, 5, 1]);
    const labels = tf.tensor2d([
      [1, 0],
      [0, 1],
    ]);
    const out = elastic({ seed: 1 })({ images, labels });
    expect(out.labels).not.toBe(labels);
    expect(Array.from(out.labels!.dataSync())).toEqual([1, 0, 0, 1]);
    expect(() => elastic().apply({ images }, { applied: [true], seed: 1 })).toThrow(
      'elastic: params.applied must be 2 booleans (one per image), got [true]',
    );
    expect(() => elastic().apply({ images }, { applied: [true, false], seed: 0.5 })).toThrow(
      'elastic: params.seed must be an integer in [0, 2^32), got 0.5',
    );
    const gated = elastic({ seed: 3 });
    await expectNoLeaks(() => gated.apply({ images, labels }, { applied: [false, true], seed: 8 }));
    await expectNoLeaks(() => elastic({ alpha: 0 })({ images }));
    tf.dispose([images, labels, out.images, out.labels!]);
  });
});

it('elastic rejects bad options naming the function, the option and the value', () => {
  const make = (o: unknown) => () => elastic(o as ElasticOptions);
  expect(make({ alpha: -1 })).toThrow('elastic: alpha must be a number in [0, 3.4e38], got -1');
  expect(make({ alpha: Number.NaN })).toThrow('elastic: alpha must be a number in [0, 3.4e38], got NaN');
  expect(make({ sigma: 0 })).toThrow('elastic: sigma must be a finite number > 0, got 0');
  expect(make({ sigma: Infinity })).toThrow('elastic: sigma must be a finite number > 0, got Infinity');
  expect(make({ sigma: '4' })).toThrow('elastic: sigma must be a finite number > 0, got "4"');
  expect(make({ p: 1.5 })).toThrow('elastic: p must be a probability in [0, 1], got 1.5');
  expect(make({ fillMode: 'edge' })).toThrow(
    'elastic: fillMode must be one of "constant", "reflect", "wrap", "nearest", got "edge"',
  );
  expect(make({ interpolation: 'cubic' })).toThrow(
    'elastic: interpolation must be one of "nearest", "bilinear", got "cubic"',
  );
  expect(make({ fillValue: Number.NaN })).toThrow(
    'elastic: fillValue must be a finite float32 number (|x| <= 3.4e38), got NaN',
  );
  expect(make({ seed: 1.5 })).toThrow('elastic: seed must be a safe integer (|seed| <= 2^53 - 1), got 1.5');
  expect(make(null)).toThrow('elastic: options must be an options object, got null');
});
