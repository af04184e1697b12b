import type { Optimizer } from '@tensorflow/tfjs-core';
import { invalidArgument } from '../../core/validate.js';

/**
 * The optimizer a wrapper is given: anything with tfjs' optimizer methods (the test tfjs-layers'
 * compile makes), not `instanceof`, which fails across copies of tfjs-core.
 */
export function checkOptimizer(fn: string, value: unknown, needsLearningRate = false): Optimizer {
  const o = value as Partial<Record<'applyGradients' | 'computeGradients' | 'minimize', unknown>> | null;
  const isOptimizer =
    o !== null &&
    typeof o === 'object' &&
    typeof o.applyGradients === 'function' &&
    typeof o.computeGradients === 'function' &&
    typeof o.minimize === 'function';
  if (!isOptimizer) throw invalidArgument(fn, 'optimizer', value, 'a tfjs optimizer (tf.train.adam(), ...)');
  const lr = (value as { learningRate?: unknown }).learningRate;
  if (needsLearningRate && (typeof lr !== 'number' || !Number.isFinite(lr))) {
    throw invalidArgument(fn, 'optimizer.learningRate', lr, 'a finite number');
  }
  return value as Optimizer;
}
