import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import fc from 'fast-check';
import { expect, it } from 'vitest';
import { earlyStopping } from '../../src/callbacks/earlyStopping.js';
import type { EarlyStoppingOptions } from '../../src/callbacks/earlyStopping.js';
import { describeBackends } from '../helpers/backends.js';
import { runs } from '../helpers/runs.js';

function tinyModel(): tfl.LayersModel {
  const model = tfl.sequential({ layers: [tfl.layers.dense({ inputShape: [2], units: 1 })] });
  model.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
  return model;
}

/** Simulates training: before each epoch end the weights are set to `epoch + 1`, so weights name their epoch. */
async function drive(values: number[], options: EarlyStoppingOptions, key = options.monitor ?? 'val_loss') {
  const model = tinyModel();
  const cb = earlyStopping({ log: () => {}, ...options });
  cb.setModel(model);
  await cb.onTrainBegin();
  let epochsRun = 0;
  for (const [epoch, v] of values.entries()) {
    tf.tidy(() => model.setWeights(model.getWeights().map((w) => tf.fill(w.shape, epoch + 1))));
    await cb.onEpochEnd(epoch, { [key]: v });
    epochsRun = epoch + 1;
    if (model.stopTraining) break;
  }
  await cb.onTrainEnd();
  const weightEpoch = model.getWeights()[0]!.dataSync()[0]! - 1;
  model.dispose();
  return { epochsRun, stoppedEpoch: cb.stoppedEpoch, bestEpoch: cb.bestEpoch, best: cb.best, weightEpoch };
}

describeBackends('earlyStopping', () => {
  it('stops after patience epochs without improvement, as Keras does', async () => {
    const r = await drive([1.0, 0.8, 0.85, 0.9, 0.7], { patience: 2 });
    expect(r).toMatchObject({ epochsRun: 4, stoppedEpoch: 3, bestEpoch: 1, best: 0.8 });
    // patience 0 stops at the first non-improving epoch; minDelta makes small gains not count.
    expect((await drive([1, 1.1, 0.5], { patience: 0 })).stoppedEpoch).toBe(1);
    expect((await drive([1, 0.995, 0.99, 0.5], { patience: 1, minDelta: 0.02 })).stoppedEpoch).toBe(1);
    expect((await drive([1, 0.995, 0.99, 0.5], { patience: 1, minDelta: 0.001 })).stoppedEpoch).toBe(0);
  });

  it('mode auto maximises accuracy under its tfjs or Keras name; baseline and startFromEpoch', async () => {
    expect(
      (await drive([0.9, 0.95, 0.94, 0.93], { monitor: 'val_accuracy', patience: 2 }, 'val_acc')).stoppedEpoch,
    ).toBe(3);
    // Improvements that stay below the baseline do not restart patience (Keras 3).
    expect((await drive([0.5, 0.6, 0.6, 0.6], { monitor: 'acc', patience: 2, baseline: 0.9 })).stoppedEpoch).toBe(2);
    expect((await drive([0.5, 0.6, 0.6, 0.6], { monitor: 'acc', patience: 2 })).stoppedEpoch).toBe(3);
    // Nothing is monitored before startFromEpoch, so an early best does not count.
    const r = await drive([0.1, 1, 0.9, 0.95, 0.96], { patience: 2, startFromEpoch: 1 });
    expect(r).toMatchObject({ bestEpoch: 2, stoppedEpoch: 4 });
  });

  it('restoreBestWeights restores exactly the best epoch weights (copies), stopped early or not', async () => {
    const r = await drive([1.0, 0.8, 0.85, 0.9, 0.7], { patience: 2, restoreBestWeights: true });
    expect(r.weightEpoch).toBe(1);
    const full = await drive([1.0, 0.8, 0.6, 0.7], { patience: 5, restoreBestWeights: true });
    expect(full).toMatchObject({ stoppedEpoch: 0, weightEpoch: 2 });
    const off = await drive([1.0, 0.8, 0.85, 0.9], { patience: 2 });
    expect(off.weightEpoch).toBe(3);
  });

  it('property: restored weights are those of the first epoch reaching the minimum seen', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 1, maxLength: 12 }),
        fc.integer({ min: 0, max: 3 }),
        async (vals, patience) => {
          const r = await drive(vals, { patience, restoreBestWeights: true });
          const seen = vals.slice(0, r.epochsRun);
          const min = Math.min(...seen);
          expect(r.weightEpoch).toBe(seen.indexOf(min));
          expect(r.best).toBe(min);
        },
      ),
      { numRuns: runs(40) },
    );
  });

  it('keeps no tensors after training ends', async () => {
    const before = tf.memory().numTensors;
    await drive([1, 0.5, 0.7, 0.8], { patience: 1, restoreBestWeights: true });
    expect(tf.memory().numTensors).toBe(before);
  });

  it('leaves no tensor behind when fit fails after it kept the best weights', async () => {
    const model = tfl.sequential({ layers: [tfl.layers.dense({ inputShape: [2], units: 2 })] });
    model.compile({ optimizer: tf.train.sgd(0.1), loss: 'meanSquaredError' });
    const x = tf.ones([4, 2]);
    const failing = () =>
      model.fit(x, x, {
        epochs: 5,
        verbose: 0,
        validationData: [x, x],
        callbacks: [
          earlyStopping({ patience: 3, restoreBestWeights: true }),
          new tfl.CustomCallback({
            onEpochEnd: async (epoch) => {
              if (epoch === 2) throw new Error('boom');
            },
          }),
        ],
      });
    await expect(failing()).rejects.toThrow('boom');
    const before = tf.memory().numTensors;
    await expect(failing()).rejects.toThrow('boom');
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose(x);
    model.dispose();
  });

  it('prints Keras lines when verbose, rejects bad options', async () => {
    const lines: string[] = [];
    await drive([1, 2, 3], { patience: 1, restoreBestWeights: true, verbose: 1, log: (l) => lines.push(l) });
    expect(lines).toEqual(['Epoch 2: early stopping', 'Restoring model weights from the end of the best epoch: 1.']);
    expect(() => earlyStopping({ patience: -1 })).toThrow(
      'earlyStopping: patience must be a finite number >= 0, got -1',
    );
    expect(() => earlyStopping({ baseline: Number.NaN })).toThrow(
      'earlyStopping: baseline must be a finite number or undefined, got NaN',
    );
    expect(() => earlyStopping({ restoreBestWeights: 'yes' as unknown as boolean })).toThrow(
      'earlyStopping: restoreBestWeights must be a boolean, got "yes"',
    );
    expect(() => earlyStopping({ mode: 'maximum' as 'max' })).toThrow(
      'earlyStopping: mode must be one of "auto", "min", "max", got "maximum"',
    );
  });
});
