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
export { crop } from './functional/crop.js';
export type { CropOptions } from './functional/crop.js';
export { resizedCrop } from './functional/resizedCrop.js';
export type { ResizedCropOptions } from './functional/resizedCrop.js';
export type { KerasTransformParams } from './functional/kerasTransformMatrix.js';
export { randomAffine } from './randomAffine.js';
export type { RandomAffineOptions, RandomAffineParams, AffineSampleParams } from './randomAffine.js';
export { pipeline } from './pipeline.js';
export type { PipelineOptions, PipelineParams } from './pipeline.js';
export { elastic } from './elastic.js';
export type { ElasticOptions, ElasticParams } from './elastic.js';
export { mixupOrCutmix } from './mixupOrCutmix.js';
export type { MixupOrCutmixOptions, MixupOrCutmixParams } from './mixupOrCutmix.js';
export { randomApply } from './randomApply.js';
export type { RandomApplyOptions, RandomApplyParams } from './randomApply.js';
export { randomChoice } from './randomChoice.js';
export type { RandomChoiceOptions, RandomChoiceParams } from './randomChoice.js';
export { randomOrder } from './randomOrder.js';
export type { RandomOrderOptions, RandomOrderParams } from './randomOrder.js';
export { adjustBrightness } from './functional/adjustBrightness.js';
export { adjustContrast } from './functional/adjustContrast.js';
export { adjustSaturation } from './functional/adjustSaturation.js';
export { adjustHue } from './functional/adjustHue.js';
export { rgbToGrayscale } from './functional/rgbToGrayscale.js';
export { solarize } from './functional/solarize.js';
export type { SolarizeOptions } from './functional/solarize.js';
export { posterize } from './functional/posterize.js';
export type { PosterizeOptions } from './functional/posterize.js';
export { invert } from './functional/invert.js';
export type { InvertOptions } from './functional/invert.js';
export { equalize } from './functional/equalize.js';
export type { EqualizeOptions } from './functional/equalize.js';
export { autoContrast } from './functional/autoContrast.js';
export type { AutoContrastOptions } from './functional/autoContrast.js';
export { adjustSharpness } from './functional/adjustSharpness.js';
export type { AdjustSharpnessOptions } from './functional/adjustSharpness.js';
export { gaussianBlur } from './functional/gaussianBlur.js';
export type { GaussianBlurOptions } from './functional/gaussianBlur.js';
export { randAugment } from './randAugment.js';
export type { RandAugmentOptions, RandAugmentParams, RandAugmentStep, RandAugmentOp } from './randAugment.js';
export { trivialAugmentWide } from './trivialAugmentWide.js';
export { augMix } from './augMix.js';
export type { AugMixOptions, AugMixParams, AugMixSample, AugMixStep, AugMixOp } from './augMix.js';
export type {
  TrivialAugmentWideOptions,
  TrivialAugmentWideParams,
  TrivialAugmentStep,
  TrivialAugmentOp,
} from './trivialAugmentWide.js';
export { randomBrightness } from './randomBrightness.js';
export type { RandomBrightnessOptions, RandomBrightnessParams } from './randomBrightness.js';
export { randomContrast } from './randomContrast.js';
export type { RandomContrastOptions, RandomContrastParams } from './randomContrast.js';
export { randomSaturation } from './randomSaturation.js';
export type { RandomSaturationOptions, RandomSaturationParams } from './randomSaturation.js';
export { randomHue } from './randomHue.js';
export type { RandomHueOptions, RandomHueParams } from './randomHue.js';
export { randomGrayscale } from './randomGrayscale.js';
export type { RandomGrayscaleOptions, RandomGrayscaleParams } from './randomGrayscale.js';
export { colorJitter } from './colorJitter.js';
export type { ColorJitterOptions, ColorJitterParams } from './colorJitter.js';
export { randomSolarize } from './randomSolarize.js';
export type { RandomSolarizeOptions, RandomSolarizeParams } from './randomSolarize.js';
export { randomPosterize } from './randomPosterize.js';
export type { RandomPosterizeOptions, RandomPosterizeParams } from './randomPosterize.js';
export { randomEqualize } from './randomEqualize.js';
export type { RandomEqualizeOptions, RandomEqualizeParams } from './randomEqualize.js';
export { randomAutoContrast } from './randomAutoContrast.js';
export type { RandomAutoContrastOptions, RandomAutoContrastParams } from './randomAutoContrast.js';
export { randomInvert } from './randomInvert.js';
export type { RandomInvertOptions, RandomInvertParams } from './randomInvert.js';
export { randomSharpness } from './randomSharpness.js';
export type { RandomSharpnessOptions, RandomSharpnessParams } from './randomSharpness.js';
export { randomGaussianBlur } from './randomGaussianBlur.js';
export type { RandomGaussianBlurOptions, RandomGaussianBlurParams } from './randomGaussianBlur.js';
export { randomCrop } from './randomCrop.js';
export type { RandomCropOptions, RandomCropParams } from './randomCrop.js';
export { randomResizedCrop } from './randomResizedCrop.js';
export type { RandomResizedCropOptions, RandomResizedCropParams } from './randomResizedCrop.js';
export { randomFlip } from './randomFlip.js';
export type { RandomFlipOptions, RandomFlipParams } from './randomFlip.js';
export { predictWithFlips } from './predictWithFlips.js';
export type { PredictWithFlipsOptions } from './predictWithFlips.js';
