import { tensor2d } from '@tensorflow/tfjs-core';
import type { Tensor2D } from '@tensorflow/tfjs-core';
import { invalidArgument } from '../core/validate.js';

/** The most elements one float32 tensor may have here (the typed array limit of 32-bit engines). */
const MAX_ELEMENTS = 2 ** 31 - 1;

/**
 * Class indices to one-hot rows, Keras' `to_categorical(y, numClasses)`: row `i` is all zeros but a 1
 * at column `labels[i]`. Built in JavaScript, so no int32 tensor and cast are needed on the backend.
 *
 * @param labels - Class indices, integers in [0, numClasses), e.g. `loadMnist()`'s `train.labels`.
 * @param numClasses - The number of columns, an integer >= 1 (10 for MNIST).
 * @returns A float32 tensor of shape `[labels.length, numClasses]` the caller owns.
 * @throws Error naming `oneHot`, the argument and the value when `labels` is not a Uint8Array or an
 *   array of numbers, `numClasses` is not a positive integer, or a label is out of range (its index
 *   is named).
 *
 * @example
 * ```ts
 * import { oneHot } from 'tfjs-regularization/data';
 *
 * const y = oneHot([2, 0], 3);
 * console.log(y.shape); // [2, 3]
 * console.log(y.arraySync()); // [[0, 0, 1], [1, 0, 0]]
 * ```
 */
export function oneHot(labels: Uint8Array | number[], numClasses: number): Tensor2D {
  if (!(labels instanceof Uint8Array) && !Array.isArray(labels)) {
    throw invalidArgument('oneHot', 'labels', labels, 'a Uint8Array or an array of class indices');
  }
  // Bounded by what one typed array can hold for these labels.
  const most = Math.floor(MAX_ELEMENTS / Math.max(1, labels.length));
  if (typeof numClasses !== 'number' || !Number.isInteger(numClasses) || numClasses < 1 || numClasses > most) {
    throw invalidArgument('oneHot', 'numClasses', numClasses, `an integer in [1, ${most}]`);
  }
  const out = new Float32Array(labels.length * numClasses);
  for (let i = 0; i < labels.length; i++) {
    const label = labels[i];
    if (typeof label !== 'number' || !Number.isInteger(label) || label < 0 || label >= numClasses) {
      throw invalidArgument(
        'oneHot',
        `labels[${i}]`,
        label,
        `an integer in [0, ${numClasses}) (numClasses is ${numClasses})`,
      );
    }
    out[i * numClasses + label] = 1;
  }
  return tensor2d(out, [labels.length, numClasses], 'float32');
}
