import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { getLearningRate } from '../../callbacks/getLearningRate.js';
import type { EpochRecord } from '../preset.js';
import { penalty } from '../../regularizers/penalty.js';
import { lookupMonitor, readLogValue } from '../../core/logs.js';
import type { LogsLike } from '../../core/logs.js';
import { restorePendingState, trackState } from '../../core/resumable.js';
import type { SavedState } from '../../core/resumable.js';

/** Adds the regularization penalty to val_loss, as Keras reports it (tfjs leaves it out). */
export class ValLossPenalty extends tfl.Callback {
  override async onEpochEnd(_epoch: number, logs?: tfl.Logs): Promise<void> {
    // fitDataset hands callbacks val_loss as a scalar tensor, fit as a number.
    const raw = logs?.['val_loss'] as unknown;
    const value = readLogValue(raw);
    if (logs == null || value === undefined) return;
    const p = penalty(this.model);
    const extra = (await p.data())[0]!;
    p.dispose();
    if (typeof raw !== 'number') tf.dispose(raw as tf.Tensor);
    logs['val_loss'] = value + extra;
  }
}

/**
 * Stops training at the end of the current batch once `signal` is aborted (the CLI's Ctrl-C), and
 * remembers that the last epoch was cut short.
 */
export class StopOnSignal extends tfl.Callback {
  stopped = false;
  private lastYield = performance.now();
  constructor(private readonly signal: AbortSignal | undefined) {
    super();
  }
  override async onBatchEnd(): Promise<void> {
    if (this.signal === undefined || this.stopped) return;
    // fitDataset's batches chain promises without returning to the event loop for long stretches, and
    // a process signal (or a timer that aborts) only arrives there: let it in now and then.
    if (performance.now() - this.lastYield > YIELD_MS) {
      await tf.nextFrame();
      this.lastYield = performance.now();
    }
    if (!this.signal.aborted) return;
    this.stopped = true;
    this.model.stopTraining = true;
  }
}

/** How long training may run without letting the event loop deliver an abort. */
const YIELD_MS = 50;

export class EpochRecorder extends tfl.Callback {
  readonly records: EpochRecord[] = [];
  /** An epoch cut short by it is not recorded: its logs are partial. */
  constructor(private readonly stop: StopOnSignal | undefined = undefined) {
    super();
  }
  private started = 0;
  private lr = 0;
  private firstBatch = true;
  override setModel(model: tfl.LayersModel): void {
    super.setModel(model);
    trackState(model, this.params, this, 'epochRecorder', this);
  }
  // A resumed training's result holds the epochs before the interruption too.
  override async onTrainBegin(): Promise<void> {
    await restorePendingState(this.model, this.params, this);
  }
  saveState(): SavedState {
    return { json: this.records };
  }
  loadState(state: SavedState): void {
    this.records.splice(0, this.records.length, ...(state.json as EpochRecord[]));
  }
  override async onEpochBegin(): Promise<void> {
    this.started = performance.now();
    this.lr = getLearningRate(this.model.optimizer);
    this.firstBatch = true;
  }
  // The rate the epoch's first batch trained with, read after every callback's onBatchBegin (a
  // per-batch schedule sets it there), so the order of the callbacks does not matter.
  override async onBatchEnd(): Promise<void> {
    if (!this.firstBatch) return;
    this.firstBatch = false;
    this.lr = getLearningRate(this.model.optimizer);
  }
  override async onEpochEnd(epoch: number, logs?: tfl.Logs): Promise<void> {
    if (this.stop?.stopped === true) return;
    const get = (k: string) => lookupMonitor(logs as LogsLike, k) ?? Number.NaN;
    this.records.push({
      epoch: epoch + 1,
      loss: get('loss'),
      accuracy: get('accuracy'),
      val_loss: get('val_loss'),
      val_accuracy: get('val_accuracy'),
      learning_rate: this.lr,
      seconds: (performance.now() - this.started) / 1000,
    });
  }
}

/**
 * The optimizer was created by the preset, not by compile(string), so the model does not own it.
 * tfjs 4.22's Momentum.dispose() forgets the `-learningRate` scalar it inherits from SGD: dispose it too.
 */
export function disposeOptimizer(optimizer: tf.Optimizer): void {
  optimizer.dispose();
  const c = (optimizer as unknown as { c?: tf.Tensor }).c;
  if (optimizer.getClassName() === 'Momentum' && c != null && !c.isDisposed) c.dispose();
}
