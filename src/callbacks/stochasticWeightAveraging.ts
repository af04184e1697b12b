import { add, dispose, div, sub, tidy } from '@tensorflow/tfjs-core';
import { restorePendingState, trackState } from '../core/resumable.js';
import type { SavedState } from '../core/resumable.js';
import { hostArrays, toTensor } from './_internal/hostArrays.js';
import type { Tensor } from '@tensorflow/tfjs-core';
import { Callback } from '@tensorflow/tfjs-layers';
import {
  checkInteger,
  checkNonNegative,
  checkOptions,
  checkPositive,
  invalidArgument,
  optionNames,
} from '../core/validate.js';
import { stepsPerEpoch } from './_internal/fitParams.js';
import { setLearningRate } from './setLearningRate.js';

/** Options of {@link stochasticWeightAveraging}; names follow torch's `swa_utils` where it has one. */
export interface StochasticWeightAveragingOptions {
  /** 0-based epoch from which the weights are averaged (torch: `swa_start`). Required. */
  startEpoch: number;
  /**
   * Epochs per snapshot: the weights are averaged at the end of epochs `startEpoch + frequency - 1`,
   * `startEpoch + 2 * frequency - 1`, ... (the last epoch of each cycle of a cyclic schedule).
   * @defaultValue 1
   */
  frequency?: number;
  /**
   * A constant learning rate set at the start of every epoch from `startEpoch` on (torch's `SWALR`
   * with `anneal_epochs=0`); unset leaves the rate to the optimizer and other callbacks.
   * @defaultValue undefined
   */
  learningRate?: number;
}

const SWA_OPTIONS = optionNames<StochasticWeightAveragingOptions>()('startEpoch', 'frequency', 'learningRate');

/** The callback {@link stochasticWeightAveraging} returns; its state is in plain fields. */
export interface StochasticWeightAveragingCallback extends Callback {
  /** Snapshots averaged so far in this fit (torch: `n_averaged`). */
  readonly count: number;
  /**
   * The running averages, keyed by trainable weight name; empty before the first snapshot and
   * after train end (the model then holds them). The tensors themselves: do not dispose them.
   */
  averages(): Record<string, Tensor>;
  /** Frees the averages (needed only after a `fit` that threw, as train end frees them otherwise). */
  dispose(): void;
}

interface Settings {
  startEpoch: number;
  frequency: number;
  learningRate: number | undefined;
}

class StochasticWeightAveraging extends Callback implements StochasticWeightAveragingCallback {
  count = 0;
  /** Aligned with `names`: one running mean per trainable weight, null before the first snapshot. */
  mean: Tensor[] | null = null;
  names: string[] = [];
  private batches = 0;

  constructor(private readonly o: Settings) {
    super();
  }

  averages(): Record<string, Tensor> {
    const mean = this.mean;
    return mean === null ? {} : Object.fromEntries(this.names.map((n, i) => [n, mean[i]!]));
  }

  dispose(): void {
    dispose(this.mean ?? []);
    this.mean = null;
  }

  override setModel(model: Parameters<Callback['setModel']>[0]): void {
    super.setModel(model);
    trackState(model, this.params, this, 'stochasticWeightAveraging', this);
  }

  override async onTrainBegin(): Promise<void> {
    this.dispose();
    this.count = 0;
    await restorePendingState(this.model, this.params, this);
  }

  async saveState(): Promise<SavedState> {
    return { json: { count: this.count, names: this.names }, arrays: await hostArrays(this.mean ?? []) };
  }

  loadState(state: SavedState): void {
    const s = state.json as { count: number; names: string[] };
    this.dispose();
    this.count = s.count;
    // The model's own names: a script run again names its variables alike, but not always (a second model).
    const names = this.model.trainableWeights.map((w) => w.name);
    this.names = names.length === s.names.length ? names : s.names;
    const arrays = state.arrays ?? [];
    this.mean = arrays.length === 0 ? null : arrays.map(toTensor);
  }

  override async onEpochBegin(epoch: number): Promise<void> {
    this.batches = 0;
    if (this.o.learningRate !== undefined && epoch >= this.o.startEpoch) {
      setLearningRate(this.model.optimizer, this.o.learningRate);
    }
  }

  override async onBatchEnd(): Promise<void> {
    this.batches += 1;
  }

  override async onEpochEnd(epoch: number): Promise<void> {
    const since = epoch - this.o.startEpoch + 1;
    if (since <= 0 || since % this.o.frequency !== 0) return;
    // An epoch cut short (terminateOnNaN, a stop mid-epoch) is not a point of the trajectory to average.
    const expected = stepsPerEpoch(this.params);
    if (expected !== undefined && this.batches > 0 && this.batches < expected) return;
    this.snapshot();
  }

  override async onTrainEnd(): Promise<void> {
    const mean = this.mean;
    if (mean === null) return;
    const weights = this.model.trainableWeights;
    weights.forEach((w, i) => w.write(mean[i]!));
    this.dispose();
  }

  /** torch's AveragedModel update: mean += (w - mean) / (n + 1), on the device, no read. */
  private snapshot(): void {
    const weights = this.model.trainableWeights;
    const old = this.mean;
    const n = this.count;
    this.mean = tidy(() =>
      weights.map((w, i) => (old === null ? w.read().clone() : add(old[i]!, div(sub(w.read(), old[i]!), n + 1)))),
    );
    dispose(old ?? []);
    this.names = weights.map((w) => w.name);
    this.count = n + 1;
  }
}

/**
 * Stochastic weight averaging (Izmailov et al. 2018, "Averaging Weights Leads to Wider Optima and
 * Better Generalization"; torch's `torch.optim.swa_utils`) as a tfjs callback: from `startEpoch`
 * (0-based, as the other callbacks count epochs), at the end of every `frequency`-th epoch, the
 * model's trainable weights join an equal-weight running mean (torch's `AveragedModel`:
 * `avg += (w - avg) / (n + 1)`), computed on the device. With `learningRate`, the optimizer's rate
 * is held at that constant from `startEpoch` on (torch's `SWALR` without annealing), through
 * {@link setLearningRate}, so SGD and Momentum follow too; place this callback after any schedule
 * it should override.
 *
 * At train end (also when training stopped early) the model's trainable weights are set to the
 * average; nothing changes when no snapshot was taken. An epoch cut short by a stop during its
 * batches is not averaged. Non-trainable weights are not averaged: recompute BatchNormalization's
 * moving statistics for the averaged weights with {@link updateBatchNormStatistics} (torch's
 * `update_bn`). The averages are reset at each train begin.
 *
 * @param options - `startEpoch` (required), `frequency`, `learningRate`.
 * @returns A tfjs-layers callback exposing `count` and `averages()`.
 * @throws Error naming `stochasticWeightAveraging`, the option and the value for bad options.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import * as tfl from '@tensorflow/tfjs-layers';
 * import { stochasticWeightAveraging } from 'tfjs-regularization/callbacks';
 *
 * const model = tfl.sequential({ layers: [tfl.layers.dense({ inputShape: [1], units: 1, useBias: false })] });
 * model.compile({ optimizer: tf.train.sgd(0.1), loss: 'meanSquaredError' });
 * const swa = stochasticWeightAveraging({ startEpoch: 1, frequency: 2 });
 * swa.setModel(model);
 * await swa.onTrainBegin();
 * // Stand in for training: the kernel is 1 after epoch 0, 2 after epoch 1, ...; epochs 2 and 4 are averaged.
 * for (const epoch of [0, 1, 2, 3, 4]) {
 *   model.setWeights([tf.fill([1, 1], epoch + 1)]);
 *   await swa.onEpochEnd(epoch);
 * }
 * await swa.onTrainEnd();
 * console.log(swa.count, model.getWeights()[0]!.dataSync()[0]); // 2 4
 * ```
 */
export function stochasticWeightAveraging(
  options: StochasticWeightAveragingOptions,
): StochasticWeightAveragingCallback {
  const fn = 'stochasticWeightAveraging';
  if (options === undefined) throw invalidArgument(fn, 'options', options, 'an options object with startEpoch');
  const o = checkOptions<StochasticWeightAveragingOptions>(fn, options, SWA_OPTIONS);
  const epochCount = (arg: string, value: unknown) => checkNonNegative(fn, arg, checkInteger(fn, arg, value));
  const frequency = epochCount('frequency', o.frequency ?? 1);
  if (frequency < 1) throw invalidArgument(fn, 'frequency', frequency, 'an integer >= 1');
  return new StochasticWeightAveraging({
    startEpoch: epochCount('startEpoch', o.startEpoch),
    frequency,
    learningRate: o.learningRate === undefined ? undefined : checkPositive(fn, 'learningRate', o.learningRate),
  });
}
