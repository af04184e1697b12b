import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import fc from 'fast-check';
import { expect, it } from 'vitest';
import { augMix } from '../../src/augment/augMix.js';
import { flow } from '../../src/augment/flow.js';
import { categoricalCrossentropy } from '../../src/losses/categoricalCrossentropy.js';
import { jensenShannonConsistency } from '../../src/losses/jensenShannonConsistency.js';
import type { JensenShannonConsistencyOptions } from '../../src/losses/jensenShannonConsistency.js';
import { describeBackends } from '../helpers/backends.js';
import { expectClose } from '../helpers/kerasLosses.js';
import { expectNoLeaks } from '../helpers/leaks.js';
import { runs } from '../helpers/runs.js';
import reference from './keras-jsd.json' with { type: 'json' };

const read = (t: tf.Tensor) => Array.from(t.dataSync());

/** The loss's mean (what a model minimizes) and the gradient of that mean with respect to yPred. */
function meanAndGrad(
  loss: ReturnType<typeof jensenShannonConsistency>,
  yTrue: tf.Tensor,
  yPred: tf.Tensor,
): { perRow: number[]; mean: number; grad: number[] } {
  const perRow = tf.tidy(() => loss(yTrue, yPred));
  const mean = tf.tidy(() => tf.mean(perRow));
  const grad = tf.grad((t: tf.Tensor) => tf.mean(loss(yTrue, t)))(yPred);
  const out = { perRow: read(perRow), mean: read(mean)[0]!, grad: read(grad) };
  tf.dispose([perRow, mean, grad]);
  return out;
}

describeBackends('jensenShannonConsistency', () => {
  // timm's JsdCrossEntropy in TensorFlow float64 (scripts/keras/augmix.py), the gradient by GradientTape.
  it.each(reference.cases.map((c) => [c.name, c] as const))('equals timm JsdCrossEntropy: %s', (_, c) => {
    expect(reference.tensorflow).toMatch(/^2\./);
    const yTrue = tf.tensor2d(c.yTrue);
    const logits = tf.tensor2d(c.logits);
    const got = meanAndGrad(jensenShannonConsistency(c.options), yTrue, logits);
    expectClose([got.mean], [c.value], 'value', 1e-5, 1e-6);
    expectClose(got.grad, c.gradient.flat(), 'gradient', 1e-5, 1e-6);
    // Every row of an image carries that image's loss.
    const k = c.options.numSplits;
    const n = c.logits.length / k;
    for (let r = n; r < k * n; r++) expect(got.perRow[r]).toBe(got.perRow[r % n]);
    tf.dispose([yTrue, logits]);
  });

  it('is the clean crossentropy when the views agree, and grows with alpha when they do not', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 3 }),
        fc.integer({ min: 2, max: 5 }),
        fc.integer({ min: 2, max: 4 }),
        fc.nat(1000),
        (n, classes, k, seed) => {
          const clean = tf.randomNormal([n, classes], 0, 2, 'float32', seed + 1);
          const labels = tf.oneHot(
            tf.tensor1d(
              [...Array(n).keys()].map((i) => i % classes),
              'int32',
            ),
            classes,
          );
          const yTrue = tf.tile(tf.cast(labels, 'float32'), [k, 1]);
          const same = tf.tile(clean, [k, 1]);
          const ce = read(categoricalCrossentropy({ fromLogits: true })(tf.cast(labels, 'float32'), clean));
          const agree = read(jensenShannonConsistency({ numSplits: k })(yTrue, same));
          expectClose(agree.slice(0, n), ce, 'agreeing views', 1e-5, 1e-5);
          const other = tf.concat([clean, tf.randomNormal([(k - 1) * n, classes], 0, 2, 'float32', seed + 2)]);
          const [a0, a1, a12] = [0, 1, 12].map((alpha) =>
            read(jensenShannonConsistency({ numSplits: k, alpha })(yTrue, other)),
          );
          a0!.slice(0, n).forEach((v, i) => {
            const js = a1![i]! - v;
            expect(js).toBeGreaterThanOrEqual(-1e-6);
            // JS of k distributions is at most log k.
            expect(js).toBeLessThanOrEqual(Math.log(k) + 1e-5);
            expect(a12![i]!).toBeCloseTo(v + 12 * js, 3);
          });
          tf.dispose([clean, labels, yTrue, same, other]);
        },
      ),
      { numRuns: runs(15) },
    );
  });

  it('takes probabilities too: softmax outputs give the logits value (normalized and clipped as Keras)', () => {
    const c = reference.cases[0]!;
    const yTrue = tf.tensor2d(c.yTrue);
    const logits = tf.tensor2d(c.logits);
    const probs = tf.softmax(logits);
    const fromProbs = meanAndGrad(jensenShannonConsistency({ ...c.options, fromLogits: false }), yTrue, probs);
    expectClose([fromProbs.mean], [c.value], 'value from probabilities', 1e-5, 1e-6);
    // Unnormalized scores are divided by their sum first.
    const scaled = meanAndGrad(jensenShannonConsistency({ ...c.options, fromLogits: false }), yTrue, tf.mul(probs, 3));
    expectClose([scaled.mean], [c.value], 'value from scaled probabilities', 1e-5, 1e-6);
    tf.dispose([yTrue, logits, probs]);
  });

  it('trains a tiny model with fitDataset on flow(augMix({ numSplits: 3 })) batches', async () => {
    const x = tf.randomUniform([8, 4, 4, 3], 0, 1, 'float32', 7) as tf.Tensor4D;
    const y = tf.cast(tf.oneHot(tf.tensor1d([0, 1, 0, 1, 0, 1, 0, 1], 'int32'), 2), 'float32') as tf.Tensor2D;
    const data = flow(x, y, { batchSize: 4, seed: 1, flatten: true, pipeline: augMix({ numSplits: 3, seed: 2 }) });
    const first = await (await data.iterator()).next();
    // Three views of four images: 12 rows of images and of labels.
    expect(first.value!.xs.shape).toEqual([12, 48]);
    expect(first.value!.ys.shape).toEqual([12, 2]);
    tf.dispose([first.value!.xs, first.value!.ys]);
    const model = tfl.sequential({ layers: [tfl.layers.dense({ inputShape: [48], units: 2 })] });
    model.compile({ optimizer: tf.train.sgd(0.5), loss: jensenShannonConsistency() });
    const history = await model.fitDataset(data as never, { epochs: 4, verbose: 0 });
    const losses = history.history.loss as number[];
    expect(losses.every(Number.isFinite)).toBe(true);
    expect(losses[3]).toBeLessThan(losses[0]!);
    tf.dispose([x, y]);
    model.dispose();
  });

  it('leaks no tensors, called or differentiated, from logits and probabilities', async () => {
    const c = reference.cases[1]!;
    const yTrue = tf.tensor2d(c.yTrue);
    const logits = tf.tensor2d(c.logits);
    const probs = tf.softmax(logits);
    for (const [options, pred] of [
      [{ numSplits: 2 }, logits],
      [{ numSplits: 2, labelSmoothing: 0.1, fromLogits: false }, probs],
    ] as const) {
      const loss = jensenShannonConsistency(options as JensenShannonConsistencyOptions);
      await expectNoLeaks(() => loss(yTrue, pred));
      await expectNoLeaks(() => tf.grad((t: tf.Tensor) => tf.mean(loss(yTrue, t)))(pred));
    }
    tf.dispose([yTrue, logits, probs]);
  });
});

it('jensenShannonConsistency is named for tfjs logs and rejects bad options and calls, naming itself', () => {
  expect(jensenShannonConsistency().name).toBe('jensenShannonConsistency');
  expect(() => jensenShannonConsistency({ numSplits: 1 })).toThrow(/^jensenShannonConsistency: numSplits must be/);
  expect(() => jensenShannonConsistency({ numSplits: 2.5 })).toThrow(/^jensenShannonConsistency: numSplits/);
  expect(() => jensenShannonConsistency({ alpha: -1 })).toThrow(/^jensenShannonConsistency: alpha/);
  expect(() => jensenShannonConsistency({ labelSmoothing: 2 })).toThrow(/^jensenShannonConsistency: labelSmoothing/);
  expect(() => jensenShannonConsistency({ fromLogits: 1 as never })).toThrow(/^jensenShannonConsistency: fromLogits/);
  expect(() => jensenShannonConsistency({ splits: 3 } as never)).toThrow(/^jensenShannonConsistency: .*splits/);
  const loss = jensenShannonConsistency();
  const y = tf.zeros([4, 2]);
  expect(() => loss(y, tf.zeros([4, 2]))).toThrow(/^jensenShannonConsistency: yTrue and yPred must have a batch of 3/);
  expect(() => loss(tf.zeros([3, 2]), tf.zeros([3, 3]))).toThrow(/must have the same shape/);
  expect(() => loss(tf.zeros([3]), tf.zeros([3]))).toThrow(/must be \[views · images, classes\]/);
  expect(() => loss(tf.zeros([0, 2]), tf.zeros([0, 2]))).toThrow(/a positive multiple/);
  expect(() => loss('a' as never, y)).toThrow(/^jensenShannonConsistency: yTrue must be a tensor/);
  tf.dispose(y);
});
