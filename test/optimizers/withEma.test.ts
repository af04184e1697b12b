import * as tf from '@tensorflow/tfjs-core';
import fc from 'fast-check';
import { expect, it } from 'vitest';
import { findEma } from '../../src/core/optimizerStack.js';
import { withEma } from '../../src/optimizers/withEma.js';
import { withWeightDecay } from '../../src/optimizers/withWeightDecay.js';
import { describeBackends } from '../helpers/backends.js';
import { expectClose, KERAS, runCase } from '../helpers/kerasOptimizers.js';
import { expectNoLeaks } from '../helpers/leaks.js';
import { runs } from '../helpers/runs.js';
import { normalFloat } from '../helpers/kerasOptimizers.js';

describeBackends('withEma', () => {
  it('matches Keras 3 SGD(use_ema=True, ema_momentum=0.9): variables and averages', () => {
    const run = runCase('ema', withEma(tf.train.sgd(0.1), { momentum: 0.9 }));
    expectClose(run.variables, KERAS.cases.ema!.variables);
    expectClose(run.averages, KERAS.cases.ema!.averages!);
  });

  it('matches Keras 3 ema_overwrite_frequency=3: the variables take their averages at steps 3 and 6', () => {
    const run = runCase('ema_overwrite', withEma(tf.train.sgd(0.1), { momentum: 0.8, overwriteFrequency: 3 }));
    expectClose(run.variables, KERAS.cases.ema_overwrite!.variables);
    expectClose(run.averages, KERAS.cases.ema_overwrite!.averages!);
    expect(run.variables[2]).toEqual(run.averages[2]);
    expect(run.variables[3]).not.toEqual(run.averages[3]);
  });

  it('property: an average lies within the range of the weights it averaged, at their EMA', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(normalFloat({ min: -5, max: 5, noNaN: true, noDefaultInfinity: true }), {
          minLength: 1,
          maxLength: 8,
        }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        async (grads, momentum) => {
          const v = tf.variable(tf.scalar(0.5));
          const o = withEma(tf.train.sgd(0.3), { momentum });
          const seen: number[] = [];
          let ema = 0;
          for (const [k, g] of grads.entries()) {
            tf.tidy(() => o.applyGradients({ [v.name]: tf.scalar(g) }));
            const w = v.dataSync()[0]!;
            seen.push(w);
            ema = k === 0 ? w : momentum * ema + (1 - momentum) * w;
          }
          const average = o.averages()[v.name]!.dataSync()[0]!;
          const tol = 1e-5 * (1 + Math.max(...seen.map(Math.abs)));
          expect(average).toBeGreaterThanOrEqual(Math.min(...seen) - tol);
          expect(average).toBeLessThanOrEqual(Math.max(...seen) + tol);
          expect(Math.abs(average - ema)).toBeLessThanOrEqual(tol);
          o.dispose();
          v.dispose();
        },
      ),
      { numRuns: runs(25) },
    );
  });

  it('swapWeights twice is the identity; finalizeWeights assigns; findEma finds it through a stack', () => {
    const v = tf.variable(tf.tensor1d([1, 2]));
    const ema = withEma(tf.train.sgd(1), { momentum: 0.5 });
    const stack = withWeightDecay(ema, { weightDecay: 0 });
    expect(findEma(stack)?.hasAverages()).toBe(false);
    expect(ema.averages()).toEqual({});
    for (let i = 0; i < 2; i++) tf.tidy(() => stack.applyGradients({ [v.name]: tf.ones([2]) }));
    const trained = Array.from(v.dataSync());
    const averaged = Array.from(ema.averages()[v.name]!.dataSync());
    // [1, 2] -> [0, 1] (copied) -> [-1, 0]; average = 0.5 * [0, 1] + 0.5 * [-1, 0].
    expect(averaged).toEqual([-0.5, 0.5]);
    findEma(stack)!.swapWeights();
    expect(Array.from(v.dataSync())).toEqual(averaged);
    expect(Array.from(ema.averages()[v.name]!.dataSync())).toEqual(trained);
    findEma(stack)!.swapWeights();
    expect(Array.from(v.dataSync())).toEqual(trained);
    ema.finalizeWeights();
    expect(Array.from(v.dataSync())).toEqual(averaged);
    stack.dispose();
    v.dispose();
  });

  it('leaks no tensor per step or swap, and dispose() frees the averages', async () => {
    const v = tf.variable(tf.ones([3]));
    const o = withEma(tf.train.sgd(0.1), { overwriteFrequency: 2 });
    tf.tidy(() => o.applyGradients({ [v.name]: tf.ones([3]) }));
    const before = tf.memory().numTensors;
    await expectNoLeaks(() => {
      tf.tidy(() => o.applyGradients({ [v.name]: tf.ones([3]) }));
      o.swapWeights();
      o.finalizeWeights();
    });
    o.dispose();
    // The average, and the inner SGD's learning-rate scalar: dispose() reaches the optimizer it wraps.
    expect(tf.memory().numTensors).toBe(before - 2);
    v.dispose();
  });
});

it('withEma rejects bad options, naming withEma and the option', () => {
  expect(() => withEma(tf.train.sgd(0.1), { momentum: 1.5 })).toThrow(
    /^withEma: momentum must be a number in \[0, 1\]/,
  );
  expect(() => withEma(tf.train.sgd(0.1), { overwriteFrequency: 0 })).toThrow(
    /^withEma: overwriteFrequency must be an integer >= 1/,
  );
  expect(() => withEma(tf.train.sgd(0.1), { ema_momentum: 0.9 } as never)).toThrow(
    /^withEma: unknown option "ema_momentum"/,
  );
  expect(() => withEma(null as never)).toThrow(/^withEma: optimizer must be/);
});
