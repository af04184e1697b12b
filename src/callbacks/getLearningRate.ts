import type { Optimizer } from '@tensorflow/tfjs-core';
import { readLearningRate } from './_internal/learningRate.js';

/**
 * What to show of an optimizer in messages: its class name when it has one (instanceof is unreliable across tfjs
 * copies).
 */
/**
 * The current learning rate of any tfjs optimizer (SGD, Momentum, Adam, Adamax, RMSProp, Adagrad,
 * Adadelta), as a number.
 *
 * @param optimizer - A tfjs-core optimizer, e.g. `model.optimizer`.
 * @returns Its learning rate.
 * @throws Error naming `getLearningRate` and `optimizer` when it has no numeric learning rate.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { getLearningRate } from 'tfjs-regularization/callbacks';
 *
 * console.log(getLearningRate(tf.train.momentum(0.025, 0.9))); // 0.025
 * ```
 */
export function getLearningRate(optimizer: Optimizer): number {
  return readLearningRate('getLearningRate', optimizer);
}
