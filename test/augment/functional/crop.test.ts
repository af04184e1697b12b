import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import fc from 'fast-check';
import { expect, it } from 'vitest';
import { crop } from '../../../src/augment/functional/crop.js';
import { randomCrop } from '../../../src/augment/randomCrop.js';
import { describeBackends } from '../../helpers/backends.js';
import { expectNoLeaks } from '../../helpers/leaks.js';
import { runs } from '../../helpers/runs.js';

/** torchvision's F.crop: crop_to_bounding_box of zero-padded images (scripts/keras/functional_crops.py). */
const reference = JSON.parse(readFileSync(join(import.meta.dirname, 'keras-crops.json'), 'utf8')) as {
  shape: [number, number, number, number];
  images: number[];
  crops: { top: number[]; left: number[]; height: number; width: number; expected: number[] }[];
};

const values = (t: tf.Tensor) => Array.from(t.dataSync());
const refImages = () => tf.tensor4d(reference.images, reference.shape);

/** torchvision's F.crop written out: the window's pixels, 0 outside the image. */
function naiveCrop(
  px: number[],
  [n, h, w, c]: readonly number[],
  top: number[],
  left: number[],
  ch: number,
  cw: number,
) {
  const out: number[] = [];
  for (let i = 0; i < n!; i++)
    for (let y = 0; y < ch; y++)
      for (let x = 0; x < cw; x++)
        for (let k = 0; k < c!; k++) {
          const [sy, sx] = [y + top[i]!, x + left[i]!];
          out.push(sy < 0 || sy >= h! || sx < 0 || sx >= w! ? 0 : px[((i * h! + sy) * w! + sx) * c! + k]!);
        }
  return out;
}

describeBackends('crop', () => {
  it("equals TensorFlow's zero-padded crop_to_bounding_box (torchvision F.crop), inside and outside the image", () => {
    const images = refImages();
    for (const c of reference.crops) {
      const out = crop(images, { top: c.top, left: c.left, height: c.height, width: c.width });
      expect(out.shape).toEqual([3, c.height, c.width, 3]);
      values(out).forEach((v, i) => expect(Math.abs(v - c.expected[i]!)).toBeLessThanOrEqual(1e-5));
      out.dispose();
    }
    images.dispose();
  });

  it('reads each window pixel for pixel, with zeros outside, for any offsets and sizes (one number or per image)', async () => {
    const shape = fc.tuple(
      fc.integer({ min: 1, max: 3 }),
      fc.integer({ min: 1, max: 6 }),
      fc.integer({ min: 1, max: 6 }),
    );
    await fc.assert(
      fc.asyncProperty(
        shape.chain(([n, h, w]) =>
          fc.record({
            shape: fc.constant([n, h, w, 2]),
            top: fc.array(fc.integer({ min: -h - 1, max: h + 1 }), { minLength: n, maxLength: n }),
            left: fc.array(fc.integer({ min: -w - 1, max: w + 1 }), { minLength: n, maxLength: n }),
            height: fc.integer({ min: 1, max: 8 }),
            width: fc.integer({ min: 1, max: 8 }),
            shared: fc.boolean(),
          }),
        ),
        async (c) => {
          const px = Array.from({ length: c.shape.reduce((a, b) => a * b) }, (_, i) => (i % 97) + 1);
          const images = tf.tensor4d(px, c.shape as [number, number, number, number]);
          const [top, left] = c.shared ? [c.top.map(() => c.top[0]!), c.left.map(() => c.left[0]!)] : [c.top, c.left];
          const out = crop(images, {
            top: c.shared ? top[0]! : top,
            left: c.shared ? left[0]! : left,
            height: c.height,
            width: c.width,
          });
          expect(values(out)).toEqual(naiveCrop(px, c.shape, top, left, c.height, c.width));
          tf.dispose([images, out]);
        },
      ),
      { numRuns: runs(40) },
    );
  });

  it("is randomCrop's apply for fixed params: the window moved back by the padding (constant mode, fill 0)", () => {
    const images = tf.randomUniform([4, 6, 7, 3], 0, 1, 'float32', 3) as tf.Tensor4D;
    const aug = randomCrop({ height: 5, width: 4, padding: [2, 3], seed: 9 });
    const params = aug.sample({ batchSize: 4, height: 6, width: 7, channels: 3 });
    const viaAug = aug.apply({ images }, params).images;
    const direct = crop(images, {
      top: params.top.map((t) => t - 2),
      left: params.left.map((l) => l - 3),
      height: 5,
      width: 4,
    });
    expect(values(direct)).toEqual(values(viaAug));
    tf.dispose([images, viaAug, direct]);
  });

  it('keeps an empty batch empty, rejects bad offsets, sizes and options by name, and is leak-free', async () => {
    const x = tf.zeros([2, 3, 3, 1]) as tf.Tensor4D;
    const empty = crop(tf.zeros([0, 3, 3, 2]) as tf.Tensor4D, { top: 0, left: 0, height: 2, width: 1 });
    expect(empty.shape).toEqual([0, 2, 1, 2]);
    expect(() => crop(x, { top: 0.5, left: 0, height: 1, width: 1 })).toThrow(
      /^crop: options.top must be an integer or an array of 2 of them \(one per image\), got 0.5/,
    );
    expect(() => crop(x, { top: [0, 1, 2], left: 0, height: 1, width: 1 })).toThrow(
      /^crop: options.top must be .*got 3 values/,
    );
    expect(() => crop(x, { top: [0, 'a'] as never, left: 0, height: 1, width: 1 })).toThrow(
      /^crop: options.top\[1\] must be an integer, got "a"/,
    );
    expect(() => crop(x, { top: 0, left: 0, height: 0, width: 1 })).toThrow(
      /^crop: options.height must be an integer >= 1, got 0/,
    );
    expect(() => crop(x, { top: 0, left: 0, height: 1 } as never)).toThrow(
      /^crop: options.width must be an integer >= 1, got undefined/,
    );
    expect(() => crop(x, { top: 0, left: 0, height: 1, width: 1, size: 1 } as never)).toThrow(
      /^crop: unknown option "size"/,
    );
    expect(() => crop(tf.zeros([2, 3]) as never, { top: 0, left: 0, height: 1, width: 1 })).toThrow(
      /^crop: images must be a rank-4/,
    );
    await expectNoLeaks(() => crop(x, { top: [-1, 2], left: [1, 0], height: 2, width: 3 }));
    tf.dispose([x, empty]);
  });
});
