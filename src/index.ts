/**
 * Regularization for TensorFlow.js: the whole library from one import. Each part is also its own
 * entry point (`tfjs-regularization/regularizers`, `/augment`, `/callbacks`, `/data`, `/presets`).
 *
 * @module tfjs-regularization
 */
export { useBestBackend } from './backend/useBestBackend.js';
export type { BackendName, UseBestBackendOptions } from './backend/useBestBackend.js';
export { fastNodeKernels } from './backend/fastNodeKernels.js';
export * as regularizers from './regularizers/index.js';
export { l1, l2, l1l2, orthogonal, penalty, maxNorm, unitNorm, nonNeg } from './regularizers/index.js';
export { registerSerializables } from './registerSerializables.js';
export type {
  L1L2Options,
  OrthogonalOptions,
  MaxNormOptions,
  UnitNormOptions,
  Regularizer,
} from './regularizers/index.js';
export * as callbacks from './callbacks/index.js';
export {
  reduceLROnPlateau,
  modelCheckpoint,
  earlyStopping,
  learningRateScheduler,
  stepDecay,
  exponentialDecay,
  cosineDecay,
  progressLogger,
  historyLogger,
  getLearningRate,
  setLearningRate,
  loadCheckpoint,
  backupAndRestore,
} from './callbacks/index.js';
export * as augment from './augment/index.js';
export * as data from './data/index.js';
export * as presets from './presets/index.js';
