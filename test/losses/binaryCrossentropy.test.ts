import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import fc from 'fast-check';
import { expect, it } from 'vitest';
import { binaryCrossentropy } from '../../src/losses/binaryCrossentropy.js';
import { describeBackends } from '../helpers/backends.js';
import { KERAS_LOSSES, evaluateLoss, expectClose, expectKerasParity } from '../helpers/kerasLosses.js';
import { expectNoLeaks } from '../helpers/leaks.js';

const CASES = KERAS_LOSSES.cases.filter((c) => c.loss === 'BinaryCrossentropy');

/** Binary targets and logits of one shape [rows, cols]. */
const batch = fc
  .record({ rows: fc.integer({ min: 1, max: 4 }), cols: fc.integer({ min: 1, max: 4 }) })
  .chain(({ rows, cols }) =>
    fc.record({
      shape: fc.constant([rows, cols] as [number, number]),
      targets: fc.array(fc.constantFrom(0, 1), { minLength: rows * cols, maxLength: rows * cols }),
      logits: fc.array(fc.float({ min: -8, max: 8, noNaN: true }).map(Math.fround), {
        minLength: rows * cols,
        maxLength: rows * cols,
      }),
    }),
  );

describeBackends('binaryCrossentropy', () => {
  it('covers every binary case of the Keras reference', () => expect(CASES.length).toBe(5));

  it.each(CASES.map((c) => [c.name, c] as const))(
    'equals Keras 3 (%s): per-sample values, the reduced value and its gradient',
    (_name, c) => expectKerasParity(c, (o) => binaryCrossentropy(o)),
  );

  it('label smoothing is the loss against labels squeezed to 0.5, y * (1 - ls) + ls / 2 (values and gradients)', () => {
    fc.assert(
      fc.property(batch, fc.double({ min: 0, max: 1, noNaN: true }), fc.boolean(), (b, ls, fromLogits) => {
        const x = tf.tensor2d(b.logits, b.shape);
        const pred = fromLogits ? tf.clone(x) : tf.sigmoid(x);
        const y = tf.tensor2d(b.targets, b.shape);
        const smoothed = tf.tensor2d(
          b.targets.map((t) => t * (1 - ls) + 0.5 * ls),
          b.shape,
        );
        const withSmoothing = evaluateLoss(binaryCrossentropy({ labelSmoothing: ls, fromLogits }), y, pred);
        const onSmoothed = evaluateLoss(binaryCrossentropy({ fromLogits }), smoothed, pred);
        tf.dispose([x, pred, y, smoothed]);
        expectClose(withSmoothing.perSample, Array.from(onSmoothed.perSample), 'values', 1e-5, 1e-5);
        expectClose(withSmoothing.grad, Array.from(onSmoothed.grad), 'gradients', 1e-5, 1e-6);
      }),
    );
  });

  it('from logits equals from sigmoid probabilities, and its gradient is (sigmoid(x) - y) / size, also at x = 0', () => {
    fc.assert(
      fc.property(batch, ({ shape, targets, logits }) => {
        // |x| <= 8 keeps sigmoid(x) inside [1e-7, 1 - 1e-7]: the probability path's clip does not decide.
        const xs = [0, ...logits.slice(1)];
        const x = tf.tensor2d(xs, shape);
        const p = tf.sigmoid(x);
        const y = tf.tensor2d(targets, shape);
        const fromLogits = evaluateLoss(binaryCrossentropy({ fromLogits: true }), y, x);
        const fromProbs = evaluateLoss(binaryCrossentropy(), y, p);
        tf.dispose([x, p, y]);
        expectClose(fromLogits.perSample, Array.from(fromProbs.perSample), 'values', 1e-4, 1e-5);
        const size = xs.length / shape[1];
        const want = xs.map((v, i) => (1 / (1 + Math.exp(-v)) - targets[i]!) / shape[1] / size);
        expectClose(fromLogits.grad, want, 'gradient', 1e-4, 1e-7);
      }),
    );
  });

  it('trains and evaluates a tiny model through model.compile({ loss }), evaluate giving the mean loss', async () => {
    const model = tfl.sequential({ layers: [tfl.layers.dense({ inputShape: [2], units: 3 })] });
    const loss = binaryCrossentropy({ fromLogits: true, labelSmoothing: 0.1 });
    model.compile({ optimizer: tf.train.sgd(0.5), loss });
    const x = tf.tensor2d([1, 0, 0, 1, 1, 1, 0, 0], [4, 2]);
    const y = tf.tensor2d([1, 0, 1, 0, 1, 0, 1, 1, 0, 0, 0, 1], [4, 3]);
    const history = await model.fit(x, y, { epochs: 5, batchSize: 4, verbose: 0 });
    const losses = history.history.loss as number[];
    expect(losses[4]).toBeLessThan(losses[0]!);
    const evaluated = model.evaluate(x, y) as tf.Scalar;
    const predicted = model.predict(x) as tf.Tensor;
    const direct = tf.mean(loss(y, predicted));
    expect(evaluated.dataSync()[0]).toBeCloseTo(direct.dataSync()[0]!, 5);
    tf.dispose([x, y, predicted, direct, evaluated]);
    model.dispose();
  });

  it('leaks no tensors, called or differentiated, from logits and probabilities', async () => {
    const y = tf.tensor2d([0, 1, 1, 0], [2, 2]);
    const p = tf.tensor2d([0.2, 0.9, 0, 1], [2, 2]);
    for (const options of [{}, { fromLogits: true }, { labelSmoothing: 0.2 }]) {
      const loss = binaryCrossentropy(options);
      await expectNoLeaks(() => loss(y, p));
      await expectNoLeaks(() => tf.grad((t: tf.Tensor) => tf.mean(loss(y, t)))(p));
    }
    tf.dispose([y, p]);
  });
});

it('binaryCrossentropy is named for tfjs logs and rejects bad options and calls, naming itself', () => {
  expect(binaryCrossentropy().name).toBe('binaryCrossentropy');
  expect(() => binaryCrossentropy({ labelSmoothing: 2 })).toThrow(
    'binaryCrossentropy: labelSmoothing must be a number in [0, 1], got 2',
  );
  expect(() => binaryCrossentropy({ fromLogits: 0 as never })).toThrow(
    'binaryCrossentropy: fromLogits must be a boolean, got 0',
  );
  expect(() => binaryCrossentropy({ from_logits: true } as never)).toThrow(
    'binaryCrossentropy: unknown option "from_logits"; did you mean "fromLogits"?',
  );
  const p = tf.ones([2, 3]);
  expect(() => binaryCrossentropy()(tf.zeros([2, 2]), p)).toThrow(
    'binaryCrossentropy: yTrue and yPred must have the same shape, got yTrue [2, 2] and yPred [2, 3]',
  );
  expect(() => binaryCrossentropy()(undefined as never, p)).toThrow(
    'binaryCrossentropy: yTrue must be a tensor, got undefined',
  );
  p.dispose();
});
