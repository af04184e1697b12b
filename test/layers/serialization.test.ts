import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { expect, it } from 'vitest';
import { activityRegularization } from '../../src/layers/activityRegularization.js';
import { dropBlock } from '../../src/layers/dropBlock.js';
import { dropPath } from '../../src/layers/dropPath.js';
import { groupNormalization } from '../../src/layers/groupNormalization.js';
import { spatialDropout2d } from '../../src/layers/spatialDropout2d.js';
import { describeBackends } from '../helpers/backends.js';
import { expectClose, LOADED, onEachBackend, run, saveAndLoad, values } from './helpers.js';

describeBackends('layers save and load', () => {
  it('a model with every layer saves and loads under the Keras class names, configs, weights and outputs intact', async () => {
    const model = tfl.sequential({
      layers: [
        spatialDropout2d({ rate: 0.2, seed: 1, inputShape: [6, 6, 4] }),
        dropBlock({ rate: 0.1, blockSize: 3, seed: 2, dataFormat: 'channelsLast' }),
        groupNormalization({ groups: 2, epsilon: 1e-5 }),
        dropPath({ rate: 0.3, seed: 3 }),
        activityRegularization({ l1: 0.01, l2: 0.02 }),
        tfl.layers.flatten(),
        tfl.layers.dense({ units: 2 }),
      ],
    });
    const norm = model.layers[2]!;
    norm.setWeights([tf.tensor1d([0.5, 1, 1.5, 2]), tf.tensor1d([0.1, -0.2, 0.3, -0.4])]);
    const loaded = await saveAndLoad(model);
    expect(loaded.layers.map((l) => l.getClassName())).toEqual([
      'SpatialDropout2D',
      'DropBlock2D',
      'GroupNormalization',
      'DropPath',
      'ActivityRegularization',
      'Flatten',
      'Dense',
    ]);
    expect(loaded.layers[0]!.getConfig()).toMatchObject({ rate: 0.2, seed: 1, dataFormat: 'channelsLast' });
    expect(loaded.layers[1]!.getConfig()).toMatchObject({ rate: 0.1, blockSize: 3, seed: 2 });
    expect(loaded.layers[2]!.getConfig()).toMatchObject({ groups: 2, axis: -1, epsilon: 1e-5, center: true });
    expect(loaded.layers[3]!.getConfig()).toMatchObject({ rate: 0.3, seed: 3 });
    expect(loaded.layers[4]!.getConfig()).toMatchObject({ l1: 0.01, l2: 0.02 });
    // Keras' order, gamma then beta (tfjs suffixes a loaded variable's name when the original's is still alive).
    expect(norm.weights.map((w) => w.name)).toEqual([`${norm.name}/gamma`, `${norm.name}/beta`]);
    const restored = loaded.layers[2]!.getWeights().map((w) => Array.from(w.dataSync()));
    expectClose(restored.flat(), [0.5, 1, 1.5, 2, 0.1, -0.2, 0.3, -0.4], 1e-7);
    const x = values([3, 6, 6, 4], 4);
    const [p, q] = [model.predict(x) as tf.Tensor, loaded.predict(x) as tf.Tensor];
    expect(q.dataSync()).toEqual(p.dataSync());
    // Equal seeds after loading: the same training masks as the original's first call.
    expect(run(loaded.layers[0]!, x, true)).toEqual(run(model.layers[0]!, x, true));
    tf.dispose([x, p, q]);
    model.dispose();
    loaded.dispose();
  });

  it("loads a config written the Keras way (SpatialDropout2D's data_format: channels_first)", async () => {
    const model = tfl.sequential({
      layers: [spatialDropout2d({ rate: 0.5, dataFormat: 'channelsFirst', inputShape: [3, 2, 2] })],
    });
    const loaded = await saveAndLoad(model);
    const json = JSON.stringify(model.toJSON(null, false));
    expect(json).toContain('"data_format":"channels_first"');
    expect(loaded.layers[0]!.getConfig()['dataFormat']).toBe('channelsFirst');
    model.dispose();
    loaded.dispose();
  });
});

it('the same seed gives the same training masks on every backend', async () => {
  const make = [
    () => spatialDropout2d({ rate: 0.4, seed: 11 }),
    () => dropBlock({ rate: 0.3, blockSize: 3, seed: 12 }),
    () => dropPath({ rate: 0.4, seed: 13 }),
  ];
  const outputs = await onEachBackend(() =>
    make.map((f) => {
      const x = tf.ones([4, 8, 8, 3]);
      const layer = f();
      const out = [run(layer, x, true), run(layer, x, true)].map((a) => Array.from(a));
      x.dispose();
      return out;
    }),
  );
  expect(Object.keys(outputs)).toEqual(LOADED);
  // Each layer drops something, and the second call differs from the first (fresh masks per call).
  for (const [a, b] of outputs['cpu'] ?? Object.values(outputs)[0]!) {
    expect(a!.some((v) => v === 0)).toBe(true);
    expect(b).not.toEqual(a);
  }
  // Kept values are scaled on the device, so they agree to float32 rounding; the zeros exactly.
  const reference = Object.values(outputs)[0]!;
  for (const result of Object.values(outputs)) {
    result.forEach((calls, i) =>
      calls.forEach((out, j) => {
        const ref = reference[i]![j]!;
        expect(out.map((v) => v === 0)).toEqual(ref.map((v) => v === 0));
        out.forEach((v, k) => expect(Math.abs(v - ref[k]!)).toBeLessThanOrEqual(1e-6 * Math.abs(ref[k]!)));
      }),
    );
  }
});
