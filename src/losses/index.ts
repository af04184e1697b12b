/**
 * Keras 3's crossentropy losses with Keras' options (label smoothing, logits, class axis, ignored
 * class), as loss functions for `model.compile({ loss })`, and AugMix's Jensen-Shannon consistency loss.
 *
 * @module tfjs-regularization/losses
 */
export { categoricalCrossentropy } from './categoricalCrossentropy.js';
export type { CategoricalCrossentropyOptions } from './categoricalCrossentropy.js';
export { sparseCategoricalCrossentropy } from './sparseCategoricalCrossentropy.js';
export type { SparseCategoricalCrossentropyOptions } from './sparseCategoricalCrossentropy.js';
export { binaryCrossentropy } from './binaryCrossentropy.js';
export type { BinaryCrossentropyOptions } from './binaryCrossentropy.js';
export { jensenShannonConsistency } from './jensenShannonConsistency.js';
export type { JensenShannonConsistencyOptions } from './jensenShannonConsistency.js';
export type { LossFunction } from './lossFunction.js';
