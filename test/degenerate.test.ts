import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import * as augment from '../src/augment/index.js';
import type { Augmentation } from '../src/augment/index.js';
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
