import * as tf from '@tensorflow/tfjs-core';
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { pipeline } from '../../src/augment/pipeline.js';
import { randomAffine } from '../../src/augment/randomAffine.js';
import { randomFlip } from '../../src/augment/randomFlip.js';
import { assertChangesImagesAtP1, assertWithinRange, augmentationContract } from '../helpers/augmentationSuite.js';
import type { AugmentationSpec } from '../helpers/augmentationSuite.js';
import { describeBackends } from '../helpers/backends.js';
import { runs } from '../helpers/runs.js';

/** Keras 3 RandomFlip.transform_images and tf.image flips on fixed images (scripts/keras/geometric.py). */
const REF = JSON.parse(readFileSync(join(import.meta.dirname, 'keras-geometric.json'), 'utf8')) as {
  shape: [number, number, number, number];
  images: number[];
  flips: { mode: 'horizontal' | 'vertical' | 'horizontal_and_vertical'; flips: boolean[]; expected: number[] }[];
  flipLeftRight: number[];
  flipUpDown: number[];
};
const values = (t: tf.Tensor) => Array.from(t.dataSync());
const MODES = ['horizontal', 'vertical', 'horizontal_and_vertical'] as const;

describeBackends('randomFlip', () => {
  for (const mode of MODES) {
    describe(`mode ${mode}`, () => {
      const spec: AugmentationSpec = { make: (p, seed) => randomFlip({ mode, p, seed }) };
      augmentationContract(spec);
      it('keeps values within the input range', () => assertWithinRange(spec, []));
      // Each image stays as it is with probability 1/2: 24 images make an unchanged batch negligible (2^-24).
      it('changes at least one image with p = 1', () => assertChangesImagesAtP1(spec, { minBatch: 24 }));
    });
  }

  it("equals Keras 3 RandomFlip's transform_images with the same flips, in every mode", () => {
    const images = tf.tensor4d(REF.images, REF.shape);
    for (const c of REF.flips) {
      const none = c.flips.map(() => false);
      const params = {
        horizontal: c.mode === 'vertical' ? none : c.flips,
        vertical: c.mode === 'horizontal' ? none : c.flips,
      };
      const out = randomFlip({ mode: c.mode }).apply({ images }, params);
      expect(values(out.images), c.mode).toEqual(c.expected);
      out.images.dispose();
    }
    const all = [true, true, true];
    const lr = randomFlip().apply({ images }, { horizontal: all, vertical: [false, false, false] });
    const ud = randomFlip().apply({ images }, { horizontal: [false, false, false], vertical: all });
    expect(values(lr.images)).toEqual(REF.flipLeftRight);
    expect(values(ud.images)).toEqual(REF.flipUpDown);
    tf.dispose([images, lr.images, ud.images]);
  });

  it('mirrors exactly the flagged images along the flagged axes, and twice is the identity (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 4 }).chain((n) =>
          fc.record({
            h: fc.integer({ min: 1, max: 6 }),
            w: fc.integer({ min: 1, max: 6 }),
            horizontal: fc.array(fc.boolean(), { minLength: n, maxLength: n }),
            vertical: fc.array(fc.boolean(), { minLength: n, maxLength: n }),
            seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
          }),
        ),
        ({ h, w, horizontal, vertical, seed }) => {
          const n = horizontal.length;
          const images = tf.randomUniform([n, h, w, 2], 0, 1, 'float32', seed) as tf.Tensor4D;
          const flip = randomFlip();
          const params = { horizontal, vertical };
          const out = flip.apply({ images }, params);
          const expected = horizontal.map((hf, i) => {
            let one = tf.slice(images, [i, 0, 0, 0], [1, h, w, 2]);
            if (hf) one = tf.reverse(one, 2);
            if (vertical[i]) one = tf.reverse(one, 1);
            return values(one);
          });
          expect(values(out.images)).toEqual(expected.flat());
          const back = flip.apply(out, params);
          expect(values(back.images)).toEqual(values(images));
          tf.dispose([images, out.images, back.images]);
        },
      ),
      { numRuns: runs(20) },
    );
  });

  it('flips with probability 1/2 per image; horizontal_and_vertical turns both or neither, as Keras', () => {
    // Fixed seeds: a statistical check that cannot flake.
    for (const seed of [21, 22, 23]) {
      {
        const n = 4000;
        const info = { batchSize: n, height: 2, width: 2, channels: 1 };
        const h = randomFlip({ mode: 'horizontal', seed }).sample(info);
        const both = randomFlip({ seed }).sample(info);
        const gated = randomFlip({ mode: 'vertical', p: 0.5, seed }).sample(info);
        const rate = (flags: boolean[]) => flags.filter(Boolean).length / n;
        // 4.5 standard deviations of a binomial proportion: a wrong rate (or a constant) fails, chance almost never.
        const tol = 4.5 * Math.sqrt(0.25 / n);
        expect(Math.abs(rate(h.horizontal) - 0.5)).toBeLessThan(tol);
        expect(h.vertical.some(Boolean)).toBe(false);
        expect(Math.abs(rate(both.horizontal) - 0.5)).toBeLessThan(tol);
        expect(both.vertical).toEqual(both.horizontal);
        expect(Math.abs(rate(gated.vertical) - 0.25)).toBeLessThan(4.5 * Math.sqrt((0.25 * 0.75) / n));
      }
    }
  });

  it('fuses with any affine neighbour in a pipeline, and the fused result equals the steps one by one', () => {
    const images = tf.randomUniform([4, 5, 6, 2], 0, 1, 'float32', 3) as tf.Tensor4D;
    const rotate = randomAffine({ rotationRange: 30, fillMode: 'constant', seed: 1 });
    const flip = randomFlip({ seed: 2 });
    for (const steps of [
      [flip, rotate],
      [rotate, flip],
    ] as const) {
      const pipe = pipeline([...steps], { seed: 4 });
      const fused = pipe({ images });
      const [pa, pb] = pipe.lastParams as [never, never];
      const a = steps[0].apply({ images }, pa);
      const b = steps[1].apply(a, pb);
      const got = values(fused.images);
      values(b.images).forEach((v, i) => expect(got[i]).toBeCloseTo(v, 5));
      tf.dispose([fused.images, a.images, b.images]);
    }
    images.dispose();
  });

  it('rejects bad options and params naming randomFlip', () => {
    expect(() => randomFlip({ mode: 'both' as 'vertical' })).toThrow(
      'randomFlip: mode must be one of "horizontal", "vertical", "horizontal_and_vertical", got "both"',
    );
    expect(() => randomFlip({ p: -1 })).toThrow('randomFlip: p must be a probability in [0, 1], got -1');
    const images = tf.zeros([2, 3, 3, 1]) as tf.Tensor4D;
    expect(() => randomFlip().apply({ images }, { horizontal: [true], vertical: [false, false] })).toThrow(
      'randomFlip: params.horizontal must be 2 booleans (one per image), got [true]',
    );
    images.dispose();
  });
});
