/**
 * Batched, seeded data augmentation on the device: random augmentations, `pipeline`, `flow` for
 * `fitDataset`, pure functional ops, and Keras 3 preprocessing layers (`layers`).
 *
 * @module tfjs-regularization/augment
 */
export { randomGenerator } from '../core/random.js';
export type { RandomGenerator } from '../core/random.js';
export type { Augmentation, Batch, BatchInfo } from './augmentation.js';
export { flow } from './flow.js';
export type { FlowOptions, FlowBatch, FlowDataset } from './flow.js';
export { cutout } from './cutout.js';
export type { CutoutOptions, CutoutParams } from './cutout.js';
export { gaussianNoise } from './gaussianNoise.js';
export type { GaussianNoiseOptions, GaussianNoiseParams } from './gaussianNoise.js';
export { mixup } from './mixup.js';
export type { MixupOptions, MixupParams } from './mixup.js';
export { cutmix } from './cutmix.js';
export type { CutMixOptions, CutMixParams } from './cutmix.js';
export * as layers from './layers/index.js';
export { affineTransform } from './functional/affineTransform.js';
export type { AffineTransformOptions } from './functional/affineTransform.js';
export { kerasTransformMatrix } from './functional/kerasTransformMatrix.js';
export type { KerasTransformParams } from './functional/kerasTransformMatrix.js';
export { randomAffine } from './randomAffine.js';
export type { RandomAffineOptions, RandomAffineParams, AffineSampleParams } from './randomAffine.js';
export { pipeline } from './pipeline.js';
export type { PipelineOptions, PipelineParams } from './pipeline.js';
export { elastic } from './elastic.js';
export type { ElasticOptions, ElasticParams } from './elastic.js';
export { randomCrop } from './randomCrop.js';
export type { RandomCropOptions, RandomCropParams } from './randomCrop.js';
export { randomResizedCrop } from './randomResizedCrop.js';
export type { RandomResizedCropOptions, RandomResizedCropParams } from './randomResizedCrop.js';
export { randomFlip } from './randomFlip.js';
export type { RandomFlipOptions, RandomFlipParams } from './randomFlip.js';
