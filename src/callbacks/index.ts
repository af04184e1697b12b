export { getLearningRate } from './getLearningRate.js';
export { setLearningRate } from './setLearningRate.js';
export { reduceLROnPlateau } from './reduceLROnPlateau.js';
export type { ReduceLROnPlateauOptions, ReduceLROnPlateauCallback } from './reduceLROnPlateau.js';
export { earlyStopping } from './earlyStopping.js';
export type { EarlyStoppingOptions, EarlyStoppingCallback } from './earlyStopping.js';
export { modelCheckpoint } from './modelCheckpoint.js';
export type { ModelCheckpointOptions, ModelCheckpointCallback } from './modelCheckpoint.js';
