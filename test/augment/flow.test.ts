import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { describe, expect, it } from 'vitest';
import { flow } from '../../src/augment/flow.js';
import { gaussianNoise } from '../../src/augment/gaussianNoise.js';
import { pipeline } from '../../src/augment/pipeline.js';
import { randomAffine } from '../../src/augment/randomAffine.js';
import { randomCrop } from '../../src/augment/randomCrop.js';
import { randomFlip } from '../../src/augment/randomFlip.js';
import { RESUMABLE } from '../../src/core/resumable.js';
import type { Resumable } from '../../src/core/resumable.js';
import { describeBackends } from '../helpers/backends.js';
import { expectNoLeaks } from '../helpers/leaks.js';

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
      'flow: y must be a Tensor2D [4, numClasses] (labels) or a Tensor4D [4, 2, 2, maskChannels] (masks), got [3,3]',
    );
    expect(() => flow(x, tf.zeros([4, 2, 3, 1]) as tf.Tensor4D)).toThrow(
      /^flow: y must be .* \(masks\), got \[4,2,3,1\]/,
    );
    expect(() => flow(x, tf.zeros([4, 2, 2, 1], 'bool') as tf.Tensor4D)).toThrow(
      'flow: y dtype must be "float32" or "int32" (class ids) for masks, got "bool"',
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

  describe('with masks as y', () => {
    /** Images and, as masks, their first channel thresholded at 0.5, as int32 ids (1 and 2) or float 0/1. */
    function segmentation(n: number, dtype: 'int32' | 'float32') {
      const x = tf.randomUniform([n, 6, 5, 2], 0, 1, 'float32', 11) as tf.Tensor4D;
      const masks = tf.tidy(() => {
        const fg = tf.cast(tf.greater(tf.slice(x, [0, 0, 0, 0], [-1, -1, -1, 1]), 0.5), dtype);
        return (dtype === 'int32' ? tf.add(fg, tf.scalar(1, 'int32')) : fg) as tf.Tensor4D;
      });
      return { x, masks };
    }
    // Every step samples nearest with a 0 fill, as masks are sampled: thresholded images must equal the masks.
    const geometric = (seed: number) =>
      pipeline(
        [
          randomCrop({ padding: 1, seed }),
          randomFlip({ seed: seed + 1 }),
          randomAffine({ rotationRange: 30, interpolation: 'nearest', fillMode: 'constant', seed: seed + 2 }),
        ],
        { seed },
      );
    const epochPairs = async (ds: ReturnType<typeof flow>) => {
      const it = await ds.iterator();
      const out: { xs: number[]; ys: number[]; dtype: string }[] = [];
      for (let r = await it.next(); !r.done; r = await it.next()) {
        out.push({
          xs: Array.from(r.value.xs.dataSync()),
          ys: Array.from(r.value.ys.dataSync()),
          dtype: r.value.ys.dtype,
        });
        tf.dispose([r.value.xs, r.value.ys]);
      }
      return out;
    };

    it('moves the masks with their images through a geometric pipeline, int32 ids and float masks alike', async () => {
      for (const dtype of ['int32', 'float32'] as const) {
        const { x, masks } = segmentation(7, dtype);
        const pairs = await epochPairs(flow(x, masks, { batchSize: 3, pipeline: geometric(5), seed: 2 }));
        expect(pairs.map((p) => p.xs.length / 60)).toEqual([3, 3, 1]);
        let moved = 0;
        for (const { xs, ys, dtype: got } of pairs) {
          expect(got).toBe(dtype);
          ys.forEach((id, i) => {
            // int32: 0 only where the fill came in (images 0 there too); else the threshold of the first channel.
            const v = xs[2 * i]!;
            const fg = v > 0.5 ? 1 : 0;
            if (dtype === 'int32' && id === 0) expect([v, xs[2 * i + 1]]).toEqual([0, 0]);
            else expect(id).toBe(dtype === 'int32' ? fg + 1 : fg);
          });
          moved += ys.filter((id) => id === 0).length;
        }
        // The pipeline moved them: without a transform no int32 id would be 0.
        if (dtype === 'int32') expect(moved).toBeGreaterThan(0);
        tf.dispose([x, masks]);
      }
    });

    it('leaves the masks as they are under a photometric step, and yields them unaugmented without a pipeline', async () => {
      const { x, masks } = segmentation(5, 'int32');
      const ordered = Array.from(masks.dataSync());
      for (const options of [{ pipeline: gaussianNoise({ stddev: 0.1, seed: 1 }) }, {}]) {
        const pairs = await epochPairs(flow(x, masks, { batchSize: 5, shuffle: false, seed: 1, ...options }));
        expect(pairs[0]!.ys).toEqual(ordered);
      }
      tf.dispose([x, masks]);
    });

    it('keeps the resumable state of a labelled flow, and a restored stream yields the same batches', async () => {
      const { x, masks } = segmentation(6, 'int32');
      const labels = tf.tidy(() =>
        tf.cast(tf.oneHot(tf.tensor1d([0, 1, 2, 0, 1, 2], 'int32'), 3), 'float32'),
      ) as tf.Tensor2D;
      const make = (y: tf.Tensor2D | tf.Tensor4D, seed: number) =>
        flow(x, y, { batchSize: 4, pipeline: geometric(3), seed });
      const state = (ds: ReturnType<typeof flow>) => (ds as unknown as Record<symbol, Resumable>)[RESUMABLE]!;
      const withMasks = make(masks, 9);
      const withLabels = make(labels, 9);
      await epochPairs(withMasks);
      await epochPairs(withLabels);
      const saved = await state(withMasks).saveState();
      expect(saved).toEqual(await state(withLabels).saveState());
      const expected = await epochPairs(withMasks);
      const resumed = make(masks, 123);
      await state(resumed).loadState(saved);
      await resumed.iterator(); // fitDataset's unread first iterator after a restore
      expect(await epochPairs(resumed)).toEqual(expected);
      tf.dispose([x, masks, labels]);
    });

    it('is leak-free', async () => {
      const { x, masks } = segmentation(4, 'int32');
      const ds = flow(x, masks, { batchSize: 3, pipeline: geometric(1), seed: 4, flatten: true });
      await expectNoLeaks(() => epochPairs(ds));
      tf.dispose([x, masks]);
    });
  });
});
