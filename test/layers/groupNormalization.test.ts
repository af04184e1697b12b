import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import fc from 'fast-check';
import { expect, it } from 'vitest';
import { groupNormalization } from '../../src/layers/groupNormalization.js';
import { describeBackends } from '../helpers/backends.js';
import { expectNoLeaks } from '../helpers/leaks.js';
import { runs } from '../helpers/runs.js';
import { expectClose, KERAS, run, values } from './helpers.js';

const REF = KERAS.groupNormalization;

describeBackends('groupNormalization', () => {
  it.each(REF.cases.map((c) => [c.name, c] as const))("equals Keras 3's GroupNormalization output: %s", (_name, c) => {
    const layer = groupNormalization(c.options);
    const x = tf.tensor(c.input, c.shape);
    layer.apply(x); // builds, so that Keras' weights can be set in Keras' order
    layer.setWeights(c.weights.map((w) => tf.tensor1d(w)));
    // float32 on both sides, reduced in different orders: 1e-5 of the magnitude (outputs are O(1)).
    expectClose(run(layer, x), c.output, 1e-5);
    expect(layer.weights.map((w) => w.name.split('/').pop())).toEqual(c.weightNames);
    expect(layer.weights.map((w) => w.name)).toEqual(c.weightNames.map((n) => `${layer.name}/${n}`));
    x.dispose();
  });

  it('normalizes each (sample, group) to mean 0 and variance var/(var + epsilon), whatever the scale and shift of a sample (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 3 }),
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 1, max: 3 }),
        fc.double({ min: 0.5, max: 20, noNaN: true }),
        fc.double({ min: -50, max: 50, noNaN: true }),
        fc.integer(),
        async (batch, groups, perGroup, a, b, seed) => {
          const shape = [batch, 5, groups * perGroup];
          const x = values(shape, seed);
          const layer = groupNormalization({ groups, epsilon: 0 });
          const y = run(layer, x);
          // GroupNorm(a·x + b) = GroupNorm(x) for a > 0: the statistics are the sample's own.
          const moved = tf.tidy(() => tf.add(tf.mul(x, a), b));
          expectClose(run(layer, moved), y, 2e-4);
          const grouped = tf.tensor(y, [batch, 5, groups, perGroup]);
          const { mean, variance } = tf.moments(grouped, [1, 3]);
          expect(Math.max(...tf.abs(mean).dataSync())).toBeLessThan(1e-4);
          if (5 * perGroup > 1) expectClose(variance.dataSync(), new Array(batch * groups).fill(1), 1e-3);
          tf.dispose([x, moved, grouped, mean, variance]);
        },
      ),
      { numRuns: runs(15) },
    );
  });

  it("resolves groups -1 to the channels and keeps Keras' defaults and config", () => {
    const layer = groupNormalization({ groups: -1 });
    const x = values([2, 3, 5]);
    layer.apply(x);
    expect(layer.getConfig()).toMatchObject({ groups: 5, axis: -1, epsilon: 1e-3, center: true, scale: true });
    const defaults = groupNormalization().getConfig();
    expect({
      groups: defaults['groups'],
      axis: defaults['axis'],
      epsilon: defaults['epsilon'],
      center: defaults['center'],
      scale: defaults['scale'],
    }).toEqual(REF.defaults);
    x.dispose();
  });

  it('is the same in training and inference, trains its gamma and beta, and leaks nothing', async () => {
    const layer = groupNormalization({ groups: 2 });
    const x = values([4, 3, 4], 2);
    expect(run(layer, x, true)).toEqual(run(layer, x, false));
    const model = tfl.sequential({ layers: [groupNormalization({ groups: 2, inputShape: [3, 4] })] });
    model.compile({ optimizer: tf.train.sgd(0.5), loss: 'meanSquaredError' });
    const target = tf.onesLike(x);
    const before = model.getWeights().map((w) => w.dataSync().slice());
    await model.fit(x, target, { epochs: 1, batchSize: 4, verbose: 0 });
    const after = model.getWeights().map((w) => w.dataSync());
    expect(after[1]).not.toEqual(before[1]); // beta moves towards the target
    await expectNoLeaks(() => layer.apply(x));
    await expectNoLeaks(() => layer.apply(x, { training: true }));
    tf.dispose([x, target]);
    model.dispose();
  });
});

it('groupNormalization rejects bad options, and at build channels that groups does not divide', () => {
  const make = (o: unknown) => () => groupNormalization(o as never);
  expect(make({ groups: 0 })).toThrow(
    'groupNormalization: groups must be a positive integer, or -1 (instance normalization), got 0',
  );
  expect(make({ groups: 1.5 })).toThrow('groupNormalization: groups must be a positive integer');
  expect(make({ epsilon: -1 })).toThrow('groupNormalization: epsilon must be a finite number >= 0, got -1');
  expect(make({ center: 'yes' })).toThrow('groupNormalization: center must be a boolean, got "yes"');
  expect(make({ beta_initializer: 'zeros' })).toThrow('groupNormalization: unknown option "beta_initializer"');
  // Keras: "Number of groups (4) must be a multiple of the number of channels (6)." and "cannot be more than".
  expect(REF.indivisibleError).toMatch(/Number of groups \(4\)/);
  expect(REF.tooManyGroupsError).toMatch(/Number of groups \(8\) cannot be more/);
  expect(() => tfl.sequential({ layers: [groupNormalization({ groups: 4, inputShape: [3, 6] })] })).toThrow(
    'groupNormalization: groups must be a divisor of the 6 channels on axis -1, got 4',
  );
  expect(() => tfl.sequential({ layers: [groupNormalization({ groups: 8, inputShape: [3, 6] })] })).toThrow(
    'groupNormalization: groups must be a divisor of the 6 channels on axis -1, got 8',
  );
  expect(() => tfl.sequential({ layers: [groupNormalization({ groups: 1, axis: 0, inputShape: [3, 6] })] })).toThrow(
    'groupNormalization: axis must be a non-batch axis of the rank-3 input, got 0',
  );
});
