import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import fc from 'fast-check';
import { expect, it } from 'vitest';
import { categoricalCrossentropy } from '../../src/losses/categoricalCrossentropy.js';
import { sparseCategoricalCrossentropy } from '../../src/losses/sparseCategoricalCrossentropy.js';
import { describeBackends } from '../helpers/backends.js';
import { KERAS_LOSSES, evaluateLoss, expectClose, expectKerasParity, flat } from '../helpers/kerasLosses.js';
import { expectNoLeaks } from '../helpers/leaks.js';

const CASES = KERAS_LOSSES.cases.filter((c) => c.loss === 'SparseCategoricalCrossentropy');

/** Integer labels (some of them the ignored class -1) and logits [batch, classes]. */
const batch = fc
  .record({ rows: fc.integer({ min: 1, max: 6 }), classes: fc.integer({ min: 2, max: 6 }) })
  .chain(({ rows, classes }) =>
    fc.record({
      classes: fc.constant(classes),
      labels: fc.array(fc.integer({ min: -1, max: classes - 1 }), { minLength: rows, maxLength: rows }),
      logits: fc.array(fc.float({ min: -6, max: 6, noNaN: true }).map(Math.fround), {
        minLength: rows * classes,
        maxLength: rows * classes,
      }),
    }),
  );

const read = (t: tf.Tensor): number[] => {
  const v = Array.from(t.dataSync());
  t.dispose();
  return v;
};

/** A one-batch dataset as tfjs-layers reads one (tfjs-data is not a dependency); it disposes each batch it reads. */
const oneBatch = (x: tf.Tensor, y: tf.Tensor) => ({
  size: 1,
  iterator: async () => {
    let done = false;
    return {
      next: async () =>
        done
          ? { done: true, value: null }
          : ((done = true), { done: false, value: { xs: tf.clone(x), ys: tf.clone(y) } }),
    };
  },
});

describeBackends('sparseCategoricalCrossentropy', () => {
  it('covers every sparse case of the Keras reference', () => expect(CASES.length).toBe(10));

  it.each(CASES.map((c) => [c.name, c] as const))(
    'equals Keras 3 (%s): per-sample values, the reduced value and its gradient',
    (_name, c) =>
      expectKerasParity(
        c,
        (o) => sparseCategoricalCrossentropy(o),
        // With ignoreClass, each kept sample carries Keras' mask weight total / valid (0 when none is kept).
        (keras) => {
          if (c.options.ignore_class === undefined) return keras.map(() => 1);
          const labels = flat(c.yTrue);
          const valid = labels.filter((l) => l !== c.options.ignore_class).length;
          return labels.map((l) => (l !== c.options.ignore_class && valid > 0 ? labels.length / valid : 0));
        },
      ),
  );

  it('equals categoricalCrossentropy against one-hot labels, from logits and from probabilities', () => {
    fc.assert(
      fc.property(batch, fc.boolean(), ({ classes, labels, logits }, fromLogits) => {
        const ids = labels.map((l) => Math.max(l, 0));
        const x = tf.tensor2d(logits, [ids.length, classes]);
        // Softmax rows sum to 1 and stay above 1e-7: the two losses' clip-then-normalize orders agree.
        const pred = fromLogits ? tf.clone(x) : tf.softmax(x);
        const y = tf.tensor1d(ids);
        const oneHot = tf.tidy(() => tf.cast(tf.oneHot(tf.tensor1d(ids, 'int32'), classes), 'float32'));
        const sparse = evaluateLoss(sparseCategoricalCrossentropy({ fromLogits }), y, pred);
        const dense = evaluateLoss(categoricalCrossentropy({ fromLogits }), oneHot, pred);
        tf.dispose([x, pred, y, oneHot]);
        expectClose(sparse.perSample, Array.from(dense.perSample), 'values', 1e-5, 1e-5);
        expectClose(sparse.grad, Array.from(dense.grad), 'gradients', 1e-4, 1e-6);
      }),
    );
  });

  it('with ignoreClass, the mean is the mean over the kept samples of the unmasked loss, 0 when none is kept', () => {
    fc.assert(
      fc.property(batch, fc.boolean(), ({ classes, labels, logits }, fromLogits) => {
        const x = tf.tensor2d(logits, [labels.length, classes]);
        const pred = fromLogits ? tf.clone(x) : tf.softmax(x);
        const masked = evaluateLoss(
          sparseCategoricalCrossentropy({ fromLogits, ignoreClass: -1 }),
          tf.tensor1d(labels),
          pred,
        );
        const plain = read(
          sparseCategoricalCrossentropy({ fromLogits })(tf.tensor1d(labels.map((l) => Math.max(l, 0))), pred),
        );
        tf.dispose([x, pred]);
        const kept = plain.filter((_v, i) => labels[i] !== -1);
        const want = kept.length === 0 ? 0 : kept.reduce((a, b) => a + b, 0) / kept.length;
        expectClose([masked.mean], [want], 'mean over kept samples', 1e-5, 1e-6);
        labels.forEach((l, i) => {
          if (l === -1) expect(masked.perSample[i], `ignored sample ${i}`).toBe(0);
        });
        // Ignored samples' predictions get no gradient.
        labels.forEach((l, i) => {
          if (l === -1) for (let k = 0; k < classes; k++) expect(masked.grad[i * classes + k]).toBe(0);
        });
      }),
    );
  });

  it('takes labels as float or int32, [batch] or [batch, 1], alike; a class id out of range gives NaN', () => {
    const logits = tf.tensor2d([2, -1, 0.5, 0, 1.5, -2], [2, 3]);
    const loss = sparseCategoricalCrossentropy({ fromLogits: true });
    const reference = read(loss(tf.tensor1d([0, 2]), logits));
    for (const y of [tf.tensor1d([0, 2], 'int32'), tf.tensor2d([0, 2], [2, 1]), tf.tensor2d([0, 2], [2, 1], 'int32')]) {
      expect(read(loss(y, logits))).toEqual(reference);
      y.dispose();
    }
    const outOfRange = read(loss(tf.tensor1d([3, -1]), logits));
    expect(outOfRange.every(Number.isNaN)).toBe(true);
    logits.dispose();
  });

  it('trains and evaluates a tiny model on [batch, 1] float targets through fitDataset and evaluateDataset', async () => {
    const model = tfl.sequential({ layers: [tfl.layers.dense({ inputShape: [3], units: 4, activation: 'softmax' })] });
    const loss = sparseCategoricalCrossentropy({ ignoreClass: 3 });
    model.compile({ optimizer: tf.train.sgd(0.5), loss });
    const x = tf.tensor2d([1, 0, 0, 0, 1, 0, 0, 0, 1, 1, 1, 0], [4, 3]);
    const y = tf.tensor2d([0, 1, 2, 3], [4, 1]);
    // tfjs-layers' fit and evaluate accept [batch, 1] targets for a [batch, 4] output only with its own
    // built-in sparse loss (an identity check); its dataset paths take them with any loss function.
    expect(() => model.evaluate(x, y)).toThrow(/expected a batch of elements where each example has shape \[4\]/);
    const data = oneBatch(x, y);
    const history = await model.fitDataset(data as never, { epochs: 5, verbose: 0 });
    const losses = history.history.loss as number[];
    expect(losses[4]).toBeLessThan(losses[0]!);
    const evaluated = (await model.evaluateDataset(data as never, {})) as tf.Scalar;
    // Keras' value: the mean over the three samples whose class is not the ignored 3.
    const predicted = model.predict(x) as tf.Tensor;
    const kept = tf.slice(predicted, [0, 0], [3, 4]);
    const plain = read(sparseCategoricalCrossentropy()(tf.tensor1d([0, 1, 2]), kept));
    expect(read(evaluated)[0]).toBeCloseTo(plain.reduce((a, b) => a + b, 0) / 3, 5);
    tf.dispose([x, y, predicted, kept]);
    model.dispose();
  });

  it('leaks no tensors, called or differentiated, with and without ignoreClass', async () => {
    const y = tf.tensor1d([0, 2, -1]);
    const p = tf.tensor2d([0.2, 0.5, 0.3, 0.6, 0.3, 0.1, 0.1, 0.1, 0.8], [3, 3]);
    for (const options of [{}, { fromLogits: true }, { ignoreClass: -1 }, { fromLogits: true, ignoreClass: -1 }]) {
      const loss = sparseCategoricalCrossentropy(options);
      await expectNoLeaks(() => loss(y, p));
      await expectNoLeaks(() => tf.grad((t: tf.Tensor) => tf.mean(loss(y, t)))(p));
    }
    tf.dispose([y, p]);
  });
});

it('sparseCategoricalCrossentropy is named for tfjs logs and rejects bad options and calls, naming itself', () => {
  expect(sparseCategoricalCrossentropy().name).toBe('sparseCategoricalCrossentropy');
  expect(() => sparseCategoricalCrossentropy({ ignoreClass: 1.5 })).toThrow(
    'sparseCategoricalCrossentropy: ignoreClass must be an integer, got 1.5',
  );
  expect(() => sparseCategoricalCrossentropy({ fromLogits: 1 as never })).toThrow(
    'sparseCategoricalCrossentropy: fromLogits must be a boolean, got 1',
  );
  // Keras 3 has no label smoothing for this loss.
  expect(() => sparseCategoricalCrossentropy({ labelSmoothing: 0.1 } as never)).toThrow(
    /^sparseCategoricalCrossentropy: unknown option "labelSmoothing"; known options: fromLogits, ignoreClass/,
  );
  expect(() => sparseCategoricalCrossentropy({ ignore_class: -1 } as never)).toThrow(
    'sparseCategoricalCrossentropy: unknown option "ignore_class"; did you mean "ignoreClass"?',
  );
  expect(sparseCategoricalCrossentropy({ ignoreClass: null }).name).toBe('sparseCategoricalCrossentropy');
  const p = tf.ones([2, 3]);
  expect(() => sparseCategoricalCrossentropy()(tf.zeros([3]), p)).toThrow(
    "sparseCategoricalCrossentropy: yTrue and yPred must match (yTrue: yPred's shape without its last axis, or with it as 1), got yTrue [3] and yPred [2, 3]",
  );
  expect(() => sparseCategoricalCrossentropy()(tf.zeros([2, 3]), p)).toThrow(/^sparseCategoricalCrossentropy: yTrue/);
  expect(() => sparseCategoricalCrossentropy()(tf.zeros([2]), 'p' as never)).toThrow(
    'sparseCategoricalCrossentropy: yPred must be a tensor, got "p"',
  );
  p.dispose();
});
