import * as tf from '@tensorflow/tfjs-core';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import type { LossFunction } from '../../src/losses/lossFunction.js';

/** One case of test/losses/keras-losses.json (made by scripts/keras/losses.py). */
export interface KerasLossCase {
  name: string;
  loss: 'CategoricalCrossentropy' | 'SparseCategoricalCrossentropy' | 'BinaryCrossentropy';
  /** Keras' keyword arguments, snake_case. */
  options: Record<string, number | boolean>;
  yTrue: unknown;
  yTrueShape: number[];
  yPred: unknown;
  yPredShape: number[];
  /** Keras' loss with reduction=None. */
  perSample: unknown;
  /** Keras' loss with its default reduction, sum_over_batch_size: what model.fit minimises. */
  reduced: number;
  /** d reduced / d yPred, by tf.GradientTape. */
  grad: unknown;
}

export const KERAS_LOSSES = JSON.parse(
  readFileSync(join(import.meta.dirname, '../losses/keras-losses.json'), 'utf8'),
) as { keras: string; epsilon: number; cases: KerasLossCase[] };

/** Keras' keyword arguments as this library's options (label_smoothing → labelSmoothing). */
export function camelOptions(options: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(options).map(([k, v]) => [k.replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase()), v]),
  );
}

export const flat = (v: unknown): number[] => (Array.isArray(v) ? v.flat(Infinity as 1) : [v]) as number[];

/** The shape of a nested array, as numpy's tolist() writes it. */
const shapeOf = (v: unknown): number[] => (Array.isArray(v) ? [v.length, ...shapeOf(v[0])] : []);

/**
 * float32 parity: 1e-5 relative, with a 1e-6 absolute floor for values near 0 (a loss of
 * -log(1 - 1e-7) ≈ 1.2e-7 is one float32 rounding of the log's argument; Keras itself gives
 * 1.2e-7 or 3.6e-7 for it depending on the op order).
 */
export function expectClose(got: ArrayLike<number>, want: number[], what: string, rel = 1e-5, abs = 1e-6): void {
  expect(got.length, `${what}: length`).toBe(want.length);
  const bad: string[] = [];
  for (let i = 0; i < want.length; i++) {
    const g = got[i]!;
    const w = want[i]!;
    if (!(Math.abs(g - w) <= abs + rel * Math.abs(w))) bad.push(`[${i}] got ${g}, Keras ${w}`);
  }
  expect(bad, what).toEqual([]);
}

/** Our per-sample losses, their mean and the gradient of the mean with respect to yPred, read back. */
export function evaluateLoss(
  loss: LossFunction,
  yTrue: tf.Tensor,
  yPred: tf.Tensor,
): { perSample: Float32Array; shape: number[]; mean: number; grad: Float32Array } {
  const out = loss(yTrue, yPred);
  const mean = tf.mean(out);
  const grad = tf.grad((p: tf.Tensor) => tf.mean(loss(yTrue, p)))(yPred);
  const result = {
    perSample: out.dataSync() as Float32Array,
    shape: out.shape,
    mean: mean.dataSync()[0]!,
    grad: grad.dataSync() as Float32Array,
  };
  tf.dispose([out, mean, grad]);
  return result;
}

/** Holds `make(options)` to Keras' per-sample values (times `weights`), reduced value and gradient for `c`. */
export function expectKerasParity(
  c: KerasLossCase,
  make: (options: Record<string, unknown>) => LossFunction,
  perSampleWeight: (kerasPerSample: number[]) => number[] = (v) => v.map(() => 1),
): void {
  const yTrue = tf.tensor(flat(c.yTrue), c.yTrueShape);
  const yPred = tf.tensor(flat(c.yPred), c.yPredShape);
  const ours = evaluateLoss(make(camelOptions(c.options)), yTrue, yPred);
  tf.dispose([yTrue, yPred]);
  const kerasPerSample = flat(c.perSample);
  const weights = perSampleWeight(kerasPerSample);
  expect(ours.shape, `${c.name}: per-sample shape`).toEqual(shapeOf(c.perSample));
  expectClose(
    ours.perSample,
    kerasPerSample.map((v, i) => v * weights[i]!),
    `${c.name}: per-sample`,
  );
  expectClose([ours.mean], [c.reduced], `${c.name}: reduced`);
  expectClose(ours.grad, flat(c.grad), `${c.name}: gradient`);
}
