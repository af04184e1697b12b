import * as tf from '@tensorflow/tfjs-core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Augmentation, Batch } from '../../src/augment/augmentation.js';
import { cutmix } from '../../src/augment/cutmix.js';
import { cutout } from '../../src/augment/cutout.js';
import { elastic } from '../../src/augment/elastic.js';
import { gaussianNoise } from '../../src/augment/gaussianNoise.js';
import { mixup } from '../../src/augment/mixup.js';
import { pipeline } from '../../src/augment/pipeline.js';
import { randomAffine } from '../../src/augment/randomAffine.js';
import { randomCrop } from '../../src/augment/randomCrop.js';
import { randomFlip } from '../../src/augment/randomFlip.js';
import { randomResizedCrop } from '../../src/augment/randomResizedCrop.js';
import { randomApply } from '../../src/augment/randomApply.js';
import { randomChoice } from '../../src/augment/randomChoice.js';
import { mixupOrCutmix } from '../../src/augment/mixupOrCutmix.js';
import { randAugment } from '../../src/augment/randAugment.js';
import { describeBackends } from '../helpers/backends.js';
import { expectNoLeaks } from '../helpers/leaks.js';
import { runs } from '../helpers/runs.js';

const values = (t: tf.Tensor) => Array.from(t.dataSync());
const disposeBatch = (b: Batch) =>
  tf.dispose([b.images, ...(b.labels ? [b.labels] : []), ...(b.masks ? [b.masks] : [])]);

/**
 * The geometric steps, each sampling images as masks are sampled (nearest, 0 outside), so that a
 * mask made by thresholding the images must equal the thresholded augmented images exactly: any
 * misalignment (other parameters, another size, a half-pixel shift, another fill) breaks it.
 */
const GEOMETRIC: [string, (seed: number) => Augmentation][] = [
  ['randomFlip', (seed) => randomFlip({ seed })],
  ['randomCrop (pad 2)', (seed) => randomCrop({ padding: 2, seed })],
  ['randomCrop (3 x 4 window, pad 1)', (seed) => randomCrop({ height: 3, width: 4, padding: 1, seed })],
  ['randomResizedCrop', (seed) => randomResizedCrop({ height: 5, width: 7, interpolation: 'nearest', seed })],
  [
    'randomAffine',
    (seed) => randomAffine({ rotationRange: 40, zoomRange: 0.2, interpolation: 'nearest', fillMode: 'constant', seed }),
  ],
  ['elastic', (seed) => elastic({ alpha: 8, sigma: 2, interpolation: 'nearest', seed })],
  [
    'pipeline (crop and flip fused, then an affine step)',
    (seed) =>
      pipeline(
        [
          randomCrop({ padding: 1, seed }),
          randomFlip({ seed: seed + 1 }),
          randomAffine({ rotationRange: 20, interpolation: 'nearest', fillMode: 'constant', seed: seed + 2 }),
        ],
        { seed },
      ),
  ],
];

/** Images, a float mask (threshold at 0.5, two channels: it and its complement) and the same ids as int32. */
function segmentationBatch(shape: [number, number, number, number], seed: number) {
  return tf.tidy(() => {
    const images = tf.randomUniform(shape, 0, 1, 'float32', seed) as tf.Tensor4D;
    const fg = tf.cast(tf.greater(tf.slice(images, [0, 0, 0, 0], [-1, -1, -1, 1]), 0.5), 'float32');
    return {
      images,
      masks: tf.concat([fg, tf.sub(1, fg)], 3) as tf.Tensor4D,
      ids: tf.cast(tf.mul(fg, 7), 'int32') as tf.Tensor4D,
    };
  });
}

describeBackends('masks', () => {
  describe('geometric steps move masks with the images', () => {
    for (const [name, make] of GEOMETRIC) {
      it(`${name}: a thresholded copy of the images stays the thresholded augmented images`, () => {
        fc.assert(
          fc.property(
            fc.integer({ min: 1, max: 4 }),
            fc.integer({ min: 5, max: 9 }),
            fc.integer({ min: 5, max: 9 }),
            fc.integer({ min: 0, max: 2 ** 31 - 1 }),
            (n, h, w, seed) => {
              const { images, masks, ids } = segmentationBatch([n, h, w, 2], seed);
              const aug = make(seed);
              const out = aug({ images, masks });
              const again = aug.apply({ images, masks: ids }, aug.lastParams);
              const fg = tf.tidy(() =>
                tf.cast(tf.greater(tf.slice(out.images, [0, 0, 0, 0], [-1, -1, -1, 1]), 0.5), 'float32'),
              );
              const [first] = tf.split(out.masks!, 2, 3);
              expect(out.masks!.shape).toEqual([...out.images.shape.slice(0, 3), 2]);
              expect(values(first!)).toEqual(values(fg));
              // Class ids as int32 follow the same way and stay int32.
              expect(again.masks!.dtype).toBe('int32');
              expect(values(again.masks!)).toEqual(values(fg).map((v) => v * 7));
              tf.dispose([images, masks, ids, fg, first!]);
              [out, again].forEach(disposeBatch);
            },
          ),
          { numRuns: runs(8) },
        );
      });
    }
  });

  it('a geometric step that moves pixels moves the mask: it is not passed through', () => {
    const { images, masks, ids } = segmentationBatch([4, 6, 6, 1], 3);
    const out = randomFlip({ mode: 'horizontal', seed: 1 }).apply(
      { images, masks },
      { horizontal: [true, true, true, true], vertical: [false, false, false, false] },
    );
    expect(values(out.masks!)).toEqual(values(tf.reverse(masks, 2)));
    expect(values(out.masks!)).not.toEqual(values(masks));
    tf.dispose([images, masks, ids]);
    disposeBatch(out);
  });

  it('photometric steps pass masks through unchanged, as a copy the caller owns', () => {
    const { images, masks, ids } = segmentationBatch([3, 5, 5, 3], 4);
    for (const aug of [cutout({ size: 2, seed: 1 }), gaussianNoise({ stddev: 0.1, seed: 1 })]) {
      const out = aug({ images, masks: ids });
      expect(out.masks).not.toBe(ids);
      expect(out.masks!.dtype).toBe('int32');
      expect(values(out.masks!)).toEqual(values(ids));
      disposeBatch(out);
    }
    tf.dispose([images, masks, ids]);
  });

  it('cutmix pastes the partner mask box with its pixels; mixup rejects masks', () => {
    const { images, masks, ids } = segmentationBatch([4, 8, 8, 1], 5);
    const labels = tf.cast(tf.oneHot(tf.tensor1d([0, 1, 2, 0], 'int32'), 3), 'float32') as tf.Tensor2D;
    const out = cutmix({ seed: 2 })({ images, labels, masks: ids });
    const fg = tf.cast(tf.greater(out.images, 0.5), 'float32');
    expect(values(out.masks!)).toEqual(values(fg).map((v) => v * 7));
    expect(values(out.masks!)).not.toEqual(values(ids));
    expect(() => mixup({ seed: 1 })({ images, labels, masks })).toThrow(
      'mixup: batch.masks cannot be transformed by mixup (its images would no longer match them), got masks of shape [4, 8, 8, 2]',
    );
    tf.dispose([images, masks, ids, labels, fg]);
    disposeBatch(out);
  });

  it('rejects masks of the wrong shape or dtype, naming the augmentation', () => {
    const images = tf.zeros([2, 4, 5, 3]) as tf.Tensor4D;
    const flip = randomFlip({ seed: 1 });
    const bad = [tf.zeros([2, 4, 4, 1]), tf.zeros([1, 4, 5, 1]), tf.zeros([2, 4, 5]), tf.zeros([2, 4, 5, 1], 'bool')];
    expect(() => flip({ images, masks: bad[0] as tf.Tensor4D })).toThrow(
      "randomFlip: batch.masks shape must be [2, 4, 5, maskChannels] (the images' batch, height and width, at least one channel), got [2,4,4,1]",
    );
    expect(() => flip({ images, masks: bad[1] as tf.Tensor4D })).toThrow('randomFlip: batch.masks shape must be');
    expect(() => flip({ images, masks: bad[2] as tf.Tensor4D })).toThrow('randomFlip: batch.masks shape must be');
    expect(() => flip({ images, masks: bad[3] as tf.Tensor4D })).toThrow(
      'randomFlip: batch.masks dtype must be "float32" or "int32" (class ids), got "bool"',
    );
    expect(() => flip({ images, masks: [1, 2] as unknown as tf.Tensor4D })).toThrow(
      'randomFlip: batch.masks must be a Tensor4D [batch, height, width, maskChannels], got [1,2]',
    );
    tf.dispose([images, ...bad]);
  });

  it('an empty batch gives empty masks of the output size; nothing leaks with masks', async () => {
    const crop = randomCrop({ height: 3, width: 2, seed: 1 });
    const empty = crop({
      images: tf.zeros([0, 5, 5, 3]) as tf.Tensor4D,
      masks: tf.zeros([0, 5, 5, 2], 'int32') as tf.Tensor4D,
    });
    expect(empty.images.shape).toEqual([0, 3, 2, 3]);
    expect(empty.masks!.shape).toEqual([0, 3, 2, 2]);
    expect(empty.masks!.dtype).toBe('int32');
    disposeBatch(empty);
    const { images, masks, ids } = segmentationBatch([2, 6, 6, 1], 6);
    for (const [, make] of GEOMETRIC) {
      const aug = make(1);
      await expectNoLeaks(() => {
        const out = aug({ images, masks });
        return [out.images, out.masks!];
      });
    }
    tf.dispose([images, masks, ids]);
  });
});

describeBackends('masks through combinators, mixing and policies', () => {
  const flip = (seed: number) => randomFlip({ seed });
  it('an affine combinator moves masks with its matrices; a per-sample one, mixupOrCutmix and randAugment refuse them', () => {
    const images = tf.randomUniform([4, 6, 6, 1], 0, 1, 'float32', 3) as tf.Tensor4D;
    const masks = tf.tidy(() => tf.cast(tf.greater(images, 0.5), 'float32')) as tf.Tensor4D;
    const labels = tf.tidy(() => tf.oneHot(tf.tensor1d([0, 1, 0, 1], 'int32'), 2)) as tf.Tensor2D;
    for (const aug of [randomApply(flip(1), { p: 0.5, seed: 2 }), randomChoice([flip(3), flip(4)], { seed: 5 })]) {
      const out = aug({ images, masks });
      const thresholded = tf.tidy(() => tf.cast(tf.greater(out.images, 0.5), 'float32'));
      expect(values(out.masks!)).toEqual(values(thresholded));
      tf.dispose([out.images, out.masks!, thresholded]);
    }
    const refused: [string, Augmentation][] = [
      ['randomChoice', randomChoice([cutout({ size: 2 }), gaussianNoise({ stddev: 0.1 })])],
      ['mixupOrCutmix', mixupOrCutmix({ seed: 1 })],
      ['randAugment', randAugment({ seed: 1 })],
    ];
    for (const [name, aug] of refused) {
      expect(() => aug({ images, labels, masks })).toThrow(`${name}: batch.masks cannot be transformed by ${name}`);
    }
    tf.dispose([images, masks, labels]);
  });

  it('combinators refuse augmentations that change the image size, naming the combinator', () => {
    expect(() => randomApply(randomCrop({ height: 2, width: 2 }))).toThrow(
      /^randomApply: aug must be an augmentation that keeps the image size/,
    );
    expect(() => randomChoice([flip(1), pipeline([randomCrop({ height: 2, width: 2 })])])).toThrow(
      /^randomChoice: augs\[1\] must be an augmentation that keeps the image size/,
    );
  });
});
