import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { gaussianNoise } from '../../src/augment/gaussianNoise.js';
import type { GaussianNoiseOptions } from '../../src/augment/gaussianNoise.js';
import { assertChangesImagesAtP1, assertWithinRange, augmentationContract } from '../helpers/augmentationSuite.js';
import type { AugmentationSpec } from '../helpers/augmentationSuite.js';
import { describeBackends } from '../helpers/backends.js';

const SHAPE: [number, number, number, number] = [64, 28, 28, 1];

/** Deterministic pixels in [0, 1) from JavaScript, so every backend gets the same input. */
function pixels(shape: [number, number, number, number]): Float32Array {
  const out = new Float32Array(shape.reduce((a, b) => a * b));
  for (let i = 0; i < out.length; i++) out[i] = ((i * 7919) % 1000) / 1000;
  return out;
}

/** Runs the augmentation on the current backend and returns the output pixels (nothing kept). */
function run(
  options: GaussianNoiseOptions,
  shape = SHAPE,
): { input: Float32Array; output: Float32Array; applied: boolean[] } {
  const input = pixels(shape);
  const images = tf.tensor4d(input, shape);
  const aug = gaussianNoise(options);
  const out = aug({ images });
  const output = out.images.dataSync() as Float32Array;
  tf.dispose([images, out.images]);
  return { input, output, applied: aug.lastParams!.applied };
}

function moments(values: number[]): { mean: number; std: number } {
  const mean = values.reduce((s, v) => s + v, 0) / values.length;
  return { mean, std: Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / values.length) };
}

describeBackends('gaussianNoise', (backend) => {
  describe('unclipped', () => {
    const spec: AugmentationSpec = { make: (p, seed) => gaussianNoise({ stddev: 0.1, p, seed }) };
    augmentationContract(spec);
    it('changes at least one image with p = 1', () => assertChangesImagesAtP1(spec));
  });
  describe('clipped to [0, 1]', () => {
    const spec: AugmentationSpec = { make: (p, seed) => gaussianNoise({ stddev: 0.3, clip: [0, 1], p, seed }) };
    augmentationContract(spec);
    it('keeps values within the input range (and fill values)', () => assertWithinRange(spec, [0, 1]));
    it('changes at least one image with p = 1', () => assertChangesImagesAtP1(spec));
  });

  it('adds noise of the requested standard deviation and mean, independent across images', () => {
    for (const [stddev, mean] of [
      [0.2, 0],
      [0.05, 0.3],
    ] as const) {
      const { input, output } = run({ stddev, mean, seed: 11 });
      const diff = Array.from(output, (v, i) => v - input[i]!);
      const m = moments(diff);
      expect(Math.abs(m.std - stddev) / stddev).toBeLessThan(0.05);
      expect(Math.abs(m.mean - mean)).toBeLessThan(stddev * 0.05);
      const per = 28 * 28;
      expect(diff.slice(0, per)).not.toEqual(diff.slice(per, 2 * per));
    }
  });

  it('gates per image: untouched images are exactly the input, even outside the clip range', () => {
    const shape: [number, number, number, number] = [40, 4, 4, 1];
    const { input, output, applied } = run({ stddev: 0.5, clip: [0.2, 0.4], p: 0.5, seed: 5 }, shape);
    const on = applied.filter(Boolean).length;
    expect(on).toBeGreaterThan(8);
    expect(on).toBeLessThan(32);
    applied.forEach((a, i) => {
      const slice = (v: Float32Array) => Array.from(v.subarray(i * 16, (i + 1) * 16));
      if (!a) expect(slice(output)).toEqual(slice(input));
      else {
        expect(slice(output)).not.toEqual(slice(input));
        for (const v of slice(output)) expect(v >= Math.fround(0.2) && v <= Math.fround(0.4)).toBe(true);
      }
    });
    expect(run({ stddev: 0.5, clip: [0.2, 0.4], p: 0, seed: 5 }, shape).output).toEqual(input);
  });

  it('gives the same noise for the same params on this backend as on cpu', async () => {
    const images = tf.tensor4d(pixels([4, 9, 7, 3]), [4, 9, 7, 3]);
    const aug = gaussianNoise({ stddev: 0.25, mean: 0.1, clip: [0, 1], p: 0.7, seed: 2024 });
    const out = aug({ images });
    const here = out.images.dataSync();
    const params = JSON.parse(JSON.stringify(aug.lastParams));
    tf.dispose([images, out.images]);
    await tf.setBackend('cpu');
    const cpuImages = tf.tensor4d(pixels([4, 9, 7, 3]), [4, 9, 7, 3]);
    const cpuOut = gaussianNoise({ stddev: 0.25, mean: 0.1, clip: [0, 1] }).apply({ images: cpuImages }, params);
    const reference = cpuOut.images.dataSync();
    tf.dispose([cpuImages, cpuOut.images]);
    await tf.setBackend(backend);
    expect(params.applied).toContain(true);
    expect(here.length).toBe(reference.length);
    here.forEach((v, i) => expect(Math.abs(v - reference[i]!)).toBeLessThan(1e-5));
  });

  it('passes labels through as new tensors', () => {
    const images = tf.zeros([2, 3, 3, 1]) as tf.Tensor4D;
    const labels = tf.tensor2d([
      [1, 0],
      [0, 1],
    ]);
    const out = gaussianNoise({ stddev: 0.1, seed: 1 })({ images, labels });
    expect(out.labels).not.toBe(labels);
    expect(Array.from(out.labels!.dataSync())).toEqual([1, 0, 0, 1]);
    expect(() => gaussianNoise({ stddev: 0.1 }).apply({ images }, { applied: [true], seed: 1 })).toThrow(
      'gaussianNoise: params.applied must be 2 booleans (one per image), got [true]',
    );
    expect(() => gaussianNoise({ stddev: 0.1 }).apply({ images }, { applied: [true, false], seed: 0.5 })).toThrow(
      'gaussianNoise: params.seed must be an integer in [0, 2^32), got 0.5',
    );
    tf.dispose([images, labels, out.images, out.labels!]);
  });
});

it('gaussianNoise rejects bad options naming the function, the option and the value', () => {
  const make = (o: unknown) => () => gaussianNoise(o as GaussianNoiseOptions);
  expect(make(undefined)).toThrow('gaussianNoise: stddev must be a number in [0, 4.25e+37], got undefined');
  expect(make({ stddev: -0.1 })).toThrow('gaussianNoise: stddev must be a number in [0, 4.25e+37], got -0.1');
  expect(make({ stddev: Number.NaN })).toThrow('gaussianNoise: stddev must be a number in [0, 4.25e+37], got NaN');
  expect(make({ stddev: 0.1, mean: Infinity })).toThrow(
    'gaussianNoise: mean must be a finite float32 number (|x| <= 3.4e38), got Infinity',
  );
  expect(make({ stddev: 0.1, p: 1.5 })).toThrow('gaussianNoise: p must be a probability in [0, 1], got 1.5');
  // Beyond float32's range the noise (or the pixels) would be ±Infinity.
  expect(make({ stddev: 1e39 })).toThrow('gaussianNoise: stddev must be a number in [0, 4.25e+37], got 1e+39');
  expect(make({ stddev: 1e38 })).toThrow('gaussianNoise: stddev must be a number in [0, 4.25e+37], got 1e+38');
  expect(make({ stddev: 0.1, mean: -1e39 })).toThrow('gaussianNoise: mean must be a finite float32 number');
  expect(make({ stddev: 0.1, clip: [0, 1e39] })).toThrow('gaussianNoise: clip must be [min, max] with finite float32');
  expect(make({ stddev: 0.1, clip: [1, 0] })).toThrow(
    'gaussianNoise: clip must be [min, max] with finite float32 min <= max, got [1,0]',
  );
  expect(make({ stddev: 0.1, clip: [0] })).toThrow(
    'gaussianNoise: clip must be [min, max] with finite float32 min <= max, got [0]',
  );
  expect(make({ stddev: 0.1, clip: 1 })).toThrow(
    'gaussianNoise: clip must be [min, max] with finite float32 min <= max, got 1',
  );
  expect(make({ stddev: 0.1, seed: 1.5 })).toThrow(
    'gaussianNoise: seed must be a safe integer (|seed| <= 2^53 - 1), got 1.5',
  );
  expect(make(null)).toThrow('gaussianNoise: options must be an options object, got null');
});
