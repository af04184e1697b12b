import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import * as layers from '../../../src/augment/layers/index.js';
import type { RandomElasticTransform } from '../../../src/augment/layers/randomElasticTransform.js';
import { describeBackends } from '../../helpers/backends.js';
import { expectNoLeaks } from '../../helpers/leaks.js';
import reference from './keras-elastic-transform.json' with { type: 'json' };
import { run, values } from './layerHelpers.js';

const make = (o: Record<string, unknown> = {}) =>
  layers.randomElasticTransform({ seed: 1, ...o }) as unknown as RandomElasticTransform;

describeBackends('layers.randomElasticTransform', (backend) => {
  it.each(reference.cases.map((c, i) => [i, c] as const))(
    "equals Keras 3.15's transform_images given Keras' own noise (case %i)",
    (_i, c) => {
      const [n, h, w, ch] = c.shape as [number, number, number, number];
      const layer = make(c.options);
      const images = tf.tensor4d(c.images, [n, h, w, ch]);
      const noise = tf.tensor3d(c.noise, [n, h, w]);
      const out = tf.tidy(() => layer.distort(images, noise, c.applied, c.distortion));
      const got = values(out);
      // Keras clips to the value range: the images are in [0, 255] and the range [0, 200], so the clip is tested.
      got.forEach((v, k) => expect(Math.abs(v - c.output[k]!), `${backend} element ${k}`).toBeLessThan(1e-3));
      tf.dispose([images, noise, out]);
    },
  );

  it("draws a field whose spread is Keras' (tfjs' seeded noise, Keras' smoothing)", () => {
    for (const s of reference.stats) {
      const size = s.size;
      // A ramp along x, displaced far from the edges: the output minus the input is the displacement.
      const ramp = tf.tidy(() => tf.tile(tf.reshape(tf.range(0, size), [1, 1, size, 1]), [20, size, 1, 1]));
      const alpha = size * 0.1 * s.distortion;
      const stds = tf.tidy(() => {
        const noise = tf.randomNormal([20, size, size], 0, 1, 'float32', 7) as tf.Tensor3D;
        const big = make({ fillMode: 'nearest', valueRange: [-1e6, 1e6] });
        // An interior window, where the zero padding of the field does not reach.
        const moved = tf.sub(big.distort(ramp as tf.Tensor4D, noise, Array(20).fill(true), s.distortion), ramp);
        return tf.div(tf.sqrt(tf.moments(tf.slice(moved, [0, 16, 16, 0], [20, 32, 32, 1])).variance), alpha);
      });
      // Bilinear reading of a ramp is exact: the moved amount is alpha · (smoothed field) per pixel.
      expect(stds.dataSync()[0]!).toBeGreaterThan(s.interiorStd * 0.9);
      expect(stds.dataSync()[0]!).toBeLessThan(s.interiorStd * 1.1);
      tf.dispose([ramp, stds]);
    }
  });

  it("moves every pixel along the diagonal, as Keras' one seed for both fields does", () => {
    const layer = make({ fillMode: 'nearest', valueRange: [-1e6, 1e6] });
    const [h, w] = [24, 20];
    const [xs, ys] = tf.tidy(() => {
      const grid = tf.meshgrid(tf.range(0, w), tf.range(0, h)) as unknown as [tf.Tensor2D, tf.Tensor2D];
      const noise = tf.randomNormal([1, h, w], 0, 1, 'float32', 3) as tf.Tensor3D;
      return grid.map((g) => {
        const image = tf.reshape(g, [1, h, w, 1]) as tf.Tensor4D;
        return tf.sub(layer.distort(image, noise, [true], 1), image);
      });
    });
    // Interior pixels (the displacement stays inside the image there): x moved equals y moved.
    const [dx, dy] = [xs!, ys!].map((t) => values(tf.slice(t, [0, 6, 6, 0], [1, h - 12, w - 12, 1])));
    expect(Math.max(...dx!.map(Math.abs))).toBeGreaterThan(0.05);
    dx!.forEach((v, i) => expect(v).toBeCloseTo(dy![i]!, 4));
    tf.dispose([xs!, ys!]);
  });

  it('draws per image whether to distort, with a probability drawn in the factor range', () => {
    const x = tf.randomUniform([400, 6, 6, 1], 0, 1, 'float32', 2);
    const out = tf.tensor4d(run(make({ factor: [0.3, 0.3], valueRange: [0, 1], seed: 4 }), x, true), [400, 6, 6, 1]);
    const changed = values(tf.greater(tf.max(tf.abs(tf.sub(out, x)), [1, 2, 3]), 0)).reduce((s, v) => s + v, 0);
    expect(changed / 400).toBeGreaterThan(0.22);
    expect(changed / 400).toBeLessThan(0.38);
    const none = make({ factor: 0, valueRange: [0, 0.5] });
    expect(run(none, x, true)).toEqual(values(x)); // Keras skips the layer, clip included
    tf.dispose([x, out]);
  });

  it('leaks no tensors in its displacement', async () => {
    const layer = make();
    const x = tf.randomUniform([2, 8, 8, 1], 0, 255, 'float32', 2);
    const noise = tf.randomNormal([2, 8, 8], 0, 1, 'float32', 1) as tf.Tensor3D;
    await expectNoLeaks(() => tf.tidy(() => layer.distort(x as tf.Tensor4D, noise, [true, false], 0.5)));
    tf.dispose([x, noise]);
  });

  it('names the layer, the option and the value for bad options', () => {
    expect(() => layers.randomElasticTransform({ scale: 2 })).toThrow('layers.randomElasticTransform: scale');
    expect(() => layers.randomElasticTransform({ factor: -0.5 })).toThrow('layers.randomElasticTransform: factor');
    expect(() => layers.randomElasticTransform({ fillMode: 'mirror' as never })).toThrow(
      'layers.randomElasticTransform: fillMode',
    );
    expect(() => layers.randomElasticTransform({ scale: null } as never)).toThrow('it takes no null');
  });
});
