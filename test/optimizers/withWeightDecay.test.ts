import * as tf from '@tensorflow/tfjs-core';
import fc from 'fast-check';
import { expect, it } from 'vitest';
import { withWeightDecay } from '../../src/optimizers/withWeightDecay.js';
import { describeBackends } from '../helpers/backends.js';
import { expectClose, KERAS, runCase } from '../helpers/kerasOptimizers.js';
import { expectNoLeaks } from '../helpers/leaks.js';
import { runs } from '../helpers/runs.js';
import { normalFloat } from '../helpers/kerasOptimizers.js';

describeBackends('withWeightDecay', () => {
  // Each inner tfjs step is the same math as the Keras optimizer it is compared with (docs/optimizers.md).
  it.each([
    ['wd_sgd', () => tf.train.sgd(0.1), 0.1, 1e-6],
    // tfjs momentum accumulates g and scales by lr; Keras accumulates lr*g: the same at a constant rate.
    ['wd_momentum', () => tf.train.momentum(0.05, 0.9), 0.2, 1e-6],
    // Epsilon 1e-10: tfjs adds it to sqrt(v / (1 - beta2^t)), Keras to sqrt(v); negligible at that size.
    // The looser atol is tfjs' own: it forms 1 - beta2^t in float32 from a running product (2e-5
    // relative error at t = 3 by cancellation), about 6e-6 of a 0.2-sized step.
    ['wd_adam', () => tf.train.adam(0.01, 0.9, 0.999, 1e-10), 0.5, 5e-6],
    ['wd_rmsprop', () => tf.train.rmsprop(0.01, 0.9, 0, 1e-7), 0.3, 1e-6],
  ] as const)('matches Keras 3 weight_decay on %s', (name, make, weightDecay, atol) => {
    const run = runCase(name, withWeightDecay(make(), { weightDecay }));
    expectClose(run.variables, KERAS.cases[name]!.variables, 1e-5, atol);
  });

  it.each([
    ['substrings', ['bias', 'sca']],
    ['a RegExp', /bias|sca/],
    ['a predicate', (name: string) => name.endsWith('/bias') || name.endsWith('/scale')],
  ] as const)('exclude by %s matches Keras exclude_from_weight_decay(var_names=...)', (_kind, exclude) => {
    const run = runCase('wd_sgd_exclude', withWeightDecay(tf.train.sgd(0.1), { weightDecay: 0.5, exclude }));
    expectClose(run.variables, KERAS.cases.wd_sgd_exclude!.variables);
  });

  it('excludes biases and normalization parameters by tfjs-layers names (timm)', () => {
    const names = [
      'dense_Dense1/kernel',
      'dense_Dense1/bias',
      'batch_normalization_BN1/gamma',
      'batch_normalization_BN1/beta',
    ];
    const vars = names.map((n, i) => tf.variable(tf.ones([2]), true, `${n}_${i}_wdtimm`));
    const o = withWeightDecay(tf.train.sgd(0.1), { weightDecay: 1, exclude: /bias|gamma|beta/ });
    o.applyGradients(vars.map((v) => ({ name: v.name, tensor: tf.zeros([2]) })));
    expect(vars.map((v) => v.dataSync()[0])).toEqual([Math.fround(0.9), 1, 1, 1]);
    o.dispose();
    tf.dispose(vars);
  });

  it('property: weight decay alone contracts every variable by exactly (1 - lr*wd) per step', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(normalFloat({ min: -100, max: 100, noNaN: true, noDefaultInfinity: true }), {
          minLength: 1,
          maxLength: 6,
        }),
        fc.double({ min: 1e-3, max: 1, noNaN: true }),
        fc.double({ min: 1e-3, max: 0.9, noNaN: true }),
        fc.integer({ min: 1, max: 4 }),
        async (values, lr, wd, steps) => {
          const v = tf.variable(tf.tensor1d(values));
          const o = withWeightDecay(tf.train.sgd(lr), { weightDecay: wd });
          for (let s = 0; s < steps; s++) tf.tidy(() => o.applyGradients([{ name: v.name, tensor: tf.zerosLike(v) }]));
          const got = Array.from(v.dataSync());
          // Each step rounds once to float32: v*(1 - lr*wd) with the factor itself in float32.
          let expected = values.map((x) => Math.fround(x));
          const f = Math.fround(1 - lr * wd);
          for (let s = 0; s < steps; s++) expected = expected.map((x) => Math.fround(x * f));
          o.dispose();
          v.dispose();
          got.forEach((x, i) =>
            expect(Math.abs(x - expected[i]!)).toBeLessThanOrEqual(1e-6 * Math.abs(expected[i]!) + 1e-30),
          );
        },
      ),
      { numRuns: runs(25) },
    );
  });

  it('leaks no tensor per step', async () => {
    const v = tf.variable(tf.ones([3]));
    const o = withWeightDecay(tf.train.adam(0.01), { weightDecay: 0.1 });
    await expectNoLeaks(() => tf.tidy(() => o.applyGradients({ [v.name]: tf.ones([3]) })));
    o.dispose();
    v.dispose();
  });
});

it('withWeightDecay needs weightDecay and an optimizer with a learning rate', () => {
  expect(() => withWeightDecay(tf.train.sgd(0.1), {} as never)).toThrow(/^withWeightDecay: weightDecay must be/);
  expect(() => withWeightDecay(tf.train.sgd(0.1), { weightDecay: -1 })).toThrow(
    /^withWeightDecay: weightDecay must be/,
  );
  expect(() => withWeightDecay(tf.train.sgd(0.1), { weightDecay: 1, exclude: '' })).toThrow(
    /^withWeightDecay: exclude must be/,
  );
  expect(() => withWeightDecay({} as never, { weightDecay: 1 })).toThrow(/^withWeightDecay: optimizer must be/);
  expect(() => withWeightDecay(tf.train.sgd(0.1), { weight_decay: 1 } as never)).toThrow(
    'withWeightDecay: unknown option "weight_decay"; did you mean "weightDecay"?',
  );
});
