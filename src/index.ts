/**
 * Regularization for TensorFlow.js: the whole library from one import. Each part is also its own
 * entry point (`tfjs-regularization/regularizers`, `/augment`, `/layers`, `/callbacks`, `/optimizers`,
 * `/losses`, `/data`, `/presets`).
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
  terminateOnNaN,
  swapEmaWeights,
  stochasticWeightAveraging,
  updateBatchNormStatistics,
  backupAndRestore,
} from './callbacks/index.js';
export * as losses from './losses/index.js';
export {
  categoricalCrossentropy,
  sparseCategoricalCrossentropy,
  binaryCrossentropy,
  jensenShannonConsistency,
} from './losses/index.js';
export type {
  CategoricalCrossentropyOptions,
  SparseCategoricalCrossentropyOptions,
  BinaryCrossentropyOptions,
  JensenShannonConsistencyOptions,
  LossFunction,
} from './losses/index.js';
export * as optimizers from './optimizers/index.js';
export { withWeightDecay, adamw, withGradientClipping, withEma } from './optimizers/index.js';
export type {
  WeightDecayOptions,
  AdamWOptions,
  GradientClippingOptions,
  EmaOptions,
  EmaOptimizer,
} from './optimizers/index.js';
export * as augment from './augment/index.js';
export * as layers from './layers/index.js';
export { spatialDropout2d, dropBlock, dropPath, groupNormalization, activityRegularization } from './layers/index.js';
export type {
  SpatialDropout2DOptions,
  DropBlockOptions,
  DropPathOptions,
  GroupNormalizationOptions,
  ActivityRegularizationOptions,
} from './layers/index.js';
export * as data from './data/index.js';
export * as presets from './presets/index.js';
