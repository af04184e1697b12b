import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import type { Augmentation } from '../../augment/augmentation.js';
import { flow } from '../../augment/flow.js';
import { fastNodeKernels, fastNodeKernelsActive } from '../../backend/fastNodeKernels.js';
import { useBestBackend } from '../../backend/useBestBackend.js';
import type { BackendName } from '../../backend/useBestBackend.js';
import { backupAndRestore } from '../../callbacks/backupAndRestore.js';
import { loadCheckpoint } from '../../callbacks/loadCheckpoint.js';
import { modelCheckpoint } from '../../callbacks/modelCheckpoint.js';
import { progressLogger } from '../../callbacks/progressLogger.js';
import { reduceLROnPlateau } from '../../callbacks/reduceLROnPlateau.js';
import { checkSeed } from '../../core/random.js';
import { errorText } from '../../core/errorText.js';
import { loadFs } from '../../core/node.js';
import { bestEffort } from '../../core/atomicWrite.js';
import { printLine } from '../../core/console.js';
import { checkBoolean, checkOneOf, checkOptions, invalidArgument, optionNames } from '../../core/validate.js';
import { loadFashionMnist } from '../../data/loadFashionMnist.js';
import { predictWithFlips } from '../../augment/predictWithFlips.js';
import { loadMnist } from '../../data/loadMnist.js';
import type { LoadMnistResult } from '../../data/loadMnist.js';
import { normalize } from '../../data/normalize.js';
import { oneHot } from '../../data/oneHot.js';
import { trainTestSplit } from '../../data/trainTestSplit.js';
import { penalty } from '../../regularizers/penalty.js';
import type { EpochRecord, Preset, TrainOptions, TrainResult } from '../preset.js';
import { disposeOptimizer, EpochRecorder, StopOnSignal, ValLossPenalty } from './trainingCallbacks.js';

/** A preset as data: the cell's model, augmentation and protocol. */
export interface PresetSpec {
  name: string;
  description: string;
  notebookTestAccuracy?: number;
  /** The images it trains on. @defaultValue 'mnist' */
  dataset?: 'mnist' | 'fashionMnist';
  /** What the model takes: flat 784-vectors (the notebook's MLP) or 28×28×1 images. @defaultValue 'flat' */
  input?: 'flat' | 'image';
  build(seed: number): tfl.LayersModel;
  augment?(seed: number): Augmentation;
  /** How many of `epochs`, at the end, train on unaugmented images (flow's `augmentEpochs`). */
  cleanEpochs?(epochs: number): number;
  epochs?: number;
  batchSize?: number;
  /**
   * Without it, the notebook's protocol: the 80/20 split, ReduceLROnPlateau on val_loss and the
   * best val_accuracy checkpoint. With it, every training image is trained on, nothing is
   * selected, these callbacks set the learning rate, and the final weights are tested.
   */
  fullTraining?(stepsPerEpoch: number, epochs: number): tfl.Callback[];
  /**
   * The test set is evaluated with test-time flips (`predictWithFlips`): accuracy and loss of each
   * image's output averaged with its left-right mirror's. Validation during training stays plain.
   */
  testFlips?: boolean;
}

type Settings = ReturnType<typeof checkTrainOptions>;

// The notebook's: 25 epochs of batches of 128.
const DEFAULT_EPOCHS = 25;
const DEFAULT_BATCH_SIZE = 128;

const TRAIN_OPTIONS = optionNames<TrainOptions>()(
  'epochs',
  'batchSize',
  'seed',
  'backend',
  'verbose',
  'callbacks',
  'dataDir',
  'checkpointDir',
  'backupDir',
  'mnistUrl',
  'mnistSha256',
  'signal',
  'subset',
  'holdout',
);

const BACKENDS = ['tensorflow', 'wasm', 'cpu', 'webgl', 'webgpu'] as const satisfies readonly BackendName[];
// Fails to compile when useBestBackend learns a backend this list lacks.
const EVERY_BACKEND: Exclude<BackendName, (typeof BACKENDS)[number]> extends never ? true : never = true;
void EVERY_BACKEND;

function checkTrainOptions(spec: PresetSpec, options: unknown) {
  const fn = `${spec.name}.train`;
  const o = checkOptions<TrainOptions>(fn, options, TRAIN_OPTIONS);
  const int = (key: string, v: unknown, fallback: number) => {
    const value = v ?? fallback;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 1)
      throw invalidArgument(fn, key, value, 'a positive integer');
    return value;
  };
  const seed = o.seed ?? 42;
  checkSeed(fn, 'seed', seed);
  const verbose = o.verbose ?? 1;
  if (verbose !== 0 && verbose !== 1 && verbose !== 2) throw invalidArgument(fn, 'verbose', verbose, '0, 1 or 2');
  if (o.signal !== undefined && typeof (o.signal as Partial<AbortSignal> | null)?.aborted !== 'boolean') {
    throw invalidArgument(fn, 'signal', o.signal, 'an AbortSignal');
  }
  if (o.callbacks !== undefined && !Array.isArray(o.callbacks))
    throw invalidArgument(fn, 'callbacks', o.callbacks, 'an array of tfjs callbacks');
  if (o.backend !== undefined) checkOneOf(fn, 'backend', o.backend, BACKENDS);
  for (const key of ['dataDir', 'checkpointDir', 'backupDir'] as const) {
    const dir = o[key];
    if (dir !== undefined && (typeof dir !== 'string' || dir === ''))
      throw invalidArgument(fn, key, dir, 'a directory path');
  }
  // One image to train on and one to validate on, at least.
  if (o.subset !== undefined && !(Number.isInteger(o.subset) && o.subset >= 2))
    throw invalidArgument(fn, 'subset', o.subset, 'an integer >= 2');
  if (o.holdout !== undefined) checkBoolean(fn, 'holdout', o.holdout);
  if (o.holdout === true && spec.fullTraining === undefined) {
    throw invalidArgument(fn, 'holdout', o.holdout, 'false: this preset validates on its own 80/20 split');
  }
  for (const key of ['mnistUrl', 'mnistSha256'] as const) {
    if (o[key] !== undefined && spec.dataset === 'fashionMnist')
      throw invalidArgument(fn, key, o[key], 'absent: this preset trains on Fashion-MNIST, not MNIST');
  }
  return {
    ...o,
    epochs: int('epochs', o.epochs, spec.epochs ?? DEFAULT_EPOCHS),
    batchSize: int('batchSize', o.batchSize, spec.batchSize ?? DEFAULT_BATCH_SIZE),
    subset: o.subset,
    seed,
    verbose: verbose as 0 | 1 | 2,
  };
}

/**
 * The best backend, with fastNodeKernels on tfjs-node; returns how to put the kernels back as
 * they were (kernels are global: a preset must not leave them changed).
 */
async function selectBackend(o: Settings): Promise<{ backend: string; restore: () => void }> {
  // The default log prints the backend line once per process, not once per preset of a series.
  const backend = await useBestBackend(o.backend, o.verbose > 0 ? {} : { log: null });
  const wasActive = fastNodeKernelsActive();
  if (backend === 'tensorflow') fastNodeKernels();
  return { backend, restore: () => void (wasActive ? undefined : fastNodeKernels(false)) };
}

interface Data {
  mnist: LoadMnistResult;
  /** Training images used (all 60,000, or the smoke run's subset). */
  n: number;
  xTrain: tf.Tensor4D;
  yTrain: tf.Tensor2D;
  /** The notebook's validation split (or the held-out images), flattened for the MLP; absent for full training. */
  validation?: [tf.Tensor, tf.Tensor2D];
}

/** The preset's dataset, with loadMnist's option names mapped to the caller's. */
async function loadDataset(spec: PresetSpec, o: Settings): Promise<LoadMnistResult> {
  const fashion = spec.dataset === 'fashionMnist';
  const loading = fashion
    ? loadFashionMnist(o.dataDir === undefined ? {} : { dir: o.dataDir })
    : loadMnist({
        ...(o.dataDir === undefined ? {} : { dir: o.dataDir }),
        ...(o.mnistUrl === undefined ? {} : { url: o.mnistUrl }),
        ...(o.mnistSha256 === undefined ? {} : { sha256: o.mnistSha256 }),
      });
  return loading.catch((e: unknown) => {
    // A bad value is the caller's mistake in train(): say so in its terms.
    const message = errorText(e);
    const m = /^load(?:Fashion)?Mnist: options\.(\w+)/.exec(message);
    const option = { dir: 'dataDir', url: 'mnistUrl', sha256: 'mnistSha256' }[m?.[1] ?? ''];
    if (option === undefined) throw e;
    throw new Error(`${spec.name}.train: ${option}${message.slice(m![0].length)}`, { cause: e });
  });
}

/**
 * The images, normalized: split as the notebook does (20 % validation, seed 42), or all of them for a
 * preset that trains on everything, or with `holdout` the first five sixths to train on and the last
 * sixth to validate on (the last 10,000 of the 60,000).
 */
/**
 * How many of the training images a preset uses (`subset`, else all 60,000), and with `holdout` how
 * many of them it trains on (the first) and validates on (the last sixth).
 */
export function holdoutSizes(subset: number | undefined): { n: number; nTrain: number; nVal: number } {
  const n = subset === undefined ? 60000 : Math.min(subset, 60000);
  const nVal = Math.max(1, Math.round(n / 6));
  return { n, nTrain: n - nVal, nVal };
}

async function loadData(spec: PresetSpec, o: Settings): Promise<Data> {
  const mnist = await loadDataset(spec, o);
  const { n, nTrain, nVal } = holdoutSizes(o.subset);
  const shape = (rows: number): number[] => (spec.input === 'image' ? [rows, 28, 28, 1] : [rows, 784]);
  if (spec.fullTraining !== undefined && o.holdout === true) {
    const images = mnist.train.images;
    const labels = mnist.train.labels;
    return {
      mnist,
      n,
      xTrain: normalize(images.subarray(0, nTrain * 784), [nTrain, 28, 28, 1]),
      yTrain: oneHot(labels.subarray(0, nTrain), 10),
      validation: [
        normalize(images.subarray(nTrain * 784, n * 784), shape(nVal)),
        oneHot(labels.subarray(nTrain, n), 10),
      ],
    };
  }
  const x = normalize(mnist.train.images.subarray(0, n * 784), [n, 28, 28, 1]);
  const y = oneHot(mnist.train.labels.subarray(0, n), 10);
  if (spec.fullTraining !== undefined) return { mnist, n, xTrain: x, yTrain: y };
  try {
    const split = trainTestSplit(x, y, { testSize: 0.2, seed: 42 });
    const xVal = tf.reshape(split.xTest, shape(-1));
    split.xTest.dispose();
    return { mnist, n, xTrain: split.xTrain, yTrain: split.yTrain, validation: [xVal, split.yTest] };
  } finally {
    tf.dispose([x, y]);
  }
}

function disposeData(data: Data): void {
  tf.dispose([data.xTrain, data.yTrain, ...(data.validation ?? [])]);
}

interface Protocol {
  callbacks: tfl.Callback[];
  /** The model to test once training is over (the best checkpoint, or the model itself). */
  tested(model: tfl.LayersModel): Promise<tfl.LayersModel>;
  /** Whether a checkpoint was written to checkpointDir. */
  saved(): boolean;
}

/** The callbacks that make the cell's protocol, and where its tested model comes from. */
function protocolCallbacks(spec: PresetSpec, o: Settings, data: Data): Protocol {
  if (spec.fullTraining !== undefined) {
    // Nothing is selected: the checkpoint (when asked for) is the latest epoch's model.
    const latest = o.checkpointDir === undefined ? undefined : modelCheckpoint({ filepath: o.checkpointDir });
    return {
      callbacks: [
        // With holdout, the held-out val_loss is reported as Keras would, penalty included.
        ...(data.validation === undefined ? [] : [new ValLossPenalty()]),
        ...spec.fullTraining(Math.ceil(data.xTrain.shape[0] / o.batchSize), o.epochs),
        ...(latest === undefined ? [] : [latest as tfl.Callback]),
      ],
      tested: async (model) => model,
      // It also saves at the end of an epoch cut short: the checkpoint is then the state at the stop.
      saved: () => latest?.lastSavedPath !== undefined,
    };
  }
  let best: tf.io.ModelArtifacts | undefined;
  // A resumable training keeps its best model on disk: in memory it would not survive the kill.
  const dir = o.checkpointDir ?? (o.backupDir === undefined ? undefined : bestDir(o.backupDir));
  const target = dir ?? ((artifacts: tf.io.ModelArtifacts) => void (best = artifacts));
  const checkpoint = modelCheckpoint({
    filepath: target,
    monitor: 'val_accuracy',
    saveBestOnly: true,
    verbose: o.verbose === 1 ? 1 : 0,
  });
  return {
    callbacks: [
      // The penalty must be in val_loss before ReduceLROnPlateau, the checkpoint and the recorder read it.
      new ValLossPenalty(),
      reduceLROnPlateau({ monitor: 'val_loss', factor: 0.2, patience: 2, minLR: 1e-5 }) as tfl.Callback,
      checkpoint as tfl.Callback,
    ],
    tested: async (model) => {
      const reloaded =
        dir !== undefined
          ? await loadCheckpoint(dir)
          : best
            ? await tfl.loadLayersModel(tf.io.fromMemory(best))
            : model;
      if (reloaded !== model)
        reloaded.compile({ optimizer: 'sgd', loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
      return reloaded;
    },
    saved: () => checkpoint.lastSavedPath !== undefined,
  };
}

/** After an interruption, with checkpointDir: the model as it stands, unless a checkpoint (the best so far) is. */
async function keepOnInterrupt(model: tfl.LayersModel, o: Settings, protocol: Protocol, epoch: number): Promise<void> {
  if (o.checkpointDir === undefined || protocol.saved()) return;
  const save = modelCheckpoint({ filepath: o.checkpointDir });
  save.setModel(model);
  await save.onEpochEnd(epoch, {});
}

function bestDir(backupDir: string): string {
  return `${backupDir.replace(/[\\/]+$/, '')}/best`;
}

/**
 * Trains with fitDataset over the flow of (augmented) batches; with `backupDir`, says where the backup
 * is and the epoch it resumed at when it found one.
 */
async function train(
  model: tfl.LayersModel,
  spec: PresetSpec,
  o: Settings,
  data: Data,
  protocol: Protocol,
  recorder: EpochRecorder,
  stop: StopOnSignal,
): Promise<{ resumedFromEpoch?: number; backupPath?: string }> {
  const batches = flow(data.xTrain, data.yTrain, {
    batchSize: o.batchSize,
    seed: o.seed,
    flatten: spec.input !== 'image',
    ...(spec.augment ? { pipeline: spec.augment(o.seed) } : {}),
    ...(spec.cleanEpochs ? { augmentEpochs: o.epochs - spec.cleanEpochs(o.epochs) } : {}),
  });
  // Kept when the training is interrupted (Ctrl-C ends fit normally): removed below once it completes.
  const backup =
    o.backupDir === undefined
      ? undefined
      : backupAndRestore({ backupDir: o.backupDir, data: [batches], deleteCheckpoint: false });
  const initialEpoch = backup === undefined ? 0 : await backup.initialEpoch();
  if (initialEpoch > 0 && o.verbose > 0)
    printLine(`resuming from the backup in ${o.backupDir} at epoch ${initialEpoch + 1}`);
  await model.fitDataset(batches, {
    epochs: o.epochs,
    initialEpoch,
    ...(data.validation === undefined ? {} : { validationData: data.validation, validationBatchSize: 1000 }),
    verbose: 0,
    callbacks: [
      // First, so that an interrupted batch is the last one every callback sees.
      stop,
      ...protocol.callbacks,
      recorder,
      ...(o.verbose > 0 ? [progressLogger({ verbose: o.verbose as 1 | 2 })] : []),
      ...((o.callbacks ?? []) as tfl.Callback[]),
      // Last: it backs up the state every callback before it has reached at the end of the epoch.
      ...(backup === undefined ? [] : [backup as tfl.Callback]),
    ],
  } as tfl.ModelFitDatasetArgs<unknown>);
  return {
    ...(initialEpoch > 0 ? { resumedFromEpoch: initialEpoch } : {}),
    ...(backup === undefined ? {} : { backupPath: backup.backupPath }),
  };
}

/** After a completed and tested training: the backup and the best checkpoint kept beside it go. */
async function removeBackup(backupDir: string, backupPath: string): Promise<void> {
  const fs = await loadFs('train');
  await fs.rm(backupPath, { force: true });
  await fs.rm(bestDir(backupDir), { recursive: true, force: true });
  // The directory goes too when nothing else is in it.
  await bestEffort(() => fs.rmdir(backupDir));
}

/** Test loss (penalty included, as Keras reports it) and accuracy, on the test set once. */
async function evaluate(
  model: tfl.LayersModel,
  spec: PresetSpec,
  data: Data,
  o: Settings,
): Promise<{ testLoss: number; testAccuracy: number }> {
  // A smoke run on `subset` training images also evaluates on a proportional slice of the test set.
  const nTest = o.subset === undefined ? 10000 : Math.max(1, Math.round(data.n / 6));
  const xTest = normalize(
    data.mnist.test.images.subarray(0, nTest * 784),
    spec.input === 'image' ? [nTest, 28, 28, 1] : [nTest, 784],
  );
  const yTest = oneHot(data.mnist.test.labels.subarray(0, nTest), 10);
  const scores =
    spec.testFlips === true
      ? flipScores(model, xTest, yTest)
      : (model.evaluate(xTest, yTest, { batchSize: 1000 }) as tf.Scalar[]);
  const p = penalty(model);
  try {
    const [loss, accuracy, extra] = await Promise.all([scores[0]!.data(), scores[1]!.data(), p.data()]);
    return { testLoss: loss[0]! + extra[0]!, testAccuracy: accuracy[0]! };
  } finally {
    tf.dispose([xTest, yTest, p, ...scores]);
  }
}

/** `model.evaluate`'s scores (compiled loss, accuracy) of the outputs averaged over the images and their mirrors. */
function flipScores(model: tfl.LayersModel, x: tf.Tensor, y: tf.Tensor): tf.Scalar[] {
  return tf.tidy(() => {
    const p = predictWithFlips(model, x as tf.Tensor4D, { batchSize: 1000 });
    // model.loss, not lossFunctions, which a Sequential keeps on its inner model; the convnets compile a function.
    const lossFunction = model.loss as unknown;
    if (typeof lossFunction !== 'function')
      throw new Error(`testFlips needs a loss function, got ${String(lossFunction)}`);
    const loss = tf.mean((lossFunction as (yTrue: tf.Tensor, yPred: tf.Tensor) => tf.Tensor)(y, p)) as tf.Scalar;
    const accuracy = tf.mean(tf.cast(tf.equal(tf.argMax(p, -1), tf.argMax(y, -1)), 'float32')) as tf.Scalar;
    return [loss, accuracy];
  });
}

/**
 * A convnet needs the gradient kernels of convolutions (tfjs-backend-wasm 4.22 has no Conv2DBackpropFilter):
 * say so before any work.
 */
function checkCanTrain(spec: PresetSpec, backend: string): void {
  if (spec.input !== 'image') return;
  const missing = ['Conv2DBackpropFilter', 'Conv2DBackpropInput'].filter((k) => tf.getKernel(k, backend) === undefined);
  if (missing.length > 0) {
    throw new Error(
      `${spec.name}.train: the ${backend} backend cannot train a convnet (it has no ${missing.join(' or ')} kernel); ` +
        'use tensorflow (tfjs-node), webgl or cpu',
    );
  }
}

/** Runs a preset end to end; every tensor it made is disposed, also when a step fails. */
async function trainPreset(spec: PresetSpec, options: unknown): Promise<TrainResult> {
  const o = checkTrainOptions(spec, options);
  const started = performance.now();
  const { backend, restore } = await selectBackend(o);
  try {
    checkCanTrain(spec, backend);
    const data = await loadData(spec, o);
    const model = spec.build(o.seed);
    let tested: tfl.LayersModel | undefined;
    try {
      const protocol = protocolCallbacks(spec, o, data);
      const stop = new StopOnSignal(o.signal);
      const recorder = new EpochRecorder(stop);
      const { resumedFromEpoch, backupPath } = await train(model, spec, o, data, protocol, recorder, stop);
      // An interrupted run is not tested: its checkpoint is kept for later instead.
      let scores = { testLoss: Number.NaN, testAccuracy: Number.NaN };
      if (stop.stopped) await keepOnInterrupt(model, o, protocol, recorder.records.length);
      else scores = await evaluate((tested = await protocol.tested(model)), spec, data, o);
      if (backupPath !== undefined && !stop.stopped) await removeBackup(o.backupDir!, backupPath);
      const records = recorder.records;
      // Full training selects nothing: the tested model is the last epoch's.
      const best =
        spec.fullTraining !== undefined
          ? records.at(-1)
          : records.reduce<EpochRecord | undefined>(
              (a, r) => (a === undefined || r.val_accuracy > a.val_accuracy ? r : a),
              undefined,
            );
      return {
        preset: spec.name,
        backend,
        history: records,
        bestEpoch: best?.epoch ?? 0,
        bestValAccuracy: best?.val_accuracy ?? Number.NaN,
        ...scores,
        seconds: (performance.now() - started) / 1000,
        ...(o.subset === undefined ? {} : { subset: data.n }),
        ...(resumedFromEpoch === undefined ? {} : { resumedFromEpoch }),
        ...(stop.stopped ? { interrupted: true } : {}),
      };
    } finally {
      if (tested !== undefined && tested !== model) tested.dispose();
      // The optimizer was made by the preset, not by compile(string): the model does not own it.
      disposeOptimizer(model.optimizer);
      model.dispose();
      disposeData(data);
    }
  } finally {
    restore();
  }
}

/** Builds the public Preset object of a notebook cell. */
export function makePreset(spec: PresetSpec): Preset {
  return {
    name: spec.name,
    description: spec.description,
    dataset: spec.dataset ?? 'mnist',
    notebookTestAccuracy: spec.notebookTestAccuracy,
    defaults: { epochs: spec.epochs ?? DEFAULT_EPOCHS, batchSize: spec.batchSize ?? DEFAULT_BATCH_SIZE },
    model: (seed = 42) => spec.build(seed),
    train: (options) => trainPreset(spec, options),
  };
}
