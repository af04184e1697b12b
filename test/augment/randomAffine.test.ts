import * as tf from '@tensorflow/tfjs-core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { affineTransform } from '../../src/augment/functional/affineTransform.js';
import { kerasTransformMatrix } from '../../src/augment/functional/kerasTransformMatrix.js';
import { randomAffine } from '../../src/augment/randomAffine.js';
import { assertChangesImagesAtP1, assertWithinRange, augmentationContract } from '../helpers/augmentationSuite.js';
import type { AugmentationSpec } from '../helpers/augmentationSuite.js';
import { describeBackends } from '../helpers/backends.js';
import { runs } from '../helpers/runs.js';

const notebook = { rotationRange: 30, widthShiftRange: 0.1, heightShiftRange: 0.1, zoomRange: 0.2 };
const values = (t: tf.Tensor) => Array.from(t.dataSync());

describeBackends('randomAffine', () => {
  describe('notebook ranges', () => {
    const spec: AugmentationSpec = { make: (p, seed) => randomAffine({ ...notebook, p, seed }) };
    augmentationContract(spec);
    it('keeps values within the input range (and fill values)', () => assertWithinRange(spec, []));
    it('changes at least one image with p = 1', () => assertChangesImagesAtP1(spec));
  });
  describe('horizontal flip, constant fill', () => {
    const spec: AugmentationSpec = {
      make: (p, seed) =>
        randomAffine({ ...notebook, horizontalFlip: true, fillMode: 'constant', fillValue: -1, p, seed }),
    };
    augmentationContract(spec);
    it('keeps values within the input range (and fill values)', () => assertWithinRange(spec, [-1]));
    it('changes at least one image with p = 1', () => assertChangesImagesAtP1(spec));
  });

  it('draws parameters within ImageDataGenerator ranges (fractions scale with the image size)', () => {
    fc.assert(
      fc.property(fc.integer(), fc.integer({ min: 4, max: 40 }), fc.integer({ min: 4, max: 40 }), (seed, h, w) => {
        const aug = randomAffine({ ...notebook, shearRange: 10, seed });
        const { samples } = aug.sample({ batchSize: 16, height: h, width: w, channels: 1 });
        for (const s of samples) {
          expect(s).not.toBeNull();
          expect(Math.abs(s!.theta)).toBeLessThanOrEqual(30);
          expect(Math.abs(s!.tx)).toBeLessThanOrEqual(0.1 * w);
          expect(Math.abs(s!.ty)).toBeLessThanOrEqual(0.1 * h);
          expect(Math.abs(s!.shear)).toBeLessThanOrEqual(10);
          for (const z of [s!.zx, s!.zy]) expect(z >= 0.8 && z <= 1.2).toBe(true);
        }
        // Pixel ranges (>= 1) are used as is; zoom pairs and sameZoom.
        const px = randomAffine({ widthShiftRange: 3, zoomRange: [0.5, 0.6], sameZoom: true, seed }).sample({
          batchSize: 8,
          height: h,
          width: w,
          channels: 1,
        });
        for (const s of px.samples) {
          expect(Math.abs(s!.tx)).toBeLessThanOrEqual(3);
          expect(s!.zx).toBe(s!.zy);
          expect(s!.zx >= 0.5 && s!.zx <= 0.6).toBe(true);
        }
      }),
      { numRuns: runs(25) },
    );
  });

  it('applies exactly the Keras matrix of each sample, flips included, in one resampling', () => {
    const images = tf.randomUniform([3, 7, 9, 2], 0, 1, 'float32', 5) as tf.Tensor4D;
    const aug = randomAffine({ ...notebook, horizontalFlip: true, verticalFlip: true, seed: 11 });
    const out = aug({ images });
    const expected = aug.lastParams!.samples.map((s, i) => {
      const m = kerasTransformMatrix(
        { theta: s!.theta, tx: s!.tx, ty: s!.ty, shear: s!.shear, zx: s!.zx, zy: s!.zy },
        7,
        9,
      );
      const one = tf.slice(images, [i, 0, 0, 0], [1, 7, 9, 2]);
      let warped = affineTransform(one, m, { fillMode: 'nearest' });
      if (s!.flipHorizontal) warped = tf.reverse(warped, 2);
      if (s!.flipVertical) warped = tf.reverse(warped, 1);
      return values(warped);
    });
    const got = values(out.images);
    const per = got.length / 3;
    expected.forEach((e, i) => e.forEach((v, j) => expect(got[i * per + j]).toBeCloseTo(v, 4)));
    tf.dispose([images, out.images]);
  });

  it('rejects bad options naming the option and value', () => {
    expect(() => randomAffine({ rotationRange: -5 })).toThrow(
      'randomAffine: rotationRange must be a finite number >= 0, got -5',
    );
    expect(() => randomAffine({ zoomRange: 1.5 })).toThrow(
      'randomAffine: zoomRange must be a range of positive factors (zoom < 1 as a number), got 1.5',
    );
    expect(() => randomAffine({ zoomRange: [1.2, 0.8] })).toThrow(
      'randomAffine: zoomRange must be [lo, hi] with lo <= hi, got [1.2,0.8]',
    );
    expect(() => randomAffine({ fillMode: 'mirror' as 'reflect' })).toThrow(
      'randomAffine: fillMode must be one of "constant", "reflect", "wrap", "nearest", got "mirror"',
    );
    expect(() => randomAffine({ p: 2 })).toThrow('randomAffine: p must be a probability in [0, 1], got 2');
    expect(() => randomAffine({ horizontalFlip: 1 as unknown as boolean })).toThrow(
      'randomAffine: horizontalFlip must be a boolean, got 1',
    );
  });
});
