import * as tf from '@tensorflow/tfjs-core';
import fc from 'fast-check';
import { expect, it } from 'vitest';
import { randomZoom } from '../../../src/augment/layers/randomZoom.js';
import { describeBackends } from '../../helpers/backends.js';
import { runs } from '../../helpers/runs.js';
import { pixels, run, values } from './layerHelpers.js';

const grid = (h: number, w: number, f: (y: number, x: number) => number) =>
  tf.tensor4d(
    Array.from({ length: h * w }, (_, i) => f(Math.floor(i / w), i % w)),
    [1, h, w, 1],
  );

describeBackends('layers.randomZoom', () => {
  it('factor (0, 0) is the identity in training, for every fill mode and interpolation', () => {
    const x = pixels([2, 5, 7, 3], 8);
    for (const fillMode of ['reflect', 'constant', 'wrap', 'nearest'] as const) {
      for (const interpolation of ['bilinear', 'nearest'] as const) {
        const layer = randomZoom({ heightFactor: [0, 0], widthFactor: 0, fillMode, interpolation, seed: 1 });
        run(layer, x, true).forEach((v, i) => expect(v).toBeCloseTo(values(x)[i]!, 6));
      }
    }
    x.dispose();
  });

  it('negative factors zoom in about the centre: -0.5 blows the centre half up 2x', () => {
    const x = grid(4, 4, (y, c) => 4 * y + c);
    const out = run(randomZoom({ heightFactor: [-0.5, -0.5], interpolation: 'nearest' }), x, true);
    expect(out).toEqual([5, 5, 6, 6, 5, 5, 6, 6, 9, 9, 10, 10, 9, 9, 10, 10]);
    x.dispose();
  });

  it('positive factors zoom out: the content shrinks about the centre and the border is filled', () => {
    const ones = tf.ones([1, 9, 9, 1]);
    const out = run(randomZoom({ heightFactor: [1, 1], fillMode: 'constant', interpolation: 'nearest' }), ones, true);
    // Scale 2: output pixel (x, y) reads input 4 + 2 (x - 4, y - 4); inside for |x - 4|, |y - 4| <= 2.
    out.forEach((v, i) => {
      const [y, x] = [Math.floor(i / 9), i % 9];
      expect(v, `pixel ${y}, ${x}`).toBe(Math.abs(y - 4) <= 2 && Math.abs(x - 4) <= 2 ? 1 : 0);
    });
    ones.dispose();
  });

  it('each factor acts on its own axis; without widthFactor both axes share the height draw', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 31 - 1 }), fc.double({ min: -1, max: 1, noNaN: true }), (seed, f) => {
        const columns = grid(6, 6, (_y, x) => x * x);
        const rows = grid(6, 6, (y) => y * y);
        // Height only: an image constant down its columns does not change; one varying down them does.
        const heightOnly = () => randomZoom({ heightFactor: [f, f], widthFactor: 0, seed });
        run(heightOnly(), columns, true).forEach((v, i) => expect(v).toBeCloseTo(values(columns)[i]!, 4));
        if (Math.abs(f) > 0.05) expect(run(heightOnly(), rows, true)).not.toEqual(values(rows));
        // Shared draw: zooming the transpose is the transpose of the zoom (square image, same scale both ways).
        const x = pixels([1, 6, 6, 1], seed % 1000);
        const xt = tf.transpose(x, [0, 2, 1, 3]);
        const zoomed = tf.tensor4d(run(randomZoom({ heightFactor: 0.4, seed }), x, true), [1, 6, 6, 1]);
        const zoomedT = tf.transpose(zoomed, [0, 2, 1, 3]);
        const ofTranspose = run(randomZoom({ heightFactor: 0.4, seed }), xt, true);
        values(zoomedT).forEach((v, i) => expect(v).toBeCloseTo(ofTranspose[i]!, 4));
        tf.dispose([columns, rows, x, xt, zoomed, zoomedT]);
      }),
      { numRuns: runs(8) },
    );
  });

  it('keeps Keras 3 defaults and names in its config (widthFactor null when not given)', () => {
    expect(randomZoom({ heightFactor: 0.2, seed: 2 }).getConfig()).toMatchObject({
      heightFactor: 0.2,
      widthFactor: null,
      fillMode: 'reflect',
      interpolation: 'bilinear',
      fillValue: 0,
      seed: 2,
    });
    expect(randomZoom({ heightFactor: [0.2, 0.3], widthFactor: [-0.3, -0.2] }).getConfig()).toMatchObject({
      heightFactor: [0.2, 0.3],
      widthFactor: [-0.3, -0.2],
    });
  });
});

it('layers.randomZoom rejects bad options naming the factory, the option and the value', () => {
  const make = (o: unknown) => () => randomZoom(o as Parameters<typeof randomZoom>[0]);
  expect(make({ widthFactor: 0.2 })).toThrow(
    'layers.randomZoom: heightFactor is required, got options {"widthFactor":0.2}',
  );
  expect(make({ heightFactor: 2 })).toThrow(
    'layers.randomZoom: heightFactor must be a number in [-1, 1] or a pair [lower, upper] of numbers in [-1, 1], got 2',
  );
  expect(make({ heightFactor: 0.1, widthFactor: [0.1, 'x'] })).toThrow(
    'layers.randomZoom: widthFactor must be a number in [-1, 1] or a pair [lower, upper] of numbers in [-1, 1], got [0.1,"x"]',
  );
  expect(make({ heightFactor: 0.1, interpolation: 'bicubic' })).toThrow(
    'layers.randomZoom: interpolation must be one of "nearest", "bilinear", got "bicubic"',
  );
  expect(make({ heightFactor: 0.1, fillValue: '0' })).toThrow(
    'layers.randomZoom: fillValue must be a finite float32 number (|x| <= 3.4e38), got "0"',
  );
});
