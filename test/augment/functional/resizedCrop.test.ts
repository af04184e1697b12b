import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import fc from 'fast-check';
import { expect, it } from 'vitest';
import { crop } from '../../../src/augment/functional/crop.js';
import { resizedCrop } from '../../../src/augment/functional/resizedCrop.js';
import { randomResizedCrop } from '../../../src/augment/randomResizedCrop.js';
import { describeBackends } from '../../helpers/backends.js';
import { expectNoLeaks } from '../../helpers/leaks.js';
import { runs } from '../../helpers/runs.js';

type Box = [number, number, number, number];

/**
 * torchvision's F.resized_crop (the zero-padded crop, then tf.image.resize) where each axis is shrunk, kept or covers
 * the image; tf.image.crop_and_resize of the zero-padded images given the half-pixel map where boxes are enlarged
 * with their edges off the image's border (scripts/keras/functional_crops.py).
 */
const reference = JSON.parse(readFileSync(join(import.meta.dirname, 'keras-crops.json'), 'utf8')) as {
  shape: [number, number, number, number];
  images: number[];
  resizedCrops: {
    kind: 'resize' | 'crop_and_resize';
    boxes: Box[];
    size: [number, number];
    interpolation: 'bilinear' | 'nearest';
    expected: number[];
  }[];
};
const values = (t: tf.Tensor) => Array.from(t.dataSync());

describeBackends('resizedCrop', () => {
  it('equals torchvision F.resized_crop (TensorFlow resize of the zero-padded crop) within 1e-5, boxes outside too', () => {
    const images = tf.tensor4d(reference.images, reference.shape);
    expect(reference.resizedCrops.filter((c) => c.kind === 'crop_and_resize')).toHaveLength(1);
    for (const c of reference.resizedCrops) {
      const out = resizedCrop(images, { boxes: c.boxes, size: c.size, interpolation: c.interpolation });
      expect(out.shape).toEqual([3, ...c.size, 3]);
      const worst = values(out).reduce((m, v, i) => Math.max(m, Math.abs(v - c.expected[i]!)), 0);
      expect(worst, `${c.kind} ${c.interpolation} ${JSON.stringify(c.boxes)}`).toBeLessThanOrEqual(1e-5);
      out.dispose();
    }
    images.dispose();
  });

  it("is randomResizedCrop's apply for fixed params, and the four-number form equals the boxes form", () => {
    const images = tf.randomUniform([5, 9, 8, 3], 0, 1, 'float32', 4) as tf.Tensor4D;
    for (const interpolation of ['bilinear', 'nearest'] as const) {
      const aug = randomResizedCrop({ height: 6, width: 11, interpolation, seed: 5 });
      const { boxes } = aug.sample({ batchSize: 5, height: 9, width: 8, channels: 3 });
      const viaAug = aug.apply({ images }, { boxes }).images;
      const direct = resizedCrop(images, { boxes, size: [6, 11], interpolation });
      const split = resizedCrop(images, {
        top: boxes.map((b) => b[0]),
        left: boxes.map((b) => b[1]),
        height: boxes.map((b) => b[2]),
        width: boxes.map((b) => b[3]),
        size: [6, 11],
        interpolation,
      });
      expect(values(direct)).toEqual(values(viaAug));
      expect(values(split)).toEqual(values(viaAug));
      tf.dispose([viaAug, direct, split]);
    }
    images.dispose();
  });

  it('is crop where the box keeps its size, wherever the box lies (zeros outside)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: -6, max: 6 }),
        fc.integer({ min: -6, max: 6 }),
        fc.integer({ min: 1, max: 7 }),
        fc.integer({ min: 1, max: 7 }),
        fc.constantFrom('bilinear' as const, 'nearest' as const),
        async (top, left, height, width, interpolation) => {
          const images = tf.tensor4d(
            Array.from({ length: 2 * 5 * 4 }, (_, i) => i + 1),
            [2, 5, 4, 1],
          );
          const a = resizedCrop(images, { top, left, height, width, size: [height, width], interpolation });
          const b = crop(images, { top, left, height, width });
          values(a).forEach((v, i) => expect(v).toBeCloseTo(values(b)[i]!, 4));
          tf.dispose([images, a, b]);
        },
      ),
      { numRuns: runs(40) },
    );
  });

  it('keeps an empty batch empty, rejects bad boxes, sizes and options by name, and is leak-free', async () => {
    const x = tf.zeros([2, 3, 3, 1]) as tf.Tensor4D;
    const empty = resizedCrop(tf.zeros([0, 3, 3, 2]) as tf.Tensor4D, { boxes: [], size: [4, 5] });
    expect(empty.shape).toEqual([0, 4, 5, 2]);
    const box: Box = [0, 0, 2, 2];
    expect(() => resizedCrop(x, { boxes: [box], size: [2, 2] })).toThrow(
      /^resizedCrop: options.boxes must be 2 boxes \[top, left, height, width\] of integers, sides >= 1, got \[\[0,0,2,2\]\]/,
    );
    expect(() => resizedCrop(x, { boxes: [box, [0, 0, 0, 1]], size: [2, 2] })).toThrow(/^resizedCrop: options.boxes/);
    expect(() => resizedCrop(x, { boxes: [box, box], top: 0, size: [2, 2] })).toThrow(
      /^resizedCrop: options must be either boxes or top, left, height and width, not both/,
    );
    expect(() => resizedCrop(x, { size: [2, 2] })).toThrow(/^resizedCrop: options.top must be an integer/);
    expect(() => resizedCrop(x, { top: 0, left: 0, height: [1, 0], width: 1, size: [2, 2] })).toThrow(
      /^resizedCrop: options.height\[1\] must be an integer >= 1, got 0/,
    );
    expect(() => resizedCrop(x, { boxes: [box, box], size: [2] as never })).toThrow(
      /^resizedCrop: options.size must be \[height, width\], two integers >= 1, got \[2\]/,
    );
    expect(() => resizedCrop(x, { boxes: [box, box], size: [2, 2], interpolation: 'bicubic' as never })).toThrow(
      /^resizedCrop: options.interpolation must be one of/,
    );
    expect(() => resizedCrop(x, { boxes: [box, box], size: [2, 2], antialias: true } as never)).toThrow(
      /^resizedCrop: unknown option "antialias"/,
    );
    await expectNoLeaks(() => resizedCrop(x, { boxes: [box, [-1, 2, 3, 2]], size: [4, 3] }));
    await expectNoLeaks(() => resizedCrop(x, { boxes: [box, box], size: [4, 3], interpolation: 'nearest' }));
    tf.dispose([x, empty]);
  });
});
