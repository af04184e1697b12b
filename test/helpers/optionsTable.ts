import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import * as root from '../../src/index.js';
import * as augment from '../../src/augment/index.js';
import * as callbacks from '../../src/callbacks/index.js';
import * as data from '../../src/data/index.js';
import * as losses from '../../src/losses/index.js';
import * as optimizers from '../../src/optimizers/index.js';
import * as presets from '../../src/presets/index.js';
import * as regularizers from '../../src/regularizers/index.js';
import * as layers from '../../src/layers/index.js';

export type Call = (options: Record<string, unknown>) => unknown;

/**
 * Every public options type: the function that takes it, and a call with the least it needs. A new
 * options type must get a row here (the last test finds every exported `*Options` interface).
 */
export const OPTIONS_TABLE: Record<string, { fn: string; call: Call }> = {
  UseBestBackendOptions: { fn: 'useBestBackend', call: (o) => root.useBestBackend('cpu', { log: null, ...o }) },
  L1L2Options: { fn: 'l1l2', call: (o) => regularizers.l1l2(o) },
  OrthogonalOptions: { fn: 'orthogonal', call: (o) => regularizers.orthogonal(o) },
  MaxNormOptions: { fn: 'maxNorm', call: (o) => regularizers.maxNorm(o) },
  UnitNormOptions: { fn: 'unitNorm', call: (o) => regularizers.unitNorm(o) },
  ReduceLROnPlateauOptions: { fn: 'reduceLROnPlateau', call: (o) => callbacks.reduceLROnPlateau(o) },
  EarlyStoppingOptions: { fn: 'earlyStopping', call: (o) => callbacks.earlyStopping(o) },
  ModelCheckpointOptions: {
    fn: 'modelCheckpoint',
    call: (o) => callbacks.modelCheckpoint({ filepath: () => 0, ...o }),
  },
  LearningRateSchedulerOptions: {
    fn: 'learningRateScheduler',
    call: (o) => callbacks.learningRateScheduler((e) => e, o),
  },
  StepDecayOptions: {
    fn: 'stepDecay',
    call: (o) => callbacks.stepDecay({ initialLearningRate: 0.1, factor: 0.5, stepSize: 2, ...o }),
  },
  ExponentialDecayOptions: {
    fn: 'exponentialDecay',
    call: (o) => callbacks.exponentialDecay({ initialLearningRate: 0.1, decaySteps: 2, decayRate: 0.5, ...o }),
  },
  CosineDecayOptions: {
    fn: 'cosineDecay',
    call: (o) => callbacks.cosineDecay({ initialLearningRate: 0.1, decaySteps: 2, ...o }),
  },
  ProgressLoggerOptions: {
    fn: 'progressLogger',
    call: (o) => callbacks.progressLogger({ log: () => undefined, ...o }),
  },
  LoadCheckpointOptions: { fn: 'loadCheckpoint', call: (o) => callbacks.loadCheckpoint('nowhere', o) },
  TerminateOnNaNOptions: { fn: 'terminateOnNaN', call: (o) => callbacks.terminateOnNaN(o) },
  SwapEmaWeightsOptions: { fn: 'swapEmaWeights', call: (o) => callbacks.swapEmaWeights(o) },
  StochasticWeightAveragingOptions: {
    fn: 'stochasticWeightAveraging',
    call: (o) => callbacks.stochasticWeightAveraging({ startEpoch: 0, ...o }),
  },
  UpdateBatchNormStatisticsOptions: {
    fn: 'updateBatchNormStatistics',
    call: (o) =>
      callbacks.updateBatchNormStatistics(
        tfl.sequential({ layers: [tfl.layers.batchNormalization({ inputShape: [2] })] }),
        tf.zeros([2, 2]),
        o,
      ),
  },
  HistoryLoggerOptions: { fn: 'historyLogger', call: (o) => callbacks.historyLogger({ path: 'h.csv', ...o }) },
  WeightDecayOptions: {
    fn: 'withWeightDecay',
    call: (o) => optimizers.withWeightDecay(tf.train.sgd(0.1), { weightDecay: 0.1, ...o }),
  },
  AdamWOptions: { fn: 'adamw', call: (o) => optimizers.adamw(o) },
  GradientClippingOptions: {
    fn: 'withGradientClipping',
    call: (o) => optimizers.withGradientClipping(tf.train.sgd(0.1), { clipNorm: 1, ...o }),
  },
  EmaOptions: { fn: 'withEma', call: (o) => optimizers.withEma(tf.train.sgd(0.1), o) },
  BackupAndRestoreOptions: {
    fn: 'backupAndRestore',
    call: (o) => callbacks.backupAndRestore({ backupDir: 'backup', ...o }),
  },
  FlowOptions: {
    fn: 'flow',
    call: (o) => augment.flow(tf.zeros([2, 2, 2, 1]) as tf.Tensor4D, tf.zeros([2, 2]) as tf.Tensor2D, o),
  },
  CutoutOptions: { fn: 'cutout', call: (o) => augment.cutout(o) },
  GaussianNoiseOptions: { fn: 'gaussianNoise', call: (o) => augment.gaussianNoise({ stddev: 0.1, ...o }) },
  MixupOptions: { fn: 'mixup', call: (o) => augment.mixup(o) },
  CutMixOptions: { fn: 'cutmix', call: (o) => augment.cutmix(o) },
  AffineTransformOptions: {
    fn: 'affineTransform',
    call: (o) => augment.affineTransform(tf.zeros([1, 2, 2, 1]) as tf.Tensor4D, [1, 0, 0, 0, 1, 0, 0, 0], o),
  },
  SolarizeOptions: { fn: 'solarize', call: (o) => augment.solarize(tf.zeros([1, 2, 2, 1]) as tf.Tensor4D, 0.5, o) },
  PosterizeOptions: { fn: 'posterize', call: (o) => augment.posterize(tf.zeros([1, 2, 2, 1]) as tf.Tensor4D, 4, o) },
  InvertOptions: { fn: 'invert', call: (o) => augment.invert(tf.zeros([1, 2, 2, 1]) as tf.Tensor4D, o) },
  EqualizeOptions: { fn: 'equalize', call: (o) => augment.equalize(tf.zeros([1, 2, 2, 1]) as tf.Tensor4D, o) },
  AutoContrastOptions: {
    fn: 'autoContrast',
    call: (o) => augment.autoContrast(tf.zeros([1, 2, 2, 1]) as tf.Tensor4D, o),
  },
  AdjustSharpnessOptions: {
    fn: 'adjustSharpness',
    call: (o) => augment.adjustSharpness(tf.zeros([1, 2, 2, 1]) as tf.Tensor4D, 1, o),
  },
  GaussianBlurOptions: {
    fn: 'gaussianBlur',
    call: (o) => augment.gaussianBlur(tf.zeros([1, 2, 2, 1]) as tf.Tensor4D, o),
  },
  CropOptions: {
    fn: 'crop',
    call: (o) => augment.crop(tf.zeros([1, 2, 2, 1]) as tf.Tensor4D, { top: 0, left: 0, height: 1, width: 1, ...o }),
  },
  ResizedCropOptions: {
    fn: 'resizedCrop',
    call: (o) =>
      augment.resizedCrop(tf.zeros([1, 2, 2, 1]) as tf.Tensor4D, {
        top: 0,
        left: 0,
        height: 1,
        width: 1,
        size: [2, 2],
        ...o,
      }),
  },
  RandomBrightnessOptions: { fn: 'randomBrightness', call: (o) => augment.randomBrightness({ factor: 0.2, ...o }) },
  RandomContrastOptions: { fn: 'randomContrast', call: (o) => augment.randomContrast({ factor: 0.2, ...o }) },
  RandomSaturationOptions: { fn: 'randomSaturation', call: (o) => augment.randomSaturation({ factor: 0.5, ...o }) },
  RandomHueOptions: { fn: 'randomHue', call: (o) => augment.randomHue({ factor: 0.5, ...o }) },
  RandomGrayscaleOptions: { fn: 'randomGrayscale', call: (o) => augment.randomGrayscale(o) },
  ColorJitterOptions: { fn: 'colorJitter', call: (o) => augment.colorJitter(o) },
  RandomSolarizeOptions: { fn: 'randomSolarize', call: (o) => augment.randomSolarize(o) },
  RandomPosterizeOptions: { fn: 'randomPosterize', call: (o) => augment.randomPosterize({ factor: 4, ...o }) },
  RandomEqualizeOptions: { fn: 'randomEqualize', call: (o) => augment.randomEqualize(o) },
  RandomAutoContrastOptions: { fn: 'randomAutoContrast', call: (o) => augment.randomAutoContrast(o) },
  RandomInvertOptions: { fn: 'randomInvert', call: (o) => augment.randomInvert(o) },
  RandomSharpnessOptions: { fn: 'randomSharpness', call: (o) => augment.randomSharpness({ factor: 0.5, ...o }) },
  RandomGaussianBlurOptions: { fn: 'randomGaussianBlur', call: (o) => augment.randomGaussianBlur(o) },
  RandomAffineOptions: { fn: 'randomAffine', call: (o) => augment.randomAffine(o) },
  RandAugmentOptions: { fn: 'randAugment', call: (o) => augment.randAugment(o) },
  TrivialAugmentWideOptions: { fn: 'trivialAugmentWide', call: (o) => augment.trivialAugmentWide(o) },
  AugMixOptions: { fn: 'augMix', call: (o) => augment.augMix(o) },
  PipelineOptions: { fn: 'pipeline', call: (o) => augment.pipeline([], o) },
  RandomApplyOptions: { fn: 'randomApply', call: (o) => augment.randomApply(augment.cutout({ size: 1 }), o) },
  RandomChoiceOptions: { fn: 'randomChoice', call: (o) => augment.randomChoice([augment.cutout({ size: 1 })], o) },
  RandomOrderOptions: { fn: 'randomOrder', call: (o) => augment.randomOrder([augment.cutout({ size: 1 })], o) },
  MixupOrCutmixOptions: { fn: 'mixupOrCutmix', call: (o) => augment.mixupOrCutmix(o) },
  ElasticOptions: { fn: 'elastic', call: (o) => augment.elastic(o) },
  RandomCropOptions: { fn: 'randomCrop', call: (o) => augment.randomCrop(o) },
  RandomResizedCropOptions: { fn: 'randomResizedCrop', call: (o) => augment.randomResizedCrop(o) },
  RandomFlipOptions: { fn: 'randomFlip', call: (o) => augment.randomFlip(o) },
  PredictWithFlipsOptions: {
    fn: 'predictWithFlips',
    call: (o) => augment.predictWithFlips({ predict: (x) => x }, tf.zeros([1, 2, 2, 1]) as tf.Tensor4D, o),
  },
  RandomAffineLayerOptions: { fn: 'layers.randomAffine', call: (o) => augment.layers.randomAffine(o) },
  RandomRotationOptions: {
    fn: 'layers.randomRotation',
    call: (o) => augment.layers.randomRotation({ factor: 0.1, ...o }),
  },
  RandomTranslationOptions: {
    fn: 'layers.randomTranslation',
    call: (o) => augment.layers.randomTranslation({ heightFactor: 0.1, widthFactor: 0.1, ...o }),
  },
  RandomZoomOptions: { fn: 'layers.randomZoom', call: (o) => augment.layers.randomZoom({ heightFactor: 0.1, ...o }) },
  GaussianNoiseLayerOptions: {
    fn: 'layers.gaussianNoise',
    call: (o) => augment.layers.gaussianNoise({ stddev: 0.1, ...o }),
  },
  JensenShannonConsistencyOptions: {
    fn: 'jensenShannonConsistency',
    call: (o) => losses.jensenShannonConsistency(o),
  },
  RandomCropLayerOptions: {
    fn: 'layers.randomCrop',
    call: (o) => augment.layers.randomCrop({ height: 2, width: 2, ...o }),
  },
  RandomFlipLayerOptions: { fn: 'layers.randomFlip', call: (o) => augment.layers.randomFlip(o) },
  RandomBrightnessLayerOptions: {
    fn: 'layers.randomBrightness',
    call: (o) => augment.layers.randomBrightness({ factor: 0.1, ...o }),
  },
  RandomContrastLayerOptions: {
    fn: 'layers.randomContrast',
    call: (o) => augment.layers.randomContrast({ factor: 0.1, ...o }),
  },
  RandomSaturationLayerOptions: {
    fn: 'layers.randomSaturation',
    call: (o) => augment.layers.randomSaturation({ factor: 0.1, ...o }),
  },
  RandomHueLayerOptions: { fn: 'layers.randomHue', call: (o) => augment.layers.randomHue({ factor: 0.1, ...o }) },
  RandomGrayscaleLayerOptions: { fn: 'layers.randomGrayscale', call: (o) => augment.layers.randomGrayscale(o) },
  RandomSharpnessLayerOptions: {
    fn: 'layers.randomSharpness',
    call: (o) => augment.layers.randomSharpness({ factor: 0.1, ...o }),
  },
  RandomColorJitterLayerOptions: { fn: 'layers.randomColorJitter', call: (o) => augment.layers.randomColorJitter(o) },
  RandomErasingLayerOptions: { fn: 'layers.randomErasing', call: (o) => augment.layers.randomErasing(o) },
  CutoutLayerOptions: { fn: 'layers.cutout', call: (o) => augment.layers.cutout(o) },
  RandomShearLayerOptions: { fn: 'layers.randomShear', call: (o) => augment.layers.randomShear(o) },
  RandomElasticTransformLayerOptions: {
    fn: 'layers.randomElasticTransform',
    call: (o) => augment.layers.randomElasticTransform(o),
  },
  RandAugmentLayerOptions: { fn: 'layers.randAugment', call: (o) => augment.layers.randAugment(o) },
  CategoricalCrossentropyOptions: { fn: 'categoricalCrossentropy', call: (o) => losses.categoricalCrossentropy(o) },
  SparseCategoricalCrossentropyOptions: {
    fn: 'sparseCategoricalCrossentropy',
    call: (o) => losses.sparseCategoricalCrossentropy(o),
  },
  BinaryCrossentropyOptions: { fn: 'binaryCrossentropy', call: (o) => losses.binaryCrossentropy(o) },
  DropoutOptions: { fn: 'dropout', call: (o) => layers.dropout({ rate: 0.1, ...o }) },
  SpatialDropout2DOptions: { fn: 'spatialDropout2d', call: (o) => layers.spatialDropout2d({ rate: 0.1, ...o }) },
  DropBlockOptions: { fn: 'dropBlock', call: (o) => layers.dropBlock({ rate: 0.1, blockSize: 3, ...o }) },
  DropPathOptions: { fn: 'dropPath', call: (o) => layers.dropPath({ rate: 0.1, ...o }) },
  GroupNormalizationOptions: { fn: 'groupNormalization', call: (o) => layers.groupNormalization(o) },
  ActivityRegularizationOptions: { fn: 'activityRegularization', call: (o) => layers.activityRegularization(o) },
  LoadMnistOptions: { fn: 'loadMnist', call: (o) => data.loadMnist({ download: false, ...o }) },
  LoadFashionMnistOptions: {
    fn: 'loadFashionMnist',
    call: (o) => data.loadFashionMnist({ download: false, ...o }),
  },
  TrainTestSplitOptions: {
    fn: 'trainTestSplit',
    call: (o) => data.trainTestSplit(tf.zeros([4, 1]), tf.zeros([4, 1]), o),
  },
  TrainOptions: { fn: 'mnistBase.train', call: (o) => presets.mnistBase().train(o) },
};
