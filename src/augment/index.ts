export { randomGenerator } from './randomGenerator.js';
export type { RandomGenerator } from './randomGenerator.js';
export type { Augmentation, Batch, BatchInfo } from './augmentation.js';
export { flow } from './flow.js';
export type { FlowOptions, FlowBatch, FlowDataset } from './flow.js';
export { cutout } from './cutout.js';
export type { CutoutOptions, CutoutParams } from './cutout.js';
export { gaussianNoise } from './gaussianNoise.js';
export type { GaussianNoiseOptions, GaussianNoiseParams } from './gaussianNoise.js';
