import * as tf from '@tensorflow/tfjs-core';
import { expect, it, vi } from 'vitest';
import { randomGenerator } from '../../../src/core/random.js';
import * as layers from '../../../src/augment/layers/index.js';
import { RAND_AUGMENT_OPS } from '../../../src/augment/layers/randAugment.js';
import type { RandAugment, RandAugmentDraw } from '../../../src/augment/layers/randAugment.js';
import { describeBackends } from '../../helpers/backends.js';
import { expectNoLeaks } from '../../helpers/leaks.js';
import reference from './keras-rand-augment-layer.json' with { type: 'json' };
import { pixels, run, values } from './layerHelpers.js';

const make = (o: Record<string, unknown> = {}) => layers.randAugment({ seed: 1, ...o }) as unknown as RandAugment;

/** Keras' recorded transformation of op k, in the form the op's draw holds it. */
function paramsOf(k: number, p: unknown): unknown {
  const applied = (v: number[]) => v.map(() => true);
  switch (RAND_AUGMENT_OPS[k]) {
    case 'random_brightness':
      return { applied: applied(p as number[]), delta: p };
    case 'random_contrast':
    case 'random_sharpness':
      return { applied: applied(p as number[]), factor: p };
    default:
      return p; // rows, factors, bits, solarization's additions and thresholds, or null
  }
}

describeBackends('layers.randAugment', (backend) => {
  it("equals Keras 3.15's transform_images with the op indices fixed and Keras' own draws replayed", () => {
    expect(reference.keras).toMatch(/^3\.15\./);
    expect(reference.ops).toEqual([...RAND_AUGMENT_OPS]);
    const covered = new Set(reference.cases.flatMap((c) => c.ops));
    expect(covered.size).toBe(11);
    expect(new Set(reference.cases.map((c) => c.shape[3]))).toEqual(new Set([1, 3]));
    for (const c of reference.cases) {
      const layer = make(c.options);
      const x = tf.tensor4d(c.images, c.shape as [number, number, number, number]);
      const params = Object.fromEntries(Object.entries(c.params).map(([k, p]) => [Number(k), paramsOf(Number(k), p)]));
      const draw: RandAugmentDraw = { ops: c.ops, params: RAND_AUGMENT_OPS.map((_, k) => params[k]) };
      const out = tf.tidy(() => layer.transformWith(x, draw));
      const got = values(out);
      const [low, high] = c.options.valueRange;
      const tol = 1e-5 * (high! - low!);
      const label = `${backend} ${JSON.stringify(c.keras)}`;
      expect(got.length).toBe(c.output.length);
      got.forEach((v, i) => expect(Math.abs(v - c.output[i]!), `${label} element ${i}`).toBeLessThanOrEqual(tol));
      tf.dispose([x, out]);
    }
  });

  it('draws one set of op indices per call, uniform over the eleven ops (chi-square, fixed seed)', () => {
    const layer = make({ numOps: 2 });
    const rng = randomGenerator(2024);
    const info = { batchSize: 3, height: 4, width: 4, channels: 3 };
    const counts = new Array<number>(11).fill(0);
    const calls = 2200;
    for (let i = 0; i < calls; i++) {
      const draw = layer.drawWith(info, rng);
      expect(draw.ops.length).toBe(2);
      for (const k of draw.ops) counts[k]!++;
      // Only the chosen ops draw (auto_contrast and equalization draw null).
      draw.params.forEach((p, k) => expect(p !== undefined, `op ${k}`).toBe(draw.ops.includes(k)));
    }
    const expected = (calls * 2) / 11;
    const chi2 = counts.reduce((s, n) => s + (n - expected) ** 2 / expected, 0);
    // 10 degrees of freedom: P(chi2 > 29.59) = 0.001.
    expect(chi2).toBeLessThan(29.59);
  });

  it('takes its randomness from the seeded generator only (no Math.random), on 1 and 3 channels', () => {
    const spy = vi.spyOn(Math, 'random');
    for (const channels of [1, 3]) {
      const x = pixels([3, 6, 5, channels]);
      const a = run(make({ numOps: 4, valueRange: [0, 1], seed: 8 }), x, true);
      expect(run(make({ numOps: 4, valueRange: [0, 1], seed: 8 }), x, true)).toEqual(a);
      x.dispose();
    }
    expect(spy).not.toHaveBeenCalled();
    spy.mockRestore();
  });

  it('runs every op, on 1 and 3 channels, within the value range and without leaks', async () => {
    for (const channels of [1, 3]) {
      const x = tf.mul(pixels([2, 7, 6, channels], channels), 255);
      const layer = make({ numOps: 40, factor: 0.9, seed: 3 });
      const out = tf.tensor(run(layer, x, true));
      expect(tf.min(out).dataSync()[0]).toBeGreaterThanOrEqual(0);
      expect(tf.max(out).dataSync()[0]).toBeLessThanOrEqual(255);
      await expectNoLeaks(() => layer.apply(x, { training: true }));
      tf.dispose([x, out]);
    }
  });

  it('numOps 0 is the identity in training, as in Keras', () => {
    const x = pixels([2, 4, 4, 3]);
    expect(run(make({ numOps: 0, valueRange: [0, 1] }), x, true)).toEqual(values(x));
    x.dispose();
  });

  it('rejects input of neither 1 nor 3 channels, naming the layer and the shape', () => {
    const x = tf.zeros([1, 4, 4, 2]);
    expect(() => make().apply(x, { training: true })).toThrow(
      "layers.randAugment: input shape must be RGB or grayscale images, 3 or 1 channels on axis 3 for dataFormat 'channelsLast', got [1,4,4,2]",
    );
    expect(() => make().computeOutputShape([null, 4, 4, 4])).toThrow('layers.randAugment: input shape');
    x.dispose();
  });

  it('rejects bad options with an error naming layers.randAugment, the option and the value', () => {
    const bad: Array<[Record<string, unknown>, string]> = [
      [{ numOps: -1 }, 'numOps must be an integer from 0 to 1000, got -1'],
      [{ numOps: 1.5 }, 'numOps must be an integer from 0 to 1000, got 1.5'],
      [{ factor: 1.5 }, 'factor must be a number in [0, 1]'],
      [{ factor: [-0.5, 0.5] }, 'factor must be a number in [0, 1] or a pair [lower, upper] of numbers in [0, 1]'],
      [{ interpolation: 'cubic' }, 'interpolation must be one of "nearest", "bilinear", got "cubic"'],
      [{ valueRange: [1, 0] }, 'options.valueRange must be [low, high]'],
      [{ dataFormat: 'nchw' }, 'dataFormat must be one of'],
      [{ num_ops: 2 }, 'unknown option "num_ops"'],
    ];
    for (const [options, message] of bad) {
      expect(() => layers.randAugment(options as never), JSON.stringify(options)).toThrow(
        `layers.randAugment: ${message}`,
      );
    }
  });

  it("saves Keras' config names and rebuilds from them", () => {
    const layer = make({ numOps: 3, factor: [0.2, 0.6], interpolation: 'nearest', valueRange: [0, 1] });
    const config = layer.getConfig();
    expect(config).toMatchObject({ valueRange: [0, 1], numOps: 3, factor: [0.2, 0.6], interpolation: 'nearest' });
    const copy = (layer.constructor as typeof RandAugment).fromConfig(
      layer.constructor as never,
      config,
    ) as unknown as RandAugment;
    expect(copy.getConfig()).toEqual(config);
    const x = pixels([2, 5, 5, 3]);
    expect(run(copy, x, true)).toEqual(run(make(config), x, true));
    x.dispose();
  });
});
