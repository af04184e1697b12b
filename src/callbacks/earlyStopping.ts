import { dispose } from '@tensorflow/tfjs-core';
import type { Callback, Logs } from '@tensorflow/tfjs-layers';
import type { LogsLike } from '../core/logs.js';
import {
  checkBoolean,
  checkFunction,
  checkInteger,
  checkNonNegative,
  checkOptions,
  optionNames,
  checkVerbose,
  invalidArgument,
} from '../core/validate.js';
import { checkMonitorOptions, MonitorCallback } from './_internal/monitor.js';
import { restorePendingState, trackState } from '../core/resumable.js';
import type { HostArray, SavedState } from '../core/resumable.js';
import { hostArrays, toTensor } from './_internal/hostArrays.js';
import type { MonitorSettings } from './_internal/monitor.js';
import { printLine } from '../core/console.js';

/** Options of {@link earlyStopping}; names and defaults are Keras'. */
export interface EarlyStoppingOptions {
  /** Quantity to watch (`val_accuracy` ≡ `val_acc`). Keras: `monitor`. @defaultValue 'val_loss' */
  monitor?: string;
  /** Smallest change that counts as an improvement (its sign is ignored). Keras: `min_delta`. @defaultValue 0 */
  minDelta?: number;
  /** Epochs without improvement after which training stops. Keras: `patience`. @defaultValue 0 */
  patience?: number;
  /** `'min'`, `'max'` or `'auto'` (max for accuracy-like names). Keras: `mode`. @defaultValue 'auto' */
  mode?: 'auto' | 'min' | 'max';
  /** Patience only restarts on improvements that also beat this value. Keras: `baseline`. @defaultValue undefined */
  baseline?: number;
  /**
   * At the end of training, put back the weights of the best epoch (copies, not live variables).
   * Keras: `restore_best_weights`.
   * @defaultValue false
   */
  restoreBestWeights?: boolean;
  /** Epochs to let pass before monitoring starts (warm-up). Keras: `start_from_epoch`. @defaultValue 0 */
  startFromEpoch?: number;
  /** 1 prints when training stops and when weights are restored. Keras: `verbose`. @defaultValue 0 */
  verbose?: 0 | 1;
  /** Where verbose lines go. @defaultValue `console.log`, on a new line when a progress bar is live */
  log?: (line: string) => void;
}

const EARLY_STOPPING_OPTIONS = optionNames<EarlyStoppingOptions>()(
  'monitor',
  'minDelta',
  'patience',
  'mode',
  'baseline',
  'restoreBestWeights',
  'startFromEpoch',
  'verbose',
  'log',
);

/** The callback {@link earlyStopping} returns. */
export interface EarlyStoppingCallback extends Callback {
  /** Best monitored value so far (undefined before the first monitored epoch). */
  readonly best: number | undefined;
  /** 0-based epoch of the best value. */
  readonly bestEpoch: number;
  /** 0-based epoch at which training was stopped, 0 if it was not. */
  readonly stoppedEpoch: number;
}

interface Settings {
  patience: number;
  baseline: number | undefined;
  restoreBestWeights: boolean;
  startFromEpoch: number;
  verbose: 0 | 1;
  log: (line: string) => void;
}

class EarlyStopping extends MonitorCallback implements EarlyStoppingCallback {
  best: number | undefined;
  bestEpoch = 0;
  stoppedEpoch = 0;
  private waited = 0;
  // Host copies, as Keras keeps `get_weights()` arrays: nothing to dispose if fit fails mid-way.
  private bestWeights: HostArray[] | null = null;

  constructor(
    monitor: MonitorSettings,
    private readonly o: Settings,
  ) {
    super('earlyStopping', monitor);
  }

  override setModel(model: Parameters<MonitorCallback['setModel']>[0]): void {
    super.setModel(model);
    trackState(model, this.params, this, 'earlyStopping', this);
  }

  override async onTrainBegin(): Promise<void> {
    this.waited = 0;
    this.stoppedEpoch = 0;
    this.best = undefined;
    this.bestEpoch = 0;
    this.bestWeights = null;
    await restorePendingState(this.model, this.params, this);
  }

  saveState(): SavedState {
    const { best, bestEpoch, stoppedEpoch, waited } = this;
    return {
      json: { best: best ?? null, bestEpoch, stoppedEpoch, waited, hasBestWeights: this.bestWeights !== null },
      ...(this.bestWeights === null ? {} : { arrays: this.bestWeights }),
    };
  }

  loadState(state: SavedState): void {
    const s = state.json as { best: number | null; bestEpoch: number; stoppedEpoch: number; waited: number };
    this.best = s.best ?? undefined;
    this.bestEpoch = s.bestEpoch;
    this.stoppedEpoch = s.stoppedEpoch;
    this.waited = s.waited;
    this.bestWeights = (state.json as { hasBestWeights: boolean }).hasBestWeights ? (state.arrays ?? []) : null;
  }

  override async onEpochEnd(epoch: number, logs?: Logs): Promise<void> {
    const current = this.monitored(logs as LogsLike);
    if (current === undefined) return;
    if (epoch < this.o.startFromEpoch) return;
    // As in Keras: before any improvement, the first monitored epoch's weights count as the best.
    const first = this.o.restoreBestWeights && this.bestWeights === null;
    if (first) this.bestEpoch = epoch;
    this.waited += 1;
    const improved = this.isImprovement(current, this.best);
    // One copy per epoch at most: the first epoch's and an improvement's are the same weights.
    if (first || (improved && this.o.restoreBestWeights)) await this.snapshot();
    if (improved) {
      this.best = current;
      this.bestEpoch = epoch;
      if (this.o.baseline === undefined || this.isImprovement(current, this.o.baseline)) this.waited = 0;
      return;
    }
    if (this.waited >= this.o.patience && epoch > 0) {
      this.stoppedEpoch = epoch;
      this.model.stopTraining = true;
    }
  }

  override async onTrainEnd(): Promise<void> {
    if (this.stoppedEpoch > 0 && this.o.verbose > 0) this.o.log(`Epoch ${this.stoppedEpoch + 1}: early stopping`);
    if (this.o.restoreBestWeights && this.bestWeights !== null) {
      if (this.o.verbose > 0)
        this.o.log(`Restoring model weights from the end of the best epoch: ${this.bestEpoch + 1}.`);
      const weights = this.bestWeights.map(toTensor);
      try {
        this.model.setWeights(weights);
      } finally {
        dispose(weights);
      }
      this.bestWeights = null;
    }
  }

  private async snapshot(): Promise<void> {
    // Copies: getWeights() returns the live variables, which later updates would overwrite.
    this.bestWeights = await hostArrays(this.model.getWeights());
  }
}

/**
 * Keras' `EarlyStopping` for tfjs, including `restoreBestWeights` (which tfjs-layers' own
 * `earlyStopping` lacks): stops training when `monitor` has not improved for `patience` epochs,
 * and can put back the weights of the best epoch when training ends.
 *
 * The best weights are kept as copies in host memory (one model's worth, as Keras keeps
 * `get_weights()` arrays), so a `fit` that fails leaves no tensor behind. As in Keras 3, they are
 * restored at the end of training whether or not it stopped early.
 *
 * @param options - Keras' arguments, camel-cased.
 * @returns A tfjs-layers callback.
 * @throws Error naming `earlyStopping`, the option and the value for bad options.
 *
 * @example
 * ```ts
 * import * as tfl from '@tensorflow/tfjs-layers';
 * import { earlyStopping } from 'tfjs-regularization/callbacks';
 *
 * const model = tfl.sequential({ layers: [tfl.layers.dense({ inputShape: [1], units: 1 })] });
 * model.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
 * const cb = earlyStopping({ monitor: 'val_accuracy', patience: 2 });
 * cb.setModel(model);
 * await cb.onTrainBegin();
 * for (const [epoch, acc] of [0.9, 0.95, 0.94, 0.93].entries()) await cb.onEpochEnd(epoch, { val_acc: acc });
 * console.log(model.stopTraining, cb.bestEpoch, cb.stoppedEpoch); // true 1 3
 * ```
 */
export function earlyStopping(options?: EarlyStoppingOptions): EarlyStoppingCallback {
  const fn = 'earlyStopping';
  const o = checkOptions<EarlyStoppingOptions>(fn, options, EARLY_STOPPING_OPTIONS);
  const monitor = checkMonitorOptions(fn, o, 0);
  const baseline = o.baseline;
  if (baseline !== undefined && (typeof baseline !== 'number' || !Number.isFinite(baseline))) {
    throw invalidArgument(fn, 'baseline', baseline, 'a finite number or undefined');
  }
  return new EarlyStopping(monitor, {
    patience: checkNonNegative(fn, 'patience', checkInteger(fn, 'patience', o.patience ?? 0)),
    baseline,
    restoreBestWeights: checkBoolean(fn, 'restoreBestWeights', o.restoreBestWeights ?? false),
    startFromEpoch: checkNonNegative(fn, 'startFromEpoch', checkInteger(fn, 'startFromEpoch', o.startFromEpoch ?? 0)),
    verbose: checkVerbose(fn, o.verbose ?? 0),
    log: checkFunction(fn, 'log', o.log ?? printLine),
  });
}
