import * as tf from '@tensorflow/tfjs-core';
import fc from 'fast-check';
import { expect, it } from 'vitest';
import { spatialDropout2d } from '../../src/layers/spatialDropout2d.js';
import { describeBackends } from '../helpers/backends.js';
import { expectNoLeaks } from '../helpers/leaks.js';
import { runs } from '../helpers/runs.js';
import { KERAS, expectIdentityAtInference, run, trainsButPredictsIdentity, values } from './helpers.js';

const shapeArb = fc.tuple(
  fc.integer({ min: 1, max: 4 }),
  fc.integer({ min: 1, max: 5 }),
  fc.integer({ min: 1, max: 5 }),
  fc.integer({ min: 1, max: 6 }),
);

/** Per (sample, channel) map of a [b, h, w, c] or [b, c, h, w] output: its distinct values. */
function mapValues(y: Float32Array, shape: number[], first: boolean): number[][] {
  const [b, d1, d2, d3] = shape as [number, number, number, number];
  const [c, h, w] = first ? [d1, d2, d3] : [d3, d1, d2];
  const maps: number[][] = [];
  for (let n = 0; n < b; n++)
    for (let k = 0; k < c; k++) {
      const seen = new Set<number>();
      for (let i = 0; i < h; i++)
        for (let j = 0; j < w; j++) seen.add(y[first ? ((n * c + k) * h + i) * w + j : ((n * h + i) * w + j) * c + k]!);
      maps.push([...seen]);
    }
  return maps;
}

describeBackends('spatialDropout2d', () => {
  it('is the identity at inference and at rate 0, for any input and seed (property)', () => {
    expectIdentityAtInference((rate, seed) => spatialDropout2d({ rate, seed }), shapeArb, 0.95, 15);
  });

  it("draws one keep per (sample, channel), Keras' noise shape, kept maps scaled by 1/(1 - rate) (Keras reference)", () => {
    for (const format of ['channels_last', 'channels_first'] as const) {
      const ref = KERAS.spatialDropout2d[format];
      const first = format === 'channels_first';
      const layer = spatialDropout2d({ rate: ref.rate, seed: 3, dataFormat: first ? 'channelsFirst' : 'channelsLast' });
      const x = tf.ones(ref.shape);
      const y = run(layer, x, true);
      const maps = mapValues(y, ref.shape, first);
      // Keras: every map constant (mapsConstant), its values only 0 and 1/(1 - rate).
      expect(ref.mapsConstant).toBe(true);
      expect(maps.every((m) => m.length === 1)).toBe(true);
      const seen = [...new Set(maps.map((m) => Number(m[0]!.toFixed(6))))].sort();
      expect(seen).toEqual(ref.values);
      expect(run(layer, x)).toEqual(x.dataSync());
      x.dispose();
    }
  });

  it('keeps the expected value in training: a Binomial(maps, 1 - rate) count of maps kept, each x / (1 - rate) (property)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.double({ min: 0.05, max: 0.9, noNaN: true }), fc.integer(), async (rate, seed) => {
        const [b, h, w, c] = [40, 2, 3, 50];
        const x = values([b, h, w, c], seed, 0.5, 1.5);
        const input = x.dataSync();
        const y = run(spatialDropout2d({ rate, seed }), x, true);
        let kept = 0;
        let wrong = 0;
        for (let i = 0; i < y.length; i++) {
          if (y[i] === 0) continue;
          if (!(Math.abs(y[i]! - input[i]! / (1 - rate)) <= 1e-6 * y[i]!)) wrong++;
          kept++;
        }
        expect(wrong).toBe(0);
        const maps = b * c;
        const keptMaps = kept / (h * w);
        expect(Number.isInteger(keptMaps)).toBe(true);
        // Within 5 standard deviations of the binomial mean: E[output] = input.
        const sd = Math.sqrt(maps * rate * (1 - rate));
        expect(Math.abs(keptMaps - maps * (1 - rate))).toBeLessThan(5 * sd);
        x.dispose();
      }),
      { numRuns: runs(10) },
    );
  });

  it('draws fresh masks on each training call from its seeded stream; equal seeds repeat the sequence', () => {
    const x = tf.ones([4, 2, 2, 8]);
    const [a, b] = [spatialDropout2d({ rate: 0.5, seed: 9 }), spatialDropout2d({ rate: 0.5, seed: 9 })];
    const first = run(a, x, true);
    const second = run(a, x, true);
    expect(second).not.toEqual(first);
    expect(run(b, x, true)).toEqual(first);
    expect(run(b, x, true)).toEqual(second);
    x.dispose();
  });

  it('acts in model.fit and not in model.predict', async () => {
    const r = await trainsButPredictsIdentity(spatialDropout2d({ rate: 0.5, seed: 1 }), [3, 3, 4]);
    expect(r.predictEqualsInput).toBe(true);
    expect(r.evaluateLoss).toBe(0);
    expect(r.fitLoss).toBeGreaterThan(0.1);
  });

  it('leaks no tensor, in training or inference', async () => {
    const layer = spatialDropout2d({ rate: 0.3, seed: 1 });
    const x = tf.ones([2, 3, 3, 2]);
    await expectNoLeaks(() => layer.apply(x, { training: true }));
    await expectNoLeaks(() => layer.apply(x));
    x.dispose();
  });
});

it('spatialDropout2d rejects bad options and a rank other than 4, naming the factory, the option and the value', () => {
  const make = (o: unknown) => () => spatialDropout2d(o as never);
  expect(make(undefined)).toThrow('spatialDropout2d: options must be an options object, got undefined');
  expect(make({})).toThrow('spatialDropout2d: rate is required, got options {}');
  expect(make({ rate: 1 })).toThrow('spatialDropout2d: rate must be a number in [0, 1), got 1');
  expect(make({ rate: -0.1 })).toThrow('spatialDropout2d: rate must be a number in [0, 1), got -0.1');
  expect(make({ rate: 0.1, dataFormat: 'channels_last' })).toThrow(
    'spatialDropout2d: dataFormat must be one of "channelsLast", "channelsFirst", got "channels_last"',
  );
  expect(make({ rate: 0.1, seed: 1.5 })).toThrow('spatialDropout2d: seed must be a safe integer');
  expect(make({ rate: 0.1, data_format: 'channelsLast' })).toThrow(
    'spatialDropout2d: unknown option "data_format"; did you mean "dataFormat"?',
  );
  const x = tf.ones([2, 3, 4]);
  expect(() => spatialDropout2d({ rate: 0.1 }).apply(x)).toThrow(
    'spatialDropout2d: input shape must be rank 4, [batch, height, width, channels], got [2,3,4]',
  );
  x.dispose();
});
