/** What bench:keras stores in docs/results-keras.json and bench:presets renders from it. */
export const KERAS_PATH = 'docs/results-keras.json';

/** Notebook cells as bench/keras/notebook_cell.py names them, and the preset of each. */
export const CELLS: Record<string, string> = {
  base: 'mnistBase',
  l2: 'mnistL2',
  dropout: 'mnistDropout',
  batchnorm: 'mnistBatchNorm',
  augment: 'mnistAugmented',
};

export interface KerasRun {
  cell: string;
  seed: number;
  keras: string;
  history: { epoch: number; seconds: number; val_accuracy?: number }[];
  testAccuracy: number;
  seconds: number;
}

export interface KerasStore {
  timing: {
    date: string;
    cell: string;
    epochs: number;
    keras: number[];
    ours: number[];
    kerasVersion: string;
    backend: string;
    /** One-minute load average before and after the cell (the machine is shared: read ratios, not seconds). */
    load?: [number, number];
    /** Seconds an epoch's matrix products would take at the GEMM rate measured in the same run. */
    gemmLimit?: number;
    /** Keras' validation images: the preset's own split ('preset'), or (older rows) a numpy permutation. */
    split?: 'preset';
    /** The seed both sides trained with (older rows: 42). */
    seed?: number;
    /** Validation accuracy after each epoch, Keras' and the preset's. */
    kerasValAccuracy?: number[];
    oursValAccuracy?: number[];
  }[];
  accuracy: (KerasRun & { date: string })[];
  /** The presets trained by `--accuracy --ours`, one row per cell and seed. */
  ours?: { cell: string; seed: number; testAccuracy: number; backend: string; date: string }[];
}

/**
 * Median seconds of the warm epochs (the first, with tracing and warm-up, is left out): one slow
 * epoch (a garbage collection, a checkpoint write) must not decide the ratio.
 */
export function warm(seconds: readonly number[]): number {
  const w = seconds.slice(1).sort((a, b) => a - b);
  return w.length === 0
    ? NaN
    : w.length % 2 === 1
      ? w[(w.length - 1) / 2]!
      : (w[w.length / 2 - 1]! + w[w.length / 2]!) / 2;
}

/** The notebook MLP's dense layers, input to output (every cell has the same ones). */
export const DENSE_SIZES = [784, 1024, 1024, 10] as const;

/**
 * Floating-point operations of one epoch's matrix products: per training sample the forward product of
 * every layer, its weight gradient, and the input gradient of every layer but the first (nothing needs
 * the gradient of the images); per validation sample the forward products. Bias, activations,
 * BatchNorm and the optimizer are left out: this is the floor the dense layers put under an epoch.
 */
export function epochGemmFlops(train = 48000, validation = 12000): number {
  let forward = 0;
  let inputGradients = 0;
  for (let i = 0; i + 1 < DENSE_SIZES.length; i++) {
    const product = 2 * DENSE_SIZES[i]! * DENSE_SIZES[i + 1]!;
    forward += product;
    if (i > 0) inputGradients += product;
  }
  return train * (2 * forward + inputGradients) + validation * forward;
}
