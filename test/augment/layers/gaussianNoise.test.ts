import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import fc from 'fast-check';
import { expect, it } from 'vitest';
import { gaussianNoise } from '../../../src/augment/layers/gaussianNoise.js';
import { describeBackends } from '../../helpers/backends.js';
import { runs } from '../../helpers/runs.js';
import { run, saveAndLoad, values } from './layerHelpers.js';

describeBackends('layers.gaussianNoise', () => {
  it('adds zero-mean noise of the given standard deviation in training, on any input shape', () => {
    fc.assert(
      fc.property(fc.double({ min: 0.05, max: 3, noNaN: true }), fc.integer(), (stddev, seed) => {
        for (const shape of [[4000], [40, 100], [10, 10, 10, 4]]) {
          const x = tf.fill(shape, 0.5);
          const noise = run(gaussianNoise({ stddev, seed }), x, true).map((v) => v - 0.5);
          const mean = noise.reduce((a, b) => a + b, 0) / noise.length;
          const std = Math.sqrt(noise.reduce((a, b) => a + (b - mean) ** 2, 0) / noise.length);
          expect(Math.abs(mean)).toBeLessThan(0.1 * stddev);
          expect(Math.abs(std / stddev - 1)).toBeLessThan(0.06);
          x.dispose();
        }
      }),
      { numRuns: runs(5) },
    );
  });

  it('stddev 0 adds nothing, even in training', () => {
    const x = tf.tensor2d([
      [1, 2],
      [3, 4],
    ]);
    expect(run(gaussianNoise({ stddev: 0, seed: 1 }), x, true)).toEqual([1, 2, 3, 4]);
    x.dispose();
  });

  it("saves as SeededGaussianNoise and leaves tfjs' own GaussianNoise loading as before", async () => {
    const model = tfl.sequential({
      layers: [
        gaussianNoise({ stddev: 0.2, seed: 5, inputShape: [3] }),
        tfl.layers.gaussianNoise({ stddev: 0.4 }),
        tfl.layers.dense({ units: 1 }),
      ],
    });
    const loaded = await saveAndLoad(model);
    expect(loaded.layers.map((l) => l.getClassName())).toEqual(['SeededGaussianNoise', 'GaussianNoise', 'Dense']);
    expect(loaded.layers[0]!.getConfig()).toMatchObject({ stddev: 0.2, seed: 5 });
    expect(loaded.layers[1]!.constructor).toBe(tfl.layers.gaussianNoise({ stddev: 1 }).constructor);
    const x = tf.tensor2d([[1, 2, 3]]);
    const [p, q] = [model.predict(x) as tf.Tensor, loaded.predict(x) as tf.Tensor];
    expect(values(q)).toEqual(values(p));
    tf.dispose([x, p, q]);
    model.dispose();
    loaded.dispose();
  });
});

it('layers.gaussianNoise rejects bad options naming the factory, the option and the value', () => {
  const make = (o: unknown) => () => gaussianNoise(o as Parameters<typeof gaussianNoise>[0]);
  expect(make(undefined)).toThrow('layers.gaussianNoise: options must be an options object, got undefined');
  expect(make({ seed: 1 })).toThrow('layers.gaussianNoise: stddev is required, got options {"seed":1}');
  expect(make({ stddev: -0.1 })).toThrow('layers.gaussianNoise: stddev must be a number in [0, 4.25e+37], got -0.1');
  expect(make({ stddev: Number.NaN })).toThrow(
    'layers.gaussianNoise: stddev must be a number in [0, 4.25e+37], got NaN',
  );
});
