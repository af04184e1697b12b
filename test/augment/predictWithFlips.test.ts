import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import fc from 'fast-check';
import { expect, it } from 'vitest';
import { predictWithFlips } from '../../src/augment/predictWithFlips.js';
import { describeBackends } from '../helpers/backends.js';
import { expectNoLeaks } from '../helpers/leaks.js';
import { runs } from '../helpers/runs.js';

type Mode = 'horizontal' | 'vertical' | 'horizontal_and_vertical';

/** The image at (b, y, x, c) of a mirrored batch, read from the flat values in JavaScript. */
function mirrored(values: number[], [n, h, w, c]: number[], flipY: boolean, flipX: boolean): number[] {
  const out: number[] = [];
  for (let b = 0; b < n!; b++)
    for (let y = 0; y < h!; y++)
      for (let x = 0; x < w!; x++)
        for (let k = 0; k < c!; k++) {
          const yy = flipY ? h! - 1 - y : y;
          const xx = flipX ? w! - 1 - x : x;
          out.push(values[((b * h! + yy) * w! + xx) * c! + k]!);
        }
  return out;
}

/** A dense softmax classifier of flattened images: no symmetry, so every view gives its own output. */
function classifier(shape: number[]): tfl.LayersModel {
  const model = tfl.sequential();
  model.add(tfl.layers.flatten({ inputShape: shape.slice(1) }));
  model.add(
    tfl.layers.dense({
      units: 3,
      activation: 'softmax',
      kernelInitializer: tfl.initializers.randomNormal({ stddev: 2, seed: 5 }),
    }),
  );
  return model;
}

const VIEWS: Record<Mode, [boolean, boolean][]> = {
  horizontal: [
    [false, false],
    [false, true],
  ],
  vertical: [
    [false, false],
    [true, false],
  ],
  horizontal_and_vertical: [
    [false, false],
    [false, true],
    [true, false],
    [true, true],
  ],
};

describeBackends('predictWithFlips', () => {
  it('is the mean of the predictions of the images and of their mirror images, built independently', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          n: fc.integer({ min: 1, max: 3 }),
          h: fc.integer({ min: 1, max: 4 }),
          w: fc.integer({ min: 2, max: 4 }),
          c: fc.integer({ min: 1, max: 2 }),
          mode: fc.constantFrom<Mode>('horizontal', 'vertical', 'horizontal_and_vertical'),
          seed: fc.integer({ min: 1, max: 1000 }),
        }),
        async ({ n, h, w, c, mode, seed }) => {
          const shape = [n, h, w, c];
          const values = Array.from(tf.randomUniform([n * h * w * c], 0, 1, 'float32', seed).dataSync());
          const model = classifier(shape);
          const views = VIEWS[mode].map(([fy, fx]) => {
            const x = tf.tensor4d(mirrored(values, shape, fy, fx), shape as [number, number, number, number]);
            const p = model.predict(x) as tf.Tensor;
            const out = Array.from(p.dataSync());
            tf.dispose([x, p]);
            return out;
          });
          const expected = views[0]!.map((_, i) => views.reduce((s, v) => s + v[i]!, 0) / views.length);
          const images = tf.tensor4d(values, shape as [number, number, number, number]);
          const got = predictWithFlips(model, images, { mode });
          expect(got.shape).toEqual([n, 3]);
          Array.from(got.dataSync()).forEach((v, i) => expect(v).toBeCloseTo(expected[i]!, 5));
          // A model that sees no difference between the views would make this property vacuous.
          if (w > 1 && mode !== 'vertical')
            expect(Math.max(...views[0]!.map((v, i) => Math.abs(v - views[1]![i]!)))).toBeGreaterThan(0);
          tf.dispose([images, got]);
          model.dispose();
        },
      ),
      { numRuns: runs(12) },
    );
  });

  it('defaults to left-right mirrors, passes the batch size to predict, and leaks nothing', async () => {
    const seen: (number | undefined)[] = [];
    const leftmost = {
      predict: (x: tf.Tensor, args?: { batchSize?: number }) => {
        seen.push(args?.batchSize);
        return tf.reshape(tf.slice(x, [0, 0, 0, 0], [-1, 1, 1, 1]), [-1, 1]);
      },
    };
    const images = tf.tensor4d([0, 1, 4, 2, 3, 8], [2, 1, 3, 1]);
    const out = predictWithFlips(leftmost, images, { batchSize: 7 });
    expect(out.arraySync()).toEqual([[2], [5]]);
    expect(seen).toEqual([7, 7]);
    await expectNoLeaks(() => predictWithFlips(leftmost, images, { mode: 'horizontal_and_vertical' }));
    tf.dispose([images, out]);
  });

  it('rejects bad arguments, naming the function, the argument and the value', () => {
    const images = tf.zeros([1, 2, 2, 1]) as tf.Tensor4D;
    const model = { predict: (x: tf.Tensor) => tf.mean(x, [1, 2, 3]) };
    expect(() => predictWithFlips(model, images, { mode: 'diagonal' as never })).toThrow(
      /^predictWithFlips: options.mode must be one of "horizontal", "vertical", "horizontal_and_vertical", got "diagonal"/,
    );
    expect(() => predictWithFlips(model, images, { batchSize: 0 })).toThrow(
      /^predictWithFlips: options.batchSize must be a positive integer, got 0/,
    );
    expect(() => predictWithFlips(model, images, { batch_size: 8 } as never)).toThrow(
      /^predictWithFlips: unknown option "batch_size"; did you mean "batchSize"\?/,
    );
    expect(() => predictWithFlips({} as never, images)).toThrow(
      /^predictWithFlips: model must be a model with a predict method, got \{\}/,
    );
    expect(() => predictWithFlips(model, tf.zeros([2, 2]) as never)).toThrow(
      /^predictWithFlips: images must be a float32 tensor \[batch, height, width, channels\]/,
    );
    const twoOutputs = { predict: (x: tf.Tensor) => [tf.mean(x), tf.max(x)] };
    const before = tf.memory().numTensors;
    expect(() => predictWithFlips(twoOutputs, images)).toThrow(
      /^predictWithFlips: model must be a model with one output/,
    );
    expect(tf.memory().numTensors).toBe(before);
    images.dispose();
  });
});
