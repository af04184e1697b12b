/**
 * MNIST and Fashion-MNIST loading and the array helpers a Keras notebook uses (normalize, one-hot, train/test split).
 *
 * @module tfjs-regularization/data
 */
export { loadFashionMnist } from './loadFashionMnist.js';
export type { FashionMnistChecksums, LoadFashionMnistOptions } from './loadFashionMnist.js';
export { loadMnist } from './loadMnist.js';
export type { LoadMnistOptions, LoadMnistResult, MnistSplit } from './loadMnist.js';
export { normalize } from './normalize.js';
export { oneHot } from './oneHot.js';
export { trainTestSplit } from './trainTestSplit.js';
export type { TrainTestSplitOptions, TrainTestSplitResult } from './trainTestSplit.js';
