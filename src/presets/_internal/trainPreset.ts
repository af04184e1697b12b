import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import type { Augmentation } from '../../augment/augmentation.js';
import { flow } from '../../augment/flow.js';
import { useBestBackend } from '../../backend/useBestBackend.js';
import { fastNodeKernels } from '../../backend/fastNodeKernels.js';
import { modelCheckpoint } from '../../callbacks/modelCheckpoint.js';
import { progressLogger } from '../../callbacks/progressLogger.js';
import { reduceLROnPlateau } from '../../callbacks/reduceLROnPlateau.js';
import { loadMnist } from '../../data/loadMnist.js';
import { normalize } from '../../data/normalize.js';
import { oneHot } from '../../data/oneHot.js';
import { trainTestSplit } from '../../data/trainTestSplit.js';
import type { Preset, TrainOptions, TrainResult } from '../preset.js';
import { penalty } from '../../regularizers/penalty.js';
import { disposeOptimizer, EpochRecorder, loadFromDir, ValLossPenalty } from './trainingCallbacks.js';
import { checkOptions, invalidArgument } from '../../core/validate.js';

export interface PresetSpec {
  name: string;
  description: string;
  notebookTestAccuracy?: number;
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
}

function checkTrainOptions(name: string, options: unknown, spec: PresetSpec) {
  const fn = `${name}.train`;
  const o = checkOptions<TrainOptions>(fn, options);
  const int = (key: string, v: unknown, fallback: number) => {
    const value = v ?? fallback;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) throw invalidArgument(fn, key, value, 'a positive integer');
    return value;
  };
  const seed = o.seed ?? 42;
  if (!Number.isInteger(seed)) throw invalidArgument(fn, 'seed', seed, 'an integer');
  const verbose = o.verbose ?? 1;
  if (verbose !== 0 && verbose !== 1 && verbose !== 2) throw invalidArgument(fn, 'verbose', verbose, '0, 1 or 2');
  if (o.callbacks !== undefined && !Array.isArray(o.callbacks)) throw invalidArgument(fn, 'callbacks', o.callbacks, 'an array of tfjs callbacks');
  return {
    ...o,
    epochs: int('epochs', o.epochs, spec.epochs ?? 25),
    batchSize: int('batchSize', o.batchSize, spec.batchSize ?? 128),
    subset: o.subset === undefined ? undefined : int('subset', o.subset, 1),
    seed,
    verbose,
  };
}

async function trainPreset(spec: PresetSpec, options: unknown): Promise<TrainResult> {
  const o = checkTrainOptions(spec.name, options, spec);
  const started = performance.now();
  const backend = await useBestBackend(o.backend, { log: o.verbose > 0 ? console.info : null });
  if (backend === 'tensorflow') fastNodeKernels();
  const mnist = await loadMnist(o.dataDir === undefined ? {} : { dir: o.dataDir });
  const n = o.subset === undefined ? 60000 : Math.min(o.subset, 60000);
  const x = normalize(mnist.train.images.subarray(0, n * 784), [n, 28, 28, 1]);
  const y = oneHot(mnist.train.labels.subarray(0, n), 10);
  const full = spec.fullTraining !== undefined;
  // The notebook's scikit-learn split: 20 % validation, random_state 42 (none for full training).
  const split = full ? { xTrain: x, yTrain: y, xTest: undefined, yTest: undefined } : trainTestSplit(x, y, { testSize: 0.2, seed: 42 });
  if (!full) tf.dispose([x, y]);
  const xVal = split.xTest === undefined ? undefined : tf.reshape(split.xTest, [-1, 784]);
  const model = spec.build(o.seed);
  const recorder = new EpochRecorder();
  let best: tf.io.ModelArtifacts | undefined;
  const protocol: tfl.Callback[] = full
    ? [
        ...spec.fullTraining!(Math.ceil(split.xTrain.shape[0] / o.batchSize), o.epochs),
        // Nothing is selected: the checkpoint (when asked for) is the latest epoch's model.
        ...(o.checkpointDir === undefined ? [] : [modelCheckpoint({ filepath: o.checkpointDir }) as tfl.Callback]),
      ]
    : [
        new ValLossPenalty(),
        reduceLROnPlateau({ monitor: 'val_loss', factor: 0.2, patience: 2, minLR: 1e-5 }) as tfl.Callback,
        modelCheckpoint({ filepath: o.checkpointDir ?? ((a) => void (best = a)), monitor: 'val_accuracy', saveBestOnly: true, verbose: o.verbose === 1 ? 1 : 0 }) as tfl.Callback,
      ];
  const data = flow(split.xTrain as tf.Tensor4D, split.yTrain as tf.Tensor2D, {
    batchSize: o.batchSize,
    seed: o.seed,
    flatten: true,
    ...(spec.augment ? { pipeline: spec.augment(o.seed) } : {}),
    ...(spec.cleanEpochs ? { augmentEpochs: o.epochs - spec.cleanEpochs(o.epochs) } : {}),
  });
  try {
    await model.fitDataset(data as unknown as Parameters<tfl.LayersModel['fitDataset']>[0], {
      epochs: o.epochs,
      ...(xVal === undefined ? {} : { validationData: [xVal, split.yTest], validationBatchSize: 1000 }),
      verbose: 0,
      callbacks: [
        // The penalty must be in val_loss before the recorder, ReduceLROnPlateau and the checkpoint read it.
        ...protocol,
        recorder,
        ...(o.verbose > 0 ? [progressLogger({ verbose: o.verbose as 1 | 2 })] : []),
        ...((o.callbacks ?? []) as tfl.Callback[]),
      ],
    } as Parameters<tfl.LayersModel['fitDataset']>[1]);
  } finally {
    tf.dispose([split.xTrain, split.yTrain, split.xTest, split.yTest, xVal].filter((t) => t !== undefined));
  }
  const trained = model.optimizer;
  const bestModel = full ? model : o.checkpointDir !== undefined ? await loadFromDir(o.checkpointDir) : best ? await tfl.loadLayersModel(tf.io.fromMemory(best)) : model;
  if (bestModel !== model) bestModel.compile({ optimizer: 'sgd', loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  // A smoke run on `subset` training images also evaluates on a proportional slice of the test set.
  const nTest = o.subset === undefined ? 10000 : Math.max(1, Math.round(n / 6));
  const [xTest, yTest] = [normalize(mnist.test.images.subarray(0, nTest * 784), [nTest, 784]), oneHot(mnist.test.labels.subarray(0, nTest), 10)];
  const scores = bestModel.evaluate(xTest, yTest, { batchSize: 1000 }) as tf.Scalar[];
  const p = penalty(bestModel);
  const [testLoss, testAccuracy, pv] = await Promise.all([scores[0]!.data(), scores[1]!.data(), p.data()]);
  tf.dispose([xTest, yTest, p, ...scores]);
  if (bestModel !== model) bestModel.dispose();
  disposeOptimizer(trained);
  model.dispose();
  // Full training selects nothing: the tested model is the last epoch's.
  const bestRecord = full ? recorder.records.at(-1)! : recorder.records.reduce((a, r) => (r.val_acc > a.val_acc ? r : a), recorder.records[0]!);
  return {
    preset: spec.name,
    backend,
    history: recorder.records,
    bestEpoch: bestRecord.epoch,
    bestValAccuracy: bestRecord.val_acc,
    testAccuracy: testAccuracy[0]!,
    testLoss: testLoss[0]! + pv[0]!,
    seconds: (performance.now() - started) / 1000,
  };
}

/** Builds the public Preset object of a notebook cell. */
export function makePreset(spec: PresetSpec): Preset {
  return {
    name: spec.name,
    description: spec.description,
    notebookTestAccuracy: spec.notebookTestAccuracy,
    model: (seed = 42) => spec.build(seed),
    train: (options) => trainPreset(spec, options),
  };
}
