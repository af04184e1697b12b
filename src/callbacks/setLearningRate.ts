import type { Optimizer } from '@tensorflow/tfjs-core';
import { checkNonNegative } from '../core/validate.js';
import { readLearningRate } from './_internal/learningRate.js';
import { writeLearningRate } from '../core/optimizerStack.js';

/**
 * Sets the learning rate of any tfjs optimizer, taking effect at its next update.
 *
 * tfjs' SGD and Momentum cache `-learningRate` in a tensor, so assigning their `learningRate` field
 * changes nothing; they must go through `setLearningRate()`. Adam, Adamax, RMSProp, Adagrad and
 * Adadelta read the field at every step. This function does the right thing for each, recognising
 * them by behaviour (not `instanceof`, which fails across tfjs copies).
 *
 * @param optimizer - A tfjs-core optimizer.
 * @param lr - The new learning rate, a finite number >= 0.
 * @throws Error naming `setLearningRate` and the argument for a bad rate or an optimizer without a learning rate.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { getLearningRate, setLearningRate } from 'tfjs-regularization/callbacks';
 *
 * const sgd = tf.train.sgd(0.1);
 * setLearningRate(sgd, 0.02);
 * console.log(getLearningRate(sgd)); // 0.02
 * ```
 */
export function setLearningRate(optimizer: Optimizer, lr: number): void {
  checkNonNegative('setLearningRate', 'lr', lr);
  readLearningRate('setLearningRate', optimizer);
  writeLearningRate(optimizer, lr);
}
