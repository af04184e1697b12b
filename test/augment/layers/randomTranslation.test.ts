import * as tf from '@tensorflow/tfjs-core';
import fc from 'fast-check';
import { expect, it } from 'vitest';
import { affineTransform } from '../../../src/augment/functional/affineTransform.js';
import { randomTranslation } from '../../../src/augment/layers/randomTranslation.js';
import { randomGenerator } from '../../../src/core/random.js';
import { describeBackends } from '../../helpers/backends.js';
import { runs } from '../../helpers/runs.js';
import { pixels, run, values } from './layerHelpers.js';

/** The content moved down by dy rows and right by dx columns (NHWC values), uncovered pixels read `fill(y, x)`. */
function shifted(
  data: number[],
  shape: number[],
  dy: number,
  dx: number,
  fill: (y: number, x: number, i: number, ch: number) => number,
): number[] {
  const [b, h, w, c] = shape as [number, number, number, number];
  const out = new Array<number>(data.length);
  for (let i = 0; i < b; i++)
    for (let y = 0; y < h; y++)
      for (let x = 0; x < w; x++)
        for (let ch = 0; ch < c; ch++) {
          const [sy, sx] = [y - dy, x - dx];
          const inside = sy >= 0 && sy < h && sx >= 0 && sx < w;
          out[((i * h + y) * w + x) * c + ch] = inside ? data[((i * h + sy) * w + sx) * c + ch]! : fill(sy, sx, i, ch);
        }
  return out;
}

const shape = [2, 4, 8, 2];
const shift = fc.record({ dy: fc.integer({ min: -4, max: 4 }), dx: fc.integer({ min: -8, max: 8 }) });

describeBackends('layers.randomTranslation', () => {
  it('a whole number of pixels with nearest is a shift with fill (down and right are positive, as Keras)', () => {
    const x = pixels(shape, 4);
    const input = values(x);
    fc.assert(
      fc.property(shift, ({ dy, dx }) => {
        const layer = randomTranslation({
          heightFactor: [dy / 4, dy / 4],
          widthFactor: [dx / 8, dx / 8],
          fillMode: 'constant',
          fillValue: -1,
          interpolation: 'nearest',
        });
        expect(run(layer, x, true)).toEqual(shifted(input, shape, dy, dx, () => -1));
      }),
      { numRuns: runs(15) },
    );
    x.dispose();
  });

  it('wrap fill makes it a roll, and bilinear agrees with nearest on whole pixels', () => {
    const x = pixels(shape, 5);
    const input = values(x);
    const [b, h, w, c] = shape as [number, number, number, number];
    // Within len - 2 pixels: further out, TensorFlow's (and affineTransform's) wrap stops being a roll.
    for (const [dy, dx] of [
      [1, 3],
      [-2, -1],
      [2, -6],
    ]) {
      const roll = shifted(
        input,
        shape,
        dy!,
        dx!,
        (sy, sx, i, ch) => input[((i * h + ((sy + h) % h)) * w + ((sx + w) % w)) * c + ch]!,
      );
      const wrap = randomTranslation({
        heightFactor: [dy! / h, dy! / h],
        widthFactor: [dx! / w, dx! / w],
        fillMode: 'wrap',
        interpolation: 'nearest',
      });
      expect(run(wrap, x, true), `roll by ${dy}, ${dx}`).toEqual(roll);
      const bilinear = randomTranslation({
        heightFactor: [dy! / h, dy! / h],
        widthFactor: [dx! / w, dx! / w],
        fillMode: 'wrap',
      });
      run(bilinear, x, true).forEach((v, i) => expect(v).toBeCloseTo(roll[i]!, 5));
    }
    expect(b).toBe(2);
    x.dispose();
  });

  it('draws per image a shift of u · height rows and v · width columns, u and v uniform in the factor ranges', () => {
    const x = pixels([3, 4, 8, 1], 6) as tf.Tensor4D;
    const rng = randomGenerator(21);
    const expected = Array.from({ length: 3 }, (_, i) => {
      const dy = rng.uniform(-0.5, 0.5) * 4;
      const dx = rng.uniform(0.25, 0.75) * 8;
      const one = tf.slice(x, [i, 0, 0, 0], [1, 4, 8, 1]);
      // Sub-pixel shifts: compare with the exact resampling of the same shift.
      const ref = affineTransform(one, [1, 0, -dx, 0, 1, -dy, 0, 0], { fillMode: 'nearest' });
      const out = values(ref);
      tf.dispose([one, ref]);
      return out;
    }).flat();
    const got = run(
      randomTranslation({ heightFactor: 0.5, widthFactor: [0.75, 0.25], fillMode: 'nearest', seed: 21 }),
      x,
      true,
    );
    got.forEach((v, i) => expect(Math.abs(v - expected[i]!)).toBeLessThan(1e-4));
    x.dispose();
  });
});

it('layers.randomTranslation rejects bad options naming the factory, the option and the value', () => {
  const make = (o: unknown) => () => randomTranslation(o as Parameters<typeof randomTranslation>[0]);
  expect(make(null)).toThrow('layers.randomTranslation: options must be an options object, got null');
  expect(make({ heightFactor: 0.1 })).toThrow(
    'layers.randomTranslation: widthFactor is required, got options {"heightFactor":0.1}',
  );
  expect(make({ widthFactor: 0.1 })).toThrow(/^layers\.randomTranslation: heightFactor is required/);
  expect(make({ heightFactor: 0.1, widthFactor: -1.1 })).toThrow(
    'layers.randomTranslation: widthFactor must be a number in [-1, 1] or a pair [lower, upper] of numbers in [-1, 1], got -1.1',
  );
  expect(make({ heightFactor: [0, 0, 0], widthFactor: 0 })).toThrow(
    /^layers\.randomTranslation: heightFactor must be .*, got \[0,0,0\]$/,
  );
  expect(make({ heightFactor: 0, widthFactor: 0, fillMode: 'edge' })).toThrow(
    'layers.randomTranslation: fillMode must be one of "constant", "reflect", "wrap", "nearest", got "edge"',
  );
});
