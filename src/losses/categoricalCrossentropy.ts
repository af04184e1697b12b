import * as tf from '@tensorflow/tfjs-core';
import { checkBoolean, checkInteger, checkOptions, optionNames, unitInterval } from '../core/validate.js';
import {
  EPSILON,
  asFloat,
  checkSameShape,
  checkTensors,
  kerasSameRank,
  named,
  resolveAxis,
} from './_internal/tensors.js';
import { softmaxCrossEntropyWithLogits } from './_internal/softmaxCrossEntropy.js';
import type { LossFunction } from './lossFunction.js';

/** Options of {@link categoricalCrossentropy}; names and defaults are Keras'. */
export interface CategoricalCrossentropyOptions {
  /**
   * In [0, 1]: the targets become `yTrue * (1 - labelSmoothing) + labelSmoothing / numClasses`,
   * numClasses being the size of the last axis (as in Keras, whatever `axis` is).
   * Keras: `label_smoothing`.
   * @defaultValue 0
   */
  labelSmoothing?: number;
  /** Whether `yPred` holds logits (else probabilities). Keras: `from_logits`. @defaultValue false */
  fromLogits?: boolean;
  /**
   * The class axis (negative counts from the end), checked against the tensors at call time.
   * Keras: `axis`.
   * @defaultValue -1
   */
  axis?: number;
}

const FN = 'categoricalCrossentropy';
const OPTIONS = optionNames<CategoricalCrossentropyOptions>()('labelSmoothing', 'fromLogits', 'axis');

/**
 * Crossentropy between one-hot (or soft) targets and predictions, Keras 3's
 * `keras.losses.CategoricalCrossentropy`, for `model.compile({ loss })`.
 *
 * From logits it is `-sum(yTrue * logSoftmax(yPred))` along `axis`, in the stable log-sum-exp form,
 * with TensorFlow's gradient `softmax(yPred) - yTrue` (the true one whenever the targets sum to 1).
 * From probabilities it is Keras' own path: `yPred` is divided by its sum along `axis`, clipped to
 * [1e-7, 1 - 1e-7], then `-sum(yTrue * log(yPred))`. Unlike tfjs-layers' `'categoricalCrossentropy'`,
 * it smooths labels and takes logits; unlike `tf.losses.softmaxCrossEntropy`, it smooths
 * probabilities too and gives per-sample losses.
 *
 * @param options - Label smoothing, logits or probabilities, the class axis.
 * @returns A {@link LossFunction} named `categoricalCrossentropy`: per-sample losses, `yPred`'s shape
 *   without `axis`, whose mean is Keras' value (reduction `sum_over_batch_size`).
 * @throws Error naming `categoricalCrossentropy` for an unknown option, `labelSmoothing` outside
 *   [0, 1], a non-boolean `fromLogits` or a non-integer `axis`; at call time, for a non-tensor,
 *   shapes that differ, or an axis outside yPred's rank.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { categoricalCrossentropy } from 'tfjs-regularization/losses';
 *
 * const loss = categoricalCrossentropy({ labelSmoothing: 0.1 });
 * const yTrue = tf.tensor2d([[0, 1, 0], [0, 0, 1]]);
 * const yPred = tf.tensor2d([[0.05, 0.95, 0], [0.1, 0.8, 0.1]]);
 * // Keras: keras.losses.CategoricalCrossentropy(label_smoothing=0.1, reduction=None)
 * console.log(Array.from(loss(yTrue, yPred).dataSync()).map((v) => v.toFixed(4))); // ['0.6850', '2.2333']
 * // As a model's loss: model.compile({ optimizer: 'adam', loss });
 * ```
 */
export function categoricalCrossentropy(options?: CategoricalCrossentropyOptions): LossFunction {
  const opts = checkOptions<CategoricalCrossentropyOptions>(FN, options, OPTIONS);
  const labelSmoothing = unitInterval(FN, 'labelSmoothing', opts.labelSmoothing, 0);
  const fromLogits = checkBoolean(FN, 'fromLogits', opts.fromLogits ?? false);
  const axisOption = checkInteger(FN, 'axis', opts.axis ?? -1);
  return named((yTrueIn: tf.Tensor, yPredIn: tf.Tensor) => {
    const [yTrue, yPred] = checkTensors(FN, yTrueIn, yPredIn);
    const [trueShape, predShape] = kerasSameRank(yTrue.shape, yPred.shape);
    checkSameShape(FN, yTrue, yPred, trueShape, predShape);
    if (predShape.length < 1) throw new Error(`${FN}: yPred must have rank >= 1, got a scalar`);
    const axis = resolveAxis(FN, axisOption, predShape.length);
    return tf.tidy(() => {
      let target = asFloat(yTrue, trueShape);
      const pred = asFloat(yPred, predShape);
      if (labelSmoothing > 0) {
        // Keras counts classes on the last axis even when `axis` is another one.
        const numClasses = trueShape[trueShape.length - 1]!;
        target = tf.add(tf.mul(target, 1 - labelSmoothing), labelSmoothing / numClasses);
      }
      if (fromLogits) return softmaxCrossEntropyWithLogits(target, pred, axis);
      const probs = tf.clipByValue(tf.div(pred, tf.sum(pred, axis, true)), EPSILON, 1 - EPSILON);
      return tf.neg(tf.sum(tf.mul(target, tf.log(probs)), axis));
    });
  }, FN);
}
