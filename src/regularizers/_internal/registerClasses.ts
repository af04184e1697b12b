import { serialization } from '@tensorflow/tfjs-core';
import { L1, L1L2, L2 } from './L1L2.js';
import { OrthogonalRegularizer } from './OrthogonalRegularizer.js';

let registered = false;

/** Registers the Keras-named regularizer classes with tfjs' serialization registry (idempotent). */
export function registerClasses(): void {
  if (registered) return;
  for (const cls of [L1, L2, L1L2, OrthogonalRegularizer]) serialization.registerClass(cls);
  registered = true;
}
