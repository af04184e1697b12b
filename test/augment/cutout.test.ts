import * as tf from '@tensorflow/tfjs-core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cutout } from '../../src/augment/cutout.js';
import type { CutoutOptions, CutoutParams } from '../../src/augment/cutout.js';
import { assertChangesImagesAtP1, assertWithinRange, augmentationContract } from '../helpers/augmentationSuite.js';
import type { AugmentationSpec } from '../helpers/augmentationSuite.js';
import { describeBackends } from '../helpers/backends.js';
import { runs } from '../helpers/runs.js';

type Shape = [number, number, number, number];

/** Erases an all-ones batch with value 0 and returns the output pixels and the params. */
function erase(options: CutoutOptions, shape: Shape): { out: Float32Array; params: CutoutParams } {
  const images = tf.ones(shape) as tf.Tensor4D;
  const aug = cutout({ value: 0, ...options });
  const result = aug({ images });
  const out = result.images.dataSync() as Float32Array;
  tf.dispose([images, result.images]);
  return { out, params: aug.lastParams! };
}

/** The union of an image's boxes, painted in JavaScript: 1 where erased. */
function painted(boxes: number[][], h: number, w: number): number[] {
  const grid = new Array<number>(h * w).fill(0);
  for (const [y0, x0, y1, x1] of boxes)
    for (let y = y0!; y < y1!; y++) for (let x = x0!; x < x1!; x++) grid[y * w + x] = 1;
  return grid;
}

/** Per image, 1 where every channel was erased (0) and 0 where every channel kept its 1; anything else fails. */
function erasedMask(out: Float32Array, [n, h, w, c]: Shape): number[][] {
  let mixed = 0;
  const masks = Array.from({ length: n }, (_, i) =>
    Array.from({ length: h * w }, (_, px) => {
      const at = (i * h * w + px) * c;
      for (let k = 0; k < c; k++) if (out[at + k] !== out[at] || (out[at] !== 0 && out[at] !== 1)) mixed++;
      return 1 - out[at]!;
    }),
  );
  expect(mixed, 'pixels neither erased nor kept in every channel').toBe(0);
  return masks;
}

const pixelsOf = (size: number, side: number) => (size < 1 ? Math.max(1, Math.round(size * side)) : size);
const side = fc.oneof(fc.integer({ min: 1, max: 14 }), fc.double({ min: 0.05, max: 0.95, noNaN: true }));

describeBackends('cutout', (backend) => {
  describe('fixed size, constant fill', () => {
    const spec: AugmentationSpec = { make: (p, seed) => cutout({ size: 3, count: 2, value: 0.5, p, seed }) };
    augmentationContract(spec);
    it('keeps values within the input range (and fill values)', () => assertWithinRange(spec, [0.5]));
    it('changes at least one image with p = 1', () => assertChangesImagesAtP1(spec));
  });
  describe('random area, noise fill', () => {
    const spec: AugmentationSpec = { make: (p, seed) => cutout({ value: 'random', inside: false, p, seed }) };
    augmentationContract(spec);
    it('keeps values within the input range (and fill values)', () => assertWithinRange(spec, [0, 1]));
    it('changes at least one image with p = 1', () => assertChangesImagesAtP1(spec, { minSide: 8 }));
  });

  it('erases exactly count boxes of the requested size, inside the image or clipped by its border', () => {
    const cases = fc.record({
      n: fc.integer({ min: 1, max: 3 }),
      h: fc.integer({ min: 1, max: 12 }),
      w: fc.integer({ min: 1, max: 12 }),
      c: fc.integer({ min: 1, max: 2 }),
      size: fc.oneof(side, fc.tuple(side, side)),
      count: fc.integer({ min: 1, max: 3 }),
      inside: fc.boolean(),
      seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
    });
    fc.assert(
      fc.property(cases, ({ n, h, w, c, size, count, inside, seed }) => {
        const shape: Shape = [n, h, w, c];
        const { out, params } = erase({ size, count, inside, seed }, shape);
        const [sh, sw] = Array.isArray(size) ? size : [size, size];
        const bh = pixelsOf(sh, h);
        const bw = pixelsOf(sw, w);
        const masks = erasedMask(out, shape);
        params.boxes.forEach((boxes, i) => {
          expect(boxes).toHaveLength(count);
          for (const [y0, x0, y1, x1] of boxes) {
            expect(0 <= y0 && y0 < y1 && y1 <= h && 0 <= x0 && x0 < x1 && x1 <= w).toBe(true);
            for (const [lo, hi, full, len] of [
              [y0, y1, h, bh],
              [x0, x1, w, bw],
            ] as const) {
              if (inside) expect(hi - lo).toBe(Math.min(len, full));
              else {
                // Clipped only where it meets the border, and its centre pixel stays inside the image.
                if (lo > 0 && hi < full) expect(hi - lo).toBe(len);
                expect(hi - lo).toBeLessThanOrEqual(len);
                expect(hi - lo).toBeGreaterThanOrEqual(Math.min(full, Math.ceil(len / 2)));
              }
            }
          }
          expect(masks[i]).toEqual(painted(boxes, h, w));
          if (count === 1) {
            const [y0, x0, y1, x1] = boxes[0]!;
            expect(masks[i]!.reduce((s, v) => s + v, 0)).toBe((y1 - y0) * (x1 - x0));
          }
        });
      }),
      { numRuns: runs(25) },
    );
  });

  it('clips centred boxes at the border (inside: false) but never boxes placed inside', () => {
    const clipped = (o: CutoutOptions) =>
      erase({ ...o, seed: 3 }, [32, 20, 20, 1]).params.boxes.map((boxes) => {
        const [y0, x0, y1, x1] = boxes[0]!;
        return (y1 - y0) * (x1 - x0);
      });
    // A 10-pixel box centred on the border keeps at least 5 pixels of each side.
    expect(clipped({ size: 10 }).every((a) => a >= 25 && a <= 100)).toBe(true);
    expect(clipped({ size: 10 }).some((a) => a < 100)).toBe(true);
    expect(clipped({ size: 10, inside: true }).every((a) => a === 100)).toBe(true);
    expect(clipped({ scale: [0.25, 0.25], ratio: [1, 1] }).every((a) => a === 100)).toBe(true);
    expect(clipped({ scale: [0.25, 0.25], ratio: [1, 1], inside: false }).some((a) => a < 100)).toBe(true);
  });

  it('draws random-erasing boxes within the scale and ratio ranges (up to pixel rounding)', () => {
    const [h, w] = [40, 50];
    const area = h * w;
    for (const [scale, ratio] of [
      [
        [0.02, 0.33],
        [0.3, 3.3],
      ],
      [
        [0.1, 0.2],
        [0.5, 1],
      ],
    ] as const) {
      const { out, params } = erase({ scale: [...scale], ratio: [...ratio], seed: 9 }, [48, h, w, 1]);
      const masks = erasedMask(out, [48, h, w, 1]);
      const areas = new Set<number>();
      params.boxes.forEach((boxes, i) => {
        const [y0, x0, y1, x1] = boxes[0]!;
        const [bh, bw] = [y1 - y0, x1 - x0];
        // The drawn real height and width lie within ±0.5 of the rounded ones.
        expect((bh - 0.5) * (bw - 0.5)).toBeLessThanOrEqual(scale[1] * area);
        expect((bh + 0.5) * (bw + 0.5)).toBeGreaterThanOrEqual(scale[0] * area);
        expect((bh - 0.5) / (bw + 0.5)).toBeLessThanOrEqual(ratio[1]);
        expect((bh + 0.5) / (bw - 0.5)).toBeGreaterThanOrEqual(ratio[0]);
        expect(masks[i]!.reduce((s, v) => s + v, 0)).toBe(bh * bw);
        areas.add(bh * bw);
      });
      expect(areas.size).toBeGreaterThan(10);
    }
    const square = erase({ scale: [0.1, 0.1], ratio: [1, 1], seed: 1 }, [8, h, w, 1]).params;
    for (const boxes of square.boxes) {
      const [y0, x0, y1, x1] = boxes[0]!;
      expect([y1 - y0, x1 - x0]).toEqual([14, 14]);
    }
  });

  it('gates per image: images not drawn are untouched and have no boxes', () => {
    const shape: Shape = [40, 5, 5, 1];
    const { out, params } = erase({ size: 2, p: 0.5, seed: 4 }, shape);
    const on = params.applied.filter(Boolean).length;
    expect(on).toBeGreaterThan(8);
    expect(on).toBeLessThan(32);
    erasedMask(out, shape).forEach((mask, i) => {
      const erased = mask.reduce((s, v) => s + v, 0);
      if (params.applied[i]) expect(erased).toBeGreaterThan(0);
      else expect([erased, params.boxes[i]]).toEqual([0, []]);
    });
    expect(erase({ size: 2, p: 0, seed: 4 }, shape).out.every((v) => v === 1)).toBe(true);
  });

  it("fills with seeded noise for value 'random', the same on this backend as on cpu", async () => {
    const shape: Shape = [3, 8, 6, 2];
    const run = (params?: CutoutParams) => {
      const images = tf.fill(shape, 5) as tf.Tensor4D;
      const aug = cutout({ size: [4, 3], count: 2, value: 'random', p: 0.8, seed: 77 });
      const result = params ? aug.apply({ images }, params) : aug({ images });
      const values = Array.from(result.images.dataSync());
      tf.dispose([images, result.images]);
      return { values, params: aug.lastParams! };
    };
    const here = run();
    const params = JSON.parse(JSON.stringify(here.params)) as CutoutParams;
    await tf.setBackend('cpu');
    const reference = run(params).values;
    await tf.setBackend(backend);
    expect(Number.isInteger(params.seed)).toBe(true);
    const noise = here.values.filter((v) => v !== 5);
    expect(noise.length).toBeGreaterThan(10);
    expect(new Set(noise).size).toBe(noise.length);
    for (const v of noise) expect(v >= 0 && v < 1).toBe(true);
    here.values.forEach((v, i) => expect(Math.abs(v - reference[i]!)).toBeLessThan(1e-5));
  });

  it('passes labels through as new tensors and rejects replayed params that do not fit', () => {
    const images = tf.ones([2, 4, 4, 1]) as tf.Tensor4D;
    const labels = tf.tensor2d([
      [1, 0],
      [0, 1],
    ]);
    const out = cutout({ size: 2, seed: 1 })({ images, labels });
    expect(out.labels).not.toBe(labels);
    expect(Array.from(out.labels!.dataSync())).toEqual([1, 0, 0, 1]);
    const aug = cutout({ size: 2 });
    expect(() => aug.apply({ images }, { applied: [true], boxes: [[]] })).toThrow(
      'cutout: params.applied must be 2 booleans (one per image), got [true]',
    );
    expect(() => aug.apply({ images }, { applied: [true, true], boxes: [[[0, 0, 5, 2]], []] })).toThrow(
      'cutout: params.boxes must be 2 lists (one per image) of [y0, x0, y1, x1] boxes within 4x4, got [[[0,0,5,2]],[]]',
    );
    expect(() => cutout({ value: 'random' }).apply({ images }, { applied: [true, true], boxes: [[], []] })).toThrow(
      'cutout: params.seed must be an integer in [0, 2^32) (the noise fill seed), got undefined',
    );
    tf.dispose([images, labels, out.images, out.labels!]);
  });
});

it('cutout rejects bad options naming the function, the option and the value', () => {
  const make = (o: unknown) => () => cutout(o as CutoutOptions);
  const size = 'size must be pixels (an integer >= 1) or a fraction of the side in (0, 1), or [height, width] of those';
  expect(make({ size: 8, scale: [0.1, 0.2] })).toThrow(
    'cutout: size and scale exclude each other (fixed or random box size), got size 8 and scale [0.1,0.2]',
  );
  expect(make({ size: 8, ratio: [1, 2] })).toThrow(
    'cutout: ratio applies only with scale, got ratio [1,2] with size 8',
  );
  for (const bad of [0, -2, 1.5, Number.NaN, [2], [2, 0], '4'])
    expect(make({ size: bad })).toThrow(`cutout: ${size}, got `);
  expect(make({ scale: [0.5, 0.1] })).toThrow(
    'cutout: scale must be [min, max] with 0 < min <= max <= 1, got [0.5,0.1]',
  );
  expect(make({ scale: [0, 0.1] })).toThrow('cutout: scale must be [min, max] with 0 < min <= max <= 1, got [0,0.1]');
  expect(make({ scale: [0.1, 1.5] })).toThrow(
    'cutout: scale must be [min, max] with 0 < min <= max <= 1, got [0.1,1.5]',
  );
  expect(make({ ratio: [0, 2] })).toThrow('cutout: ratio must be [min, max] with 0 < min <= max finite, got [0,2]');
  expect(make({ ratio: [1, Infinity] })).toThrow(
    'cutout: ratio must be [min, max] with 0 < min <= max finite, got [1,null]',
  );
  expect(make({ count: 0 })).toThrow('cutout: count must be an integer >= 1, got 0');
  expect(make({ count: 1.5 })).toThrow('cutout: count must be an integer >= 1, got 1.5');
  expect(make({ inside: 'yes' })).toThrow('cutout: inside must be a boolean, got "yes"');
  expect(make({ value: Number.NaN })).toThrow(
    'cutout: value must be a finite float32 number (|x| <= 3.4e38) or "random", got NaN',
  );
  expect(make({ value: 'noise' })).toThrow(
    'cutout: value must be a finite float32 number (|x| <= 3.4e38) or "random", got "noise"',
  );
  expect(make({ p: -0.1 })).toThrow('cutout: p must be a probability in [0, 1], got -0.1');
  expect(make({ seed: 0.5 })).toThrow('cutout: seed must be a safe integer (|seed| <= 2^53 - 1), got 0.5');
  expect(make([])).toThrow('cutout: options must be an options object, got []');
});
