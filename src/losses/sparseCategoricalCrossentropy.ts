import * as tf from '@tensorflow/tfjs-core';
import { checkBoolean, checkInteger, checkOptions, optionNames } from '../core/validate.js';
import { EPSILON, asFloat, checkTensors, kerasSameRank, named, shapeError } from './_internal/tensors.js';
import type { LossFunction } from './lossFunction.js';

/** Options of {@link sparseCategoricalCrossentropy}; names and defaults are Keras'. */
export interface SparseCategoricalCrossentropyOptions {
  /** Whether `yPred` holds logits (else probabilities). Keras: `from_logits`. @defaultValue false */
  fromLogits?: boolean;
  /**
   * A class id whose samples count for nothing (a "void" label, often -1 or 255): their loss is 0
   * and the mean is taken over the other samples only, as Keras' mask does. `null`: every sample
   * counts. Keras: `ignore_class`.
   * @defaultValue null
   */
  ignoreClass?: number | null;
}

const FN = 'sparseCategoricalCrossentropy';
const OPTIONS = optionNames<SparseCategoricalCrossentropyOptions>()('fromLogits', 'ignoreClass');

/**
 * Crossentropy between integer class ids and predictions over classes on the last axis, Keras 3's
 * `keras.losses.SparseCategoricalCrossentropy`, for `model.compile({ loss })`.
 *
 * `yTrue` holds class ids, float or int, of yPred's shape without its last axis (`[batch]` for a
 * `[batch, classes]` output) or with a last axis of 1 (`[batch, 1]`, how tfjs-layers passes the
 * targets of such a model). From logits the loss is `-logSoftmax(yPred)[yTrue]`. From probabilities
 * it is Keras' TensorFlow path: `yPred` is clipped to [1e-7, 1 - 1e-7] and its log taken as logits,
 * so a row not summing to 1 is normalized after the clip (the categorical loss normalizes before).
 * A class id outside [0, classes) gives NaN (checked on the device, never read back), as TensorFlow
 * gives on a GPU; Keras has no label smoothing for this loss, neither has this one.
 *
 * With `ignoreClass`, Keras' loss is the mean over the samples whose label is not `ignoreClass`,
 * and 0 when all are ignored. tfjs-layers takes the plain mean of what a loss returns, so each kept
 * sample's loss comes back multiplied by `samples / keptSamples` (counted on the device), ignored
 * ones as 0: the mean is then Keras' value, and the gradient Keras', exactly as Keras' own
 * `total / valid` mask weights make it.
 *
 * @param options - Logits or probabilities, the ignored class.
 * @returns A {@link LossFunction} named `sparseCategoricalCrossentropy`: per-sample losses, yPred's
 *   shape without its last axis, whose mean is Keras' value (reduction `sum_over_batch_size`).
 * @throws Error naming `sparseCategoricalCrossentropy` for an unknown option, a non-boolean
 *   `fromLogits` or a non-integer `ignoreClass`; at call time, for a non-tensor or labels whose
 *   shape does not match yPred's.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { sparseCategoricalCrossentropy } from 'tfjs-regularization/losses';
 *
 * const loss = sparseCategoricalCrossentropy({ fromLogits: true, ignoreClass: -1 });
 * const logits = tf.tensor2d([[2, 0, 0], [0, 0, 0], [0, 3, 0]]);
 * const perSample = loss(tf.tensor1d([0, -1, 1]), logits); // the second sample is ignored
 * // Keras: keras.losses.SparseCategoricalCrossentropy(from_logits=True, ignore_class=-1)
 * console.log(tf.mean(perSample).dataSync()[0]); // (0.2395 + 0.0949) / 2 kept samples = 0.167234
 * ```
 */
export function sparseCategoricalCrossentropy(options?: SparseCategoricalCrossentropyOptions): LossFunction {
  const opts = checkOptions<SparseCategoricalCrossentropyOptions>(FN, options, OPTIONS, ['ignoreClass']);
  const fromLogits = checkBoolean(FN, 'fromLogits', opts.fromLogits ?? false);
  const ignoreClass = opts.ignoreClass == null ? null : checkInteger(FN, 'ignoreClass', opts.ignoreClass);
  return named((yTrueIn: tf.Tensor, yPredIn: tf.Tensor) => {
    const [yTrue, yPred] = checkTensors(FN, yTrueIn, yPredIn);
    const [sameRankTrue, predShape] = kerasSameRank(yTrue.shape, yPred.shape);
    if (predShape.length < 1) throw new Error(`${FN}: yPred must have rank >= 1, got a scalar`);
    // Keras squeezes a last axis of 1 off labels of yPred's rank ([batch, 1] class ids).
    const trueShape =
      sameRankTrue.length === predShape.length && sameRankTrue[sameRankTrue.length - 1] === 1
        ? sameRankTrue.slice(0, -1)
        : sameRankTrue;
    const sampleShape = predShape.slice(0, -1);
    if (trueShape.length !== sampleShape.length || trueShape.some((d, i) => d !== sampleShape[i]))
      throw shapeError(FN, yTrue, yPred, "match (yTrue: yPred's shape without its last axis, or with it as 1)");
    const numClasses = predShape[predShape.length - 1]!;
    return tf.tidy(() => {
      let labels = asFloat(yTrue, trueShape);
      let pred = asFloat(yPred, predShape);
      const valid = ignoreClass === null ? null : tf.notEqual(labels, ignoreClass);
      if (valid !== null) {
        // As Keras: ignored samples get label 0 and predictions 0, so their (discarded) loss stays finite.
        labels = tf.where(valid, labels, tf.zerosLike(labels));
        const validRows = tf.tile(tf.expandDims(valid, -1), [...sampleShape.map(() => 1), numClasses]);
        pred = tf.where(validRows, pred, tf.zerosLike(pred));
      }
      const logits = fromLogits ? pred : tf.log(tf.clipByValue(pred, EPSILON, 1 - EPSILON));
      const logProbs = tf.sub(logits, tf.logSumExp(logits, -1, true));
      // Keras casts float class ids to integers, dropping any fraction.
      const ids = tf.cast(labels, 'int32');
      const oneHot = tf.reshape(tf.oneHot(tf.reshape(ids, [-1]), numClasses), predShape);
      const picked = tf.neg(tf.sum(tf.mul(oneHot, logProbs), -1));
      const outOfRange = tf.logicalOr(tf.less(ids, 0), tf.greaterEqual(ids, numClasses));
      const loss = tf.where(outOfRange, tf.fill(picked.shape, Number.NaN), picked);
      if (valid === null) return loss;
      // Keras' mask weight, total / valid for kept samples and 0 for all when none is kept (divide_no_nan).
      const kept = tf.cast(valid, 'float32');
      const count = tf.sum(kept);
      const weight = tf.where(tf.greater(count, 0), tf.div(kept.size, tf.maximum(count, 1)), tf.scalar(0));
      return tf.mul(tf.where(valid, loss, tf.zerosLike(loss)), tf.mul(kept, weight));
    });
  }, FN);
}
