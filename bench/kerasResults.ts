/** What bench:keras stores in docs/results-keras.json and bench:presets renders from it. */
export const KERAS_PATH = 'docs/results-keras.json';

/** Notebook cells as bench/keras/notebook_cell.py names them, and the preset of each. */
export const CELLS: Record<string, string> = {
  base: 'mnistBase',
  l2: 'mnistL2',
  dropout: 'mnistDropout',
  batchnorm: 'mnistBatchNorm',
};

export interface KerasRun {
  cell: string;
  seed: number;
  keras: string;
  history: { epoch: number; seconds: number }[];
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
