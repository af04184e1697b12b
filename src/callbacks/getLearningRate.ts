import type { Optimizer } from '@tensorflow/tfjs-core';
import { optimizerName } from './_internal/optimizerName.js';
import { invalidArgument } from '../core/validate.js';

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
  const lr = (optimizer as unknown as { learningRate?: unknown } | null)?.learningRate;
  if (typeof lr !== 'number' || !Number.isFinite(lr)) {
    throw invalidArgument('getLearningRate', 'optimizer', optimizerName(optimizer), 'a tfjs optimizer with a numeric learningRate');
  }
  return lr;
}
