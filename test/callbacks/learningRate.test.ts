import * as tf from '@tensorflow/tfjs-core';
// Gradients are registered by tfjs-layers (or @tensorflow/tfjs), not by tfjs-core alone.
import '@tensorflow/tfjs-layers';
import { expect, it } from 'vitest';
import { getLearningRate } from '../../src/callbacks/getLearningRate.js';
import { setLearningRate } from '../../src/callbacks/setLearningRate.js';
import { describeBackends } from '../helpers/backends.js';

const makers: Record<string, (lr: number) => tf.Optimizer> = {
  sgd: (lr) => tf.train.sgd(lr),
  momentum: (lr) => tf.train.momentum(lr, 0.9),
  adam: (lr) => tf.train.adam(lr),
  adamax: (lr) => tf.train.adamax(lr),
  rmsprop: (lr) => tf.train.rmsprop(lr),
  adagrad: (lr) => tf.train.adagrad(lr),
  adadelta: (lr) => tf.train.adadelta(lr),
};

/** Two optimizer steps on f(x) = sum(x * [1, -2]) from x = [1, 1]; returns x. */
function twoSteps(opt: tf.Optimizer): number[] {
  const x = tf.variable(tf.tensor1d([1, 1]));
  const g = tf.tensor1d([1, -2]);
  for (let i = 0; i < 2; i++) opt.minimize(() => tf.sum(tf.mul(x, g)) as tf.Scalar, false, [x]);
  const out = Array.from(x.dataSync());
  tf.dispose([x, g]);
  return out;
}

describeBackends('getLearningRate / setLearningRate', () => {
  for (const [name, make] of Object.entries(makers)) {
    it(`${name}: the updates after setLearningRate are those of an optimizer built with that rate`, () => {
      const changed = make(0.1);
      setLearningRate(changed, 0.02);
      expect(getLearningRate(changed)).toBe(0.02);
      const reference = make(0.02);
      const got = twoSteps(changed);
      const want = twoSteps(reference);
      got.forEach((v, i) => expect(v).toBeCloseTo(want[i]!, 6));
      // And it really moved: a rate change that the optimizer ignored would give make(0.1)'s result.
      const ignored = twoSteps(make(0.1));
      expect(Math.abs(got[0]! - ignored[0]!)).toBeGreaterThan(1e-4);
      changed.dispose();
      reference.dispose();
    });
  }

  it('reject bad input naming the function, argument and value', () => {
    expect(() => setLearningRate(tf.train.sgd(0.1), -1)).toThrow(
      'setLearningRate: lr must be a finite number >= 0, got -1',
    );
    expect(() => getLearningRate({} as tf.Optimizer)).toThrow(
      'getLearningRate: optimizer must be a tfjs optimizer with a numeric learningRate, got {}',
    );
  });
});
