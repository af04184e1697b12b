import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import fc from 'fast-check';
import { expect, it } from 'vitest';
import { getLearningRate } from '../../src/callbacks/getLearningRate.js';
import { stochasticWeightAveraging } from '../../src/callbacks/stochasticWeightAveraging.js';
import { describeBackends } from '../helpers/backends.js';
import { expectNoLeaks } from '../helpers/leaks.js';
import { runs } from '../helpers/runs.js';

function compiled(optimizer: tf.Optimizer = tf.train.sgd(0.05)): tfl.LayersModel {
  const model = tfl.sequential({
    layers: [tfl.layers.dense({ inputShape: [3], units: 2, activation: 'tanh' }), tfl.layers.dense({ units: 1 })],
  });
  model.compile({ optimizer, loss: 'meanSquaredError' });
  return model;
}

const host = (model: tfl.LayersModel) => model.trainableWeights.map((w) => Array.from(w.read().dataSync()));

function problem() {
  const x = tf.randomNormal([8, 3], 0, 1, 'float32', 3);
  const y = tf.sum(x, 1, true);
  return { x, y, dispose: () => tf.dispose([x, y]) };
}

describeBackends('stochasticWeightAveraging', () => {
  it('property: the weights after fit are the mean of the snapshots taken at the chosen epoch ends', async () => {
    const data = problem();
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 3 }),
        fc.integer({ min: 1, max: 3 }),
        fc.integer({ min: 1, max: 6 }),
        fc.option(fc.integer({ min: 0, max: 5 }), { nil: undefined }),
        async (startEpoch, frequency, epochs, stopAt) => {
          const model = compiled();
          const snapshots: number[][][] = [];
          const chosen: number[] = [];
          // The recorder runs before the callback, on the raw weights of every epoch end.
          const recorder = new tfl.CustomCallback({
            onEpochEnd: async (epoch) => {
              snapshots.push(host(model));
              if (epoch >= startEpoch && (epoch - startEpoch + 1) % frequency === 0) chosen.push(epoch);
              if (epoch === stopAt) model.stopTraining = true;
            },
          });
          const swa = stochasticWeightAveraging({ startEpoch, frequency });
          await model.fit(data.x, data.y, { batchSize: 4, epochs, verbose: 0, callbacks: [recorder, swa] });
          const after = host(model);
          expect(swa.count).toBe(chosen.length);
          if (chosen.length === 0) {
            // No snapshot: the model keeps its trained weights.
            expect(after).toEqual(snapshots.at(-1));
          } else {
            const mean = after.map((w, k) =>
              w.map((_, j) => chosen.reduce((s, e) => s + snapshots[e]![k]![j]!, 0) / chosen.length),
            );
            after.forEach((w, k) => w.forEach((v, j) => expect(v).toBeCloseTo(mean[k]![j]!, 5)));
            // The mean differs from the last raw weights whenever two different snapshots were averaged.
            if (chosen.length > 1) expect(after).not.toEqual(snapshots.at(-1));
          }
          expect(swa.averages()).toEqual({});
          model.dispose();
        },
      ),
      { numRuns: runs(12) },
    );
    data.dispose();
  });

  it('holds learningRate from startEpoch on, through setLearningRate (SGD and Adam)', async () => {
    const data = problem();
    for (const optimizer of [tf.train.sgd(0.1), tf.train.adam(0.1)]) {
      const model = compiled(optimizer);
      const rates: number[] = [];
      const swa = stochasticWeightAveraging({ startEpoch: 2, learningRate: 0.01 });
      const reader = new tfl.CustomCallback({ onEpochBegin: async () => void rates.push(getLearningRate(optimizer)) });
      await model.fit(data.x, data.y, { batchSize: 8, epochs: 4, verbose: 0, callbacks: [swa, reader] });
      expect(rates).toEqual([0.1, 0.1, 0.01, 0.01]);
      model.dispose();
    }
    data.dispose();
  });

  it('does not average an epoch cut short by a stop during its batches', async () => {
    const data = problem();
    const model = compiled();
    const swa = stochasticWeightAveraging({ startEpoch: 0 });
    const stopper = new tfl.CustomCallback({
      onBatchEnd: async (batch) => {
        if (batch === 0 && swa.count === 2) model.stopTraining = true;
      },
    });
    await model.fit(data.x, data.y, { batchSize: 4, epochs: 5, verbose: 0, callbacks: [swa, stopper] });
    expect(swa.count).toBe(2);
    model.dispose();
    data.dispose();
  });

  it('exposes the running averages by weight name during training', async () => {
    const data = problem();
    const model = compiled();
    const swa = stochasticWeightAveraging({ startEpoch: 0 });
    let names: string[] = [];
    const reader = new tfl.CustomCallback({ onEpochEnd: async () => void (names = Object.keys(swa.averages())) });
    await model.fit(data.x, data.y, { batchSize: 8, epochs: 2, verbose: 0, callbacks: [swa, reader] });
    expect(names).toEqual(model.trainableWeights.map((w) => w.name));
    model.dispose();
    data.dispose();
  });

  it('leaves no tensor behind across a multi-epoch fit; dispose() frees what a failed fit kept', async () => {
    const data = problem();
    const model = compiled();
    await expectNoLeaks(() =>
      model.fit(data.x, data.y, {
        batchSize: 4,
        epochs: 4,
        verbose: 0,
        callbacks: [stochasticWeightAveraging({ startEpoch: 1, learningRate: 0.01 })],
      }),
    );
    const swa = stochasticWeightAveraging({ startEpoch: 0 });
    const before = tf.memory().numTensors;
    const boom = new tfl.CustomCallback({
      onEpochEnd: async (epoch) => {
        if (epoch === 1) throw new Error('boom');
      },
    });
    await expect(
      model.fit(data.x, data.y, { batchSize: 4, epochs: 3, verbose: 0, callbacks: [swa, boom] }),
    ).rejects.toThrow('boom');
    swa.dispose();
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
    data.dispose();
  });

  it('rejects bad options naming stochasticWeightAveraging', () => {
    const swa = stochasticWeightAveraging as (o: unknown) => unknown;
    expect(() => swa(undefined)).toThrow(
      'stochasticWeightAveraging: options must be an options object with startEpoch',
    );
    expect(() => swa({})).toThrow('stochasticWeightAveraging: startEpoch must be an integer, got undefined');
    expect(() => swa({ startEpoch: 1, frequency: 0 })).toThrow(
      'stochasticWeightAveraging: frequency must be an integer >= 1, got 0',
    );
    expect(() => swa({ startEpoch: 1, learningRate: -1 })).toThrow(
      'stochasticWeightAveraging: learningRate must be a finite number > 0, got -1',
    );
    expect(() => swa({ startEpoch: 1, swa_lr: 0.1 })).toThrow('stochasticWeightAveraging: unknown option "swa_lr"');
  });
});
