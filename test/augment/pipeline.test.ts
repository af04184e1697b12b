import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import type { Augmentation } from '../../src/augment/augmentation.js';
import { cutout } from '../../src/augment/cutout.js';
import type { CutoutParams } from '../../src/augment/cutout.js';
import type { GaussianNoiseParams } from '../../src/augment/gaussianNoise.js';
import { gaussianNoise } from '../../src/augment/gaussianNoise.js';
import { mixup } from '../../src/augment/mixup.js';
import { pipeline } from '../../src/augment/pipeline.js';
import { randomAffine } from '../../src/augment/randomAffine.js';
import { randomApply } from '../../src/augment/randomApply.js';
import { randomChoice } from '../../src/augment/randomChoice.js';
import { randomOrder } from '../../src/augment/randomOrder.js';
import { randomCrop } from '../../src/augment/randomCrop.js';
import type { RandomCropParams } from '../../src/augment/randomCrop.js';
import { randomFlip } from '../../src/augment/randomFlip.js';
import type { RandomFlipParams } from '../../src/augment/randomFlip.js';
import { randomResizedCrop } from '../../src/augment/randomResizedCrop.js';
import type { RandomResizedCropParams } from '../../src/augment/randomResizedCrop.js';
import { assertChangesImagesAtP1, assertWithinRange, augmentationContract } from '../helpers/augmentationSuite.js';
import type { AugmentationSpec } from '../helpers/augmentationSuite.js';
import { describeBackends } from '../helpers/backends.js';
import { expectNoLeaks } from '../helpers/leaks.js';

const values = (t: tf.Tensor) => Array.from(t.dataSync());

describeBackends('pipeline', () => {
  describe('affine, cutout, flip', () => {
    const spec: AugmentationSpec = {
      make: (p, seed) =>
        pipeline(
          [
            randomAffine({ rotationRange: 30, zoomRange: 0.2, p, seed }),
            cutout({ size: 2, value: 0.5, p, seed }),
            randomAffine({ horizontalFlip: true, p, seed }),
          ],
          { seed },
        ),
    };
    augmentationContract(spec);
    it('keeps values within the input range (and fill values)', () => assertWithinRange(spec, [0.5]));
    it('changes at least one image with p = 1', () => assertChangesImagesAtP1(spec));
  });
  describe('mixup, then a shift', () => {
    const spec: AugmentationSpec = {
      make: (p, seed) =>
        pipeline([mixup({ alpha: 0.4, p, seed }), randomAffine({ widthShiftRange: 0.2, p, seed })], { seed }),
      labels: true,
    };
    augmentationContract(spec);
    it('keeps values within the input range (and fill values)', () => assertWithinRange(spec, []));
    it('changes at least one image with p = 1', () => assertChangesImagesAtP1(spec));
  });

  it('equals applying its steps one by one with the same parameters (non-affine steps)', () => {
    const images = tf.randomUniform([3, 6, 6, 1], 0, 1, 'float32', 2) as tf.Tensor4D;
    const cut = cutout({ size: 2, seed: 1 });
    const noise = gaussianNoise({ stddev: 0.1, seed: 2 });
    const pipe = pipeline([cut, noise] as Augmentation[], { seed: 3 });
    const out = pipe({ images });
    const [cp, np] = pipe.lastParams as [CutoutParams, GaussianNoiseParams];
    const a = cut.apply({ images }, cp);
    const b = noise.apply(a, np);
    expect(values(out.images)).toEqual(values(b.images));
    tf.dispose([images, out.images, a.images, b.images]);
  });

  it('fuses consecutive affine steps into one resampling: two horizontal flips are exactly the identity', () => {
    const images = tf.randomUniform([2, 5, 7, 3], 0, 1, 'float32', 4) as tf.Tensor4D;
    const flip = randomAffine({ horizontalFlip: true, interpolation: 'nearest' });
    const pipe = pipeline([flip, flip], { seed: 9 });
    const params = [
      {
        samples: [{ theta: 0, tx: 0, ty: 0, shear: 0, zx: 1, zy: 1, flipHorizontal: true, flipVertical: false }, null],
      },
      {
        samples: [{ theta: 0, tx: 0, ty: 0, shear: 0, zx: 1, zy: 1, flipHorizontal: true, flipVertical: false }, null],
      },
    ];
    const out = pipe.apply({ images }, params);
    expect(values(out.images)).toEqual(values(images));
    // A rotation by +20° then -20° composes to the identity matrix: no blur from resampling twice.
    const rot = randomAffine({ rotationRange: 20 });
    const s = (theta: number) => ({
      samples: [0, 1].map(() => ({
        theta,
        tx: 0,
        ty: 0,
        shear: 0,
        zx: 1,
        zy: 1,
        flipHorizontal: false,
        flipVertical: false,
      })),
    });
    const back = pipeline([rot, rot]).apply({ images }, [s(20), s(-20)]);
    values(back.images).forEach((v, i) => expect(v).toBeCloseTo(values(images)[i]!, 4));
    tf.dispose([images, out.images, back.images]);
  });

  it('never disposes or returns the caller tensors, and leaks nothing', async () => {
    const images = tf.ones([2, 4, 4, 1]) as tf.Tensor4D;
    const labels = tf.tensor2d([
      [1, 0],
      [0, 1],
    ]);
    const pipe = pipeline([randomAffine({ rotationRange: 10, seed: 1 }), cutout({ size: 1, seed: 2 })], { seed: 1 });
    await expectNoLeaks(() => {
      const out = pipe({ images, labels });
      expect(out.images).not.toBe(images);
      expect(out.labels).not.toBe(labels);
      return [out.images, out.labels!];
    });
    expect(images.isDisposed || labels.isDisposed).toBe(false);
    const empty = pipeline([]);
    const same = empty({ images, labels });
    expect(values(same.images)).toEqual(values(images));
    tf.dispose([images, labels, same.images, same.labels!]);
  });

  it("checks every step's replayed params inside a fused affine group, as the step alone would", () => {
    const images = tf.ones([2, 4, 4, 1]) as tf.Tensor4D;
    const affine = randomAffine({ rotationRange: 10, seed: 1 });
    const one = {
      samples: [{ theta: 5, tx: 0, ty: 0, shear: 0, zx: 1, zy: 1, flipHorizontal: false, flipVertical: false }],
    };
    const alone = /^randomAffine: params.samples must be 2 entries \(one per image\), got 1$/;
    expect(() => affine.apply({ images }, one)).toThrow(alone);
    // One entry for two images must not be broadcast by the fused path, in a group of one or two steps.
    expect(() => pipeline([affine]).apply({ images }, [one])).toThrow(alone);
    expect(() =>
      pipeline([affine, randomAffine({ seed: 2 })]).apply({ images }, [{ samples: [null, null] }, one]),
    ).toThrow(alone);
    // null (or missing) step params get the step's own message, not a raw TypeError.
    expect(() => pipeline([affine]).apply({ images }, [null])).toThrow(
      /^randomAffine: params must be \{samples\}, got null$/,
    );
    expect(() => pipeline([affine, cutout({ size: 1 })]).apply({ images }, [{ samples: [null, null] }, null])).toThrow(
      /^cutout: params must be/,
    );
    images.dispose();
  });

  it("leaks nothing when a later step throws: the earlier steps' outputs are freed", async () => {
    const images = tf.ones([2, 4, 4, 1]) as tf.Tensor4D;
    // A user-written step whose math fails (e.g. on an input it did not expect).
    const boom = Object.defineProperties(() => undefined, {
      name: { value: 'boom' },
      sample: { value: () => null },
      apply: {
        value: () => {
          throw new Error('boom');
        },
      },
    }) as unknown as Augmentation;
    const pipe = pipeline([randomAffine({ rotationRange: 10, seed: 1 }), cutout({ size: 1, seed: 2 }), boom], {
      seed: 3,
    });
    expect(() => pipe({ images })).toThrow('boom');
    const before = tf.memory().numTensors;
    expect(() => pipe({ images })).toThrow('boom');
    expect(tf.memory().numTensors).toBe(before);
    images.dispose();
  });

  it('rejects bad steps and bad replayed params', () => {
    expect(() => pipeline([1 as never])).toThrow('pipeline: steps[0] must be an Augmentation, got 1');
    const images = tf.ones([1, 3, 3, 1]) as tf.Tensor4D;
    expect(() => pipeline([cutout({ size: 1 })]).apply({ images }, [])).toThrow(
      'pipeline: params must be an array of 1 step parameters, got []',
    );
    images.dispose();
  });
});

describeBackends('pipeline with combinators', () => {
  it('gives the same images as its steps applied one by one, combinators and a fused group inside them', () => {
    const flip = (h: boolean) =>
      randomAffine({ horizontalFlip: h, verticalFlip: !h, interpolation: 'nearest', fillMode: 'constant' });
    const steps: Augmentation[] = [
      flip(true),
      randomApply(flip(false), { p: 0.5 }),
      randomChoice([flip(true), flip(false)], { weights: [1, 2] }),
      randomOrder([flip(true), flip(false)]),
      cutout({ size: 2, value: 0.5 }),
      randomApply(pipeline([flip(true), flip(false)]), { p: 0.5 }),
      randomChoice([flip(true), cutout({ size: 1, value: 1 })]),
    ];
    const images = tf.randomUniform([6, 5, 7, 3], 0, 1, 'float32', 8) as tf.Tensor4D;
    for (const seed of [1, 2, 3]) {
      const pipe = pipeline(steps, { seed });
      const out = pipe({ images });
      let current = { images } as { images: tf.Tensor4D };
      const made: tf.Tensor[] = [];
      steps.forEach((s, i) => {
        current = s.apply(current, pipe.lastParams![i]);
        made.push(current.images);
      });
      expect(values(out.images)).toEqual(values(current.images));
      tf.dispose([out.images, ...made]);
    }
    images.dispose();
  });

  it('fuses combinators of affine steps with their neighbours: +20° then a randomApply of -20° blurs nothing', () => {
    const images = tf.randomUniform([2, 8, 8, 1], 0, 1, 'float32', 5) as tf.Tensor4D;
    const rot = randomAffine({ rotationRange: 20 });
    const s = (theta: number) => ({
      samples: [0, 1].map(() => ({
        theta,
        tx: 0,
        ty: 0,
        shear: 0,
        zx: 1,
        zy: 1,
        flipHorizontal: false,
        flipVertical: false,
      })),
    });
    const back = randomApply(rot);
    const both = { applied: [true, true], params: s(-20) };
    const fused = pipeline([rot, back]).apply({ images }, [s(20), both]);
    values(fused.images).forEach((v, i) => expect(v).toBeCloseTo(values(images)[i]!, 4));
    // Resampled twice, the same steps blur the image: the fused result is not a lucky tolerance.
    const once = rot.apply({ images }, s(20));
    const twice = back.apply(once, both);
    const err = Math.max(...values(twice.images).map((v, i) => Math.abs(v - values(images)[i]!)));
    expect(err).toBeGreaterThan(1e-2);
    const chosen = pipeline([rot, randomChoice([rot, rot]), randomOrder([rot])]).apply({ images }, [
      s(10),
      { choice: [0, 1], params: [s(-5), s(-5)] },
      { order: [0], params: [s(-5)] },
    ]);
    values(chosen.images).forEach((v, i) => expect(v).toBeCloseTo(values(images)[i]!, 4));
    tf.dispose([images, fused.images, once.images, twice.images, chosen.images]);
  });
});

describeBackends('pipeline with crops', () => {
  it('samples and fuses each step for the size it sees: a resized crop after a crop draws boxes in the crop', () => {
    const images = tf.randomUniform([5, 8, 9, 2], 0, 1, 'float32', 6) as tf.Tensor4D;
    const crop = randomCrop({ height: 4, width: 5, seed: 1 });
    // Boxes of 4 x 4 or 4 x 5 shrunk to 3 x 4: enlarged, the fused pass would read, in the outer half pixel, the
    // pixels beyond the crop window where the steps one by one clamp at its edge (a fused group reads the original
    // image, never an intermediate fill, as two fused randomAffine steps do).
    const resized = randomResizedCrop({ height: 3, width: 4, scale: [0.9, 1], seed: 2 });
    const flip = randomFlip({ seed: 3 });
    const pipe = pipeline([crop, resized, flip], { seed: 4 });
    const fused = pipe({ images });
    expect(fused.images.shape).toEqual([5, 3, 4, 2]);
    const [pc, pr, pf] = pipe.lastParams as [RandomCropParams, RandomResizedCropParams, RandomFlipParams];
    for (const [top, left, h, w] of pr.boxes) expect(top + h <= 4 && left + w <= 5).toBe(true);
    const a = crop.apply({ images }, pc);
    const b = resized.apply(a, pr);
    const c = flip.apply(b, pf);
    const got = values(fused.images);
    values(c.images).forEach((v, i) => expect(Math.abs(got[i]! - v)).toBeLessThan(1e-5));
    // Replayed params for the wrong size are rejected by the step, as a call of the step alone would.
    expect(() => pipe.apply({ images: tf.zeros([5, 4, 5, 2]) as tf.Tensor4D }, [pc, pr, pf])).toThrow(/^randomCrop: /);
    tf.dispose([images, fused.images, a.images, b.images, c.images]);
  });
});
