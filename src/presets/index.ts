/**
 * The Keras course notebook's cells, and Fashion-MNIST presets beyond it, each trainable end to end in one call.
 *
 * @module tfjs-regularization/presets
 */
export { mnistBase } from './mnistBase.js';
export { mnistL2 } from './mnistL2.js';
export { mnistDropout } from './mnistDropout.js';
export { mnistBatchNorm } from './mnistBatchNorm.js';
export { mnistAugmented } from './mnistAugmented.js';
export { mnistExercise } from './mnistExercise.js';
export { fashionMlp } from './fashionMlp.js';
export { fashionCnn } from './fashionCnn.js';
export { fashionCnnModern } from './fashionCnnModern.js';
export type { Preset, TrainOptions, TrainResult, EpochRecord } from './preset.js';
