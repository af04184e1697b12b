import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { historyLogger } from '../../src/callbacks/historyLogger.js';
import { loadCheckpoint } from '../../src/callbacks/loadCheckpoint.js';
import { modelCheckpoint } from '../../src/callbacks/modelCheckpoint.js';
import { progressLogger } from '../../src/callbacks/progressLogger.js';
import { stepDecay } from '../../src/callbacks/stepDecay.js';
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

/** A seeded 4-8-2 classifier; its two layers are seeded `seed` and `seed + 1`. */
const mlp = (seed: number) =>
  tfl.sequential({
    layers: [
      tfl.layers.dense({
        inputShape: [4],
        units: 8,
        activation: 'relu',
        kernelInitializer: tfl.initializers.glorotUniform({ seed }),
      }),
      tfl.layers.dense({
        units: 2,
        activation: 'softmax',
        kernelInitializer: tfl.initializers.glorotUniform({ seed: seed + 1 }),
      }),
    ],
  });

describeBackends('callbacks in a real model.fit', () => {
  it('reduceLROnPlateau and earlyStopping act on real logs and leave the model in the best state', async () => {
    const { x, y } = problem(11);
    const model = mlp(1);
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
      callbacks: [
        reduce,
        stop,
        new tfl.CustomCallback({
          onEpochEnd: async () => void snapshots.push(Array.from(await model.getWeights()[0]!.data())),
        }),
      ],
    });
    // Keras order: epoch 1 sets best; epochs 2, 3, 4 each exceed patience 1 and halve the LR.
    expect(h.history['learning_rate']).toEqual([0.05, 0.025, 0.0125, 0.00625]);
    expect(getLearningRate(model.optimizer)).toBe(0.00625);
    const accs = h.history['val_acc'] as number[];
    const best = accs.indexOf(Math.max(...accs));
    expect(stop.bestEpoch).toBe(best);
    const restored = Array.from(await model.getWeights()[0]!.data());
    restored.forEach((v, i) => expect(v).toBeCloseTo(snapshots[best]![i]!, 6));
    model.dispose();
    tf.dispose([x, y]);
  });

  it('all callbacks together: scheduled LR, checkpoint on disk that loads back, restored weights, CSV and progress lines', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tfjs-reg-integration-'));
    const { x, y } = problem(5);
    const model = mlp(3);
    model.compile({ optimizer: tf.train.sgd(0.2), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
    const progress: string[] = [];
    const h = await model.fit(x, y, {
      epochs: 4,
      batchSize: 16,
      validationData: [x, y],
      verbose: 0,
      callbacks: [
        stepDecay({ initialLearningRate: 0.2, factor: 0.5, stepSize: 2 }).callback(),
        modelCheckpoint({ filepath: join(dir, 'best'), monitor: 'val_loss', saveBestOnly: true }),
        earlyStopping({ monitor: 'val_loss', patience: 10, restoreBestWeights: true }),
        historyLogger({ path: join(dir, 'history.csv') }),
        progressLogger({ verbose: 1, stream: { write: (t: string) => void progress.push(t), isTTY: false } }),
      ],
    });
    expect(h.history['learning_rate']).toEqual([0.2, 0.2, 0.1, 0.1]);
    expect(getLearningRate(model.optimizer)).toBe(0.1);
    // The checkpoint holds the best val_loss epoch, which is also what earlyStopping restored.
    const loaded = await loadCheckpoint(join(dir, 'best'));
    const a = model.predict(x) as tf.Tensor;
    const b = loaded.predict(x) as tf.Tensor;
    expect(Array.from(await b.data())).toEqual(Array.from(await a.data()));
    const csv = (await readFile(join(dir, 'history.csv'), 'utf8')).trim().split('\n');
    expect(csv).toHaveLength(5);
    expect(csv[0]!.split(',')).toContain('learning_rate');
    expect(progress.join('').match(/^Epoch \d\/4 /gm)).toHaveLength(4);
    tf.dispose([a, b, x, y]);
    model.dispose();
    loaded.dispose();
    await rm(dir, { recursive: true, force: true });
  });
});
