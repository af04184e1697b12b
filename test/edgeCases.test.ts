import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import * as root from '../src/index.js';
import * as augment from '../src/augment/index.js';
import type { Augmentation } from '../src/augment/index.js';
import * as callbacks from '../src/callbacks/index.js';
import * as data from '../src/data/index.js';
import { mnistBase } from '../src/presets/index.js';
import { describeBackends } from './helpers/backends.js';

/**
 * Every public entry that takes images, with the name its errors must carry. A batch of no images
 * comes back as no images of the right shape (and labels of the right width); an image without a
 * pixel or a channel is rejected before any kernel runs: on wasm a zero-size `tf.where` corrupts
 * the module's heap, so the last test checks the backend still computes.
 */
const AUGMENTATIONS: [string, () => Augmentation][] = [
  ['randomAffine', () => augment.randomAffine({ rotationRange: 30, zoomRange: 0.2, horizontalFlip: true, seed: 1 })],
  ['cutout', () => augment.cutout({ size: 2, seed: 1 })],
  ['gaussianNoise', () => augment.gaussianNoise({ stddev: 0.1, seed: 1 })],
  ['mixup', () => augment.mixup({ seed: 1 })],
  ['cutmix', () => augment.cutmix({ seed: 1 })],
  ['elastic', () => augment.elastic({ seed: 1 })],
  ['randomCrop', () => augment.randomCrop({ padding: 2, seed: 1 })],
  ['randomResizedCrop', () => augment.randomResizedCrop({ seed: 1 })],
  ['randomFlip', () => augment.randomFlip({ seed: 1 })],
  [
    'pipeline',
    () =>
      augment.pipeline(
        [
          augment.randomAffine({ rotationRange: 30, seed: 1 }),
          augment.cutout({ size: 2, seed: 2 }),
          augment.mixup({ seed: 3 }),
        ],
        { seed: 4 },
      ),
  ],
];

type Images = (x: tf.Tensor4D) => tf.Tensor;
const IMAGE_FUNCTIONS: [string, Images][] = [
  ['affineTransform', (x) => augment.affineTransform(x, [1, 0, 0.5, 0, 1, 0, 0, 0])],
  ['affineTransform', (x) => augment.affineTransform(x, [], { outputShape: [4, 5] })],
  [
    'layers.randomAffine',
    (x) => augment.layers.randomAffine({ rotationRange: 30, seed: 1 }).apply(x, { training: true }) as tf.Tensor,
  ],
  [
    'layers.randomRotation',
    (x) => augment.layers.randomRotation({ factor: 0.2, seed: 1 }).apply(x, { training: true }) as tf.Tensor,
  ],
  [
    'layers.randomTranslation',
    (x) =>
      augment.layers
        .randomTranslation({ heightFactor: 0.2, widthFactor: 0.2, seed: 1 })
        .apply(x, { training: true }) as tf.Tensor,
  ],
  [
    'layers.randomZoom',
    (x) => augment.layers.randomZoom({ heightFactor: 0.2, seed: 1 }).apply(x, { training: true }) as tf.Tensor,
  ],
];

const EMPTY: [number, number, number, number][] = [
  [0, 8, 8, 1],
  [0, 5, 7, 3],
];
const NO_PIXEL: [number, number, number, number][] = [
  [2, 0, 8, 1],
  [2, 8, 0, 1],
  [2, 8, 8, 0],
  [0, 0, 8, 1],
];

describeBackends('degenerate images', (backend) => {
  it.each(AUGMENTATIONS)('%s: an empty batch gives an empty batch of the same shape, and replays', (_name, make) => {
    for (const shape of EMPTY) {
      const aug = make();
      const images = tf.zeros(shape) as tf.Tensor4D;
      const labels = tf.zeros([0, 10]) as tf.Tensor2D;
      const before = tf.memory().numTensors;
      const out = aug({ images, labels });
      expect(out.images.shape).toEqual(shape);
      expect(out.labels!.shape).toEqual([0, 10]);
      expect(out.images).not.toBe(images);
      // Plain JSON, as for any batch, and replayable.
      const params = aug.lastParams;
      expect(JSON.parse(JSON.stringify(params))).toEqual(params);
      const again = aug.apply({ images }, params);
      expect(again.images.shape).toEqual(shape);
      expect(again.labels).toBeUndefined();
      tf.dispose([out.images, out.labels!, again.images]);
      expect(tf.memory().numTensors).toBe(before);
      tf.dispose([images, labels]);
    }
  });

  it.each(AUGMENTATIONS)('%s: an image without a pixel or a channel is rejected, naming it', (name, make) => {
    for (const shape of NO_PIXEL) {
      const images = tf.zeros(shape) as tf.Tensor4D;
      const before = tf.memory().numTensors;
      expect(() => make()({ images })).toThrow(
        `${name}: batch.images shape must be [batch, height, width, channels] with height, width and channels at least 1, got [${shape.join(',')}]`,
      );
      expect(tf.memory().numTensors).toBe(before);
      images.dispose();
    }
  });

  it.each(IMAGE_FUNCTIONS)('%s: no images in, no images out; no pixel or channel, an error naming it', (name, call) => {
    for (const shape of EMPTY) {
      const x = tf.zeros(shape) as tf.Tensor4D;
      const before = tf.memory().numTensors;
      const y = call(x);
      const [, h, w] = name === 'affineTransform' && y.shape[1] === 4 ? [0, 4, 5] : shape;
      expect(y.shape).toEqual([0, h, w, shape[3]]);
      if (y !== x) y.dispose();
      expect(tf.memory().numTensors).toBe(before);
      x.dispose();
    }
    for (const shape of NO_PIXEL) {
      const x = tf.zeros(shape) as tf.Tensor4D;
      expect(() => call(x)).toThrow(new RegExp(`^${name.replace('.', '\\.')}: .*(height|pixel).*channel`));
      x.dispose();
    }
  });

  it('flow: images without a pixel or a channel are rejected when the dataset is made; no images, no batches', async () => {
    for (const shape of NO_PIXEL) {
      const x = tf.zeros(shape) as tf.Tensor4D;
      const y = tf.zeros([shape[0], 2]) as tf.Tensor2D;
      expect(() => augment.flow(x, y)).toThrow(
        `flow: x shape must be [batch, height, width, channels] with height, width and channels at least 1, got [${shape.join(',')}]`,
      );
      tf.dispose([x, y]);
    }
    const x = tf.zeros([0, 4, 4, 1]) as tf.Tensor4D;
    const y = tf.zeros([0, 2]) as tf.Tensor2D;
    const data = augment.flow(x, y, { pipeline: augment.cutout({ size: 2, seed: 1 }), seed: 1 });
    expect(data.size).toBe(0);
    expect((await (await data.iterator()).next()).done).toBe(true);
    tf.dispose([x, y]);
  });

  it(`the ${backend} backend still computes afterwards`, () => {
    const x = tf.tensor4d([1, 2, 3, 4], [1, 2, 2, 1]);
    const y = augment.affineTransform(x, [1, 0, 1, 0, 1, 0, 0, 0], { fillMode: 'reflect' });
    expect(Array.from(y.dataSync())).toEqual([2, 2, 4, 4]);
    const picked = tf.where(tf.tensor1d([1, 0, 1], 'bool'), tf.tensor1d([1, 2, 3]), tf.tensor1d([4, 5, 6]));
    expect(Array.from(picked.dataSync())).toEqual([1, 5, 3]);
    tf.dispose([x, y, picked]);
  });
});

const images = () => tf.randomUniform([4, 6, 6, 1], 0, 1, 'float32', 5) as tf.Tensor4D;
const labels = () => tf.tensor2d([1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 1, 0], [4, 3]);

/**
 * Flags, seeds and raw values, each with the error its public function must give: flags are
 * booleans (a string such as 'false' is not read by truthiness), seeds are safe integers, values
 * that become float32 pixels stay finite.
 */
const REJECTED: [string, (x: tf.Tensor4D, y: tf.Tensor2D) => unknown, string][] = [
  [
    'flow shuffle',
    (x, y) => augment.flow(x, y, { shuffle: 'false' as unknown as boolean }),
    'flow: shuffle must be a boolean, got "false"',
  ],
  [
    'flow flatten',
    (x, y) => augment.flow(x, y, { flatten: 1 as unknown as boolean }),
    'flow: flatten must be a boolean, got 1',
  ],
  [
    'randomAffine horizontalFlip',
    () => augment.randomAffine({ horizontalFlip: 'true' as unknown as boolean }),
    'randomAffine: horizontalFlip must be a boolean, got "true"',
  ],
  [
    'cutout inside',
    () => augment.cutout({ size: 2, inside: 'no' as unknown as boolean }),
    'cutout: inside must be a boolean, got "no"',
  ],
  [
    'trainTestSplit shuffle',
    (x, y) => data.trainTestSplit(x, y, { shuffle: 'false' as unknown as boolean }),
    'trainTestSplit: options.shuffle must be a boolean, got "false"',
  ],
  [
    'earlyStopping restoreBestWeights',
    () => callbacks.earlyStopping({ restoreBestWeights: 1 as unknown as boolean }),
    'earlyStopping: restoreBestWeights must be a boolean, got 1',
  ],
  [
    'modelCheckpoint saveBestOnly',
    () => callbacks.modelCheckpoint({ filepath: () => undefined, saveBestOnly: 'true' as unknown as boolean }),
    'modelCheckpoint: saveBestOnly must be a boolean, got "true"',
  ],
  [
    'exponentialDecay staircase',
    () =>
      callbacks.exponentialDecay({
        initialLearningRate: 0.1,
        decaySteps: 1,
        decayRate: 0.5,
        staircase: 'yes' as unknown as boolean,
      }),
    'exponentialDecay: staircase must be a boolean, got "yes"',
  ],
  [
    'historyLogger append',
    () => callbacks.historyLogger({ path: 'h.csv', append: 1 as unknown as boolean }),
    'historyLogger: append must be a boolean, got 1',
  ],
  [
    'useBestBackend fallback',
    () => root.useBestBackend('cpu', { fallback: 'no' as unknown as boolean, log: null }),
    'useBestBackend: fallback must be a boolean, got "no"',
  ],
  [
    'loadMnist download',
    () => data.loadMnist({ download: 'no' as unknown as boolean }),
    'loadMnist: options.download must be a boolean, got "no"',
  ],
  [
    'randomAffine seed 2^53',
    () => augment.randomAffine({ seed: 2 ** 53 }),
    'randomAffine: seed must be a safe integer (|seed| <= 2^53 - 1), got 9007199254740992',
  ],
  [
    'flow seed 1e20',
    (x, y) => augment.flow(x, y, { seed: 1e20 }),
    'flow: seed must be a safe integer (|seed| <= 2^53 - 1), got 100000000000000000000',
  ],
  [
    'layers.randomZoom seed 0.5',
    () => augment.layers.randomZoom({ heightFactor: 0.1, seed: 0.5 }),
    'layers.randomZoom: seed must be a safe integer (|seed| <= 2^53 - 1), got 0.5',
  ],
  [
    'trainTestSplit seed -2^53',
    (x, y) => data.trainTestSplit(x, y, { seed: -(2 ** 53) }),
    'trainTestSplit: options.seed must be a safe integer',
  ],
  [
    'preset seed 1.5',
    () => mnistBase().train({ seed: 1.5 }),
    'mnistBase.train: seed must be a safe integer (|seed| <= 2^53 - 1), got 1.5',
  ],
  [
    'cutout replayed params.seed',
    (x) =>
      augment
        .cutout({ size: 2, value: 'random', seed: 1 })
        .apply({ images: x }, { applied: [true, true, true, true], boxes: [[], [], [], []], seed: 2 ** 32 }),
    'cutout: params.seed must be an integer in [0, 2^32) (the noise fill seed), got 4294967296',
  ],
  [
    'gaussianNoise stddev 1e39',
    () => augment.gaussianNoise({ stddev: 1e39 }),
    'gaussianNoise: stddev must be a number in [0, 4.25e+37], got 1e+39',
  ],
  [
    'layers.gaussianNoise stddev 1e39',
    () => augment.layers.gaussianNoise({ stddev: 1e39 }),
    'layers.gaussianNoise: stddev must be a number in [0, 4.25e+37], got 1e+39',
  ],
  [
    'affineTransform fillValue 1e39',
    (x) => augment.affineTransform(x, [1, 0, 0, 0, 1, 0, 0, 0], { fillValue: 1e39 }),
    'affineTransform: options.fillValue must be a finite float32 number (|x| <= 3.4e38), got 1e+39',
  ],
  [
    'cutout value -1e39',
    () => augment.cutout({ size: 2, value: -1e39 }),
    'cutout: value must be a finite float32 number (|x| <= 3.4e38) or "random", got -1e+39',
  ],
  [
    'randomAffine widthShiftRange 1e39',
    () => augment.randomAffine({ widthShiftRange: 1e39 }),
    'randomAffine: widthShiftRange must be a number in [0, 3.4e38], got 1e+39',
  ],
  [
    'sample info',
    () => augment.cutout({ size: 2 }).sample({ batchSize: -1, height: 4, width: 4, channels: 1 }),
    'cutout.sample: info must be { batchSize, height, width, channels }',
  ],
];

describeBackends('flags, seeds and raw values', (backend) => {
  it.each(REJECTED)(
    '%s: rejected by an error naming the function, the argument and the value',
    async (_what, call, message) => {
      const x = images();
      const y = labels();
      const before = tf.memory().numTensors;
      let error: unknown;
      try {
        await call(x, y);
      } catch (e) {
        error = e;
      }
      expect(error, 'no error').toBeInstanceOf(Error);
      expect((error as Error).message).toContain(message);
      expect(tf.memory().numTensors).toBe(before);
      tf.dispose([x, y]);
    },
  );

  it("seeds that agree modulo 2^32 (or as two's complement) give different augmentations and splits", () => {
    const x = images();
    const y = labels();
    for (const [a, b] of [
      [0, 2 ** 32],
      [-1, 2 ** 32 - 1],
    ]) {
      const one = augment.cutout({ size: 3, seed: a })({ images: x });
      const two = augment.cutout({ size: 3, seed: b })({ images: x });
      expect(Array.from(one.images.dataSync())).not.toEqual(Array.from(two.images.dataSync()));
      const s1 = data.trainTestSplit(x, y, { testSize: 2, seed: a! });
      const s2 = data.trainTestSplit(x, y, { testSize: 2, seed: b! });
      const order = (s: typeof s1) => Array.from(s.xTest.dataSync());
      // Four images, two in the test set: 12 ordered pairs, so equal splits could happen by chance; the
      // generators' first draws must differ in any case.
      expect([order(s1), augment.randomGenerator(a!).nextSeed()]).not.toEqual([
        order(s2),
        augment.randomGenerator(b!).nextSeed(),
      ]);
      tf.dispose([
        one.images,
        two.images,
        s1.xTrain,
        s1.xTest,
        s1.yTrain,
        s1.yTest,
        s2.xTrain,
        s2.xTest,
        s2.yTrain,
        s2.yTest,
      ]);
    }
    tf.dispose([x, y]);
  });

  it(`the largest noise allowed keeps every pixel finite on ${backend}`, () => {
    const x = tf.zeros([2, 16, 16, 1]) as tf.Tensor4D;
    const out = augment.gaussianNoise({ stddev: 3.4028234663852886e38 / 8, seed: 3 })({ images: x });
    const values = out.images.dataSync();
    expect(values.every((v) => Number.isFinite(v))).toBe(true);
    expect(values.some((v) => Math.abs(v) > 1e37)).toBe(true);
    tf.dispose([x, out.images]);
  });
});
