import * as tf from '@tensorflow/tfjs-core';
import { checkBoolean, checkOptions, optionNames, unitInterval } from '../core/validate.js';
import { EPSILON, asFloat, checkSameShape, checkTensors, kerasSameRank, named } from './_internal/tensors.js';
import type { LossFunction } from './lossFunction.js';

/** Options of {@link binaryCrossentropy}; names and defaults are Keras'. */
export interface BinaryCrossentropyOptions {
  /**
   * In [0, 1]: the targets are squeezed towards 0.5, `yTrue * (1 - labelSmoothing) + 0.5 * labelSmoothing`.
   * Keras: `label_smoothing`.
   * @defaultValue 0
   */
  labelSmoothing?: number;
  /** Whether `yPred` holds logits (else probabilities). Keras: `from_logits`. @defaultValue false */
  fromLogits?: boolean;
}

const FN = 'binaryCrossentropy';
const OPTIONS = optionNames<BinaryCrossentropyOptions>()('labelSmoothing', 'fromLogits');

/**
 * Crossentropy of independent binary targets, Keras 3's `keras.losses.BinaryCrossentropy`, for
 * `model.compile({ loss })`: the elementwise loss averaged over the last axis.
 *
 * From logits the elementwise loss is TensorFlow's `sigmoid_cross_entropy_with_logits`,
 * `max(x, 0) - x * z + log(1 + exp(-|x|))`, with its gradient `sigmoid(x) - z` also at x = 0. From
 * probabilities it is Keras' path: `yPred` clipped to [1e-7, 1 - 1e-7], then
 * `-(z * log(p) + (1 - z) * log(1 - p))`. `yTrue` and `yPred` have the same shape, or shapes Keras
 * makes the same (`[batch]` targets for a `[batch, 1]` output).
 *
 * @param options - Label smoothing, logits or probabilities.
 * @returns A {@link LossFunction} named `binaryCrossentropy`: per-sample losses, yPred's shape
 *   without its last axis, whose mean is Keras' value (reduction `sum_over_batch_size`).
 * @throws Error naming `binaryCrossentropy` for an unknown option, `labelSmoothing` outside [0, 1]
 *   or a non-boolean `fromLogits`; at call time, for a non-tensor or shapes that differ.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { binaryCrossentropy } from 'tfjs-regularization/losses';
 *
 * const loss = binaryCrossentropy({ fromLogits: true, labelSmoothing: 0.2 });
 * const perSample = loss(tf.tensor2d([[0, 1], [0, 0]]), tf.tensor2d([[-1, 2], [0.5, -3]]));
 * // Keras: keras.losses.BinaryCrossentropy(from_logits=True, label_smoothing=0.2, reduction=None)
 * console.log(Array.from(perSample.dataSync()).map((v) => v.toFixed(4))); // ['0.3701', '0.6363']
 * ```
 */
export function binaryCrossentropy(options?: BinaryCrossentropyOptions): LossFunction {
  const opts = checkOptions<BinaryCrossentropyOptions>(FN, options, OPTIONS);
  const labelSmoothing = unitInterval(FN, 'labelSmoothing', opts.labelSmoothing, 0);
  const fromLogits = checkBoolean(FN, 'fromLogits', opts.fromLogits ?? false);
  return named((yTrueIn: tf.Tensor, yPredIn: tf.Tensor) => {
    const [yTrue, yPred] = checkTensors(FN, yTrueIn, yPredIn);
    const [trueShape, predShape] = kerasSameRank(yTrue.shape, yPred.shape);
    checkSameShape(FN, yTrue, yPred, trueShape, predShape);
    if (predShape.length < 1) throw new Error(`${FN}: yPred must have rank >= 1, got a scalar`);
    return tf.tidy(() => {
      let target = asFloat(yTrue, trueShape);
      const pred = asFloat(yPred, predShape);
      if (labelSmoothing > 0) target = tf.add(tf.mul(target, 1 - labelSmoothing), 0.5 * labelSmoothing);
      let elementwise: tf.Tensor;
      if (fromLogits) {
        // TensorFlow's own form: the selects (not relu and abs) give the gradient sigmoid(0) - z at 0.
        const positive = tf.greaterEqual(pred, 0);
        const relu = tf.where(positive, pred, tf.zerosLike(pred));
        const negAbs = tf.where(positive, tf.neg(pred), pred);
        elementwise = tf.add(tf.sub(relu, tf.mul(pred, target)), tf.log1p(tf.exp(negAbs)));
      } else {
        const p = tf.clipByValue(pred, EPSILON, 1 - EPSILON);
        const positiveTerm = tf.mul(target, tf.log(p));
        const negativeTerm = tf.mul(tf.sub(1, target), tf.log(tf.sub(1, p)));
        elementwise = tf.neg(tf.add(positiveTerm, negativeTerm));
      }
      return tf.mean(elementwise, -1);
    });
  }, FN);
}
