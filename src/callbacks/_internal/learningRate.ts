import { invalidArgument } from '../../core/validate.js';

function optimizerName(optimizer: unknown): unknown {
  const o = optimizer as { getClassName?: () => string } | null | undefined;
  return typeof o?.getClassName === 'function' ? o.getClassName() : optimizer;
}

/** The optimizer's learning rate, or an error naming `fn` (the public function the user called). */
export function readLearningRate(fn: string, optimizer: unknown): number {
  const lr = (optimizer as { learningRate?: unknown } | null | undefined)?.learningRate;
  if (typeof lr !== 'number' || !Number.isFinite(lr)) {
    throw invalidArgument(fn, 'optimizer', optimizerName(optimizer), 'a tfjs optimizer with a numeric learningRate');
  }
  return lr;
}
