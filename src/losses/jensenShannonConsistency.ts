import * as tf from '@tensorflow/tfjs-core';
import {
  checkBoolean,
  checkFloat32,
  checkOptions,
  invalidArgument,
  optionNames,
  unitInterval,
} from '../core/validate.js';
import {
  EPSILON,
  asFloat,
  checkSameShape,
  checkTensors,
  kerasSameRank,
  named,
  shapeError,
} from './_internal/tensors.js';
import { softmaxCrossEntropyWithLogits } from './_internal/softmaxCrossEntropy.js';
import type { LossFunction } from './lossFunction.js';

/** Options of {@link jensenShannonConsistency}; timm `JsdCrossEntropy`'s, camel-cased. */
export interface JensenShannonConsistencyOptions {
  /**
   * Views per image stacked along the batch, the clean one first (augMix's `numSplits`): an integer from 2
   * to 8. timm: `num_splits`. @defaultValue 3
   */
  numSplits?: number;
  /** Weight λ of the Jensen-Shannon term, >= 0. timm: `alpha`; the paper's λ. @defaultValue 12 */
  alpha?: number;
  /**
   * In [0, 1]: the clean view's crossentropy targets become `yTrue · (1 − s) + s / numClasses`. timm:
   * `smoothing` (timm's default is 0.1; the paper's code has none). @defaultValue 0
   */
  labelSmoothing?: number;
  /**
   * Whether `yPred` holds logits (as timm and the paper's code take them), else probabilities, which are
   * normalized and clipped to [1e-7, 1 − 1e-7] as Keras' crossentropy does. @defaultValue true
   */
  fromLogits?: boolean;
}

const FN = 'jensenShannonConsistency';
const OPTIONS = optionNames<JensenShannonConsistencyOptions>()('numSplits', 'alpha', 'labelSmoothing', 'fromLogits');

/**
 * The AugMix training loss (Hendrycks et al. 2020), timm's `JsdCrossEntropy`: for a batch stacked as
 * `[clean; aug1; aug2]` (k views of n images, `yPred` and `yTrue` both `[k · n, classes]`), the crossentropy
 * of the clean view plus `alpha` times the Jensen-Shannon divergence of the k predictions,
 * `JS = (1/k) Σⱼ KL(pⱼ ‖ M)` with the mixture `M = (1/k) Σⱼ pⱼ` clamped to [1e-7, 1] before its log, as the
 * paper's code and timm do. Only the clean view's targets are read (the others are its copies, as
 * `augMix({ numSplits })` makes them).
 *
 * A tfjs loss gives one value per row and the model averages them; here each of an image's k rows carries
 * that image's `CE + alpha · JS`, so the average is timm's value and its gradient timm's gradient. The
 * batch must hold the k views of whole images in order: train with `flow(x, y, { pipeline: augMix({
 * numSplits: 3 }) })` and `fitDataset`, not with `fit`'s own shuffling; validate with another loss (a
 * plain batch is not k views).
 *
 * @param options - The views per image, the weight of the consistency term, label smoothing, logits or
 *   probabilities; see {@link JensenShannonConsistencyOptions}.
 * @returns A {@link LossFunction} named `jensenShannonConsistency`: per-row losses, shape `[k · n]`.
 * @throws Error naming `jensenShannonConsistency` for bad options; at call time, for a non-tensor, shapes
 *   that differ, a rank other than 2, or a batch that is not a multiple of `numSplits`.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { jensenShannonConsistency } from 'tfjs-regularization/losses';
 *
 * const loss = jensenShannonConsistency();
 * // One image, three views (clean, aug1, aug2) of the same class.
 * const yTrue = tf.tensor2d([[1, 0], [1, 0], [1, 0]]);
 * // Views that agree: the Jensen-Shannon term is 0, and the loss is the clean crossentropy log(2).
 * console.log(loss(yTrue, tf.zeros([3, 2])).mean().dataSync()[0]!.toFixed(4)); // 0.6931
 * // Views that disagree pay for it: 12 · JS on top of the same clean crossentropy.
 * const disagree = tf.tensor2d([[0, 0], [3, 0], [0, 3]]);
 * console.log(loss(yTrue, disagree).mean().dataSync()[0]!.toFixed(4)); // 4.7114
 * // Training: model.compile({ optimizer: 'adam', loss: jensenShannonConsistency() }) on
 * // flow(x, y, { pipeline: augMix({ numSplits: 3 }) }) with model.fitDataset.
 * ```
 */
export function jensenShannonConsistency(options?: JensenShannonConsistencyOptions): LossFunction {
  const opts = checkOptions<JensenShannonConsistencyOptions>(FN, options, OPTIONS);
  const numSplits = opts.numSplits ?? 3;
  if (!Number.isInteger(numSplits) || numSplits < 2 || numSplits > 8)
    throw invalidArgument(FN, 'numSplits', numSplits, 'an integer from 2 to 8');
  const alpha = checkFloat32(FN, 'alpha', opts.alpha ?? 12, 0);
  const labelSmoothing = unitInterval(FN, 'labelSmoothing', opts.labelSmoothing, 0);
  const fromLogits = checkBoolean(FN, 'fromLogits', opts.fromLogits ?? true);
  return named((yTrueIn: tf.Tensor, yPredIn: tf.Tensor) => {
    const [yTrue, yPred] = checkTensors(FN, yTrueIn, yPredIn);
    const [trueShape, predShape] = kerasSameRank(yTrue.shape, yPred.shape);
    checkSameShape(FN, yTrue, yPred, trueShape, predShape);
    if (predShape.length !== 2) throw shapeError(FN, yTrue, yPred, 'be [views · images, classes]');
    const [rows, classes] = predShape as [number, number];
    if (rows === 0 || rows % numSplits !== 0)
      throw shapeError(FN, yTrue, yPred, `have a batch of ${numSplits} views of each image (a positive multiple)`);
    const n = rows / numSplits;
    return tf.tidy(() => {
      let target = tf.slice(asFloat(yTrue, trueShape), [0, 0], [n, classes]);
      if (labelSmoothing > 0) target = tf.add(tf.mul(target, 1 - labelSmoothing), labelSmoothing / classes);
      const pred = asFloat(yPred, predShape);
      const logProbs = fromLogits
        ? tf.logSoftmax(pred)
        : tf.log(tf.clipByValue(tf.div(pred, tf.sum(pred, -1, true)), EPSILON, 1 - EPSILON));
      const views = tf.split(logProbs, numSplits, 0);
      const clean = fromLogits
        ? softmaxCrossEntropyWithLogits(target, tf.slice(pred, [0, 0], [n, classes]), 1)
        : tf.neg(tf.sum(tf.mul(target, views[0]!), -1));
      const probs = views.map((v) => tf.exp(v));
      const logMixture = tf.log(tf.clipByValue(tf.div(tf.addN(probs), numSplits), EPSILON, 1));
      // KL(p ‖ M) = Σ p (log p − log M), with log p from the log-softmax: no 0 · log 0 for a vanishing p.
      const kl = probs.map((p, j) => tf.sum(tf.mul(p, tf.sub(views[j]!, logMixture)), -1));
      const perImage = tf.add(clean, tf.mul(tf.div(tf.addN(kl), numSplits), alpha));
      return tf.tile(perImage, [numSplits]);
    });
  }, FN);
}
