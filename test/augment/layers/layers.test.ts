import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { expect, it } from 'vitest';
import * as layers from '../../../src/augment/layers/index.js';
import { describeBackends } from '../../helpers/backends.js';
import { expectNoLeaks } from '../../helpers/leaks.js';
import { onCpu, pixels, run, saveAndLoad, values } from './layerHelpers.js';
import type { LayerLike } from './layerHelpers.js';

/** Every layer, with options under which training visibly changes every image. */
const CASES: Array<{ name: string; className: string; make: (seed?: number, extra?: object) => LayerLike }> = [
  {
    name: 'randomRotation',
    className: 'RandomRotation',
    make: (seed, extra) => layers.randomRotation({ factor: [0.05, 0.2], seed, ...extra }),
  },
  {
    name: 'randomTranslation',
    className: 'RandomTranslation',
    make: (seed, extra) => layers.randomTranslation({ heightFactor: [0.1, 0.3], widthFactor: 0.2, seed, ...extra }),
  },
  {
    name: 'randomZoom',
    className: 'RandomZoom',
    make: (seed, extra) =>
      layers.randomZoom({
        heightFactor: [0.2, 0.5],
        widthFactor: [-0.5, -0.2],
        fillMode: 'constant',
        fillValue: 0.5,
        seed,
        ...extra,
      }),
  },
  {
    name: 'randomAffine',
    className: 'RandomAffine',
    make: (seed, extra) =>
      layers.randomAffine({ rotationRange: 30, widthShiftRange: 0.2, zoomRange: [0.6, 0.8], seed, ...extra }),
  },
  {
    name: 'gaussianNoise',
    className: 'SeededGaussianNoise',
    make: (seed, extra) => layers.gaussianNoise({ stddev: 0.3, seed, ...extra }),
  },
];

const SHAPE = [3, 6, 5, 2];

describeBackends('augmentation layers', (backend) => {
  for (const c of CASES) {
    it(`${c.name}: is the identity at inference (apply without training, training: false, predict)`, () => {
      const x = pixels(SHAPE);
      const layer = c.make(1);
      expect(run(layer, x)).toEqual(values(x));
      expect(run(layer, x, false)).toEqual(values(x));
      const model = tfl.sequential({ layers: [c.make(2, { inputShape: SHAPE.slice(1) })] });
      const predicted = model.predict(x) as tf.Tensor;
      expect(values(predicted)).toEqual(values(x));
      expect(layer.computeOutputShape([null, 6, 5, 2])).toEqual([null, 6, 5, 2]);
      tf.dispose([x, predicted]);
      model.dispose();
    });

    it(`${c.name}: changes every image in training, reproducibly per seed`, () => {
      const x = pixels(SHAPE);
      const [a, b, other] = [c.make(42), c.make(42), c.make(43)];
      const first = run(a, x, true);
      const per = first.length / SHAPE[0]!;
      const input = values(x);
      for (let i = 0; i < SHAPE[0]!; i++) {
        const changed = first.slice(i * per, (i + 1) * per).some((v, j) => Math.abs(v - input[i * per + j]!) > 1e-4);
        expect(changed, `image ${i} unchanged`).toBe(true);
      }
      expect(run(b, x, true)).toEqual(first);
      // The generator moves on: the next call draws new parameters, the twin follows the same sequence.
      const second = run(a, x, true);
      expect(second).not.toEqual(first);
      expect(run(b, x, true)).toEqual(second);
      expect(run(other, x, true)).not.toEqual(first);
      x.dispose();
    });

    it(`${c.name}: leaks no tensors in a training-mode call`, async () => {
      const x = pixels(SHAPE);
      const layer = c.make(5);
      await expectNoLeaks(() => layer.apply(x, { training: true }));
      // At inference tfjs' Layer.apply hands back a clone of the input, which the caller owns.
      await expectNoLeaks(() => layer.apply(x, { training: false }));
      x.dispose();
    });

    it(`${c.name}: gives the same training output on this backend as on cpu`, async () => {
      const reference = await onCpu(() => {
        const x = pixels(SHAPE, 7);
        const out = run(c.make(11), x, true);
        x.dispose();
        return out;
      });
      const x = pixels(SHAPE, 7);
      const got = run(c.make(11), x, true);
      got.forEach((v, i) => expect(Math.abs(v - reference[i]!), `${backend} element ${i}`).toBeLessThan(1e-5));
      x.dispose();
    });

    it(`${c.name}: saves and loads with the model (class name, config, predictions, seeded draws)`, async () => {
      const model = tfl.sequential({
        layers: [
          c.make(9, { inputShape: SHAPE.slice(1), name: 'augment' }),
          tfl.layers.flatten(),
          tfl.layers.dense({ units: 3, kernelInitializer: 'ones' }),
        ],
      });
      const loaded = await saveAndLoad(model);
      const [original, copy] = [model.getLayer('augment'), loaded.getLayer('augment')];
      expect(copy.getClassName()).toBe(c.className);
      expect(copy.getConfig()).toEqual(original.getConfig());
      expect(copy.getConfig()['seed']).toBe(9);
      const x = pixels(SHAPE, 3);
      const [p, q] = [model.predict(x) as tf.Tensor, loaded.predict(x) as tf.Tensor];
      expect(values(q)).toEqual(values(p));
      // Neither layer has drawn yet: the reloaded seed starts the same sequence.
      expect(run(copy, x, true)).toEqual(run(original, x, true));
      tf.dispose([x, p, q]);
      model.dispose();
      loaded.dispose();
    });
  }

  it('an unseeded layer saves seed null and reloads with a fresh seed', async () => {
    const model = tfl.sequential({
      layers: [layers.randomRotation({ factor: 0.2, inputShape: [4, 4, 1], name: 'rot' })],
    });
    expect(model.getLayer('rot').getConfig()['seed']).toBeNull();
    const [loaded, again] = [await saveAndLoad(model), await saveAndLoad(model)];
    expect(loaded.getLayer('rot').getConfig()).toEqual(model.getLayer('rot').getConfig());
    expect(again.getLayer('rot').getConfig()).toEqual(model.getLayer('rot').getConfig());
    // Each layer draws its own seed: on a non-constant batch, different angles give different pixels,
    // so the original and two reloads of the same file disagree at their first training call.
    const x = pixels([3, 4, 4, 1], 5);
    const [a, b, c] = [model, loaded, again].map((m) => run(m.getLayer('rot'), x, true));
    expect(b).not.toEqual(a);
    expect(c).not.toEqual(a);
    expect(c).not.toEqual(b);
    x.dispose();
    model.dispose();
    loaded.dispose();
    again.dispose();
  });
});

it('the layers reject non-image inputs and non-integer seeds, naming the factory', () => {
  const features = tf.zeros([2, 3]);
  expect(() => layers.randomZoom({ heightFactor: 0.1 }).apply(features)).toThrow(
    'layers.randomZoom: input shape must be rank 4, [batch, height, width, channels], got [2,3]',
  );
  expect(() => tfl.sequential({ layers: [layers.randomRotation({ factor: 0.1, inputShape: [8] })] })).toThrow(
    /^layers\.randomRotation: input shape must be rank 4/,
  );
  expect(() => layers.randomTranslation({ heightFactor: 0.1, widthFactor: 0.1, seed: 1.5 })).toThrow(
    'layers.randomTranslation: seed must be a safe integer (|seed| <= 2^53 - 1), got 1.5',
  );
  expect(() => layers.gaussianNoise({ stddev: 0.1, seed: 'a' as unknown as number })).toThrow(
    'layers.gaussianNoise: seed must be a safe integer (|seed| <= 2^53 - 1), got "a"',
  );
  expect(() => layers.randomAffine({ seed: Number.NaN })).toThrow(
    'layers.randomAffine: seed must be a safe integer (|seed| <= 2^53 - 1), got NaN',
  );
  // Noise accepts any shape (features too).
  expect((layers.gaussianNoise({ stddev: 1 }).apply(features, { training: true }) as tf.Tensor).shape).toEqual([2, 3]);
  features.dispose();
});
