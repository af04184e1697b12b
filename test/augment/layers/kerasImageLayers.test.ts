import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import fc from 'fast-check';
import { expect, it } from 'vitest';
import * as layers from '../../../src/augment/layers/index.js';
import { describeBackends } from '../../helpers/backends.js';
import { expectNoLeaks } from '../../helpers/leaks.js';
import { runs } from '../../helpers/runs.js';
import reference from './keras-augment-layers.json' with { type: 'json' };
import { onCpu, pixels, run, saveAndLoad, values } from './layerHelpers.js';
import type { LayerLike } from './layerHelpers.js';

type Factory = (options: Record<string, unknown>) => LayerLike;
const FACTORIES = layers as unknown as Record<string, Factory>;

/** Every Keras 3 image layer, with options under which training changes the images. */
const CASES: Array<{ name: string; className: string; options: Record<string, unknown>; rgb?: boolean }> = [
  { name: 'randomCrop', className: 'RandomCrop', options: { height: 4, width: 3 } },
  { name: 'randomFlip', className: 'RandomFlip', options: { mode: 'horizontal_and_vertical' } },
  { name: 'randomBrightness', className: 'RandomBrightness', options: { factor: 0.3, valueRange: [0, 1] } },
  { name: 'randomContrast', className: 'RandomContrast', options: { factor: [0.2, 0.8], valueRange: [0, 1] } },
  { name: 'randomSaturation', className: 'RandomSaturation', options: { factor: [0.1, 0.9] }, rgb: true },
  { name: 'randomHue', className: 'RandomHue', options: { factor: 0.8, valueRange: [0, 1] }, rgb: true },
  { name: 'randomGrayscale', className: 'RandomGrayscale', options: { factor: 0.7 }, rgb: true },
  { name: 'randomSharpness', className: 'RandomSharpness', options: { factor: [0.9, 1], valueRange: [0, 1] } },
  {
    name: 'randomErasing',
    className: 'RandomErasing',
    options: { factor: [1, 1], scale: [0.1, 0.5], valueRange: [0, 1] },
  },
  { name: 'randomRotation', className: 'RandomRotation', options: { factor: [0.05, 0.2] } },
  { name: 'randomTranslation', className: 'RandomTranslation', options: { heightFactor: 0.2, widthFactor: 0.2 } },
  { name: 'randomZoom', className: 'RandomZoom', options: { heightFactor: [0.2, 0.5] } },
  { name: 'cutout', className: 'Cutout', options: { scale: [0.1, 0.3], value: 'random', p: 0.8 } },
  { name: 'randomShear', className: 'RandomShear', options: { xFactor: [0.1, 0.4], yFactor: 0.3 } },
  {
    name: 'randomElasticTransform',
    className: 'RandomElasticTransform',
    options: { factor: [1, 1], scale: [0.5, 1], valueRange: [0, 1] },
  },
  {
    name: 'randomColorJitter',
    className: 'RandomColorJitter',
    options: { valueRange: [0, 1], brightnessFactor: 0.2, contrastFactor: 0.5, saturationFactor: 0.5, hueFactor: 0.2 },
    rgb: true,
  },
  { name: 'randAugment', className: 'RandAugment', options: { valueRange: [0, 1], numOps: 3, factor: 0.7 } },
];

const SHAPE = [4, 6, 5, 3];
const make = (name: string, options: Record<string, unknown>) => FACTORIES[name]!(options);
const close = (a: number[], b: number[], tol: number) =>
  a.length === b.length && a.every((v, i) => Math.abs(v - b[i]!) <= tol);

describeBackends('Keras 3 image layers', (backend) => {
  it('equal Keras 3.15 with its draws made deterministic (collapsed factors, or each outcome of a coin)', () => {
    expect(reference.keras).toMatch(/^3\.15\./);
    for (const c of reference.cases) {
      const { inference, draw, ...options } = c.options as Record<string, unknown>;
      const layer = make(c.layer, { ...options, seed: 3 });
      // Keras' transformation given as the layer's draw (RandomErasing's boxes).
      if (draw !== undefined) Object.assign(layer, { draw: () => ({ ...(draw as object), seed: 1 }) });
      const x = tf.tensor4d(c.images, c.shape as [number, number, number, number]);
      const got = run(layer, x, inference === true ? undefined : true);
      const tol = c.layer === 'randomHue' ? 1e-4 : 1e-5 * Math.max(1, ...c.images.map(Math.abs));
      const label = `${c.layer} ${JSON.stringify(c.options)}`;
      if (['randomHue', 'randomFlip', 'randomShear'].includes(c.layer)) {
        // A coin per image: each image is one of Keras' outcomes for it.
        const per = got.length / c.shape[0]!;
        for (let i = 0; i < c.shape[0]!; i++) {
          const image = got.slice(i * per, (i + 1) * per);
          const found = c.outputs.some((o) => close(image, o.slice(i * per, (i + 1) * per), tol));
          expect(found, `${label} image ${i}`).toBe(true);
        }
      } else {
        // One window per batch for the crop; a single outcome for the others.
        expect(
          c.outputs.some((o) => close(got, o, tol)),
          label,
        ).toBe(true);
      }
      x.dispose();
    }
  });

  it('randomCrop draws every window Keras can, uniformly, one per batch', () => {
    const crop = layers.randomCrop({ height: 3, width: 4, seed: 5 });
    const x = tf.tensor4d(
      Array.from({ length: 2 * 5 * 6 }, (_, i) => i % 30),
      [2, 5, 6, 1],
    );
    const counts = new Map<string, number>();
    for (let k = 0; k < 300; k++) {
      const out = run(crop, x, true);
      // Both images (equal here) share the window; its first pixel names it.
      expect(out.slice(0, 12)).toEqual(out.slice(12));
      const key = `${out[0]}`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    expect(counts.size).toBe(3 * 3);
    for (const n of counts.values()) expect(n).toBeGreaterThan(300 / 9 / 2);
    x.dispose();
  });

  for (const c of CASES) {
    const layerOf = (seed: number | undefined, extra: object = {}) => make(c.name, { ...c.options, seed, ...extra });

    it(`${c.name}: is the identity at inference, the crop excepted (its centre window)`, () => {
      const x = pixels(SHAPE);
      const layer = layerOf(1);
      const model = tfl.sequential({ layers: [layerOf(2, { inputShape: SHAPE.slice(1) })] });
      const predicted = model.predict(x) as tf.Tensor;
      if (c.name === 'randomCrop') {
        expect(predicted.shape).toEqual([4, 4, 3, 3]);
        expect(run(layer, x)).toEqual(values(predicted));
        expect(layer.computeOutputShape([null, 6, 5, 3])).toEqual([null, 4, 3, 3]);
      } else {
        expect(run(layer, x)).toEqual(values(x));
        expect(run(layer, x, false)).toEqual(values(x));
        expect(values(predicted)).toEqual(values(x));
        expect(layer.computeOutputShape([null, 6, 5, 3])).toEqual([null, 6, 5, 3]);
      }
      tf.dispose([x, predicted]);
      model.dispose();
    });

    it(`${c.name}: changes images in training, reproducibly per seed`, () => {
      const x = pixels(SHAPE);
      const [a, b, other] = [layerOf(42), layerOf(42), layerOf(43)];
      const first = run(a, x, true);
      expect(run(b, x, true)).toEqual(first);
      const second = run(a, x, true);
      expect(second).not.toEqual(first);
      expect(run(b, x, true)).toEqual(second);
      expect(run(other, x, true)).not.toEqual(first);
      x.dispose();
    });

    it(`${c.name}: channelsFirst gives the channelsLast output, transposed`, () => {
      fc.assert(
        fc.property(fc.integer({ min: 0, max: 2 ** 31 - 1 }), (seed) => {
          const x = pixels(SHAPE, seed % 997);
          const last = tf.tensor4d(
            run(layerOf(seed), x, true),
            c.name === 'randomCrop' ? [4, 4, 3, 3] : (SHAPE as [number, number, number, number]),
          );
          const xt = tf.transpose(x, [0, 3, 1, 2]);
          const first = run(layerOf(seed, { dataFormat: 'channelsFirst' }), xt, true);
          const expected = values(tf.transpose(last, [0, 3, 1, 2]));
          first.forEach((v, i) => expect(v).toBeCloseTo(expected[i]!, 5));
          const layer = layerOf(seed, { dataFormat: 'channelsFirst' });
          const outShape = layer.computeOutputShape([null, 3, 6, 5]);
          expect(outShape).toEqual(c.name === 'randomCrop' ? [null, 3, 4, 3] : [null, 3, 6, 5]);
          tf.dispose([x, last, xt]);
        }),
        { numRuns: runs(5) },
      );
    });

    it(`${c.name}: leaks no tensors, in training and at inference`, async () => {
      const x = pixels(SHAPE);
      const layer = layerOf(5);
      await expectNoLeaks(() => layer.apply(x, { training: true }));
      await expectNoLeaks(() => layer.apply(x, { training: false }));
      const empty = tf.zeros([0, 6, 5, 3]);
      await expectNoLeaks(() => layer.apply(empty, { training: true }));
      tf.dispose([x, empty]);
    });

    it(`${c.name}: gives the same training output on this backend as on cpu`, async () => {
      const reference = await onCpu(() => {
        const x = pixels(SHAPE, 7);
        const out = run(layerOf(11), x, true);
        x.dispose();
        return out;
      });
      const x = pixels(SHAPE, 7);
      const got = run(layerOf(11), x, true);
      got.forEach((v, i) => expect(Math.abs(v - reference[i]!), `${backend} element ${i}`).toBeLessThan(1e-4));
      x.dispose();
    });

    it(`${c.name}: saves and loads with the model (Keras' class and config names, predictions, seeded draws)`, async () => {
      const model = tfl.sequential({
        layers: [
          layerOf(9, { inputShape: [3, 6, 5], name: 'augment', dataFormat: 'channelsFirst' }),
          tfl.layers.flatten(),
          tfl.layers.dense({ units: 3, kernelInitializer: 'ones' }),
        ],
      });
      const json = model.toJSON(undefined, false) as { config: { layers: Array<{ config: Record<string, unknown> }> } };
      const saved = json.config.layers[0]!.config;
      expect(saved['data_format']).toBe('channels_first');
      expect(saved['seed']).toBe(9);
      const loaded = await saveAndLoad(model);
      const [original, copy] = [model.getLayer('augment'), loaded.getLayer('augment')];
      expect(copy.getClassName()).toBe(c.className);
      expect(copy.getConfig()).toEqual(original.getConfig());
      const x = tf.transpose(pixels(SHAPE, 3), [0, 3, 1, 2]);
      const [p, q] = [model.predict(x) as tf.Tensor, loaded.predict(x) as tf.Tensor];
      expect(values(q)).toEqual(values(p));
      expect(run(copy, x, true)).toEqual(run(original, x, true));
      tf.dispose([x, p, q]);
      model.dispose();
      loaded.dispose();
    });

    if (c.rgb === true) {
      it(`${c.name}: an input whose channel axis does not hold RGB is an error naming the layer, shape and layout`, () => {
        const gray = tf.zeros([2, 6, 5, 1]);
        expect(() => layerOf(1).apply(gray, { training: true })).toThrow(
          `layers.${c.name}: input shape must be RGB images, 3 channels on axis 3 for dataFormat 'channelsLast', got [2,6,5,1]`,
        );
        const nchw = tf.zeros([2, 3, 6, 5]);
        expect(() => layerOf(1).apply(nchw, { training: true })).toThrow('(is the input channelsFirst?)');
        expect(() => layerOf(1, { dataFormat: 'channelsFirst' }).apply(gray, { training: true })).toThrow(
          `axis 1 for dataFormat 'channelsFirst'`,
        );
        expect(() => layerOf(1).computeOutputShape([null, 6, 5, 4])).toThrow(`layers.${c.name}: input shape`);
        tf.dispose([gray, nchw]);
      });
    }
  }
});
