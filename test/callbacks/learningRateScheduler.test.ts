import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { expect, it } from 'vitest';
import { cosineDecay } from '../../src/callbacks/cosineDecay.js';
import { getLearningRate } from '../../src/callbacks/getLearningRate.js';
import { learningRateScheduler } from '../../src/callbacks/learningRateScheduler.js';
import type { LearningRateSchedulerOptions, ScheduleFunction } from '../../src/callbacks/learningRateScheduler.js';
import { stepDecay } from '../../src/callbacks/stepDecay.js';
import { describeBackends } from '../helpers/backends.js';
import { expectNoLeaks } from '../helpers/leaks.js';

async function fitting<T>(run: () => Promise<T>): Promise<T> {
  return run();
}

function tinyModel(optimizer: tf.Optimizer = tf.train.sgd(0.1)): tfl.LayersModel {
  const model = tfl.sequential({ layers: [tfl.layers.dense({ inputShape: [1], units: 1 })] });
  model.compile({ optimizer, loss: 'meanSquaredError' });
  return model;
}

/** A scheduler wired to a compiled model as fit() would do it; `params` as tfjs sets them. */
function wired(
  schedule: Parameters<typeof learningRateScheduler>[0],
  options: LearningRateSchedulerOptions,
  model: tfl.LayersModel,
  params: Record<string, number> = { epochs: 3, samples: 10, batchSize: 4 },
) {
  const cb = learningRateScheduler(schedule, { log: () => {}, ...options });
  cb.setModel(model);
  cb.setParams(params);
  return cb;
}

describeBackends('learningRateScheduler', () => {
  it('sets the rate at each epoch begin on SGD, Momentum and Adam, and logs it as learning_rate', async () => {
    for (const make of [() => tf.train.sgd(0.1), () => tf.train.momentum(0.1, 0.9), () => tf.train.adam(0.1)]) {
      const model = tinyModel(make());
      const seen: Array<[number, number]> = [];
      const cb = wired((epoch, lr) => (seen.push([epoch, lr]), 0.1 / (epoch + 1)), {}, model);
      await cb.onTrainBegin();
      for (const epoch of [0, 1, 2]) {
        await cb.onEpochBegin(epoch);
        expect(getLearningRate(model.optimizer), model.optimizer.getClassName()).toBeCloseTo(0.1 / (epoch + 1), 12);
        await cb.onBatchBegin(0, {}); // per epoch: batches change nothing
        const logs: Record<string, number> = { loss: 1 };
        await cb.onEpochEnd(epoch, logs);
        expect(logs['learning_rate']).toBe(getLearningRate(model.optimizer));
      }
      // The schedule gets the epoch and the rate in force before it.
      expect(seen.map(([e]) => e)).toEqual([0, 1, 2]);
      expect(seen.map(([, lr]) => lr)).toEqual([0.1, 0.1, 0.05]);
      model.dispose();
    }
  });

  it('makes an SGD update use the new rate (one step on a variable with a known gradient)', async () => {
    const model = tinyModel(tf.train.sgd(0.1));
    const cb = wired(() => 0.05, {}, model);
    await cb.onTrainBegin();
    await cb.onEpochBegin(0);
    const x = tf.variable(tf.tensor1d([1, 1]));
    const g = tf.tensor1d([1, -2]); // d/dx sum(x * g) = g
    model.optimizer.minimize(() => tf.sum(tf.mul(x, g)) as tf.Scalar, false, [x]);
    // x - 0.05 * g; the old rate would give [0.9, 1.2].
    Array.from(x.dataSync()).forEach((v, i) => expect(v).toBeCloseTo([0.95, 1.1][i]!, 6));
    tf.dispose([x, g]);
    model.dispose();
  });

  it("per 'batch': global steps across epochs, offset by initialEpoch; verbose prints once per epoch", async () => {
    const model = tinyModel();
    const indices: number[] = [];
    const lines: string[] = [];
    const schedule: ScheduleFunction = (step) => (indices.push(step), 0.1 / (step + 1));
    // 10 samples in batches of 4: 3 steps per epoch.
    const cb = wired(schedule, { per: 'batch', verbose: 1, log: (l) => lines.push(l) }, model);
    await cb.onTrainBegin();
    for (const epoch of [0, 1]) {
      await cb.onEpochBegin(epoch);
      for (const b of [0, 1, 2]) await cb.onBatchBegin(b, {});
    }
    expect(indices).toEqual([0, 1, 2, 3, 4, 5]);
    expect(getLearningRate(model.optimizer)).toBeCloseTo(0.1 / 6, 12);
    expect(lines).toEqual([
      'Epoch 1: LearningRateScheduler setting learning rate to 0.1.',
      'Epoch 2: LearningRateScheduler setting learning rate to 0.025.',
    ]);

    const resumed = wired(schedule, { per: 'batch' }, model, { epochs: 4, initialEpoch: 2, samples: 10, batchSize: 4 });
    indices.length = 0;
    await resumed.onTrainBegin();
    await resumed.onEpochBegin(2);
    await resumed.onBatchBegin(0, {});
    expect(indices).toEqual([6]);
    model.dispose();
  });

  it("prints Keras' line per epoch when verbose, and nothing when quiet", async () => {
    const model = tinyModel();
    const lines: string[] = [];
    const loud = wired((e) => 0.1 * 0.5 ** e, { verbose: 1, log: (l) => lines.push(l) }, model);
    await loud.onTrainBegin();
    await loud.onEpochBegin(0);
    await loud.onEpochBegin(1);
    expect(lines).toEqual([
      'Epoch 1: LearningRateScheduler setting learning rate to 0.1.',
      'Epoch 2: LearningRateScheduler setting learning rate to 0.05.',
    ]);
    const quiet = wired(() => 0.1, { log: (l) => lines.push(l) }, model);
    await quiet.onEpochBegin(0);
    expect(lines).toHaveLength(2);
    model.dispose();
  });

  it('rejects a schedule result that is not a finite number >= 0, naming learningRateScheduler and the value', async () => {
    const model = tinyModel();
    for (const [bad, shown] of [
      [Number.NaN, 'NaN'],
      [-0.1, '-0.1'],
      [Number.POSITIVE_INFINITY, 'Infinity'],
      ['0.1', '"0.1"'],
      [undefined, 'undefined'],
    ] as const) {
      const cb = wired(() => bad as unknown as number, {}, model);
      await cb.onTrainBegin();
      await expect(cb.onEpochBegin(3)).rejects.toThrow(
        `learningRateScheduler: the schedule must return a finite number >= 0, got ${shown} (at epoch 3)`,
      );
    }
    expect(getLearningRate(model.optimizer)).toBe(0.1);
    const perBatch = wired(() => -1, { per: 'batch' }, model);
    await perBatch.onTrainBegin();
    await expect(perBatch.onBatchBegin(0, {})).rejects.toThrow('got -1 (at batch 0)');
    const uncompiled = tfl.sequential({ layers: [tfl.layers.dense({ inputShape: [1], units: 1 })] });
    const cb = learningRateScheduler(() => 0.1);
    cb.setModel(uncompiled);
    await expect(cb.onEpochBegin(0)).rejects.toThrow(
      'learningRateScheduler: the model has no optimizer; compile it before fit()',
    );
    model.dispose();
    uncompiled.dispose();
  });

  it('leaks no tensors when setting rates', async () => {
    const model = tinyModel(tf.train.momentum(0.1, 0.9));
    const cb = wired((e) => 0.01 * (e + 1), {}, model);
    let epoch = 0;
    await expectNoLeaks(async () => {
      await cb.onEpochBegin(epoch++);
      await cb.onEpochEnd(epoch, {});
    });
    model.dispose();
  });

  it('puts learning_rate into History in a real model.fit, per epoch and per batch', async () => {
    const x = tf.tensor2d([[0], [1], [2], [3], [4], [5]]);
    const y = tf.tensor2d([[1], [3], [5], [7], [9], [11]]);
    const model = tinyModel(tf.train.adam(0.1));
    const h = await fitting(() =>
      model.fit(x, y, {
        epochs: 4,
        batchSize: 6,
        verbose: 0,
        callbacks: [stepDecay({ initialLearningRate: 0.2, factor: 0.5, stepSize: 2 }).callback()],
      }),
    );
    expect(h.history['learning_rate']).toEqual([0.2, 0.2, 0.1, 0.1]);
    expect(h.history['loss']).toHaveLength(4);

    // 6 samples in batches of 2: 3 steps per epoch, 6 steps in all; the last one used step 5.
    const cosine = cosineDecay({ initialLearningRate: 0.1, decaySteps: 10, per: 'batch' });
    const h2 = await fitting(() =>
      model.fit(x, y, { epochs: 2, batchSize: 2, verbose: 0, callbacks: [cosine.callback()] }),
    );
    expect(h2.history['learning_rate']![0]).toBeCloseTo(cosine(2), 12);
    expect(h2.history['learning_rate']![1]).toBeCloseTo(cosine(5), 12);
    expect(getLearningRate(model.optimizer)).toBeCloseTo(cosine(5), 12);
    model.dispose();
    tf.dispose([x, y]);
  });
});

it('learningRateScheduler rejects bad arguments naming the option and value', () => {
  expect(() => learningRateScheduler(0.1 as never)).toThrow(
    'learningRateScheduler: schedule must be a function (index, currentLearningRate) => number, got 0.1',
  );
  expect(() => learningRateScheduler(() => 0.1, { per: 'step' as never })).toThrow(
    'learningRateScheduler: per must be one of "epoch", "batch", got "step"',
  );
  expect(() => learningRateScheduler(() => 0.1, { verbose: 2 as never })).toThrow(
    'learningRateScheduler: verbose must be 0 or 1, got 2',
  );
  expect(() => learningRateScheduler(() => 0.1, { log: 'console' as never })).toThrow(
    'learningRateScheduler: log must be a function, got "console"',
  );
  expect(() => learningRateScheduler(() => 0.1, 5 as never)).toThrow(
    'learningRateScheduler: options must be an options object, got 5',
  );
  const perEpoch = stepDecay({ initialLearningRate: 0.1, factor: 0.5, stepSize: 1 });
  expect(() => learningRateScheduler(perEpoch, { per: 'batch' })).toThrow(
    'learningRateScheduler: per must be "epoch", the unit the schedule was built for, got "batch"',
  );
  expect(() => learningRateScheduler(perEpoch, { per: 'epoch' })).not.toThrow();
});
