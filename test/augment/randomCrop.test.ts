import * as tf from '@tensorflow/tfjs-core';
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { pipeline } from '../../src/augment/pipeline.js';
import { randomCrop } from '../../src/augment/randomCrop.js';
import type { RandomCropOptions } from '../../src/augment/randomCrop.js';
import { randomFlip } from '../../src/augment/randomFlip.js';
import {
  assertChangesImagesAtP1,
  assertNoLeaks,
  assertRejectsBadBatches,
  assertReplayable,
  assertShapeAndDtype,
  assertWithinRange,
  augmentationContract,
} from '../helpers/augmentationSuite.js';
import type { AugmentationSpec } from '../helpers/augmentationSuite.js';
import { describeBackends } from '../helpers/backends.js';
import { runs } from '../helpers/runs.js';

/** tf.pad / numpy 'edge' + tf.image.crop_to_bounding_box, and Keras 3 RandomCrop (scripts/keras/geometric.py). */
const REF = JSON.parse(readFileSync(join(import.meta.dirname, 'keras-geometric.json'), 'utf8')) as {
  shape: [number, number, number, number];
  images: number[];
  crops: {
    height: number;
    width: number;
    padding: [number, number];
    padMode: NonNullable<RandomCropOptions['padMode']>;
    fillValue: number;
    top: number[];
    left: number[];
    expected: number[];
  }[];
  kerasCrops: { height: number; width: number; top: number; left: number; expected: number[] }[];
};
const values = (t: tf.Tensor) => Array.from(t.dataSync());
// Zeros without their sign: wasm's tf.pad, the expectation below, can write −0 for a fill of 0.
const unsigned = (a: number[]) => a.map((v) => (v === 0 ? 0 : v));

describeBackends('randomCrop', () => {
  describe('pad 2 and crop back (the CIFAR recipe), constant fill', () => {
    const spec: AugmentationSpec = { make: (p, seed) => randomCrop({ padding: 2, fillValue: -1, p, seed }) };
    augmentationContract(spec);
    it('keeps values within the input range (and the fill)', () => assertWithinRange(spec, [-1]));
    // One window in (2·pad + 1)² is the image itself: eight images make an unchanged batch negligible.
    it('changes at least one image with p = 1', () => assertChangesImagesAtP1(spec, { minBatch: 8 }));
  });
  for (const padMode of ['edge', 'reflect', 'symmetric'] as const) {
    describe(`pad 1, ${padMode}`, () => {
      const spec: AugmentationSpec = { make: (p, seed) => randomCrop({ padding: 1, padMode, p, seed }) };
      augmentationContract(spec);
      it('keeps values within the input range', () => assertWithinRange(spec, []));
      // One window in (2·pad + 1)² is the image itself: eight images make an unchanged batch negligible.
      it('changes at least one image with p = 1', () => assertChangesImagesAtP1(spec, { minBatch: 8 }));
    });
  }
  describe('a 2 x 3 window out of larger images', () => {
    const spec: AugmentationSpec = {
      make: (p, seed) => randomCrop({ height: 2, width: 3, p, seed }),
      minSide: 3,
      outputSize: [2, 3],
    };
    it('gives height x width images', () => assertShapeAndDtype(spec));
    it('replays', () => assertReplayable(spec));
    it('rejects bad batches naming the augmentation', () => assertRejectsBadBatches(spec));
    it('leaks nothing', () => assertNoLeaks(spec));
    it('keeps values within the input range', () => assertWithinRange(spec, []));
  });

  it('equals tf.pad (numpy edge) + tf.image.crop_to_bounding_box with the same windows, in every pad mode', () => {
    const images = tf.tensor4d(REF.images, REF.shape);
    for (const c of REF.crops) {
      const crop = randomCrop({
        height: c.height,
        width: c.width,
        padding: c.padding,
        padMode: c.padMode,
        fillValue: c.fillValue,
      });
      const out = crop.apply({ images }, { top: c.top, left: c.left });
      expect(out.images.shape).toEqual([REF.shape[0], c.height, c.width, REF.shape[3]]);
      expect(values(out.images), `${c.padMode} ${c.padding}`).toEqual(c.expected);
      out.images.dispose();
    }
    images.dispose();
  });

  it("equals Keras 3 RandomCrop's transform_images for the window Keras draws (one per batch)", () => {
    const images = tf.tensor4d(REF.images, REF.shape);
    for (const c of REF.kerasCrops) {
      const n = REF.shape[0];
      const out = randomCrop({ height: c.height, width: c.width }).apply(
        { images },
        { top: Array(n).fill(c.top), left: Array(n).fill(c.left) },
      );
      expect(values(out.images)).toEqual(c.expected);
      out.images.dispose();
    }
    images.dispose();
  });

  it('cuts exactly the window of the padded images, for any shape, padding and window (property)', () => {
    fc.assert(
      fc.property(
        fc.record({
          n: fc.integer({ min: 1, max: 3 }),
          h: fc.integer({ min: 1, max: 7 }),
          w: fc.integer({ min: 1, max: 7 }),
          py: fc.integer({ min: 0, max: 3 }),
          px: fc.integer({ min: 0, max: 3 }),
          seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
        }),
        fc.double({ min: -2, max: 2, noNaN: true }),
        ({ n, h, w, py, px, seed }, fillValue) => {
          const [ch, cw] = [1 + (seed % (h + 2 * py)), 1 + ((seed >> 4) % (w + 2 * px))];
          const images = tf.randomUniform([n, h, w, 2], 0, 1, 'float32', seed) as tf.Tensor4D;
          const aug = randomCrop({ height: ch, width: cw, padding: [py, px], fillValue, seed });
          const out = aug({ images });
          const { top, left } = aug.lastParams!;
          const padded = tf.pad(
            images,
            [
              [0, 0],
              [py, py],
              [px, px],
              [0, 0],
            ],
            fillValue,
          );
          const expected = top.map((t, i) => values(tf.slice(padded, [i, t, left[i]!, 0], [1, ch, cw, 2])));
          expect(unsigned(values(out.images))).toEqual(unsigned(expected.flat().map(Math.fround)));
          tf.dispose([images, out.images, padded]);
        },
      ),
      { numRuns: runs(20) },
    );
  });

  it('draws offsets uniformly over the valid range (chi-square), independently per image', () => {
    // Fixed seeds: a statistical check that cannot flake. Every padding and window size of a small grid.
    for (const seed of [11, 12, 13]) {
      for (const padding of [0, 1, 2, 4]) {
        for (const crop of [1, 3]) {
          const side = 8;
          const n = 3000;
          const aug = randomCrop({ height: side - crop, width: side, padding, seed });
          const { top, left } = aug.sample({ batchSize: n, height: side, width: side, channels: 1 });
          for (const [draws, cells] of [
            [top, 2 * padding + crop + 1],
            [left, 2 * padding + 1],
          ] as const) {
            expect(draws.every((d) => Number.isInteger(d) && d >= 0 && d < cells)).toBe(true);
            if (cells === 1) continue;
            const counts = Array<number>(cells).fill(0);
            for (const d of draws) counts[d]! += 1;
            const e = n / cells;
            const chi2 = counts.reduce((s, k) => s + (k - e) ** 2 / e, 0);
            // Above the 99.9th percentile of chi-square(df) for df in 1..12: a range off by one (a cell never or
            // twice as often drawn) gives chi2 in the hundreds.
            const df = cells - 1;
            expect(chi2, `seed ${seed}, counts ${counts.join(',')}`).toBeLessThan(df + 6 * Math.sqrt(2 * df) + 4);
          }
          // Rows and columns are drawn independently: every (top, left) pair turns up (about 25 draws each).
          const pairs = new Set(top.map((t, i) => `${t},${left[i]}`));
          expect(pairs.size).toBe((2 * padding + crop + 1) * (2 * padding + 1));
        }
      }
    }
  });

  it('centres the window where p leaves an image alone: the identity when the size is kept', () => {
    const info = { batchSize: 2, height: 6, width: 6, channels: 1 };
    const smaller = randomCrop({ height: 4, width: 5, padding: [1, 2], p: 0, seed: 1 });
    expect(smaller.sample(info)).toEqual({ top: [2, 2], left: [2, 2] });
    const kept = randomCrop({ padding: [1, 2], p: 0, seed: 1 });
    expect(kept.sample(info)).toEqual({ top: [1, 1], left: [2, 2] });
  });

  it('fuses with randomFlip in a pipeline: the fused result equals the steps one by one', () => {
    const images = tf.randomUniform([4, 7, 6, 3], 0, 1, 'float32', 3) as tf.Tensor4D;
    for (const crop of [
      randomCrop({ padding: 2, seed: 1 }),
      randomCrop({ height: 5, width: 4, padding: 1, fillValue: 0.5, seed: 1 }),
      randomCrop({ height: 5, width: 4, seed: 1 }),
    ]) {
      const flip = randomFlip({ seed: 2 });
      for (const steps of [
        [crop, flip],
        [flip, crop],
      ] as const) {
        const pipe = pipeline([...steps], { seed: 4 });
        const fused = pipe({ images });
        const [pa, pb] = pipe.lastParams as [never, never];
        const a = steps[0].apply({ images }, pa);
        const b = steps[1].apply(a, pb);
        expect(values(fused.images)).toEqual(values(b.images));
        tf.dispose([fused.images, a.images, b.images]);
      }
    }
    images.dispose();
  });

  it('rejects bad options, images too small and bad params, naming randomCrop', () => {
    expect(() => randomCrop({ height: 4 })).toThrow('randomCrop: width must be an integer >= 1 (given with height)');
    expect(() => randomCrop({ padding: -1 })).toThrow(
      'randomCrop: padding must be an integer >= 0, or [vertical, horizontal] of those, got -1',
    );
    expect(() => randomCrop({ padMode: 'wrap' as 'edge' })).toThrow('randomCrop: padMode must be one of');
    const images = tf.zeros([2, 4, 4, 1]) as tf.Tensor4D;
    expect(() => randomCrop({ height: 7, width: 4, padding: 1 })({ images })).toThrow(
      'randomCrop: batch.images shape must be images at least 7 x 4 once padded by 1 x 1 (the crop window), got [2,4,4,1]',
    );
    expect(() => randomCrop({ padding: 4, padMode: 'reflect' })({ images })).toThrow(
      "randomCrop: batch.images shape must be images larger than the padding 4 x 4 (padMode 'reflect' mirrors",
    );
    expect(() => randomCrop({ padding: 1 }).apply({ images }, { top: [0, 3], left: [0, 0] })).toThrow(
      'randomCrop: params.top must be 2 integers in [0, 2] (one per image), got [0,3]',
    );
    images.dispose();
  });
});
