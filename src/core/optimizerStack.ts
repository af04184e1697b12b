import type { Optimizer, Tensor } from '@tensorflow/tfjs-core';

/**
 * The property under which an optimizer wrapper (`tfjs-regularization/optimizers`) holds the
 * optimizer it wraps. Callbacks find an EMA, or the optimizer that owns the learning rate, by
 * walking this chain, without importing the optimizers module.
 */
export const INNER_OPTIMIZER: unique symbol = Symbol.for('tfjs-regularization.innerOptimizer');

/** The property that marks a wrapper keeping an exponential moving average of the weights. */
export const EMA_WEIGHTS: unique symbol = Symbol.for('tfjs-regularization.emaWeights');

/** What a callback may do with an EMA wrapper (`withEma`), found with {@link findEma}. */
export interface EmaWeights {
  /** Whether the averages exist yet (they are created by the first step). */
  hasAverages(): boolean;
  /** Exchanges the model's variables with their averages (a second call swaps them back). */
  swapWeights(): void;
  /** Assigns the averages to the model's variables, as Keras does at the end of `fit`. */
  finalizeWeights(): void;
  /** The averages keyed by variable name (the tensors themselves: do not dispose them). */
  averages(): Record<string, Tensor>;
}

/** The wrappers of a stack and the optimizer at its bottom, outermost first. */
export function optimizerStack(optimizer: unknown): unknown[] {
  const stack: unknown[] = [];
  let o: unknown = optimizer;
  while (o != null && typeof o === 'object' && !stack.includes(o)) {
    stack.push(o);
    o = (o as { [INNER_OPTIMIZER]?: Optimizer })[INNER_OPTIMIZER];
  }
  return stack;
}

/** The EMA wrapper in an optimizer's stack, if there is one. */
export function findEma(optimizer: unknown): EmaWeights | undefined {
  for (const o of optimizerStack(optimizer)) {
    const ema = (o as { [EMA_WEIGHTS]?: EmaWeights })[EMA_WEIGHTS];
    if (ema != null) return ema;
  }
  return undefined;
}

/**
 * Sets an optimizer's learning rate the one way every tfjs optimizer takes it: tfjs' SGD and Momentum
 * cache `-learningRate` in a tensor and change only through their `setLearningRate()`; the others read
 * the field at every step.
 */
export function writeLearningRate(optimizer: unknown, lr: number): void {
  const o = optimizer as { learningRate?: unknown; setLearningRate?: (lr: number) => void };
  if (typeof o.setLearningRate === 'function') o.setLearningRate(lr);
  else o.learningRate = lr;
}
