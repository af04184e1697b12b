import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { expect, it } from 'vitest';
import { flow } from '../../src/augment/flow.js';
import { gaussianNoise } from '../../src/augment/gaussianNoise.js';
import { describeBackends } from '../helpers/backends.js';

function data(n: number) {
  // Image i is filled with the value i, and its label is class i % 3: rows can be traced through shuffling.
  const x = tf.tidy(() => tf.mul(tf.ones([n, 2, 2, 1]), tf.reshape(tf.range(0, n), [n, 1, 1, 1]))) as tf.Tensor4D;
  const y = tf.tidy(() =>
    tf.cast(
      tf.oneHot(
        tf.tensor1d(
          Array.from({ length: n }, (_, i) => i % 3),
          'int32',
        ),
        3,
      ),
      'float32',
    ),
  ) as tf.Tensor2D;
  return { x, y };
}

async function epochIds(ds: ReturnType<typeof flow>): Promise<number[][]> {
  const it = await ds.iterator();
  const out: number[][] = [];
  for (let r = await it.next(); !r.done; r = await it.next()) {
    const ids = Array.from(await r.value.xs.data()).filter((_, i) => i % 4 === 0);
    const labels = await tf.argMax(r.value.ys, 1).data();
    ids.forEach((id, i) => expect(labels[i]).toBe(id % 3));
    out.push(ids);
    tf.dispose([r.value.xs, r.value.ys]);
  }
  return out;
}

// Noise of stddev 0.1 never leaves values whole: whole values mean a batch came out unaugmented.
const whole = (t: tf.Tensor): boolean => Array.from(t.dataSync()).every((v) => Number.isInteger(v));

describeBackends('flow', () => {
  it('covers every sample once per epoch, reshuffling each epoch, reproducibly per seed', async () => {
    const { x, y } = data(10);
    const ds = flow(x, y, { batchSize: 4, seed: 3 });
    expect(ds.size).toBe(3);
    const e1 = await epochIds(ds);
    const e2 = await epochIds(ds);
    expect(e1.map((b) => b.length)).toEqual([4, 4, 2]);
    expect(e1.flat().sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(e2.flat().sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(e2.flat()).not.toEqual(e1.flat());
    expect(await epochIds(flow(x, y, { batchSize: 4, seed: 3 }))).toEqual(e1);
    expect((await epochIds(flow(x, y, { batchSize: 4, shuffle: false }))).flat()).toEqual([
      0, 1, 2, 3, 4, 5, 6, 7, 8, 9,
    ]);
    tf.dispose([x, y]);
  });

  it('feeds model.fitDataset without leaking tensors', async () => {
    const { x, y } = data(12);
    const model = tfl.sequential({ layers: [tfl.layers.dense({ inputShape: [4], units: 3, activation: 'softmax' })] });
    model.compile({ optimizer: 'sgd', loss: 'categoricalCrossentropy' });
    const ds = flow(x, y, { batchSize: 5, seed: 1, flatten: true });
    await model.fitDataset(ds as unknown as Parameters<typeof model.fitDataset>[0], { epochs: 1, verbose: 0 });
    const before = tf.memory().numTensors;
    const h = await model.fitDataset(ds as unknown as Parameters<typeof model.fitDataset>[0], {
      epochs: 2,
      verbose: 0,
    });
    expect(h.history['loss']).toHaveLength(2);
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
    tf.dispose([x, y]);
  });

  it('augments the first augmentEpochs epochs only, counting the epochs of iterators and for-await loops alike', async () => {
    const { x, y } = data(10);
    const clean = async (ds: ReturnType<typeof flow>) => {
      const it = await ds.iterator();
      let all = true;
      for (let r = await it.next(); !r.done; r = await it.next()) {
        all &&= whole(r.value.xs);
        tf.dispose([r.value.xs, r.value.ys]);
      }
      return all;
    };
    const noisy = flow(x, y, {
      batchSize: 4,
      seed: 2,
      pipeline: gaussianNoise({ stddev: 0.1, seed: 1 }),
      augmentEpochs: 2,
    });
    expect([await clean(noisy), await clean(noisy), await clean(noisy), await clean(noisy)]).toEqual([
      false,
      false,
      true,
      true,
    ]);
    expect(await clean(flow(x, y, { batchSize: 4, pipeline: gaussianNoise({ stddev: 0.1 }), augmentEpochs: 0 }))).toBe(
      true,
    );
    expect(await clean(flow(x, y, { batchSize: 4, pipeline: gaussianNoise({ stddev: 0.1 }) }))).toBe(false);
    const looped = flow(x, y, {
      batchSize: 5,
      seed: 2,
      pipeline: gaussianNoise({ stddev: 0.1, seed: 1 }),
      augmentEpochs: 1,
      epochs: 2,
    });
    const batches: boolean[] = [];
    for await (const { xs, ys } of looped) {
      batches.push(whole(xs));
      tf.dispose([xs, ys]);
    }
    expect(batches).toEqual([false, false, true, true]);
    expect(await clean(looped)).toBe(true);
    tf.dispose([x, y]);
  });

  it('under fitDataset augments exactly augmentEpochs epochs (its unread first iterator does not count), leaking nothing', async () => {
    const { x, y } = data(10);
    const model = tfl.sequential({ layers: [tfl.layers.dense({ inputShape: [4], units: 3, activation: 'softmax' })] });
    model.compile({ optimizer: 'sgd', loss: 'categoricalCrossentropy' });
    // Per epoch, how many batches came out noisy.
    const run = async () => {
      const ds = flow(x, y, {
        batchSize: 5,
        seed: 1,
        flatten: true,
        pipeline: gaussianNoise({ stddev: 0.1, seed: 1 }),
        augmentEpochs: 2,
      });
      const perEpoch: number[] = [0];
      const watched = {
        size: ds.size,
        iterator: async () => {
          const it = await ds.iterator();
          return {
            next: async () => {
              const r = await it.next();
              if (!r.done && !whole(r.value.xs)) perEpoch[perEpoch.length - 1]! += 1;
              return r;
            },
          };
        },
      };
      const probe = new tfl.CustomCallback({ onEpochEnd: async () => void perEpoch.push(0) });
      await model.fitDataset(watched as unknown as Parameters<typeof model.fitDataset>[0], {
        epochs: 4,
        verbose: 0,
        callbacks: [probe],
      });
      return perEpoch.slice(0, 4);
    };
    expect(await run()).toEqual([2, 2, 0, 0]);
    // The first run warmed tfjs' caches: augmented and clean epochs alike must leave nothing behind.
    const before = tf.memory().numTensors;
    expect(await run()).toEqual([2, 2, 0, 0]);
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
    tf.dispose([x, y]);
  });

  it('rejects bad input naming flow, the argument and the value', () => {
    const { x, y } = data(4);
    expect(() => flow(tf.zeros([4, 2]) as unknown as tf.Tensor4D, y)).toThrow(
      'flow: x must be a Tensor4D [n, height, width, channels], got [4,2]',
    );
    expect(() => flow(x, tf.zeros([3, 3]) as tf.Tensor2D)).toThrow(
      'flow: y must be a Tensor2D [4, numClasses], got [3,3]',
    );
    expect(() => flow(x, y, { batchSize: 0 })).toThrow('flow: batchSize must be a positive integer, got 0');
    expect(() => flow(x, y, { augmentEpochs: -1 })).toThrow(
      'flow: augmentEpochs must be a non-negative integer, got -1',
    );
    expect(() => flow(x, y, { augmentEpochs: 1.5 })).toThrow(
      'flow: augmentEpochs must be a non-negative integer, got 1.5',
    );
    tf.dispose([x, y]);
  });
});
