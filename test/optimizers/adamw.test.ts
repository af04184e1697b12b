import * as tf from '@tensorflow/tfjs-core';
import fc from 'fast-check';
import { expect, it } from 'vitest';
import { adamw } from '../../src/optimizers/adamw.js';
import { describeBackends } from '../helpers/backends.js';
import { expectClose, KERAS, runCase } from '../helpers/kerasOptimizers.js';
import { expectNoLeaks } from '../helpers/leaks.js';
import { runs } from '../helpers/runs.js';
import { normalFloat } from '../helpers/kerasOptimizers.js';

describeBackends('adamw', () => {
  it('matches Keras 3 AdamW() with its defaults over 7 steps', () => {
    expectClose(runCase('adamw_defaults', adamw()).variables, KERAS.cases.adamw_defaults!.variables);
  });

  it('matches Keras 3 AdamW() with a learning rate changed before every step', () => {
    expectClose(runCase('adamw_lr', adamw()).variables, KERAS.cases.adamw_lr!.variables);
  });

  it('matches Keras 3 AdamW(amsgrad=True) with exclude_from_weight_decay', () => {
    const o = adamw({ learningRate: 0.01, weightDecay: 0.1, amsgrad: true, exclude: 'bias' });
    expectClose(runCase('adamw_amsgrad_exclude', o).variables, KERAS.cases.adamw_amsgrad_exclude!.variables);
  });

  it("differs from tfjs' Adam where Keras does (epsilon on the raw sqrt(v))", () => {
    // Guards the comparison above: with no decay, tfjs' Adam would pass it only if the formulas agreed.
    const ours = runCase('adamw_defaults', adamw({ weightDecay: 0, epsilon: 0.1 })).variables;
    const tfjs = runCase('adamw_defaults', tf.train.adam(0.001, 0.9, 0.999, 0.1)).variables;
    expect(Math.abs(ours[0]!.kernel![0]! - tfjs[0]!.kernel![0]!)).toBeGreaterThan(1e-6);
  });

  it('property: with no gradient signal, each step is the decay alone', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(normalFloat({ min: -10, max: 10, noNaN: true, noDefaultInfinity: true }), {
          minLength: 1,
          maxLength: 5,
        }),
        fc.double({ min: 1e-3, max: 0.5, noNaN: true }),
        fc.double({ min: 1e-3, max: 1, noNaN: true }),
        async (values, lr, wd) => {
          const v = tf.variable(tf.tensor1d(values));
          const o = adamw({ learningRate: lr, weightDecay: wd });
          tf.tidy(() => o.applyGradients({ [v.name]: tf.zerosLike(v) }));
          const f = Math.fround(1 - lr * wd);
          Array.from(v.dataSync()).forEach((x, i) => expect(x).toBe(Math.fround(Math.fround(values[i]!) * f)));
          o.dispose();
          v.dispose();
        },
      ),
      { numRuns: runs(20) },
    );
  });

  it('saves and restores its moments: 3 + 3 steps across a new optimizer equal 6 steps', async () => {
    const fresh = () => adamw({ learningRate: 0.01, amsgrad: true });
    const whole = runCase('adamw_defaults', fresh(), 6).variables;
    const a = fresh();
    const first = runCaseKeepingOptimizer(a, 0, 3);
    const b = fresh();
    await b.setWeights(await a.getWeights());
    expect(b.iterations).toBe(3);
    const second = runCaseKeepingOptimizer(b, 3, 6, first.vars);
    expect(second.values).toEqual(whole.slice(3));
    a.dispose();
    b.dispose();
    tf.dispose(first.vars);
  });

  it('leaks no tensor per step, and dispose() frees its moments', async () => {
    const v = tf.variable(tf.ones([3]));
    const o = adamw({ amsgrad: true });
    // Its constant scalars (1 - beta1, ...) are cached per backend by the first step, by design.
    const warm = adamw({ amsgrad: true });
    tf.tidy(() => warm.applyGradients({ [v.name]: tf.ones([3]) }));
    warm.dispose();
    const before = tf.memory().numTensors;
    await expectNoLeaks(() => tf.tidy(() => o.applyGradients({ [v.name]: tf.ones([3]) })));
    o.dispose();
    expect(tf.memory().numTensors).toBe(before);
    v.dispose();
  });
});

/** Steps [from, to) of the adamw_defaults gradients on `vars` (made when absent), keeping the optimizer. */
function runCaseKeepingOptimizer(o: tf.Optimizer, from: number, to: number, given?: tf.Variable[]) {
  const names = Object.keys(KERAS.shapes);
  const vars = given ?? names.map((n) => tf.variable(tf.tensor(KERAS.initial[n]!, KERAS.shapes[n])));
  const values: Record<string, number[]>[] = [];
  for (let s = from; s < to; s++) {
    tf.tidy(() =>
      o.applyGradients(
        names.map((n, i) => ({ name: vars[i]!.name, tensor: tf.tensor(KERAS.gradients[s]![n]!, KERAS.shapes[n]) })),
      ),
    );
    values.push(Object.fromEntries(names.map((n, i) => [n, Array.from(vars[i]!.dataSync())])));
  }
  return { vars, values };
}

it('adamw rejects bad options, naming adamw and the option', () => {
  expect(() => adamw({ beta1: 1 })).toThrow(/^adamw: beta1 must be a number in \[0, 1\)/);
  expect(() => adamw({ learningRate: -1 })).toThrow(/^adamw: learningRate must be/);
  expect(() => adamw({ weight_decay: 0.1 } as never)).toThrow(
    'adamw: unknown option "weight_decay"; did you mean "weightDecay"?',
  );
  expect(adamw().getClassName()).toBe('AdamW');
  expect(JSON.parse(JSON.stringify(adamw({ exclude: /bias/ }).getConfig()))).toEqual({
    learningRate: 0.001,
    weightDecay: 0.004,
    beta1: 0.9,
    beta2: 0.999,
    epsilon: 1e-7,
    amsgrad: false,
    exclude: '/bias/',
  });
});
