import * as tfl from '@tensorflow/tfjs-layers';
import type { Augmentation } from '../../augment/augmentation.js';
import { cutout } from '../../augment/cutout.js';
import { pipeline } from '../../augment/pipeline.js';
import { randomCrop } from '../../augment/randomCrop.js';
import { randomFlip } from '../../augment/randomFlip.js';
import { cosineDecay } from '../../callbacks/cosineDecay.js';
import { learningRateScheduler } from '../../callbacks/learningRateScheduler.js';
import { swapEmaWeights } from '../../callbacks/swapEmaWeights.js';
import { dropout as seededDropout } from '../../layers/dropout.js';
import { categoricalCrossentropy } from '../../losses/categoricalCrossentropy.js';
import { adamw } from '../../optimizers/adamw.js';
import { withEma } from '../../optimizers/withEma.js';
import type { PresetSpec } from './trainPreset.js';

/**
 * The Fashion-MNIST convnet's training, one field per technique: the plain convnet sets none of the
 * optional ones, the modern recipe all but `cropPadding` and `dropout`. bench:ablation toggles them one by one.
 */
export interface ConvnetRecipe {
  /** Adam's (peak) learning rate. */
  learningRate: number;
  /** Pad-and-crop: the padding, in pixels (zeros). */
  cropPadding?: number;
  /** Random horizontal flips (half the images). */
  flip?: boolean;
  /** Random erasing (Zhong et al.): the probability per image. */
  erasing?: number;
  /** Label smoothing of the cross-entropy. */
  labelSmoothing?: number;
  /** AdamW's decoupled weight decay (not on BatchNormalization's scale and offset or on biases). */
  weightDecay?: number;
  /** The momentum of an EMA of the weights, used for every evaluation and kept at the end. */
  ema?: number;
  /** One epoch of linear warmup from a tenth of the rate, then cosine decay to 0, per batch. */
  cosine?: boolean;
  /** Dropout before the classifier. */
  dropout?: number;
}

/** A technique of a recipe: every field but the learning rate. */
export type Technique = Exclude<keyof ConvnetRecipe, 'learningRate'>;

/** The techniques of a recipe, as bench:ablation names its rows. */
export const TECHNIQUES: readonly Technique[] = [
  'cropPadding',
  'flip',
  'erasing',
  'labelSmoothing',
  'weightDecay',
  'ema',
  'cosine',
  'dropout',
];

/** Filters per stage; two 3×3 convolutions each, 2×2 max-pooling between stages. */
const STAGES = [32, 64, 128];

/**
 * A VGG-style convnet for 28×28×1 images: per stage two 3×3 convolutions (same padding, no bias),
 * each followed by BatchNormalization and ReLU; 2×2 max-pooling between stages; global average
 * pooling, optional dropout and a 10-way softmax. Every initializer and mask is seeded.
 */
export function convnetModel(recipe: ConvnetRecipe, seed: number): tfl.LayersModel {
  const model = tfl.sequential();
  let s = seed * 32;
  STAGES.forEach((filters, stage) => {
    if (stage > 0) model.add(tfl.layers.maxPooling2d({ poolSize: 2 }));
    for (let k = 0; k < 2; k++) {
      model.add(
        tfl.layers.conv2d({
          ...(stage === 0 && k === 0 ? { inputShape: [28, 28, 1] } : {}),
          filters,
          kernelSize: 3,
          padding: 'same',
          useBias: false,
          kernelInitializer: tfl.initializers.heNormal({ seed: ++s }),
        }),
      );
      model.add(tfl.layers.batchNormalization());
      model.add(tfl.layers.reLU());
    }
  });
  model.add(tfl.layers.globalAveragePooling2d({}));
  if (recipe.dropout !== undefined) model.add(seededDropout({ rate: recipe.dropout, seed: ++s }));
  model.add(
    tfl.layers.dense({
      units: 10,
      activation: 'softmax',
      kernelInitializer: tfl.initializers.glorotUniform({ seed: ++s }),
    }),
  );
  const optimizer = adamw({
    learningRate: recipe.learningRate,
    weightDecay: recipe.weightDecay ?? 0,
    // BatchNormalization's gamma and beta and the biases are not decayed (as timm and most recipes do).
    exclude: /\/(gamma|beta|bias)$/,
  });
  model.compile({
    optimizer: recipe.ema === undefined ? optimizer : withEma(optimizer, { momentum: recipe.ema }),
    loss: categoricalCrossentropy({ labelSmoothing: recipe.labelSmoothing ?? 0 }),
    metrics: ['accuracy'],
  });
  return model;
}

/** The recipe's augmentations as one pipeline, or none. */
function convnetAugment(recipe: ConvnetRecipe): ((seed: number) => Augmentation) | undefined {
  const { cropPadding, flip, erasing } = recipe;
  if (cropPadding === undefined && flip !== true && erasing === undefined) return undefined;
  return (seed) =>
    pipeline(
      [
        ...(cropPadding === undefined ? [] : [randomCrop({ height: 28, width: 28, padding: cropPadding })]),
        ...(flip === true ? [randomFlip({ mode: 'horizontal' })] : []),
        // Zhong et al.'s setting for Fashion-MNIST: area 2–40 %, aspect 0.3–3.3, random values.
        ...(erasing === undefined
          ? []
          : [cutout({ scale: [0.02, 0.4], ratio: [0.3, 3.3], value: 'random', p: erasing })]),
      ],
      { seed },
    );
}

/**
 * A convnet preset's spec: all 60,000 training images (or `holdout`), the final weights tested, with
 * `testFlips` by the outputs averaged over each test image and its mirror image.
 */
export function convnetSpec(
  name: string,
  description: string,
  recipe: ConvnetRecipe,
  defaults: { epochs: number; batchSize: number },
  evaluation: { testFlips?: boolean } = {},
): PresetSpec {
  const augment = convnetAugment(recipe);
  return {
    name,
    description,
    ...(evaluation.testFlips === true ? { testFlips: true } : {}),
    dataset: 'fashionMnist',
    input: 'image',
    ...defaults,
    build: (seed) => convnetModel(recipe, seed),
    ...(augment === undefined ? {} : { augment }),
    fullTraining: (stepsPerEpoch, epochs) => [
      ...(recipe.cosine === true
        ? [
            learningRateScheduler(
              cosineDecay({
                initialLearningRate: recipe.learningRate / 10,
                warmupTarget: recipe.learningRate,
                warmupSteps: stepsPerEpoch,
                decaySteps: Math.max(1, (epochs - 1) * stepsPerEpoch),
                per: 'batch',
              }),
            ),
          ]
        : []),
      ...(recipe.ema === undefined ? [] : [swapEmaWeights() as tfl.Callback]),
    ],
  };
}

/** fashionCnn's training: Adam at a constant rate, nothing else. */
export const PLAIN_RECIPE: Readonly<ConvnetRecipe> = { learningRate: 1e-3 };

/**
 * fashionCnnModern's training: every technique but pad-and-crop, which cost held-out accuracy at 5 and at 14
 * epochs (docs/results.md), and dropout.
 */
export const MODERN_RECIPE: Readonly<ConvnetRecipe> = {
  learningRate: 2e-3,
  flip: true,
  erasing: 0.5,
  labelSmoothing: 0.1,
  weightDecay: 0.05,
  ema: 0.995,
  cosine: true,
};

/** fashionCnn's epochs and batch size: as many epochs as fit 30 minutes here when it was measured (docs/results.md). */
export const CONVNET_DEFAULTS: { epochs: number; batchSize: number } = { epochs: 14, batchSize: 128 };

/**
 * fashionCnnModern's: 17 epochs, chosen against 14 on held-out images; they fit 30 minutes on this machine
 * (docs/results.md).
 */
export const MODERN_DEFAULTS: typeof CONVNET_DEFAULTS = { ...CONVNET_DEFAULTS, epochs: 17 };
