/**
 * Seeded, serializable regularization layers for tfjs-layers models: `spatialDropout2d` (Keras
 * `SpatialDropout2D`), `dropBlock` (timm `DropBlock2d`), `dropPath` (stochastic depth),
 * `groupNormalization` (Keras 3 `GroupNormalization`) and `activityRegularization` (Keras
 * `ActivityRegularization`). See docs/layers.md.
 *
 * @module tfjs-regularization/layers
 */
export { dropout } from './dropout.js';
export type { DropoutOptions } from './dropout.js';
export { spatialDropout2d } from './spatialDropout2d.js';
export type { SpatialDropout2DOptions } from './spatialDropout2d.js';
export { dropBlock } from './dropBlock.js';
export type { DropBlockOptions } from './dropBlock.js';
export { dropPath } from './dropPath.js';
export type { DropPathOptions } from './dropPath.js';
export { groupNormalization } from './groupNormalization.js';
export type { GroupNormalizationOptions } from './groupNormalization.js';
export { activityRegularization } from './activityRegularization.js';
export type { ActivityRegularizationOptions } from './activityRegularization.js';
export { registerSerializables } from './registerSerializables.js';
