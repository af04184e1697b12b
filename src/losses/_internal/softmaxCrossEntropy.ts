import * as tf from '@tensorflow/tfjs-core';
import type { GradSaveFunc, Tensor } from '@tensorflow/tfjs-core';

/**
 * TensorFlow's `softmax_cross_entropy_with_logits`, which Keras 3 calls on its TensorFlow backend:
 * the value `-sum(labels * logSoftmax(logits))` along `axis`, and the kernel's own gradient,
 * `softmax(logits) - labels` for the logits and `-logSoftmax(logits)` for the labels. That is the
 * value's true gradient only when the labels sum to 1 along `axis`; Keras' label smoothing on a
 * class axis that is not the last one makes them not, and Keras then trains with this one.
 */
export function softmaxCrossEntropyWithLogits(labels: Tensor, logits: Tensor, axis: number): Tensor {
  const crossEntropy = tf.customGrad((...args: (Tensor | GradSaveFunc)[]) => {
    const [target, x, save] = args as [Tensor, Tensor, GradSaveFunc];
    const logProbs = tf.sub(x, tf.logSumExp(x, axis, true));
    save([target, logProbs]);
    return {
      value: tf.neg(tf.sum(tf.mul(target, logProbs), axis)),
      gradFunc: (dy: Tensor, saved: Tensor[]) => {
        const [t, lp] = saved as [Tensor, Tensor];
        const perClass = tf.expandDims(dy, axis);
        return [tf.mul(tf.neg(lp), perClass), tf.mul(tf.sub(tf.exp(lp), t), perClass)];
      },
    };
  });
  return crossEntropy(labels, logits);
}
