import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { expect, it } from 'vitest';
import { l1 } from '../../src/regularizers/l1.js';
import { l2 } from '../../src/regularizers/l2.js';
import { penalty } from '../../src/regularizers/penalty.js';
import { describeBackends } from '../helpers/backends.js';
import { expectNoLeaks } from '../helpers/leaks.js';

function regularizedModel(): tfl.Sequential {
  return tfl.sequential({
    layers: [
      tfl.layers.dense({
        inputShape: [3],
        units: 4,
        activation: 'relu',
        kernelRegularizer: l2(0.01),
        biasRegularizer: l1(0.1),
        biasInitializer: 'ones',
      }),
      tfl.layers.dense({ units: 2, activation: 'softmax', kernelRegularizer: l1(0.001) }),
    ],
  });
}

const sumOf = (t: tf.Tensor, f: (x: tf.Tensor) => tf.Tensor): number => tf.tidy(() => tf.sum(f(t)).dataSync()[0]!);

describeBackends('penalty', () => {
  it('sums every regularizer of every layer on the current weights', () => {
    const model = regularizedModel();
    const [k1, b1, k2] = model.getWeights();
    const expected = 0.01 * sumOf(k1!, tf.square) + 0.1 * sumOf(b1!, tf.abs) + 0.001 * sumOf(k2!, tf.abs);
    const p = penalty(model);
    expect(p.shape).toEqual([]);
    expect(p.dataSync()[0]).toBeCloseTo(expected, 5);
    p.dispose();
    model.dispose();
  });

  it('includes nested models and is 0 without regularizers', () => {
    const inner = regularizedModel();
    const outer = tfl.sequential({ layers: [inner, tfl.layers.dense({ units: 1 })] });
    const a = penalty(inner);
    const b = penalty(outer);
    expect(b.dataSync()[0]).toBeCloseTo(a.dataSync()[0]!, 6);
    const plain = tfl.sequential({ layers: [tfl.layers.dense({ inputShape: [2], units: 1 })] });
    const zero = penalty(plain);
    expect(zero.dataSync()[0]).toBe(0);
    tf.dispose([a, b, zero]);
    outer.dispose();
    plain.dispose();
  });

  it('is what tfjs leaves out of evaluate(): evaluate + penalty = data loss + penalty (Keras val_loss)', () => {
    const model = regularizedModel();
    model.compile({ optimizer: 'sgd', loss: 'categoricalCrossentropy' });
    const x = tf.tensor2d([
      [1, 2, 3],
      [-1, 0.5, 2],
      [0, 0, 1],
    ]);
    const y = tf.tensor2d([
      [1, 0],
      [0, 1],
      [1, 0],
    ]);
    const evaluated = model.evaluate(x, y) as tf.Scalar;
    const dataLoss = tf.tidy(() => tf.mean(tfl.metrics.categoricalCrossentropy(y, model.predict(x) as tf.Tensor)));
    const p = penalty(model);
    expect(p.dataSync()[0]).toBeGreaterThan(0.01);
    // tfjs' evaluate() is the bare data loss, without the penalty Keras would add.
    expect(evaluated.dataSync()[0]).toBeCloseTo(dataLoss.dataSync()[0]!, 5);
    tf.dispose([x, y, evaluated, dataLoss, p]);
    model.dispose();
  });

  it('leaks no tensors', async () => {
    const model = regularizedModel();
    await expectNoLeaks(() => penalty(model));
    model.dispose();
  });
});

it('penalty rejects something that is not a model', () => {
  expect(() => penalty({} as tfl.LayersModel)).toThrow('penalty: model must be a tfjs-layers LayersModel, got {}');
  expect(() => penalty(null as unknown as tfl.LayersModel)).toThrow(
    'penalty: model must be a tfjs-layers LayersModel, got null',
  );
});
