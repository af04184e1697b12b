import * as tf from '@tensorflow/tfjs-core';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { expect } from 'vitest';
import { setLearningRate } from '../../src/callbacks/setLearningRate.js';

type Values = Record<string, number[]>;

/** The trajectories of scripts/keras/optimizers.py: Keras 3 optimizers driven by fixed gradients. */
export const KERAS = JSON.parse(
  readFileSync(join(import.meta.dirname, '../optimizers/keras-optimizers.json'), 'utf8'),
) as {
  keras: string;
  shapes: Record<string, number[]>;
  initial: Values;
  gradients: Values[];
  cases: Record<string, { variables: Values[]; averages?: Values[]; learningRates?: number[] }>;
};

export const NAMES = Object.keys(KERAS.shapes);

let unique = 0;

/** Fresh variables named `<prefix>/kernel`, `/bias`, `/scale` holding the reference's initial values. */
export function referenceVariables(): { prefix: string; vars: tf.Variable[] } {
  const prefix = `keras${unique++}`;
  const vars = NAMES.map((n) => tf.variable(tf.tensor(KERAS.initial[n]!, KERAS.shapes[n]), true, `${prefix}/${n}`));
  return { prefix, vars };
}

/**
 * Runs a reference case on `optimizer`: each step sets the case's learning rate (through the
 * library's setLearningRate, as an LR callback would) and applies the step's gradients; returns the
 * variables (and the averages, when the optimizer has them) after every step.
 */
export function runCase(
  name: string,
  optimizer: tf.Optimizer,
  steps = KERAS.cases[name]!.variables.length,
): { variables: Values[]; averages: Values[] } {
  const c = KERAS.cases[name]!;
  const { prefix, vars } = referenceVariables();
  const variables: Values[] = [];
  const averages: Values[] = [];
  const read = (get: (n: string) => tf.Tensor) =>
    Object.fromEntries(NAMES.map((n) => [n, Array.from(get(n).dataSync())]));
  for (let step = 0; step < steps; step++) {
    if (c.learningRates) setLearningRate(optimizer, c.learningRates[step]!);
    tf.tidy(() =>
      optimizer.applyGradients(
        NAMES.map((n, i) => ({ name: vars[i]!.name, tensor: tf.tensor(KERAS.gradients[step]![n]!, KERAS.shapes[n]) })),
      ),
    );
    variables.push(read((n) => vars[NAMES.indexOf(n)]!));
    const avg = (optimizer as { averages?: () => Record<string, tf.Tensor> }).averages?.();
    if (avg) averages.push(read((n) => avg[`${prefix}/${n}`]!));
  }
  optimizer.dispose();
  tf.dispose(vars);
  return { variables, averages };
}

/** float32 agreement: |a - e| <= rtol * |e| + atol, element by element, with the first failure named. */
export function expectClose(actual: Values[], expected: Values[], rtol = 1e-5, atol = 1e-6): void {
  expect(actual.length).toBe(expected.length);
  actual.forEach((step, s) => {
    for (const n of Object.keys(expected[s]!)) {
      const e = expected[s]![n]!;
      const a = step[n]!;
      expect(a.length).toBe(e.length);
      a.forEach((x, i) => {
        const ok = Math.abs(x - e[i]!) <= rtol * Math.abs(e[i]!) + atol;
        if (!ok) expect.fail(`step ${s + 1}, ${n}[${i}]: got ${x}, Keras ${e[i]}`);
      });
    }
  });
}

/** float32 values without subnormals, which TensorFlow's CPU kernels flush to zero (the other backends keep them). */
export function normalFloat(constraints: fc.FloatConstraints): fc.Arbitrary<number> {
  return fc.float(constraints).map((x) => (Math.abs(x) < 1.1754943508222875e-38 ? 0 : x));
}
