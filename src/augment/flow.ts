import { keep, reshape, tidy } from '@tensorflow/tfjs-core';
import type { Tensor, Tensor2D, Tensor4D } from '@tensorflow/tfjs-core';
import { checkSeed, freshSeed, generatorState, randomGenerator, restoreGeneratorState } from '../core/random.js';
import type { RandomGenerator } from '../core/random.js';
import { RESUMABLE } from '../core/resumable.js';
import { takeRows } from '../core/takeRows.js';
import type { Resumable, SavedState } from '../core/resumable.js';
import { checkBoolean, checkOptions, optionNames, invalidArgument } from '../core/validate.js';
import type { Augmentation } from './augmentation.js';
import { checkImageShape } from './_internal/batch.js';

/** Options of {@link flow}. */
export interface FlowOptions {
  /**
   * Images per batch; the last batch of an epoch may be smaller. Keras ImageDataGenerator.flow: `batch_size`.
   * @defaultValue 32 (as Keras)
   */
  batchSize?: number;
  /** Reshuffle the sample order at every epoch. Keras ImageDataGenerator.flow: `shuffle`. @defaultValue true */
  shuffle?: boolean;
  /**
   * Seed of the shuffling and of the pipeline's parameters (it reseeds nothing else).
   * Keras ImageDataGenerator.flow: `seed`.
   * @defaultValue a fresh random seed
   */
  seed?: number;
  /**
   * Augmentation applied to every batch of the first `augmentEpochs` epochs (a single augmentation or a `pipeline`).
   * @defaultValue none
   */
  pipeline?: Augmentation;
  /**
   * Epochs whose batches go through `pipeline`; later epochs yield the images as they are. A few clean epochs at the
   * end of training, at a low learning rate, remove the mismatch between the augmented training images and the clean
   * test images (BatchNormalization statistics included). An epoch counts when its first batch is drawn, from an
   * iterator (fitDataset reads one per epoch unless `batchesPerEpoch` is set) or a `for await` loop.
   * @defaultValue every epoch
   */
  augmentEpochs?: number;
  /** Epochs an async `for await` loop runs over (fitDataset asks for one iterator per epoch anyway). @defaultValue 1 */
  epochs?: number;
  /**
   * Yield `xs` as `[batch, height * width * channels]`, for models whose input is flat (the notebook's MLP).
   * @defaultValue false
   */
  flatten?: boolean;
}

const FLOW_OPTIONS = optionNames<FlowOptions>()(
  'batchSize',
  'shuffle',
  'seed',
  'pipeline',
  'augmentEpochs',
  'epochs',
  'flatten',
);

/** One batch as `model.fitDataset` expects it. */
export interface FlowBatch {
  xs: Tensor;
  /** The batch's labels `[batch, numClasses]`, or its masks `[batch, height, width, maskChannels]` moved with `xs`. */
  ys: Tensor2D | Tensor4D;
}

/** What {@link flow} returns: a dataset for `model.fitDataset`, also usable with `for await`. */
export interface FlowDataset extends AsyncIterable<FlowBatch> {
  /** Batches per epoch. */
  readonly size: number;
  /** One epoch of batches: a new order and fresh augmentation parameters each time. */
  iterator(): Promise<{ next(): Promise<IteratorResult<FlowBatch>> }>;
}

/**
 * Keras' `ImageDataGenerator.flow` for tfjs: batches of `(x, y)`, reshuffled every epoch and run
 * through an augmentation pipeline on the device, as a dataset that `model.fitDataset` accepts.
 *
 * Each call of `iterator()` is one epoch with a fresh permutation and fresh augmentation parameters,
 * drawn from the seeded generator: the same seed gives the same batches on every backend. `x` and
 * `y` stay owned by the caller; every yielded batch is new and is disposed by `fitDataset` (dispose
 * it yourself in a manual loop).
 *
 * For segmentation, `y` is the masks: they go through the pipeline as the batch's `masks`, so every
 * geometric step moves them with their images (same parameters, nearest sampling, 0 outside) and
 * photometric steps leave them as they are; the batches' `ys` are the moved masks.
 *
 * @param x - Images `[n, height, width, channels]`, float32.
 * @param y - Labels `[n, numClasses]`, or masks `[n, height, width, maskChannels]` (float32, or int32 class ids).
 * @param options - Batch size, shuffling, seed, pipeline, augmented epochs.
 * @returns A {@link FlowDataset}.
 * @throws Error naming `flow`, the argument and the value for bad shapes or options.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { flow } from 'tfjs-regularization/augment';
 *
 * const x = tf.zeros([10, 4, 4, 1]) as tf.Tensor4D;
 * const y = tf.cast(tf.oneHot(tf.range(0, 10, 1, 'int32'), 10), 'float32') as tf.Tensor2D;
 * const data = flow(x, y, { batchSize: 4, seed: 1, flatten: true });
 * const shapes: number[][] = [];
 * for await (const { xs, ys } of data) { shapes.push(xs.shape); tf.dispose([xs, ys]); }
 * console.log(data.size, JSON.stringify(shapes)); // 3 [[4,16],[4,16],[2,16]]
 * ```
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { flow, randomFlip } from 'tfjs-regularization/augment';
 *
 * // One image whose left column is bright, and its mask of class ids: flips move both.
 * const x = tf.tensor4d([1, 0, 1, 0], [1, 2, 2, 1]);
 * const masks = tf.tensor4d([7, 0, 7, 0], [1, 2, 2, 1], 'int32');
 * const data = flow(x, masks, { batchSize: 1, pipeline: randomFlip({ mode: 'horizontal', p: 1 }), seed: 3 });
 * for await (const { xs, ys } of data) {
 *   const same = Array.from(xs.dataSync()).every((v, i) => (v === 1) === (ys.dataSync()[i] === 7));
 *   console.log(ys.dtype, same); // int32 true
 *   tf.dispose([xs, ys]);
 * }
 * ```
 */
export function flow(x: Tensor4D, y: Tensor2D | Tensor4D, options?: FlowOptions): FlowDataset {
  const fn = 'flow';
  const o = checkOptions<FlowOptions>(fn, options, FLOW_OPTIONS);
  if (x == null || (x as Tensor).rank !== 4)
    throw invalidArgument(fn, 'x', x == null ? x : (x as Tensor).shape, 'a Tensor4D [n, height, width, channels]');
  if (x.dtype !== 'float32') throw invalidArgument(fn, 'x dtype', x.dtype, '"float32"');
  checkImageShape(fn, 'x shape', x.shape);
  const yShape = (y as Partial<Tensor> | null)?.shape;
  const masks = Array.isArray(yShape) && yShape.length === 4;
  const [n0, h0, w0] = x.shape;
  const fits = Array.isArray(yShape) && (masks ? yShape.slice(0, 3).join() === [n0, h0, w0].join() : yShape[0] === n0);
  if (!fits || (yShape.length !== 2 && !masks)) {
    const expected = `a Tensor2D [${n0}, numClasses] (labels) or a Tensor4D [${n0}, ${h0}, ${w0}, maskChannels] (masks)`;
    throw invalidArgument(fn, 'y', Array.isArray(yShape) ? yShape : y, expected);
  }
  if (masks && y.dtype !== 'float32' && y.dtype !== 'int32') {
    throw invalidArgument(fn, 'y dtype', y.dtype, '"float32" or "int32" (class ids) for masks');
  }
  const batchSize = o.batchSize ?? 32;
  if (!Number.isInteger(batchSize) || batchSize < 1)
    throw invalidArgument(fn, 'batchSize', batchSize, 'a positive integer');
  const epochs = o.epochs ?? 1;
  if (!Number.isInteger(epochs) || epochs < 1) throw invalidArgument(fn, 'epochs', epochs, 'a positive integer');
  const pipeline = o.pipeline;
  if (pipeline !== undefined && typeof pipeline !== 'function')
    throw invalidArgument(fn, 'pipeline', pipeline, 'an Augmentation');
  const augmentEpochs = o.augmentEpochs ?? Infinity;
  if (augmentEpochs !== Infinity && (!Number.isInteger(augmentEpochs) || augmentEpochs < 0)) {
    throw invalidArgument(fn, 'augmentEpochs', augmentEpochs, 'a non-negative integer');
  }
  const seed = o.seed === undefined ? freshSeed() : checkSeed(fn, 'seed', o.seed);
  const shuffle = checkBoolean(fn, 'shuffle', o.shuffle ?? true);
  const flatten = checkBoolean(fn, 'flatten', o.flatten ?? false);
  const rng = randomGenerator(seed);
  const n = x.shape[0];
  const size = Math.ceil(n / batchSize);

  let epochsStarted = 0;
  // After a backup is put back, fitDataset (resuming) first takes an iterator it never reads, as it
  // does before any first epoch: that one must not move the stream, or the resumed epochs would differ.
  let nextIteratorUnread = false;
  const epoch = (r: RandomGenerator = rng) => {
    const order = shuffle ? r.permutation(n) : Array.from({ length: n }, (_, i) => i);
    let start = 0;
    // An epoch counts from its first batch: fitDataset takes one iterator before its first epoch
    // and never reads it, so counting iterators would end augmentation an epoch early.
    let augment: Augmentation | false | undefined;
    return {
      async next(): Promise<IteratorResult<FlowBatch>> {
        if (start >= n) return { done: true, value: undefined };
        augment ??= pipeline !== undefined && epochsStarted++ < augmentEpochs ? pipeline : false;
        const idx = order.slice(start, start + batchSize);
        start += batchSize;
        const batch = tidy(() => {
          // takeRows, not gather: tf.gather is much slower on wasm and cpu (docs/performance.md).
          const images = takeRows(x, idx);
          const targets = takeRows<Tensor2D | Tensor4D>(y, idx);
          const input = masks ? { images, masks: targets as Tensor4D } : { images, labels: targets as Tensor2D };
          const out = augment ? augment.apply(input, augment.sample(infoOf(images), r)) : input;
          // An augmentation may return more images than it got (augMix's views): flatten each of them.
          const xs = flatten ? reshape(out.images, [out.images.shape[0], -1]) : out.images;
          return { xs: keep(xs), ys: keep((masks ? out.masks : out.labels) ?? targets) as Tensor2D | Tensor4D };
        });
        return { done: false, value: batch };
      },
    };
  };

  const state: Resumable = {
    // The generator's state is the whole stream: a flow seeded afresh resumes the backed-up one too.
    saveState: (): SavedState => ({ json: { images: n, batchSize, rng: generatorState(rng), epochsStarted } }),
    loadState: (saved: SavedState) => {
      const s = saved.json as { images: unknown; batchSize: unknown; rng: unknown; epochsStarted: unknown };
      if (s.images !== n || s.batchSize !== batchSize) {
        const was = `${String(s.images)} images in batches of ${String(s.batchSize)}`;
        throw invalidArgument(fn, 'x', `${n} images in batches of ${batchSize}`, `the backed-up flow's ${was}`);
      }
      restoreGeneratorState(fn, rng, s.rng);
      epochsStarted = s.epochsStarted as number;
      nextIteratorUnread = true;
    },
  };

  const dataset: FlowDataset = {
    size,
    iterator: async () => {
      if (!nextIteratorUnread) return epoch();
      nextIteratorUnread = false;
      const copy = randomGenerator(seed);
      restoreGeneratorState(fn, copy, generatorState(rng));
      return epoch(copy);
    },
    async *[Symbol.asyncIterator]() {
      nextIteratorUnread = false;
      for (let e = 0; e < epochs; e++) {
        const it = epoch();
        for (let r = await it.next(); !r.done; r = await it.next()) yield r.value;
      }
    },
  };
  // Not part of FlowDataset's type: only backupAndRestore (given the dataset) reads it.
  Object.defineProperty(dataset, RESUMABLE, { value: state });
  return dataset;
}

function infoOf(images: Tensor4D) {
  const [batchSize, height, width, channels] = images.shape;
  return { batchSize, height, width, channels };
}
