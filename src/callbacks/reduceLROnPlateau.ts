import type { Callback, Logs } from '@tensorflow/tfjs-layers';
import type { LogsLike } from '../core/logs.js';
import {
  checkFunction,
  checkInteger,
  checkNonNegative,
  checkOptions,
  optionNames,
  checkVerbose,
  invalidArgument,
} from '../core/validate.js';
import { checkMonitorOptions, MonitorCallback } from './_internal/monitor.js';
import type { MonitorSettings } from './_internal/monitor.js';
import { getLearningRate } from './getLearningRate.js';
import { setLearningRate } from './setLearningRate.js';
import { printLine } from '../core/console.js';
import { restorePendingState, trackState } from '../core/resumable.js';
import type { SavedState } from '../core/resumable.js';

/** Options of {@link reduceLROnPlateau}; names and defaults are Keras'. */
export interface ReduceLROnPlateauOptions {
  /**
   * Quantity to watch; Keras and tfjs names are interchangeable (`val_accuracy` ≡ `val_acc`).
   * Keras: `monitor`.
   * @defaultValue 'val_loss'
   */
  monitor?: string;
  /** Factor the learning rate is multiplied by, in [0, 1). Keras: `factor`. @defaultValue 0.1 */
  factor?: number;
  /** Epochs without improvement before reducing. Keras: `patience`. @defaultValue 10 */
  patience?: number;
  /** `'min'`, `'max'`, or `'auto'` (max for accuracy-like names, min otherwise). Keras: `mode`. @defaultValue 'auto' */
  mode?: 'auto' | 'min' | 'max';
  /**
   * Smallest change that counts as an improvement (its sign is ignored, as in Keras). Keras: `min_delta`.
   * @defaultValue 1e-4
   */
  minDelta?: number;
  /** Epochs to wait after a reduction before counting again. Keras: `cooldown`. @defaultValue 0 */
  cooldown?: number;
  /** Lower bound of the learning rate. Keras: `min_lr`. @defaultValue 0 */
  minLR?: number;
  /** 1 prints a line at each reduction. Keras: `verbose`. @defaultValue 0 */
  verbose?: 0 | 1;
  /** Where verbose lines go. @defaultValue `console.log`, on a new line when a progress bar is live */
  log?: (line: string) => void;
}

const REDUCE_LR_ON_PLATEAU_OPTIONS = optionNames<ReduceLROnPlateauOptions>()(
  'monitor',
  'factor',
  'patience',
  'mode',
  'minDelta',
  'cooldown',
  'minLR',
  'verbose',
  'log',
);

/** The callback {@link reduceLROnPlateau} returns; its counters are readable. */
export interface ReduceLROnPlateauCallback extends Callback {
  /** Best monitored value so far. */
  readonly best: number;
  /** Epochs since the last improvement. */
  readonly wait: number;
  /** Epochs of cooldown left. */
  readonly cooldownCounter: number;
}

interface Settings {
  factor: number;
  patience: number;
  cooldown: number;
  minLR: number;
  verbose: 0 | 1;
  log: (line: string) => void;
}

class ReduceLROnPlateau extends MonitorCallback implements ReduceLROnPlateauCallback {
  best: number;
  wait = 0;
  cooldownCounter = 0;

  constructor(
    monitor: MonitorSettings,
    private readonly o: Settings,
  ) {
    super('reduceLROnPlateau', monitor);
    this.best = this.worst();
  }

  override setModel(model: Parameters<MonitorCallback['setModel']>[0]): void {
    super.setModel(model);
    trackState(model, this.params, this, 'reduceLROnPlateau', this);
  }

  override async onTrainBegin(): Promise<void> {
    this.best = this.worst();
    this.wait = 0;
    this.cooldownCounter = 0;
    await restorePendingState(this.model, this.params, this);
  }

  saveState(): SavedState {
    return { json: { best: this.best, wait: this.wait, cooldownCounter: this.cooldownCounter } };
  }

  loadState(state: SavedState): void {
    const s = state.json as { best: number; wait: number; cooldownCounter: number };
    this.best = s.best;
    this.wait = s.wait;
    this.cooldownCounter = s.cooldownCounter;
  }

  override async onEpochEnd(epoch: number, logs?: Logs): Promise<void> {
    const optimizer = this.model.optimizer;
    const current = this.monitored(logs as LogsLike);
    if (current !== undefined) {
      // Same order as Keras: cooldown ticks first, then improvement resets, then patience counts.
      if (this.cooldownCounter > 0) {
        this.cooldownCounter -= 1;
        this.wait = 0;
      }
      if (this.isImprovement(current, this.best)) {
        this.best = current;
        this.wait = 0;
      } else if (this.cooldownCounter <= 0) {
        this.wait += 1;
        if (this.wait >= this.o.patience) {
          const old = getLearningRate(optimizer);
          // Keras compares in float32, so an LR already at min_lr (as float32) is left alone.
          if (old > Math.fround(this.o.minLR)) {
            const next = Math.max(old * this.o.factor, this.o.minLR);
            setLearningRate(optimizer, next);
            if (this.o.verbose > 0)
              this.o.log(`Epoch ${epoch + 1}: ReduceLROnPlateau reducing learning rate to ${next}.`);
            this.cooldownCounter = this.o.cooldown;
            this.wait = 0;
          }
        }
      }
    }
    if (logs != null) logs['learning_rate'] = getLearningRate(optimizer);
  }
}

/**
 * Keras' `ReduceLROnPlateau` for tfjs: multiplies the learning rate by `factor` when `monitor` has not
 * improved for `patience` epochs, then waits `cooldown` epochs, never going below `minLR`.
 *
 * Same decisions as Keras' callback for the same sequence of monitored values (mode `'auto'` infers
 * "max" for accuracy-like names). Works with every tfjs optimizer (see {@link setLearningRate}), and
 * writes the learning rate into the epoch logs as `learning_rate` (Keras 3's name), so `History` records it.
 *
 * @param options - Keras' arguments, camel-cased.
 * @returns A tfjs-layers callback for `model.fit` / `model.fitDataset`.
 * @throws Error naming `reduceLROnPlateau`, the option and the value for bad options (e.g. `factor >= 1`).
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import * as tfl from '@tensorflow/tfjs-layers';
 * import { reduceLROnPlateau } from 'tfjs-regularization/callbacks';
 *
 * const model = tfl.sequential({ layers: [tfl.layers.dense({ inputShape: [1], units: 1 })] });
 * model.compile({ optimizer: tf.train.sgd(0.1), loss: 'meanSquaredError' });
 * const cb = reduceLROnPlateau({ factor: 0.5, patience: 1 });
 * cb.setModel(model);
 * await cb.onTrainBegin();
 * for (const [epoch, valLoss] of [1.0, 1.0, 1.0].entries()) await cb.onEpochEnd(epoch, { val_loss: valLoss });
 * console.log((model.optimizer as unknown as { learningRate: number }).learningRate); // 0.025
 * ```
 */
export function reduceLROnPlateau(options?: ReduceLROnPlateauOptions): ReduceLROnPlateauCallback {
  const fn = 'reduceLROnPlateau';
  const o = checkOptions<ReduceLROnPlateauOptions>(fn, options, REDUCE_LR_ON_PLATEAU_OPTIONS);
  const factor = checkNonNegative(fn, 'factor', o.factor ?? 0.1);
  if (factor >= 1) throw invalidArgument(fn, 'factor', factor, 'a number in [0, 1) (the LR must decrease)');
  const monitor = checkMonitorOptions(fn, o, 1e-4);
  return new ReduceLROnPlateau(monitor, {
    factor,
    patience: checkNonNegative(fn, 'patience', checkInteger(fn, 'patience', o.patience ?? 10)),
    cooldown: checkNonNegative(fn, 'cooldown', checkInteger(fn, 'cooldown', o.cooldown ?? 0)),
    minLR: checkNonNegative(fn, 'minLR', o.minLR ?? 0),
    verbose: checkVerbose(fn, o.verbose ?? 0),
    log: checkFunction(fn, 'log', o.log ?? printLine),
  });
}
