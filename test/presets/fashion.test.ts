import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { expect, it } from 'vitest';
import { fashionCnn, fashionCnnModern, fashionMlp, mnistExercise } from '../../src/presets/index.js';
import { predictWithFlips } from '../../src/augment/predictWithFlips.js';
import { cachedConstantCount } from '../../src/core/constantCache.js';
import { loadFashionMnist } from '../../src/data/loadFashionMnist.js';
import { describeBackends } from '../helpers/backends.js';
import { quick } from './helpers.js';

// Smoke runs on Fashion-MNIST's first few hundred training images (Debian's dataset-fashion-mnist, which .ci/run
// installs).

/** Counts the batches of every epoch. */
function batchCounter(): { callback: tfl.CustomCallback; perEpoch: number[] } {
  const perEpoch: number[] = [];
  const callback = new tfl.CustomCallback({
    onEpochBegin: async () => void perEpoch.push(0),
    onBatchEnd: async () => void (perEpoch[perEpoch.length - 1]! += 1),
  });
  return { callback, perEpoch };
}

describeBackends('Fashion-MNIST presets', (backend) => {
  const heavy = it.skipIf(backend !== 'tensorflow');

  it('builds and runs the convnet here, leaving no tensors; trains it where the backend can, and says why where it cannot', async () => {
    const before = tf.memory().numTensors;
    const model = fashionCnnModern().model();
    const y = tf.tidy(() => model.predict(tf.zeros([2, 28, 28, 1])) as tf.Tensor);
    expect(y.shape).toEqual([2, 10]);
    // Softmax rows.
    for (const row of (await y.array()) as number[][]) expect(row.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
    tf.dispose(y);
    model.optimizer.dispose();
    model.dispose();
    expect(tf.memory().numTensors).toBe(before);
    if (backend === 'wasm') {
      // tfjs-backend-wasm 4.22 has no Conv2DBackpropFilter kernel: a clear error before any work.
      await expect(fashionCnn().train(quick(backend))).rejects.toThrow(
        /^fashionCnn\.train: the wasm backend cannot train a convnet \(it has no Conv2DBackpropFilter kernel\); use tensorflow/,
      );
    }
  });

  heavy(
    'fashionCnnModern trains end to end on Fashion-MNIST and leaves no tensors behind (tensorflow only)',
    async () => {
      // tfjs' cpu backend trains a convnet too, but a batch of 8 takes over a minute there: not in CI's time.
      const before = tf.memory().numTensors;
      const cachedBefore = cachedConstantCount();
      const r = await fashionCnnModern().train(quick(backend, { epochs: 1, subset: 300, batchSize: 32 }));
      expect(r.preset).toBe('fashionCnnModern');
      expect(r.history).toHaveLength(1);
      expect(Number.isFinite(r.testAccuracy) && Number.isFinite(r.history[0]!.loss)).toBe(true);
      const cached = cachedConstantCount() - cachedBefore;
      expect(tf.memory().numTensors - before - cached).toBeLessThanOrEqual(1);
    },
    300_000,
  );

  heavy(
    'fashionMlp is the notebook cell on Fashion-MNIST: its split and its best checkpoint (tensorflow only)',
    async () => {
      const r = await fashionMlp().train(quick(backend, { epochs: 2 }));
      expect(fashionMlp().dataset).toBe('fashionMnist');
      expect(r.history.map((h) => h.epoch)).toEqual([1, 2]);
      expect(r.bestValAccuracy).toBe(Math.max(...r.history.map((h) => h.val_accuracy)));
      expect(r.testAccuracy).toBeGreaterThan(0.3);
      expect(r.history.every((h) => Number.isFinite(h.val_loss))).toBe(true);
    },
    300_000,
  );

  heavy(
    'the convnets train on every image by default and on the first five sixths with holdout, validating on the rest (tensorflow only)',
    async () => {
      for (const preset of [fashionCnn(), fashionCnnModern()]) {
        const all = batchCounter();
        const full = await preset.train(quick(backend, { callbacks: [all.callback] }));
        // 600 images in batches of 128: 5 batches; nothing to validate on, the last epoch is tested.
        expect(all.perEpoch, preset.name).toEqual([5, 5]);
        expect(full.history.every((h) => Number.isNaN(h.val_accuracy))).toBe(true);
        expect(full.bestEpoch).toBe(2);
        const held = batchCounter();
        const r = await preset.train(quick(backend, { holdout: true, callbacks: [held.callback] }));
        // 500 training images (4 batches), the last 100 validated on after every epoch.
        expect(held.perEpoch, preset.name).toEqual([4, 4]);
        for (const h of r.history) {
          // An accuracy over 100 images is a whole number of percent.
          expect(h.val_accuracy * 100, preset.name).toBeCloseTo(Math.round(h.val_accuracy * 100), 4);
          expect(Number.isFinite(h.val_loss)).toBe(true);
        }
        expect(Number.isFinite(r.testAccuracy)).toBe(true);
      }
    },
    300_000,
  );

  heavy(
    "fashionCnnModern's schedule warms up for an epoch then decays; fashionCnn keeps Adam's rate (tensorflow only)",
    async () => {
      const modern = await fashionCnnModern().train(quick(backend, { epochs: 3 }));
      const lrs = modern.history.map((h) => h.learning_rate);
      expect(lrs[0]).toBeCloseTo(0.0002, 7);
      expect(lrs[1]).toBeCloseTo(0.002, 5);
      expect(lrs[2]!).toBeLessThan(lrs[1]!);
      const plain = await fashionCnn().train(quick(backend, { epochs: 2 }));
      expect(plain.history.map((h) => h.learning_rate)).toEqual([0.001, 0.001]);
    },
    300_000,
  );

  heavy(
    "fashionCnnModern's test figures are its final weights' with test-time flips, fashionCnn's plain (tensorflow only)",
    async () => {
      // subset 600 tests on the first 100 test images.
      const { test } = await loadFashionMnist();
      const x = tf.tidy(() =>
        tf.div<tf.Tensor4D>(tf.tensor4d(test.images.subarray(0, 100 * 784), [100, 28, 28, 1], 'float32'), 255),
      );
      const y = tf.oneHot(tf.tensor1d(test.labels.subarray(0, 100), 'int32'), 10);
      /** At the end of training, the final weights' scores on those images, with flips and without. */
      class Scores extends tfl.Callback {
        seen: { loss: number; accuracy: number }[] = [];
        constructor(
          private readonly flips: boolean,
          private readonly smoothing = 0.1,
        ) {
          super();
        }
        override async onTrainEnd(): Promise<void> {
          const model = this.model as tfl.LayersModel;
          const [loss, accuracy] = tf.tidy(() => {
            const p = this.flips ? predictWithFlips(model, x) : (model.predict(x) as tf.Tensor);
            // The recipe's loss: label smoothing, probabilities clipped as Keras does.
            const smoothed = tf.add(tf.mul(y, 1 - this.smoothing), this.smoothing / 10);
            const ce = tf.neg(tf.sum(tf.mul(smoothed, tf.log(tf.clipByValue(p, 1e-7, 1 - 1e-7))), -1));
            const hits = tf.cast(tf.equal(tf.argMax(p, -1), tf.argMax(y, -1)), 'float32');
            return [tf.mean(ce).dataSync()[0]!, tf.mean(hits).dataSync()[0]!];
          });
          this.seen.push({ loss, accuracy });
        }
      }
      const flipped = new Scores(true);
      const plain = new Scores(false);
      const r = await fashionCnnModern().train(quick(backend, { callbacks: [flipped, plain] }));
      expect(r.testAccuracy).toBeCloseTo(flipped.seen[0]!.accuracy, 6);
      expect(r.testLoss).toBeCloseTo(flipped.seen[0]!.loss, 4);
      // The two views' figures differ, so the ones above are not the plain evaluation's.
      expect(Math.abs(plain.seen[0]!.loss - flipped.seen[0]!.loss)).toBeGreaterThan(1e-3);
      const baseline = new Scores(false, 0);
      const p = await fashionCnn().train(quick(backend, { callbacks: [baseline] }));
      expect(p.testAccuracy).toBeCloseTo(baseline.seen[0]!.accuracy, 6);
      expect(p.testLoss).toBeCloseTo(baseline.seen[0]!.loss, 4);
      tf.dispose([x, y]);
    },
    300_000,
  );

  heavy(
    'is reproducible per seed, and the seed changes the run (tensorflow only)',
    async () => {
      const a = await fashionCnnModern().train(quick(backend, { seed: 3, holdout: true }));
      const b = await fashionCnnModern().train(quick(backend, { seed: 3, holdout: true }));
      const c = await fashionCnnModern().train(quick(backend, { seed: 4, holdout: true }));
      expect(b.history.map((h) => h.loss)).toEqual(a.history.map((h) => h.loss));
      expect(b.testAccuracy).toBe(a.testAccuracy);
      expect(c.history.map((h) => h.loss)).not.toEqual(a.history.map((h) => h.loss));
    },
    300_000,
  );
});

it("builds the recipes' models: the convnet's size, the modern optimizer keeping an EMA of AdamW", () => {
  const plain = fashionCnn().model();
  const modern = fashionCnnModern().model();
  try {
    expect(plain.countParams()).toBe(289066);
    expect(modern.countParams()).toBe(289066);
    expect(plain.inputs[0]!.shape).toEqual([null, 28, 28, 1]);
    expect(plain.optimizer.getClassName()).toBe('AdamW');
    expect(modern.optimizer.getClassName()).toBe('WithEma');
  } finally {
    for (const m of [plain, modern]) {
      m.optimizer.dispose();
      m.dispose();
    }
  }
});

it('rejects MNIST-only options and holdout where they do not apply, naming the preset', async () => {
  await expect(fashionCnn().train({ mnistUrl: 'http://127.0.0.1:1/mnist.npz' })).rejects.toThrow(
    /^fashionCnn\.train: mnistUrl must be absent: this preset trains on Fashion-MNIST/,
  );
  await expect(fashionMlp().train({ holdout: true })).rejects.toThrow(/^fashionMlp\.train: holdout must be false/);
  // The exercise trains on everything, so it can hold out the last 10,000 too.
  expect(mnistExercise().dataset).toBe('mnist');
});
