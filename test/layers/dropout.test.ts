import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import fc from 'fast-check';
import { expect, it } from 'vitest';
import { randomGenerator } from '../../src/core/random.js';
import { dropout } from '../../src/layers/dropout.js';
import { describeBackends } from '../helpers/backends.js';
import { expectNoLeaks } from '../helpers/leaks.js';
import { runs } from '../helpers/runs.js';
import { KERAS, expectIdentityAtInference, run, saveAndLoad, trainsButPredictsIdentity, values } from './helpers.js';

const shapeArb = fc.array(fc.integer({ min: 1, max: 5 }), { minLength: 1, maxLength: 4 });

/** The documented rule: a unit of the mask is dropped when the generator's next uniform is below the rate. */
function expectedMasks(seed: number, rate: number, size: number, calls: number): number[][] {
  const rng = randomGenerator(seed);
  const scale = Math.fround(1 / (1 - rate));
  return Array.from({ length: calls }, () => Array.from({ length: size }, () => (rng.uniform() < rate ? 0 : scale)));
}

describeBackends('dropout', () => {
  it('is the identity at inference and at rate 0, for any input and seed (property)', () => {
    expectIdentityAtInference((rate, seed) => dropout({ rate, seed }), shapeArb, 0.95, 15);
  });

  it('multiplies by the masks its seeded stream defines, a fresh one on every training call (property)', () => {
    fc.assert(
      fc.property(shapeArb, fc.double({ min: 0.05, max: 0.9, noNaN: true }), fc.integer(), (shape, rate, seed) => {
        const x = tf.ones(shape);
        const layer = dropout({ rate, seed });
        const size = x.size;
        const [first, second] = expectedMasks(seed, rate, size, 2);
        expect(Array.from(run(layer, x, true))).toEqual(first);
        expect(Array.from(run(layer, x, true))).toEqual(second);
        x.dispose();
      }),
      { numRuns: runs(15) },
    );
  });

  it('keeps the expected value: a Binomial(units, 1 − rate) count of kept units, each x / (1 − rate) (property)', () => {
    fc.assert(
      fc.property(fc.double({ min: 0.05, max: 0.9, noNaN: true }), fc.integer(), (rate, seed) => {
        const x = values([64, 50], seed, 0.5, 1.5);
        const input = x.dataSync();
        const y = run(dropout({ rate, seed }), x, true);
        let kept = 0;
        let wrong = 0;
        for (let i = 0; i < y.length; i++) {
          if (y[i] === 0) continue;
          if (!(Math.abs(y[i]! - input[i]! / (1 - rate)) <= 1e-6 * y[i]!)) wrong++;
          kept++;
        }
        expect(wrong).toBe(0);
        const sd = Math.sqrt(y.length * rate * (1 - rate));
        expect(Math.abs(kept - y.length * (1 - rate))).toBeLessThan(5 * sd);
        x.dispose();
      }),
      { numRuns: runs(10) },
    );
  });

  it("shares the mask along noiseShape's 1 axes (Keras' noise_shape), null meaning the axis' size", () => {
    const x = tf.ones([3, 4, 5]);
    const y = run(dropout({ rate: 0.5, seed: 4, noiseShape: [null, 1, 5] }), x, true);
    const [mask] = expectedMasks(4, 0.5, 3 * 5, 1);
    for (let b = 0; b < 3; b++)
      for (let t = 0; t < 4; t++) for (let c = 0; c < 5; c++) expect(y[(b * 4 + t) * 5 + c]).toBe(mask![b * 5 + c]);
    x.dispose();
  });

  it("matches Keras 3's Dropout: values 0 and 1/(1 − rate), the mask shared along noiseShape's 1 axes, a fresh one per call (Keras reference)", () => {
    const ref = KERAS.dropout;
    const layer = dropout({ rate: ref.rate, noiseShape: ref.noiseShape, seed: 3 });
    const x = tf.ones(ref.shape);
    const [first, second] = [run(layer, x, true), run(layer, x, true)];
    const [n, t, c] = ref.shape as [number, number, number];
    let shared = true;
    for (let b = 0; b < n; b++)
      for (let k = 0; k < c; k++)
        for (let i = 1; i < t; i++) shared &&= first[(b * t + i) * c + k] === first[b * t * c + k];
    expect(shared).toBe(ref.sharedAlongAxis1);
    expect([...new Set(Array.from(first, (v) => Number(v.toFixed(6))))].sort()).toEqual(ref.values);
    expect(first.some((v, i) => v !== second[i])).toBe(ref.freshPerCall);
    expect(run(layer, x).every((v) => v === 1)).toBe(ref.inference);
    x.dispose();
  });

  it('differs from tfjs-layers’ seeded dropout, which repeats one mask on every call', () => {
    const x = tf.ones([8, 16]);
    const theirs = tfl.layers.dropout({ rate: 0.5, seed: 7 });
    expect(run(theirs, x, true)).toEqual(run(theirs, x, true));
    const ours = dropout({ rate: 0.5, seed: 7 });
    expect(run(ours, x, true)).not.toEqual(run(ours, x, true));
    x.dispose();
  });

  it('acts in model.fit and not in model.predict', async () => {
    const r = await trainsButPredictsIdentity(dropout({ rate: 0.5, seed: 1 }), [3, 2]);
    expect(r.predictEqualsInput).toBe(true);
    expect(r.evaluateLoss).toBe(0);
    expect(r.fitLoss).toBeGreaterThan(0.1);
  });

  it('saves and loads with its config; a loaded layer with the same seed repeats the masks', async () => {
    const model = tfl.sequential({ layers: [dropout({ rate: 0.3, seed: 5, noiseShape: [null, 1], inputShape: [4] })] });
    const loaded = await saveAndLoad(model);
    expect(loaded.layers[0]!.getClassName()).toBe('SeededDropout');
    expect(loaded.layers[0]!.getConfig()).toMatchObject({ rate: 0.3, seed: 5, noiseShape: [null, 1] });
    const x = values([6, 4], 2);
    expect(run(loaded.layers[0]!, x, true)).toEqual(run(model.layers[0]!, x, true));
    x.dispose();
    model.dispose();
    loaded.dispose();
  });

  it('leaks no tensor, in training or inference', async () => {
    const layer = dropout({ rate: 0.3, seed: 1 });
    const x = tf.ones([2, 3, 4]);
    await expectNoLeaks(() => layer.apply(x, { training: true }));
    await expectNoLeaks(() => layer.apply(x));
    x.dispose();
  });
});

it('dropout rejects bad options and a noise shape that does not fit, naming the factory, the option and the value', () => {
  const make = (o: unknown) => () => dropout(o as never);
  expect(make(undefined)).toThrow('dropout: options must be an options object, got undefined');
  expect(make({})).toThrow('dropout: rate is required, got options {}');
  expect(make({ rate: 1 })).toThrow('dropout: rate must be a number in [0, 1), got 1');
  expect(make({ rate: 0.1, seed: 1.5 })).toThrow('dropout: seed must be a safe integer');
  expect(make({ rate: 0.1, noiseShape: [2, 0] })).toThrow(
    'dropout: noiseShape must be null or an array of positive integers and nulls, got [2,0]',
  );
  expect(make({ rate: 0.1, noise_shape: [1] })).toThrow(
    'dropout: unknown option "noise_shape"; did you mean "noiseShape"?',
  );
  const x = tf.ones([2, 3]);
  expect(() => dropout({ rate: 0.1, noiseShape: [2, 2] }).apply(x, { training: true })).toThrow(
    "dropout: noiseShape must be one entry per axis of the input shape [2,3], each null, 1 or the axis' size, got [2,2]",
  );
  expect(() => dropout({ rate: 0.1, noiseShape: [1] }).apply(x)).toThrow(
    'dropout: noiseShape must be one entry per axis',
  );
  x.dispose();
});
