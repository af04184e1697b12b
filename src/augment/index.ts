export { randomGenerator } from './randomGenerator.js';
export type { RandomGenerator } from './randomGenerator.js';
export type { Augmentation, Batch, BatchInfo } from './augmentation.js';
export { flow } from './flow.js';
export type { FlowOptions, FlowBatch, FlowDataset } from './flow.js';
