import * as tf from '@tensorflow/tfjs-core';
import fc from 'fast-check';
import { expect, it } from 'vitest';
import { affineTransform } from '../../../src/augment/functional/affineTransform.js';
import { kerasTransformMatrix } from '../../../src/augment/functional/kerasTransformMatrix.js';
import { randomRotation } from '../../../src/augment/layers/randomRotation.js';
import { randomGenerator } from '../../../src/core/random.js';
import { describeBackends } from '../../helpers/backends.js';
import { runs } from '../../helpers/runs.js';
import { pixels, run, values } from './layerHelpers.js';

/** np.rot90(image, k) on NHWC values of square images: k = 1 is a quarter turn counter-clockwise. */
function rot90(data: number[], shape: number[], k: number): number[] {
  const [b, n, , c] = shape as [number, number, number, number];
  const out = new Array<number>(data.length);
  const turns = ((k % 4) + 4) % 4;
  for (let i = 0; i < b; i++)
    for (let y = 0; y < n; y++)
      for (let x = 0; x < n; x++)
        for (let ch = 0; ch < c; ch++) {
          let [sy, sx] = [y, x];
          // One counter-clockwise turn: out[y][x] = in[x][n - 1 - y].
          for (let t = 0; t < turns; t++) [sy, sx] = [sx, n - 1 - sy];
          out[((i * n + y) * n + x) * c + ch] = data[((i * n + sy) * n + sx) * c + ch]!;
        }
  return out;
}

describeBackends('layers.randomRotation', () => {
  it('factor [0.25, 0.25] with nearest is exactly np.rot90 (counter-clockwise), -0.25 the other way, 0.5 a half turn', () => {
    for (const n of [1, 2, 5, 6]) {
      const shape = [2, n, n, 2];
      const x = pixels(shape, n);
      const input = values(x);
      for (const [f, k] of [
        [0.25, 1],
        [-0.25, -1],
        [0.5, 2],
        [-0.75, 1],
      ] as const) {
        const layer = randomRotation({ factor: [f, f], interpolation: 'nearest', seed: 1 });
        expect(run(layer, x, true), `n=${n} factor=${f}`).toEqual(rot90(input, shape, k));
      }
      x.dispose();
    }
  });

  it('a fixed factor a turns by a full turn times a: the Keras ImageDataGenerator matrix for theta = 360a degrees', () => {
    fc.assert(
      fc.property(fc.double({ min: -1, max: 1, noNaN: true }), fc.integer({ min: 2, max: 7 }), (a, n) => {
        const x = pixels([1, n, n, 1], n) as tf.Tensor4D;
        const got = run(randomRotation({ factor: [a, a], seed: 3 }), x, true);
        const ref = affineTransform(x, kerasTransformMatrix({ theta: 360 * a }, n, n), { fillMode: 'reflect' });
        values(ref).forEach((v, i) => expect(Math.abs(got[i]! - v)).toBeLessThan(1e-4));
        tf.dispose([x, ref]);
      }),
      { numRuns: runs(10) },
    );
  });

  it('draws one angle per image, uniform in ±factor · 2π (negative factor as its absolute value, pairs sorted)', () => {
    const n = 6;
    const x = pixels([4, n, n, 1], 2) as tf.Tensor4D;
    const rng = randomGenerator(77);
    const expected = Array.from({ length: 4 }, (_, i) => {
      const theta = 360 * rng.uniform(-0.2, 0.2);
      const one = tf.slice(x, [i, 0, 0, 0], [1, n, n, 1]);
      const warped = affineTransform(one, kerasTransformMatrix({ theta }, n, n), { fillMode: 'reflect' });
      const out = values(warped);
      tf.dispose([one, warped]);
      return out;
    }).flat();
    for (const factor of [0.2, -0.2, [-0.2, 0.2], [0.2, -0.2]] as Array<number | [number, number]>) {
      const got = run(randomRotation({ factor, seed: 77 }), x, true);
      got.forEach((v, i) => expect(Math.abs(v - expected[i]!), `factor ${JSON.stringify(factor)}`).toBeLessThan(1e-4));
    }
    x.dispose();
  });

  it('keeps Keras 3 defaults and names in its config', () => {
    expect(randomRotation({ factor: 0.1, seed: 4, name: 'rot' }).getConfig()).toMatchObject({
      factor: 0.1,
      fillMode: 'reflect',
      interpolation: 'bilinear',
      fillValue: 0,
      seed: 4,
      name: 'rot',
    });
    expect(randomRotation({ factor: [-0.1, 0.3], fillMode: 'constant', fillValue: 2 }).getConfig()).toMatchObject({
      factor: [-0.1, 0.3],
      fillMode: 'constant',
      fillValue: 2,
      seed: null,
    });
  });
});

it('layers.randomRotation rejects bad options naming the factory, the option and the value', () => {
  const make = (o: unknown) => () => randomRotation(o as Parameters<typeof randomRotation>[0]);
  expect(make(undefined)).toThrow('layers.randomRotation: options must be an options object, got undefined');
  expect(make({})).toThrow('layers.randomRotation: factor is required, got options {}');
  const rule = 'must be a number in [-1, 1] or a pair [lower, upper] of numbers in [-1, 1]';
  expect(make({ factor: 1.5 })).toThrow(`layers.randomRotation: factor ${rule}, got 1.5`);
  expect(make({ factor: [0.1] })).toThrow(`layers.randomRotation: factor ${rule}, got [0.1]`);
  expect(make({ factor: [-2, 0] })).toThrow(`layers.randomRotation: factor ${rule}, got [-2,0]`);
  expect(make({ factor: '0.1' })).toThrow(`layers.randomRotation: factor ${rule}, got "0.1"`);
  expect(make({ factor: Number.NaN })).toThrow(`layers.randomRotation: factor ${rule}, got NaN`);
  expect(make({ factor: 0.1, fillMode: 'mirror' })).toThrow(
    'layers.randomRotation: fillMode must be one of "constant", "reflect", "wrap", "nearest", got "mirror"',
  );
  expect(make({ factor: 0.1, interpolation: 'cubic' })).toThrow(
    'layers.randomRotation: interpolation must be one of "nearest", "bilinear", got "cubic"',
  );
  expect(make({ factor: 0.1, fillValue: Number.POSITIVE_INFINITY })).toThrow(
    'layers.randomRotation: fillValue must be a finite float32 number (|x| <= 3.4e38), got Infinity',
  );
});
