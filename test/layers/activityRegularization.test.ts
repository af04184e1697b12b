import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import fc from 'fast-check';
import { expect, it } from 'vitest';
import { activityRegularization } from '../../src/layers/activityRegularization.js';
import { penalty } from '../../src/regularizers/penalty.js';
import { describeBackends } from '../helpers/backends.js';
import { expectNoLeaks } from '../helpers/leaks.js';
import { runs } from '../helpers/runs.js';
import { expectClose, KERAS, values } from './helpers.js';

const REF = KERAS.activityRegularization;

/** Keras' model of scripts/keras/layers.py: Dense(2) with its fixed weights, then ActivityRegularization. */
function kerasModel(): tfl.Sequential {
  const model = tfl.sequential({
    layers: [tfl.layers.dense({ inputShape: [3], units: 2 }), activityRegularization({ l1: REF.l1, l2: REF.l2 })],
  });
  model.layers[0]!.setWeights([tf.tensor2d(REF.kernel, [3, 2]), tf.tensor1d(REF.bias)]);
  model.compile({ optimizer: tf.train.sgd(0.1), loss: 'meanSquaredError' });
  return model;
}

describeBackends('activityRegularization', () => {
  it("adds Keras 3's loss, (l1·Σ|a| + l2·Σa²) / batch size (Keras reference)", () => {
    const model = kerasModel();
    const x = tf.tensor2d(REF.x, [4, 3]);
    const y = model.apply(x) as tf.Tensor;
    expectClose(y.dataSync(), REF.activations);
    const p = penalty(model);
    expectClose(p.dataSync(), [REF.addedLoss]);
    tf.dispose([x, y, p]);
    model.dispose();
  });

  it("makes fit's reported loss Keras' (its penalty in the loss and its gradient in the update, 3 epochs)", async () => {
    const model = kerasModel();
    const [x, y] = [tf.tensor2d(REF.x, [4, 3]), tf.tensor2d(REF.y, [4, 2])];
    const history = await model.fit(x, y, { epochs: 3, batchSize: 4, shuffle: false, verbose: 0 });
    expectClose(history.history['loss'] as number[], REF.fitLoss);
    // tfjs' evaluate leaves layer losses out (Keras includes them): the mse alone.
    const evaluated = model.evaluate(x, y) as tf.Scalar;
    const p = penalty(model);
    expect(evaluated.dataSync()[0]).toBeLessThan(REF.evaluateLoss);
    // As Keras' model.losses after fit: the last step's penalty, computed before that step's update.
    expect(p.dataSync()[0]).toBeGreaterThan(0);
    tf.dispose([x, y, evaluated, p]);
    model.dispose();
  });

  it('is the identity and its loss is the formula, for any input and factors (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 4 }),
        fc.double({ min: 0, max: 2, noNaN: true }),
        fc.double({ min: 0, max: 2, noNaN: true }),
        fc.integer(),
        async (shape, l1, l2, seed) => {
          const layer = activityRegularization({ l1, l2 });
          const x = values(shape, seed, -3, 3);
          const xs = Array.from(x.dataSync());
          const out = layer.apply(x, { training: true }) as tf.Tensor;
          expect(Array.from(out.dataSync())).toEqual(xs);
          const [loss] = layer.calculateLosses();
          const expected = xs.reduce((s, v) => s + l1 * Math.abs(v) + l2 * v * v, 0) / shape[0]!;
          expectClose(loss!.dataSync(), [expected], 1e-5);
          tf.dispose([x, out, loss!]);
        },
      ),
      { numRuns: runs(20) },
    );
  });

  it('adds 0 before any call and leaks nothing, in apply, in its loss and in fit', async () => {
    const layer = activityRegularization({ l1: 0.5 });
    const [zero] = layer.calculateLosses();
    expect(zero!.dataSync()[0]).toBe(0);
    zero!.dispose();
    const x = tf.ones([2, 3]);
    await expectNoLeaks(() => layer.apply(x));
    await expectNoLeaks(() => layer.calculateLosses());
    const model = kerasModel();
    const [xs, ys] = [tf.tensor2d(REF.x, [4, 3]), tf.tensor2d(REF.y, [4, 2])];
    await expectNoLeaks(() => model.fit(xs, ys, { epochs: 1, batchSize: 2, verbose: 0 }).then(() => undefined));
    tf.dispose([x, xs, ys]);
    model.dispose();
  });
});

it('activityRegularization rejects bad factors and unknown options, naming the factory, the option and the value', () => {
  const make = (o: unknown) => () => activityRegularization(o as never);
  expect(make({ l1: -1 })).toThrow('activityRegularization: l1 must be a finite number >= 0, got -1');
  expect(make({ l2: Number.POSITIVE_INFINITY })).toThrow(
    'activityRegularization: l2 must be a finite number >= 0, got Infinity',
  );
  expect(make({ L2: 0.1 })).toThrow('activityRegularization: unknown option "L2"; did you mean "l2"?');
  expect(make(5)).toThrow('activityRegularization: options must be an options object, got 5');
});
