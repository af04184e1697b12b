import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { expect } from 'vitest';
import { LOAD_ERRORS, SELECTED } from '../helpers/backends.js';
import type { TestBackend } from '../helpers/backends.js';
import { runs } from '../helpers/runs.js';

export { saveAndLoad } from '../augment/layers/layerHelpers.js';

/** What scripts/keras/layers.py recorded from Keras 3.15 (test/layers/keras-layers.json). */
export interface GroupNormCase {
  name: string;
  options: { groups: number; axis: number; epsilon: number; center: boolean; scale: boolean };
  shape: number[];
  input: number[];
  weights: number[][];
  weightNames: string[];
  weightPaths: string[];
  output: number[];
}
export const KERAS = JSON.parse(readFileSync(join(import.meta.dirname, 'keras-layers.json'), 'utf8')) as {
  keras: string;
  groupNormalization: {
    cases: GroupNormCase[];
    indivisibleError: string;
    tooManyGroupsError: string;
    defaults: { groups: number; axis: number; epsilon: number; center: boolean; scale: boolean };
  };
  spatialDropout2d: Record<
    'channels_last' | 'channels_first',
    { shape: number[]; rate: number; mapsConstant: boolean; values: number[]; inference: boolean }
  > & { config: { keys: string[]; data_format: string } };
  dropout: {
    shape: number[];
    rate: number;
    noiseShape: (number | null)[];
    sharedAlongAxis1: boolean;
    values: number[];
    freshPerCall: boolean;
    inference: boolean;
  };
  activityRegularization: {
    l1: number;
    l2: number;
    x: number[];
    y: number[];
    kernel: number[];
    bias: number[];
    activations: number[];
    addedLoss: number;
    fitLoss: number[];
    evaluateLoss: number;
    config: { l1: number; l2: number };
  };
};

/** Float32 agreement: |a - b| <= tol · max(1, |b|) element-wise (absolute near 0, relative beyond). */
export function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tol = 1e-5): void {
  expect(actual.length).toBe(expected.length);
  const bad: string[] = [];
  for (let i = 0; i < expected.length; i++) {
    const [a, b] = [actual[i]!, expected[i]!];
    if (!(Math.abs(a - b) <= tol * Math.max(1, Math.abs(b)))) bad.push(`[${i}] ${a} vs ${b}`);
  }
  expect(bad.slice(0, 5)).toEqual([]);
}

/** The backends of this run that loaded (the cross-backend tests switch between them in one test). */
export const LOADED: TestBackend[] = SELECTED.filter((b) => LOAD_ERRORS[b] == null);

/** Runs `body` on each loaded backend in turn and returns its results by backend, restoring the backend. */
export async function onEachBackend<T>(body: () => T): Promise<Record<string, T>> {
  const previous = tf.getBackend();
  const out: Record<string, T> = {};
  try {
    for (const b of LOADED) {
      await tf.setBackend(b);
      out[b] = body();
    }
  } finally {
    await tf.setBackend(previous);
  }
  return out;
}

/** Output values of one call (training or not), with the output disposed. */
export function run(layer: tfl.layers.Layer, x: tf.Tensor, training?: boolean): Float32Array {
  const y = (training === undefined ? layer.apply(x) : layer.apply(x, { training })) as tf.Tensor;
  const out = y.dataSync() as Float32Array;
  if (y !== x) y.dispose();
  return out.slice();
}

/** Deterministic values (tfjs' seeded uniform; no Math.random). */
export function values(shape: number[], seed = 1, low = -1, high = 1): tf.Tensor {
  return tf.randomUniform(shape, low, high, 'float32', seed);
}

/**
 * Whether `layer`, put before a frozen linear read-out, acts in `fit` (training) and not in
 * `predict`: the target is the model's own prediction, so inference gives a loss of exactly 0 and a
 * layer that drops something in training a positive one.
 */
export async function trainsButPredictsIdentity(
  layer: tfl.layers.Layer,
  inputShape: number[],
): Promise<{
  fitLoss: number;
  evaluateLoss: number;
  predictEqualsInput: boolean;
}> {
  const probe = tfl.sequential({ layers: [tfl.layers.inputLayer({ inputShape }), layer] });
  const model = tfl.sequential({
    layers: [probe, tfl.layers.flatten(), tfl.layers.dense({ units: 1, kernelInitializer: 'ones', useBias: false })],
  });
  model.compile({ optimizer: tf.train.sgd(0), loss: 'meanSquaredError' });
  const x = values([8, ...inputShape], 3, 0.5, 1.5);
  const passed = probe.predict(x) as tf.Tensor;
  const predictEqualsInput = tf.all(tf.equal(passed, x)).dataSync()[0] === 1;
  const target = model.predict(x) as tf.Tensor;
  const history = await model.fit(x, target, { epochs: 1, batchSize: 8, verbose: 0 });
  const evaluated = model.evaluate(x, target) as tf.Scalar;
  const result = {
    fitLoss: history.history['loss']![0] as number,
    evaluateLoss: evaluated.dataSync()[0]!,
    predictEqualsInput,
  };
  tf.dispose([x, passed, target, evaluated]);
  model.dispose();
  return result;
}

/**
 * The dropout family's shared property: a layer made by `make(rate, seed)` is the identity at inference
 * (no `training`, and `training: false`) for any rate, and in training at rate 0, on inputs of `shapes`.
 */
export function expectIdentityAtInference(
  make: (rate: number, seed: number) => tfl.layers.Layer,
  shapes: fc.Arbitrary<number[]>,
  maxRate: number,
  numRuns: number,
): void {
  fc.assert(
    fc.property(shapes, fc.double({ min: 0, max: maxRate, noNaN: true }), fc.integer(), (shape, rate, seed) => {
      const x = values(shape, seed);
      const expected = x.dataSync();
      expect(run(make(rate, seed), x)).toEqual(expected);
      expect(run(make(rate, seed), x, false)).toEqual(expected);
      expect(run(make(0, seed), x, true)).toEqual(expected);
      x.dispose();
    }),
    { numRuns: runs(numRuns) },
  );
}
