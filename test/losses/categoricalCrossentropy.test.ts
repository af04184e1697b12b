import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import fc from 'fast-check';
import { expect, it } from 'vitest';
import { categoricalCrossentropy } from '../../src/losses/categoricalCrossentropy.js';
import { describeBackends } from '../helpers/backends.js';
import { KERAS_LOSSES, evaluateLoss, expectClose, expectKerasParity } from '../helpers/kerasLosses.js';
import { expectNoLeaks } from '../helpers/leaks.js';

const CASES = KERAS_LOSSES.cases.filter((c) => c.loss === 'CategoricalCrossentropy');

/** A batch of one-hot labels and logits: [batch, classes] of both. */
const batch = fc
  .record({ rows: fc.integer({ min: 1, max: 4 }), classes: fc.integer({ min: 2, max: 6 }) })
  .chain(({ rows, classes }) =>
    fc.record({
      classes: fc.constant(classes),
      labels: fc.array(fc.integer({ min: 0, max: classes - 1 }), { minLength: rows, maxLength: rows }),
      logits: fc.array(fc.float({ min: -6, max: 6, noNaN: true }).map(Math.fround), {
        minLength: rows * classes,
        maxLength: rows * classes,
      }),
    }),
  );
const smoothing = fc.double({ min: 0, max: 1, noNaN: true });

const oneHot = (labels: number[], classes: number) =>
  tf.tidy(() => tf.cast(tf.oneHot(tf.tensor1d(labels, 'int32'), classes), 'float32'));

describeBackends('categoricalCrossentropy', () => {
  it('covers every categorical case of the Keras reference', () => {
    expect(KERAS_LOSSES.keras).toMatch(/^3\./);
    expect(CASES.length).toBe(12);
  });

  it.each(CASES.map((c) => [c.name, c] as const))(
    'equals Keras 3 (%s): per-sample values, the reduced value and its gradient',
    (_name, c) => expectKerasParity(c, (o) => categoricalCrossentropy(o)),
  );

  it('label smoothing is the loss against smoothed labels, y * (1 - ls) + ls / classes (values and gradients)', () => {
    fc.assert(
      fc.property(batch, smoothing, fc.boolean(), ({ classes, labels, logits }, ls, fromLogits) => {
        const x = tf.tensor2d(logits, [labels.length, classes]);
        // From probabilities the predictions are the softmax of the logits: the clip and the normalization run too.
        const pred = fromLogits ? tf.clone(x) : tf.softmax(x);
        const y = oneHot(labels, classes);
        const smoothed = tf.tidy(() => tf.add(tf.mul(y, 1 - ls), ls / classes));
        const withSmoothing = evaluateLoss(categoricalCrossentropy({ labelSmoothing: ls, fromLogits }), y, pred);
        const onSmoothed = evaluateLoss(categoricalCrossentropy({ fromLogits }), smoothed, pred);
        tf.dispose([x, pred, y, smoothed]);
        expectClose(withSmoothing.perSample, Array.from(onSmoothed.perSample), 'values', 1e-5, 1e-5);
        expectClose(withSmoothing.grad, Array.from(onSmoothed.grad), 'gradients', 1e-5, 1e-6);
      }),
    );
  });

  it('from probabilities, a row is normalized by its sum first: scaling a row leaves its loss unchanged', () => {
    fc.assert(
      fc.property(batch, fc.double({ min: 0.05, max: 20, noNaN: true }), ({ classes, labels, logits }, scale) => {
        // Logits within [-6, 6] keep every probability above 1e-7, so the clip does not decide the value.
        const p = tf.softmax(tf.tensor2d(logits, [labels.length, classes]));
        const scaled = tf.mul(p, scale);
        const y = oneHot(labels, classes);
        const loss = categoricalCrossentropy();
        const a = evaluateLoss(loss, y, p);
        const b = evaluateLoss(loss, y, scaled);
        tf.dispose([p, scaled, y]);
        expectClose(b.perSample, Array.from(a.perSample), 'values', 1e-5, 1e-6);
      }),
    );
  });

  it("from logits, the gradient of the mean is (softmax(x) - smoothed y) / batch, as TensorFlow's kernel gives", () => {
    fc.assert(
      fc.property(batch, smoothing, ({ classes, labels, logits }, ls) => {
        const x = tf.tensor2d(logits, [labels.length, classes]);
        const y = oneHot(labels, classes);
        const want = tf.tidy(() =>
          tf.div(tf.sub(tf.softmax(x), tf.add(tf.mul(y, 1 - ls), ls / classes)), labels.length),
        );
        const got = evaluateLoss(categoricalCrossentropy({ labelSmoothing: ls, fromLogits: true }), y, x);
        const expected = Array.from(want.dataSync());
        tf.dispose([x, y, want]);
        expectClose(got.grad, expected, 'gradient', 1e-4, 1e-6);
      }),
    );
  });

  it('axis 1 of a 3-D batch is the last-axis loss of the transposed tensors (no label smoothing)', () => {
    fc.assert(
      fc.property(batch, fc.boolean(), ({ classes, labels, logits }, fromLogits) => {
        // [rows, classes] seen as [1, classes, rows]: the classes on axis 1, positions on axis 2.
        const x = tf.tensor2d(logits, [labels.length, classes]);
        const pred = fromLogits ? tf.clone(x) : tf.softmax(x);
        const y = oneHot(labels, classes);
        const channelsFirst = (t: tf.Tensor) => tf.tidy(() => tf.expandDims(tf.transpose(t), 0));
        const [yFirst, predFirst] = [channelsFirst(y), channelsFirst(pred)];
        const last = evaluateLoss(categoricalCrossentropy({ fromLogits }), y, pred);
        const first = evaluateLoss(categoricalCrossentropy({ fromLogits, axis: 1 }), yFirst, predFirst);
        tf.dispose([x, pred, y, yFirst, predFirst]);
        expect(first.shape).toEqual([1, labels.length]);
        expectClose(first.perSample, Array.from(last.perSample), 'values', 1e-5, 1e-6);
      }),
    );
  });

  it('trains and evaluates a tiny model through model.compile({ loss }), evaluate giving the mean loss', async () => {
    const model = tfl.sequential({ layers: [tfl.layers.dense({ inputShape: [3], units: 4 })] });
    const loss = categoricalCrossentropy({ fromLogits: true, labelSmoothing: 0.1 });
    model.compile({ optimizer: tf.train.sgd(0.5), loss, metrics: [loss] });
    const x = tf.tensor2d([1, 0, 0, 0, 1, 0, 0, 0, 1, 1, 1, 0], [4, 3]);
    const y = oneHot([0, 1, 2, 3], 4);
    const history = await model.fit(x, y, { epochs: 5, batchSize: 4, verbose: 0 });
    const losses = history.history.loss as number[];
    expect(losses[4]).toBeLessThan(losses[0]!);
    // A function passed as a metric is logged under its name.
    expect(Object.keys(history.history)).toContain('categoricalCrossentropy');
    const evaluated = model.evaluate(x, y) as tf.Scalar[];
    const predicted = model.predict(x) as tf.Tensor;
    const direct = tf.mean(loss(y, predicted));
    expect(evaluated[0]!.dataSync()[0]).toBeCloseTo(direct.dataSync()[0]!, 5);
    tf.dispose([x, y, predicted, direct, ...evaluated]);
    model.dispose();
  });

  it('leaks no tensors, called or differentiated, from logits and probabilities', async () => {
    const y = tf.tensor2d([0, 1, 0, 1, 0, 0], [2, 3]);
    const p = tf.tensor2d([0.2, 0.5, 0.3, 0.6, 0.3, 0.1], [2, 3]);
    for (const options of [{}, { fromLogits: true, labelSmoothing: 0.2 }, { labelSmoothing: 0.1, axis: 1 }]) {
      const loss = categoricalCrossentropy(options);
      await expectNoLeaks(() => loss(y, p));
      await expectNoLeaks(() => tf.grad((t: tf.Tensor) => tf.mean(loss(y, t)))(p));
    }
    // int32 labels are cast like Keras casts them to yPred's dtype.
    const yInt = tf.tensor2d([0, 1, 0, 1, 0, 0], [2, 3], 'int32');
    await expectNoLeaks(() => categoricalCrossentropy()(yInt, p));
    tf.dispose([y, p, yInt]);
  });
});

it('categoricalCrossentropy is named for tfjs logs and rejects bad options and calls, naming itself', () => {
  expect(categoricalCrossentropy().name).toBe('categoricalCrossentropy');
  expect(() => categoricalCrossentropy({ labelSmoothing: 1.5 })).toThrow(
    'categoricalCrossentropy: labelSmoothing must be a number in [0, 1], got 1.5',
  );
  expect(() => categoricalCrossentropy({ labelSmoothing: -0.1 })).toThrow(/^categoricalCrossentropy: labelSmoothing/);
  expect(() => categoricalCrossentropy({ fromLogits: 'true' as never })).toThrow(
    'categoricalCrossentropy: fromLogits must be a boolean, got "true"',
  );
  expect(() => categoricalCrossentropy({ axis: 0.5 })).toThrow(
    'categoricalCrossentropy: axis must be an integer, got 0.5',
  );
  expect(() => categoricalCrossentropy({ label_smoothing: 0.1 } as never)).toThrow(
    'categoricalCrossentropy: unknown option "label_smoothing"; did you mean "labelSmoothing"?',
  );
  const y = tf.zeros([2, 3]);
  const p = tf.ones([2, 3]);
  expect(() => categoricalCrossentropy({ axis: 2 })(y, p)).toThrow(
    'categoricalCrossentropy: axis must be in [-2, 1] for yPred of rank 2, got 2',
  );
  expect(() => categoricalCrossentropy()(tf.zeros([2, 4]), p)).toThrow(
    'categoricalCrossentropy: yTrue and yPred must have the same shape, got yTrue [2, 4] and yPred [2, 3]',
  );
  expect(() => categoricalCrossentropy()([[0, 1, 0]] as never, p)).toThrow(
    /^categoricalCrossentropy: yTrue must be a tensor, got \[\[0,1,0\]\]/,
  );
  expect(() => categoricalCrossentropy()(y, tf.scalar(1))).toThrow(/^categoricalCrossentropy: /);
  tf.dispose([y, p]);
});
