/**
 * Optimizer wrappers for tfjs, with Keras 3's semantics: decoupled weight decay, AdamW, gradient
 * clipping and an exponential moving average of the weights. Each takes any tfjs optimizer and
 * returns a `tf.Optimizer`; they compose in any order. See docs/optimizers.md.
 *
 * @module tfjs-regularization/optimizers
 */
export { withWeightDecay } from './withWeightDecay.js';
export type { WeightDecayOptions } from './withWeightDecay.js';
export { adamw } from './adamw.js';
export type { AdamWOptions } from './adamw.js';
export { withGradientClipping } from './withGradientClipping.js';
export type { GradientClippingOptions } from './withGradientClipping.js';
export { withEma } from './withEma.js';
export type { EmaOptions, EmaOptimizer } from './withEma.js';
export type { ExcludeVariables } from './_internal/exclude.js';
