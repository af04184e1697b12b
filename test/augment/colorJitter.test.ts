import * as tf from '@tensorflow/tfjs-core';
import fc from 'fast-check';
import { expect, it } from 'vitest';
import { colorJitter } from '../../src/augment/colorJitter.js';
import { adjustHue } from '../../src/augment/functional/adjustHue.js';
import { rgbToGrayscale } from '../../src/augment/functional/rgbToGrayscale.js';
import { perImage, photometricTests } from '../helpers/photometricRandom.js';
import { runs } from '../helpers/runs.js';

/** torchvision's four ops, one image at a time in its drawn order: the per-image loop colorJitter avoids. */
function perImageLoop(images: tf.Tensor4D, p: Record<string, unknown>): tf.Tensor4D {
  const order = p['order'] as number[][];
  const f = (k: string, i: number) => (p[k] as number[])[i]!;
  return tf.tidy(() =>
    tf.concat(
      tf.split(images, images.shape[0]).map((im, i) => {
        let x = im as tf.Tensor4D;
        const blend = (ref: tf.Tensor, r: number) => tf.clipByValue(tf.add(tf.mul(x, r), tf.mul(ref, 1 - r)), 0, 1);
        for (const op of order[i]!) {
          if (op === 0) x = tf.clipByValue(tf.mul(x, f('brightness', i)), 0, 1) as tf.Tensor4D;
          else if (op === 1) x = blend(tf.mean(rgbToGrayscale(x)), f('contrast', i)) as tf.Tensor4D;
          else if (op === 2) x = blend(rgbToGrayscale(x), f('saturation', i)) as tf.Tensor4D;
          else x = adjustHue(x, f('hue', i));
        }
        return x;
      }),
    ),
  ) as tf.Tensor4D;
}

const permutations = (n: number) =>
  fc.array(fc.shuffledSubarray([0, 1, 2, 3], { minLength: 4, maxLength: 4 }), { minLength: n, maxLength: n });

photometricTests({
  name: 'colorJitter',
  factory: colorJitter as never,
  options: { brightness: 0.4, contrast: 0.4, saturation: 0.4, hue: 0.1 },
  rgb: true,
  functional: perImageLoop,
  // The per-image loop runs the same ops in the same order, but on [1, h, w, 3] slices: means may round differently.
  params: (n) =>
    fc.record({
      order: permutations(n),
      brightness: perImage(n, 0.6, 1.4),
      contrast: perImage(n, 0.6, 1.4),
      saturation: perImage(n, 0.6, 1.4),
      hue: perImage(n, -0.1, 0.1),
    }),
  tolerance: 2e-6,
  exactFunctional: false,
  ranges: fc
    .tuple(
      fc.constantFrom('brightness', 'contrast', 'saturation', 'hue'),
      fc.double({ min: 0.05, max: 0.5, noNaN: true }),
    )
    .map(([key, v]) => ({
      options: { brightness: 0, contrast: 0, saturation: 0, hue: 0, [key]: v },
      key,
      lo: key === 'hue' ? -v : Math.max(0, 1 - v),
      hi: key === 'hue' ? v : 1 + v,
    })),
});

it('colorJitter draws its orders uniformly over the 24 permutations (chi-square, fixed seed)', () => {
  const n = 4800;
  const p = colorJitter({ brightness: 0.4, contrast: 0.4, saturation: 0.4, hue: 0.1, seed: 21 }).sample({
    batchSize: n,
    height: 1,
    width: 1,
    channels: 3,
  });
  const counts = new Map<string, number>();
  for (const o of p.order) counts.set(o.join(''), (counts.get(o.join('')) ?? 0) + 1);
  expect(counts.size).toBe(24);
  const e = n / 24;
  const chi2 = [...counts.values()].reduce((s, c) => s + (c - e) ** 2 / e, 0);
  // chi-square with 23 degrees of freedom: P(chi2 > 49.7) = 0.001.
  expect(chi2).toBeLessThan(49.7);
});

it('colorJitter with only some ops runs those in each image order, skipping the others', () => {
  fc.assert(
    fc.property(fc.integer({ min: 1, max: 2 ** 30 }), (seed) => {
      const aug = colorJitter({ brightness: 0.5, hue: 0.2, seed });
      const images = tf.randomUniform([3, 4, 4, 3], 0, 1, 'float32', seed) as tf.Tensor4D;
      const out = aug({ images });
      const params = aug.lastParams!;
      // The disabled ops hold identity factors, so the per-image loop over all four gives the same images.
      expect(params.contrast.every((c) => c === 1) && params.saturation.every((s) => s === 1)).toBe(true);
      const expected = perImageLoop(images, params as never);
      const a = out.images.dataSync();
      const b = expected.dataSync();
      let diff = 0;
      for (let i = 0; i < a.length; i++) diff = Math.max(diff, Math.abs(a[i]! - b[i]!));
      tf.dispose([images, out.images, expected]);
      expect(diff).toBeLessThanOrEqual(2e-6);
    }),
    { numRuns: runs(10) },
  );
});

it('colorJitter rejects bad ranges and orders, naming itself, the option and the value', () => {
  expect(() => colorJitter({ brightness: -1 })).toThrow(
    'colorJitter: brightness must be a number >= 0, or [lower, upper] with 0 <= lower <= upper, got -1',
  );
  expect(() => colorJitter({ hue: 0.6 })).toThrow(
    'colorJitter: hue must be a number in [0, 0.5], or [lower, upper] within [-0.5, 0.5] with lower <= upper, got 0.6',
  );
  const images = tf.zeros([1, 2, 2, 3]) as tf.Tensor4D;
  const params = { applied: [true], order: [[0, 1, 2, 2]], brightness: [1], contrast: [1], saturation: [1], hue: [0] };
  expect(() => colorJitter({ brightness: 0.1 }).apply({ images }, params)).toThrow(
    'colorJitter: params.order must be 1 permutations of [0, 1, 2, 3] (one per image), got [[0,1,2,2]]',
  );
  images.dispose();
});
