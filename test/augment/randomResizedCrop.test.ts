import * as tf from '@tensorflow/tfjs-core';
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { pipeline } from '../../src/augment/pipeline.js';
import { randomFlip } from '../../src/augment/randomFlip.js';
import { randomResizedCrop } from '../../src/augment/randomResizedCrop.js';
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

/**
 * tf.image.resize (antialias off) of tf.image.crop_to_bounding_box: torchvision's resized crop, the
 * half-pixel convention; tf.image.crop_and_resize given the boxes that make its pixel-centre map
 * that same map (for boxes enlarged inside the image); torchvision's centre-crop fallback
 * (scripts/keras/geometric.py).
 */
const REF = JSON.parse(readFileSync(join(import.meta.dirname, 'keras-geometric.json'), 'utf8')) as {
  shape: [number, number, number, number];
  images: number[];
  resizedCrops: {
    box: [number, number, number, number];
    size: [number, number];
    interpolation: 'bilinear' | 'nearest';
    expected: number[];
  }[];
  fallbacks: { height: number; width: number; ratio: [number, number]; box: [number, number, number, number] }[];
};
const values = (t: tf.Tensor) => Array.from(t.dataSync());

describeBackends('randomResizedCrop', () => {
  describe('default scale and ratio, the input size kept', () => {
    const spec: AugmentationSpec = { make: (p, seed) => randomResizedCrop({ p, seed }), minSide: 4 };
    augmentationContract(spec);
    it('keeps values within the input range', () => assertWithinRange(spec, []));
    // A box may be the whole image (about 5% of draws on 8 px sides): six images make an unchanged batch negligible.
    it('changes at least one image with p = 1', () => assertChangesImagesAtP1(spec, { minBatch: 6, minSide: 8 }));
  });
  describe('to 5 x 3, nearest', () => {
    const spec: AugmentationSpec = {
      make: (p, seed) => randomResizedCrop({ height: 5, width: 3, interpolation: 'nearest', p, seed }),
      outputSize: [5, 3],
    };
    it('gives height x width images', () => assertShapeAndDtype(spec));
    it('replays', () => assertReplayable(spec));
    it('rejects bad batches naming the augmentation', () => assertRejectsBadBatches(spec));
    it('leaks nothing', () => assertNoLeaks(spec));
    it('keeps values within the input range', () => assertWithinRange(spec, []));
  });

  it("equals TensorFlow's crop then resize (half-pixel centres) and crop_and_resize with the same boxes", () => {
    const images = tf.tensor4d(REF.images, REF.shape);
    const n = REF.shape[0];
    for (const c of REF.resizedCrops) {
      const aug = randomResizedCrop({ height: c.size[0], width: c.size[1], interpolation: c.interpolation });
      const out = aug.apply({ images }, { boxes: Array(n).fill(c.box) });
      expect(out.images.shape).toEqual([n, ...c.size, REF.shape[3]]);
      const got = values(out.images);
      // float32 coordinates (k·scale + offset, as TensorFlow's kernels compute them in another order) and a
      // lerp of values in [0, 1]: agreement within 1e-5 absolute, i.e. ~1e-5 relative for these pixels.
      c.expected.forEach((v, i) => expect(Math.abs(got[i]! - v), `${c.box} -> ${c.size} at ${i}`).toBeLessThan(1e-5));
      out.images.dispose();
    }
    images.dispose();
  });

  it("falls back to torchvision's centre crop when ten draws fail (sizes rounded half to even)", () => {
    for (const f of REF.fallbacks) {
      // Areas 2 to 3 times the image's never fit: every attempt fails.
      const aug = randomResizedCrop({ scale: [2, 3], ratio: f.ratio, seed: 1 });
      const { boxes } = aug.sample({ batchSize: 3, height: f.height, width: f.width, channels: 1 });
      expect(boxes, `${f.height} x ${f.width}, ratio ${f.ratio}`).toEqual([f.box, f.box, f.box]);
    }
  });

  it('draws boxes inside the image with area within scale and aspect ratio within ratio (up to rounding)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 2 ** 31 - 1 }),
        fc.integer({ min: 16, max: 64 }),
        fc.integer({ min: 16, max: 64 }),
        fc.double({ min: 0.05, max: 0.5, noNaN: true }),
        fc.double({ min: 0.5, max: 1, noNaN: true }),
        (seed, height, width, lo, ratioLo) => {
          const scale: [number, number] = [lo, Math.min(1, lo * 2)];
          const ratio: [number, number] = [ratioLo, 1 / ratioLo];
          const aug = randomResizedCrop({ scale, ratio, seed });
          const { boxes } = aug.sample({ batchSize: 200, height, width, channels: 3 });
          const area = height * width;
          let random = 0;
          for (const [top, left, h, w] of boxes) {
            expect(top >= 0 && left >= 0 && top + h <= height && left + w <= width && h >= 1 && w >= 1).toBe(true);
            const fallback = top === Math.floor((height - h) / 2) && left === Math.floor((width - w) / 2);
            // Rounding each side to a whole pixel moves the area and the ratio by at most half a pixel per side.
            const [hi, wi] = [h + 0.5, w + 0.5];
            const [hl, wl] = [Math.max(h - 0.5, 0), Math.max(w - 0.5, 0)];
            const inScale = hl * wl <= scale[1] * area && hi * wi >= scale[0] * area;
            const inRatio = wl / hi <= ratio[1] && wi / hl >= ratio[0];
            if (!fallback) {
              random += 1;
              expect(inScale && inRatio, `box ${[top, left, h, w]} of ${height} x ${width}`).toBe(true);
            }
          }
          // On a square image with ratios around 1 nearly every draw succeeds: a sampler stuck on its fallback fails.
          if (height === width && scale[1] <= 0.5) expect(random).toBeGreaterThan(150);
        },
      ),
      { numRuns: runs(10) },
    );
    const { boxes } = randomResizedCrop({ seed: 5 }).sample({ batchSize: 200, height: 32, width: 32, channels: 3 });
    const centred = boxes.filter(([t, l, h, w]) => t === Math.floor((32 - h) / 2) && l === Math.floor((32 - w) / 2));
    expect(centred.length).toBeLessThan(20);
  });

  it('fuses with randomFlip in a pipeline: the fused result equals the steps one by one', () => {
    const images = tf.randomUniform([4, 9, 8, 2], 0, 1, 'float32', 3) as tf.Tensor4D;
    const crop = randomResizedCrop({ height: 6, width: 7, seed: 1 });
    const flip = randomFlip({ seed: 2 });
    for (const steps of [
      [crop, flip],
      [flip, crop],
    ] as const) {
      const pipe = pipeline([...steps], { seed: 4 });
      const fused = pipe({ images });
      expect(fused.images.shape).toEqual([4, 6, 7, 2]);
      const [pa, pb] = pipe.lastParams as [never, never];
      const a = steps[0].apply({ images }, pa);
      const b = steps[1].apply(a, pb);
      const got = values(fused.images);
      values(b.images).forEach((v, i) => expect(Math.abs(got[i]! - v)).toBeLessThan(1e-5));
      tf.dispose([fused.images, a.images, b.images]);
    }
    images.dispose();
  });

  it('rejects bad options and params naming randomResizedCrop', () => {
    expect(() => randomResizedCrop({ scale: [0.5, 0.1] })).toThrow(
      'randomResizedCrop: scale must be [min, max] with 0 < min <= max finite, got [0.5,0.1]',
    );
    expect(() => randomResizedCrop({ interpolation: 'bicubic' as 'nearest' })).toThrow(
      'randomResizedCrop: interpolation must be one of "bilinear", "nearest", got "bicubic"',
    );
    const images = tf.zeros([1, 4, 4, 1]) as tf.Tensor4D;
    expect(() => randomResizedCrop().apply({ images }, { boxes: [[1, 1, 4, 2]] })).toThrow(
      'randomResizedCrop: params.boxes must be 1 boxes [top, left, height, width] of integers inside the 4 x 4 image',
    );
    images.dispose();
  });
});
