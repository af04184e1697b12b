import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { expect, it } from 'vitest';
import { earlyStopping } from '../../src/callbacks/earlyStopping.js';
import { getLearningRate } from '../../src/callbacks/getLearningRate.js';
import { reduceLROnPlateau } from '../../src/callbacks/reduceLROnPlateau.js';
import { describeBackends } from '../helpers/backends.js';

/** A small separable problem, so a few epochs of real training move the metrics. */
function problem(seed: number) {
  return tf.tidy(() => {
    const x = tf.randomNormal([64, 4], 0, 1, 'float32', seed);
    const w = tf.tensor2d([[1], [-2], [0.5], [1.5]]);
    const y = tf.cast(tf.greater(tf.matMul(x, w), 0), 'float32');
    return { x, y: tf.concat([y, tf.sub(1, y)], 1) };
  });
}

describeBackends('callbacks in a real model.fit', () => {
  it('reduceLROnPlateau and earlyStopping act on real logs and leave the model in the best state', async () => {
    const { x, y } = problem(11);
    const model = tfl.sequential({ layers: [tfl.layers.dense({ inputShape: [4], units: 8, activation: 'relu', kernelInitializer: tfl.initializers.glorotUniform({ seed: 1 }) }), tfl.layers.dense({ units: 2, activation: 'softmax', kernelInitializer: tfl.initializers.glorotUniform({ seed: 2 }) })] });
    model.compile({ optimizer: tf.train.momentum(0.05, 0.9), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
    // monitor the training loss with impossible min_delta: every epoch is "no improvement".
    const reduce = reduceLROnPlateau({ monitor: 'loss', patience: 1, factor: 0.5, minDelta: 1e9 });
    const stop = earlyStopping({ monitor: 'val_accuracy', patience: 100, restoreBestWeights: true });
    const snapshots: number[][] = [];
    const h = await model.fit(x, y, {
      epochs: 4,
      batchSize: 16,
      validationData: [x, y],
      verbose: 0,
      callbacks: [reduce, stop, new tfl.CustomCallback({ onEpochEnd: async () => void snapshots.push(Array.from(await model.getWeights()[0]!.data())) })],
    });
    // Keras order: epoch 1 sets best; epochs 2, 3, 4 each exceed patience 1 and halve the LR.
    expect(h.history['lr']).toEqual([0.05, 0.025, 0.0125, 0.00625]);
    expect(getLearningRate(model.optimizer)).toBe(0.00625);
    const accs = h.history['val_acc'] as number[];
    const best = accs.indexOf(Math.max(...accs));
    expect(stop.bestEpoch).toBe(best);
    const restored = Array.from(await model.getWeights()[0]!.data());
    restored.forEach((v, i) => expect(v).toBeCloseTo(snapshots[best]![i]!, 6));
    model.dispose();
    tf.dispose([x, y]);
  });
});
