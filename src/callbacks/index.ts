/**
 * Keras' training callbacks for tfjs-layers: ReduceLROnPlateau, EarlyStopping, ModelCheckpoint,
 * learning-rate schedules, progress and history loggers, TerminateOnNaN, SwapEMAWeights, stochastic weight
 * averaging.
 *
 * @module tfjs-regularization/callbacks
 */
export { getLearningRate } from './getLearningRate.js';
export { setLearningRate } from './setLearningRate.js';
export { reduceLROnPlateau } from './reduceLROnPlateau.js';
export type { ReduceLROnPlateauOptions, ReduceLROnPlateauCallback } from './reduceLROnPlateau.js';
export { earlyStopping } from './earlyStopping.js';
export type { EarlyStoppingOptions, EarlyStoppingCallback } from './earlyStopping.js';
export { modelCheckpoint } from './modelCheckpoint.js';
export type { ModelCheckpointOptions, ModelCheckpointCallback } from './modelCheckpoint.js';
export { learningRateScheduler } from './learningRateScheduler.js';
export type { LearningRateSchedulerOptions, ScheduleFunction, LearningRateSchedule } from './learningRateScheduler.js';
export { stepDecay } from './stepDecay.js';
export type { StepDecayOptions } from './stepDecay.js';
export { exponentialDecay } from './exponentialDecay.js';
export type { ExponentialDecayOptions } from './exponentialDecay.js';
export { cosineDecay } from './cosineDecay.js';
export type { CosineDecayOptions } from './cosineDecay.js';
export { progressLogger } from './progressLogger.js';
export type { ProgressLoggerOptions, ProgressStream } from './progressLogger.js';
export { historyLogger } from './historyLogger.js';
export type { HistoryLoggerOptions } from './historyLogger.js';
export { loadCheckpoint } from './loadCheckpoint.js';
export type { LoadCheckpointOptions } from './loadCheckpoint.js';
export { terminateOnNaN } from './terminateOnNaN.js';
export type { TerminateOnNaNOptions, TerminateOnNaNCallback } from './terminateOnNaN.js';
export { swapEmaWeights } from './swapEmaWeights.js';
export type { SwapEmaWeightsOptions, SwapEmaWeightsCallback } from './swapEmaWeights.js';
export { stochasticWeightAveraging } from './stochasticWeightAveraging.js';
export type {
  StochasticWeightAveragingOptions,
  StochasticWeightAveragingCallback,
} from './stochasticWeightAveraging.js';
export { updateBatchNormStatistics } from './updateBatchNormStatistics.js';
export type { UpdateBatchNormStatisticsOptions, BatchNormData } from './updateBatchNormStatistics.js';
export { backupAndRestore } from './backupAndRestore.js';
export type { BackupAndRestoreOptions, BackupAndRestoreCallback } from './backupAndRestore.js';
