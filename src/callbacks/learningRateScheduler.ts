import type { Optimizer } from '@tensorflow/tfjs-core';
import { restorePendingState, trackState } from '../core/resumable.js';
import type { SavedState } from '../core/resumable.js';
import { Callback } from '@tensorflow/tfjs-layers';
import type { Logs } from '@tensorflow/tfjs-layers';
import { stepsPerEpoch } from './_internal/fitParams.js';
import {
  checkOneOf,
  checkOptions,
  optionNames,
  checkVerbose,
  describeValue,
  invalidArgument,
} from '../core/validate.js';
import { getLearningRate } from './getLearningRate.js';
import { setLearningRate } from './setLearningRate.js';
import { printLine } from '../core/console.js';

/**
 * A schedule for {@link learningRateScheduler}: `(index, currentLearningRate) => newLearningRate`,
 * where `index` is the 0-based epoch (`per: 'epoch'`) or the 0-based global batch step (`per: 'batch'`).
 */
export type ScheduleFunction = (index: number, currentLearningRate: number) => number;

/**
 * What the ready schedules ({@link stepDecay}, {@link exponentialDecay}, {@link cosineDecay}) return:
 * a schedule function of the step alone, which also remembers whether it counts epochs or batches.
 */
export interface LearningRateSchedule {
  /** The learning rate at `step` (an epoch or a batch step, per {@link LearningRateSchedule.per}). */
  (step: number): number;
  /** What a step is; {@link learningRateScheduler} uses it as its `per` option. */
  readonly per: 'epoch' | 'batch';
  /** Shorthand for `learningRateScheduler(schedule, options)`. */
  callback(options?: LearningRateSchedulerOptions): Callback;
}

/** Options of {@link learningRateScheduler}. */
export interface LearningRateSchedulerOptions {
  /** 1 prints the learning rate set at the start of each epoch. Keras: `verbose`. @defaultValue 0 */
  verbose?: 0 | 1;
  /**
   * `'epoch'`: the schedule runs at each epoch begin with the epoch index (Keras' callback). `'batch'`: at each batch
   * begin with the global batch step (what Keras' `LearningRateSchedule` objects count).
   * @defaultValue the schedule's own `per` for a ready schedule, else 'epoch'
   */
  per?: 'epoch' | 'batch';
  /** Where verbose lines go. @defaultValue `console.log`, on a new line when a progress bar is live */
  log?: (line: string) => void;
}

/** @internal */
export const LEARNING_RATE_SCHEDULER_OPTIONS: readonly string[] = optionNames<LearningRateSchedulerOptions>()(
  'verbose',
  'per',
  'log',
);

interface Resolved {
  verbose: 0 | 1;
  per: 'epoch' | 'batch';
  log: (line: string) => void;
}

class LearningRateScheduler extends Callback {
  private step = 0;
  private epoch = 0;
  private announce = false;

  constructor(
    private readonly schedule: ScheduleFunction,
    private readonly o: Resolved,
  ) {
    super();
  }

  override async onTrainBegin(): Promise<void> {
    // A fit resumed with initialEpoch continues the batch count where an uninterrupted run would be.
    const initialEpoch = this.params?.['initialEpoch'];
    const steps = stepsPerEpoch(this.params);
    this.step = typeof initialEpoch === 'number' && initialEpoch > 0 && steps !== undefined ? initialEpoch * steps : 0;
    // fitDataset tells callbacks no initialEpoch: a backup's count is the one that holds there.
    await restorePendingState(this.model, this.params, this);
  }

  override setModel(model: Parameters<Callback['setModel']>[0]): void {
    super.setModel(model);
    trackState(model, this.params, this, 'learningRateScheduler', this);
  }

  saveState(): SavedState {
    return { json: { step: this.step } };
  }

  loadState(state: SavedState): void {
    this.step = (state.json as { step: number }).step;
  }

  override async onEpochBegin(epoch: number): Promise<void> {
    this.epoch = epoch;
    if (this.o.per === 'epoch') this.apply(epoch, true);
    else this.announce = true;
  }

  override async onBatchBegin(): Promise<void> {
    if (this.o.per !== 'batch') return;
    this.apply(this.step, this.announce);
    this.announce = false;
    this.step += 1;
  }

  override async onEpochEnd(_epoch: number, logs?: Logs): Promise<void> {
    if (logs != null) logs['learning_rate'] = getLearningRate(this.optimizer());
  }

  private optimizer(): Optimizer {
    const optimizer = this.model?.optimizer;
    if (optimizer == null)
      throw new Error('learningRateScheduler: the model has no optimizer; compile it before fit()');
    return optimizer;
  }

  private apply(index: number, announce: boolean): void {
    const optimizer = this.optimizer();
    const lr: unknown = this.schedule(index, getLearningRate(optimizer));
    if (typeof lr !== 'number' || !Number.isFinite(lr) || lr < 0) {
      throw new Error(
        `learningRateScheduler: the schedule must return a finite number >= 0, got ${describeValue(lr)} (at ${this.o.per} ${index})`,
      );
    }
    setLearningRate(optimizer, lr);
    if (announce && this.o.verbose > 0)
      this.o.log(`Epoch ${this.epoch + 1}: LearningRateScheduler setting learning rate to ${lr}.`);
  }
}

/**
 * Keras' `LearningRateScheduler` for tfjs: before each epoch (or each batch) sets the optimizer's
 * learning rate to `schedule(index, currentLearningRate)`, and writes the rate into the epoch logs
 * as `learning_rate` (Keras 3's name), so `History` records it.
 *
 * Works with every tfjs optimizer (see {@link setLearningRate}). With `per: 'batch'` the index is
 * the global batch step: it counts from 0 at the start of each `fit` (from `initialEpoch` times the
 * batches per epoch when resuming), and `verbose` prints once per epoch, at its first batch.
 *
 * @param schedule - `(index, currentLearningRate) => newLearningRate`, or a ready schedule such as
 *   {@link stepDecay}, whose `per` then becomes this callback's default.
 * @param options - `verbose`, `per` and `log`.
 * @returns A tfjs-layers callback for `model.fit` / `model.fitDataset`.
 * @throws Error naming `learningRateScheduler` and the option for a bad option, or when `per`
 *   contradicts the ready schedule's; during training, when the schedule returns anything but a
 *   finite number >= 0 (the message shows the value).
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import * as tfl from '@tensorflow/tfjs-layers';
 * import { learningRateScheduler } from 'tfjs-regularization/callbacks';
 *
 * const model = tfl.sequential({ layers: [tfl.layers.dense({ inputShape: [1], units: 1 })] });
 * model.compile({ optimizer: tf.train.sgd(0.1), loss: 'meanSquaredError' });
 * // Keep the rate for 2 epochs, then halve it every epoch.
 * const cb = learningRateScheduler((epoch, lr) => (epoch < 2 ? lr : lr / 2));
 * // model.fit(x, y, { epochs: 4, callbacks: [cb] }) runs these hooks; its History then has `learning_rate`.
 * cb.setModel(model);
 * const lrs: number[] = [];
 * for (let epoch = 0; epoch < 4; epoch++) {
 *   const logs: Record<string, number> = { loss: 1 };
 *   await cb.onEpochBegin(epoch);
 *   await cb.onEpochEnd(epoch, logs);
 *   lrs.push(logs['learning_rate']!);
 * }
 * console.log(lrs); // [0.1, 0.1, 0.05, 0.025]
 * ```
 */
export function learningRateScheduler(schedule: ScheduleFunction, options?: LearningRateSchedulerOptions): Callback {
  const fn = 'learningRateScheduler';
  if (typeof schedule !== 'function')
    throw invalidArgument(fn, 'schedule', schedule, 'a function (index, currentLearningRate) => number');
  const o = checkOptions<LearningRateSchedulerOptions>(fn, options, LEARNING_RATE_SCHEDULER_OPTIONS);
  const own = (schedule as Partial<LearningRateSchedule>).per;
  const ownPer = own === 'epoch' || own === 'batch' ? own : undefined;
  const per = checkOneOf(fn, 'per', o.per ?? ownPer ?? 'epoch', ['epoch', 'batch'] as const);
  if (ownPer !== undefined && per !== ownPer) {
    throw invalidArgument(fn, 'per', per, `${JSON.stringify(ownPer)}, the unit the schedule was built for`);
  }
  const log = o.log ?? printLine;
  if (typeof log !== 'function') throw invalidArgument(fn, 'log', log, 'a function');
  return new LearningRateScheduler(schedule, { verbose: checkVerbose(fn, o.verbose ?? 0), per, log });
}
