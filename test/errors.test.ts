import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { expect, it } from 'vitest';
import * as root from '../src/index.js';
import * as augment from '../src/augment/index.js';
import * as callbacks from '../src/callbacks/index.js';
import * as data from '../src/data/index.js';
import * as losses from '../src/losses/index.js';
import * as optimizers from '../src/optimizers/index.js';
import * as presets from '../src/presets/index.js';
import * as regularizers from '../src/regularizers/index.js';
import * as layers from '../src/layers/index.js';
import { describeBackends } from './helpers/backends.js';
import { OPTIONS_TABLE } from './helpers/optionsTable.js';

/** Values no argument or option of this library accepts everywhere: each must get a message, never a bare TypeError. */
const BAD: unknown[] = [
  null,
  undefined,
  Number.NaN,
  -1,
  1e39,
  2.5,
  '',
  'x',
  true,
  {},
  [],
  [Number.NaN],
  () => 0,
  Symbol('s'),
  10n,
];

const model = () => tfl.sequential({ layers: [tfl.layers.dense({ inputShape: [2], units: 1 })] });
const x4 = () => tf.zeros([2, 4, 4, 1]) as tf.Tensor4D;
const rgb = () => tf.zeros([2, 4, 4, 3]) as tf.Tensor4D;
const y2 = () => tf.tensor2d([1, 0, 0, 1], [2, 2]);

/**
 * Every public function, the name its errors must carry, and its arguments: `args()` gives valid
 * ones, and each position in turn is replaced by every BAD value.
 */
const FUNCTIONS: [string, (...a: unknown[]) => unknown, () => unknown[]][] = [
  ['useBestBackend', root.useBestBackend as never, () => ['cpu', { log: null }]],
  ['fastNodeKernels', root.fastNodeKernels as never, () => []],
  ['l1', regularizers.l1 as never, () => [0.01]],
  ['l2', regularizers.l2 as never, () => [0.01]],
  ['l1l2', regularizers.l1l2 as never, () => [{ l1: 0.01 }]],
  ['orthogonal', regularizers.orthogonal as never, () => [{ factor: 0.01 }]],
  ['penalty', regularizers.penalty as never, () => [model()]],
  ['maxNorm', regularizers.maxNorm as never, () => [{ maxValue: 2 }]],
  ['unitNorm', regularizers.unitNorm as never, () => [{}]],
  ['reduceLROnPlateau', callbacks.reduceLROnPlateau as never, () => [{}]],
  ['earlyStopping', callbacks.earlyStopping as never, () => [{}]],
  ['modelCheckpoint', callbacks.modelCheckpoint as never, () => [{ filepath: () => undefined }]],
  ['learningRateScheduler', callbacks.learningRateScheduler as never, () => [(e: number) => e, {}]],
  ['stepDecay', callbacks.stepDecay as never, () => [{ initialLearningRate: 0.1, factor: 0.5, stepSize: 2 }]],
  [
    'exponentialDecay',
    callbacks.exponentialDecay as never,
    () => [{ initialLearningRate: 0.1, decaySteps: 2, decayRate: 0.5 }],
  ],
  ['cosineDecay', callbacks.cosineDecay as never, () => [{ initialLearningRate: 0.1, decaySteps: 2 }]],
  ['progressLogger', callbacks.progressLogger as never, () => [{ log: () => undefined }]],
  ['historyLogger', callbacks.historyLogger as never, () => [{ path: 'h.csv' }]],
  ['backupAndRestore', callbacks.backupAndRestore as never, () => [{ backupDir: 'backup' }]],
  ['getLearningRate', callbacks.getLearningRate as never, () => [tf.train.sgd(0.1)]],
  ['setLearningRate', callbacks.setLearningRate as never, () => [tf.train.sgd(0.1), 0.01]],
  ['terminateOnNaN', callbacks.terminateOnNaN as never, () => [{}]],
  ['swapEmaWeights', callbacks.swapEmaWeights as never, () => [{}]],
  ['stochasticWeightAveraging', callbacks.stochasticWeightAveraging as never, () => [{ startEpoch: 0 }]],
  [
    'updateBatchNormStatistics',
    callbacks.updateBatchNormStatistics as never,
    () => [tfl.sequential({ layers: [tfl.layers.batchNormalization({ inputShape: [2] })] }), tf.zeros([2, 2]), {}],
  ],
  ['loadCheckpoint', callbacks.loadCheckpoint as never, () => ['/nonexistent/ckpt', {}]],
  ['withWeightDecay', optimizers.withWeightDecay as never, () => [tf.train.sgd(0.1), { weightDecay: 0.1 }]],
  ['adamw', optimizers.adamw as never, () => [{}]],
  ['withGradientClipping', optimizers.withGradientClipping as never, () => [tf.train.sgd(0.1), { clipNorm: 1 }]],
  ['withEma', optimizers.withEma as never, () => [tf.train.sgd(0.1), {}]],
  ['randomGenerator', augment.randomGenerator as never, () => [1]],
  ['flow', augment.flow as never, () => [x4(), y2(), {}]],
  ['cutout', augment.cutout as never, () => [{ size: 2 }]],
  ['gaussianNoise', augment.gaussianNoise as never, () => [{ stddev: 0.1 }]],
  ['mixup', augment.mixup as never, () => [{}]],
  ['cutmix', augment.cutmix as never, () => [{}]],
  ['affineTransform', augment.affineTransform as never, () => [x4(), [1, 0, 0, 0, 1, 0, 0, 0], {}]],
  [
    'kerasTransformMatrix',
    augment.kerasTransformMatrix as never,
    () => [{ theta: 0, tx: 0, ty: 0, shear: 0, zx: 1, zy: 1 }, 4, 4],
  ],
  ['randomAffine', augment.randomAffine as never, () => [{}]],
  ['randAugment', augment.randAugment as never, () => [{}]],
  ['trivialAugmentWide', augment.trivialAugmentWide as never, () => [{}]],
  ['augMix', augment.augMix as never, () => [{}]],
  ['adjustBrightness', augment.adjustBrightness as never, () => [x4(), [0.1, 0.2]]],
  ['adjustContrast', augment.adjustContrast as never, () => [x4(), 0.5]],
  ['adjustSaturation', augment.adjustSaturation as never, () => [rgb(), [0.5, 2]]],
  ['adjustHue', augment.adjustHue as never, () => [rgb(), 0.1]],
  ['rgbToGrayscale', augment.rgbToGrayscale as never, () => [rgb()]],
  ['solarize', augment.solarize as never, () => [x4(), 0.5, {}]],
  ['posterize', augment.posterize as never, () => [x4(), [2, 8], {}]],
  ['invert', augment.invert as never, () => [x4(), {}]],
  ['equalize', augment.equalize as never, () => [x4(), {}]],
  ['autoContrast', augment.autoContrast as never, () => [x4(), {}]],
  ['adjustSharpness', augment.adjustSharpness as never, () => [x4(), 0.5, {}]],
  ['gaussianBlur', augment.gaussianBlur as never, () => [x4(), {}]],
  ['crop', augment.crop as never, () => [x4(), { top: [0, -1], left: 1, height: 2, width: 3 }]],
  [
    'resizedCrop',
    augment.resizedCrop as never,
    () => [
      x4(),
      {
        boxes: [
          [0, 0, 2, 2],
          [1, -1, 3, 4],
        ],
        size: [3, 3],
      },
    ],
  ],
  ['randomBrightness', augment.randomBrightness as never, () => [{ factor: 0.2 }]],
  ['randomContrast', augment.randomContrast as never, () => [{ factor: 0.2 }]],
  ['randomSaturation', augment.randomSaturation as never, () => [{ factor: 0.5 }]],
  ['randomHue', augment.randomHue as never, () => [{ factor: 0.5 }]],
  ['randomGrayscale', augment.randomGrayscale as never, () => [{}]],
  ['colorJitter', augment.colorJitter as never, () => [{ brightness: 0.4, hue: 0.1 }]],
  ['randomSolarize', augment.randomSolarize as never, () => [{}]],
  ['randomPosterize', augment.randomPosterize as never, () => [{ factor: 4 }]],
  ['randomEqualize', augment.randomEqualize as never, () => [{}]],
  ['randomAutoContrast', augment.randomAutoContrast as never, () => [{}]],
  ['randomInvert', augment.randomInvert as never, () => [{}]],
  ['randomSharpness', augment.randomSharpness as never, () => [{ factor: 0.5 }]],
  ['randomGaussianBlur', augment.randomGaussianBlur as never, () => [{}]],
  ['pipeline', augment.pipeline as never, () => [[augment.cutout({ size: 2 })], {}]],
  ['elastic', augment.elastic as never, () => [{}]],
  ['randomApply', augment.randomApply as never, () => [augment.cutout({ size: 2 }), {}]],
  ['randomChoice', augment.randomChoice as never, () => [[augment.cutout({ size: 2 })], {}]],
  ['randomOrder', augment.randomOrder as never, () => [[augment.cutout({ size: 2 })], {}]],
  ['mixupOrCutmix', augment.mixupOrCutmix as never, () => [{}]],
  ['mixupOrCutmix', augment.mixupOrCutmix({ seed: 1 }) as never, () => [{ images: x4(), labels: y2() }]],
  [
    'randomChoice',
    ((b: never, p: never) => augment.randomChoice([augment.cutout({ size: 2 })]).apply(b, p)) as never,
    () => [{ images: x4() }, { choice: [0, 0], params: [{ applied: [false, false], boxes: [[], []] }] }],
  ],
  ['randomCrop', augment.randomCrop as never, () => [{ padding: 1 }]],
  ['randomResizedCrop', augment.randomResizedCrop as never, () => [{ height: 2, width: 2 }]],
  ['randomFlip', augment.randomFlip as never, () => [{ mode: 'horizontal' }]],
  ['layers.randomAffine', augment.layers.randomAffine as never, () => [{}]],
  ['layers.randomRotation', augment.layers.randomRotation as never, () => [{ factor: 0.1 }]],
  [
    'layers.randomTranslation',
    augment.layers.randomTranslation as never,
    () => [{ heightFactor: 0.1, widthFactor: 0.1 }],
  ],
  ['layers.randomZoom', augment.layers.randomZoom as never, () => [{ heightFactor: 0.1 }]],
  ['layers.gaussianNoise', augment.layers.gaussianNoise as never, () => [{ stddev: 0.1 }]],
  ['layers.randomCrop', augment.layers.randomCrop as never, () => [{ height: 2, width: 2 }]],
  ['layers.randomFlip', augment.layers.randomFlip as never, () => [{}]],
  ['layers.randomBrightness', augment.layers.randomBrightness as never, () => [{ factor: 0.1 }]],
  ['layers.randomContrast', augment.layers.randomContrast as never, () => [{ factor: 0.1 }]],
  ['layers.randomSaturation', augment.layers.randomSaturation as never, () => [{ factor: 0.1 }]],
  ['layers.randomHue', augment.layers.randomHue as never, () => [{ factor: 0.1 }]],
  ['layers.randomGrayscale', augment.layers.randomGrayscale as never, () => [{}]],
  ['layers.randomSharpness', augment.layers.randomSharpness as never, () => [{ factor: 0.1 }]],
  ['layers.randomColorJitter', augment.layers.randomColorJitter as never, () => [{ hueFactor: 0.1 }]],
  ['layers.randomErasing', augment.layers.randomErasing as never, () => [{}]],
  ['layers.cutout', augment.layers.cutout as never, () => [{ size: 2 }]],
  ['layers.randomShear', augment.layers.randomShear as never, () => [{ xFactor: 0.1 }]],
  ['layers.randomElasticTransform', augment.layers.randomElasticTransform as never, () => [{}]],
  ['layers.randAugment', augment.layers.randAugment as never, () => [{}]],
  ['categoricalCrossentropy', losses.categoricalCrossentropy as never, () => [{ axis: -1 }]],
  ['sparseCategoricalCrossentropy', losses.sparseCategoricalCrossentropy as never, () => [{ ignoreClass: -1 }]],
  ['binaryCrossentropy', losses.binaryCrossentropy as never, () => [{ labelSmoothing: 0.1 }]],
  ['jensenShannonConsistency', losses.jensenShannonConsistency as never, () => [{ numSplits: 2 }]],
  // The loss functions they return name the loss too, for bad tensors at call time.
  ['categoricalCrossentropy', losses.categoricalCrossentropy() as never, () => [y2(), y2()]],
  [
    'sparseCategoricalCrossentropy',
    losses.sparseCategoricalCrossentropy({ ignoreClass: -1 }) as never,
    () => [tf.tensor1d([0, 1]), y2()],
  ],
  ['binaryCrossentropy', losses.binaryCrossentropy() as never, () => [y2(), y2()]],
  ['jensenShannonConsistency', losses.jensenShannonConsistency({ numSplits: 2 }) as never, () => [y2(), y2()]],
  ['dropout', layers.dropout as never, () => [{ rate: 0.1 }]],
  ['spatialDropout2d', layers.spatialDropout2d as never, () => [{ rate: 0.1 }]],
  ['dropBlock', layers.dropBlock as never, () => [{ rate: 0.1, blockSize: 3 }]],
  ['dropPath', layers.dropPath as never, () => [{ rate: 0.1 }]],
  ['groupNormalization', layers.groupNormalization as never, () => [{}]],
  ['activityRegularization', layers.activityRegularization as never, () => [{}]],
  ['normalize', data.normalize as never, () => [new Uint8Array(4), [1, 2, 2, 1]]],
  ['oneHot', data.oneHot as never, () => [new Uint8Array([0, 1]), 2]],
  ['trainTestSplit', data.trainTestSplit as never, () => [tf.zeros([4, 1]), tf.zeros([4, 1]), {}]],
  // An augmentation's call and apply are named after it; sample's errors say `<name>.sample`.
  ['cutout', augment.cutout({ size: 2, seed: 1 }) as never, () => [{ images: x4() }]],
  [
    'cutout',
    ((b: never, p: never) => augment.cutout({ size: 2, seed: 1 }).apply(b, p)) as never,
    () => [{ images: x4() }, { applied: [false, false], boxes: [[], []] }],
  ],
  ['randomCrop', augment.randomCrop({ padding: 1, seed: 1 }) as never, () => [{ images: x4() }]],
  [
    'randomCrop',
    ((b: never, p: never) => augment.randomCrop({ height: 2, width: 2, seed: 1 }).apply(b, p)) as never,
    () => [{ images: x4() }, { top: [0, 0], left: [1, 1] }],
  ],
  [
    'randomResizedCrop',
    ((b: never, p: never) => augment.randomResizedCrop({ seed: 1 }).apply(b, p)) as never,
    () => [
      { images: x4() },
      {
        boxes: [
          [0, 0, 2, 2],
          [0, 0, 1, 1],
        ],
      },
    ],
  ],
  [
    'randomFlip',
    ((b: never, p: never) => augment.randomFlip({ seed: 1 }).apply(b, p)) as never,
    () => [{ images: x4() }, { horizontal: [true, false], vertical: [false, false] }],
  ],
  [
    'randAugment',
    ((b: never, p: never) => augment.randAugment({ seed: 1 }).apply(b, p)) as never,
    () => [{ images: x4() }, { samples: [[{ op: 'Rotate', magnitude: 9, negate: false, applied: true }], []] }],
  ],
  [
    'trivialAugmentWide',
    ((b: never, p: never) => augment.trivialAugmentWide({ seed: 1 }).apply(b, p)) as never,
    () => [
      { images: x4() },
      {
        samples: [
          { op: 'Rotate', bin: 9, negate: false, applied: true },
          { op: 'Identity', bin: 0, negate: true, applied: false },
        ],
      },
    ],
  ],
  [
    'augMix',
    ((b: never, p: never) => augment.augMix({ seed: 1 }).apply(b, p)) as never,
    () => [
      { images: rgb() },
      {
        samples: [
          { applied: true, m: 0.5, weights: [1], chains: [[{ op: 'Rotate', bin: 2, negate: false }]] },
          {
            applied: false,
            m: 0.2,
            weights: [0.5, 0.5],
            chains: [[{ op: 'Color', bin: 0, negate: true }], [{ op: 'Equalize', bin: 9, negate: false }]],
          },
        ],
      },
    ],
  ],
  [
    'cutout.sample',
    ((i: never, r: never) => augment.cutout({ size: 2, seed: 1 }).sample(i, r)) as never,
    () => [{ batchSize: 2, height: 4, width: 4, channels: 1 }, augment.randomGenerator(1)],
  ],
  [
    'pipeline.sample',
    ((i: never, r: never) => augment.pipeline([augment.cutout({ size: 2 })]).sample(i, r)) as never,
    () => [{ batchSize: 2, height: 4, width: 4, channels: 1 }, augment.randomGenerator(1)],
  ],
];

/** Runs a call, sync or async; returns what it threw, disposing what it returned. */
async function thrown(run: () => unknown): Promise<unknown> {
  try {
    const r = await run();
    if (r instanceof tf.Tensor || (r !== null && typeof r === 'object' && 'images' in r))
      tf.dispose(r as tf.TensorContainer);
    return undefined;
  } catch (e) {
    return e;
  }
}

const describe = (v: unknown) =>
  typeof v === 'symbol'
    ? 'a symbol'
    : typeof v === 'bigint'
      ? 'a bigint'
      : typeof v === 'function'
        ? 'a function'
        : (JSON.stringify(v) ?? String(v));

describeBackends(
  'errors name the public function',
  () => {
    it.each(FUNCTIONS)('%s: every bad argument gets an error naming it', async (name, fn, args) => {
      const bad: string[] = [];
      const valid = args();
      for (let position = 0; position < Math.max(1, valid.length); position++) {
        for (const value of BAD) {
          const a = args();
          a[position] = value;
          const e = await thrown(() => fn(...a));
          if (e === undefined) continue;
          const message = e instanceof Error ? e.message : String(e);
          if (!message.startsWith(`${name}:`))
            bad.push(
              `arg ${position} = ${describe(value)}: ${e instanceof Error ? e.constructor.name : typeof e}: ${message.slice(0, 140)}`,
            );
        }
      }
      expect(bad).toEqual([]);
    });

    it.each(Object.entries(OPTIONS_TABLE).filter(([t]) => !['LoadMnistOptions', 'TrainOptions'].includes(t)))(
      '%s: every bad option value gets an error naming the function and the option',
      async (_type, { fn, call }) => {
        const known = String(((await thrown(() => call({ no_such_option: 1 }))) as Error).message)
          .replace(/^.*known options: /, '')
          .replace(/\.$/, '')
          .split(', ');
        expect(known.length).toBeGreaterThan(0);
        const bad: string[] = [];
        for (const key of known) {
          for (const value of BAD) {
            if (value === undefined) continue;
            const e = await thrown(() => call({ [key]: value }));
            if (e === undefined) continue;
            const message = e instanceof Error ? e.message : String(e);
            if (!message.startsWith(`${fn}:`)) bad.push(`${key} = ${describe(value)}: ${message.slice(0, 140)}`);
          }
        }
        expect(bad).toEqual([]);
      },
    );

    it.each([
      [{ subset: 1 }, 'subset'],
      [{ subset: -3 }, 'subset'],
      [{ subset: 0 }, 'subset'],
      [{ subset: 2.5 }, 'subset'],
      [{ epochs: 'x' }, 'epochs'],
      [{ batchSize: 0 }, 'batchSize'],
      [{ seed: 1.5 }, 'seed'],
      [{ backend: 'gpu' }, 'backend'],
      [{ dataDir: 5 }, 'dataDir'],
      [{ checkpointDir: 5 }, 'checkpointDir'],
      [{ mnistUrl: 5 }, 'mnistUrl'],
      [{ mnistUrl: 'ftp://x' }, 'mnistUrl'],
      [{ mnistSha256: 'abc' }, 'mnistSha256'],
      [{ callbacks: 'x' }, 'callbacks'],
      [{ signal: 'x' }, 'signal'],
      [{ verbose: 3 }, 'verbose'],
      [{ holdout: 'yes' }, 'holdout'],
      // The notebook's cells validate on their own split: holding out the last 10,000 is for full training.
      [{ holdout: true }, 'holdout'],
    ])(
      'a preset rejects train(%j) before any training, naming mnistBase.train and the option',
      async (options, key) => {
        const started = performance.now();
        const e = await thrown(() => presets.mnistBase().train(options as never));
        expect((e as Error).message).toMatch(new RegExp(`^mnistBase\\.train: (options\\.)?${key}\\b`));
        expect(performance.now() - started).toBeLessThan(5000);
      },
    );
  },
  { only: ['cpu'] },
);
