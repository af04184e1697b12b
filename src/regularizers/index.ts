/**
 * Keras' weight regularizers and constraints, with Keras' class names, and `penalty(model)`.
 *
 * @module tfjs-regularization/regularizers
 */
export { l1 } from './l1.js';
export { l2 } from './l2.js';
export { l1l2 } from './l1l2.js';
export type { L1L2Options } from './l1l2.js';
export { orthogonal } from './orthogonal.js';
export type { OrthogonalOptions } from './orthogonal.js';
export { penalty } from './penalty.js';
export { maxNorm } from './maxNorm.js';
export type { MaxNormOptions } from './maxNorm.js';
export { unitNorm } from './unitNorm.js';
export type { UnitNormOptions } from './unitNorm.js';
export { nonNeg } from './nonNeg.js';
export { registerSerializables } from './registerSerializables.js';
export type { Regularizer } from './regularizer.js';
