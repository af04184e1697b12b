import { dispose } from '@tensorflow/tfjs-core';
import type { Tensor } from '@tensorflow/tfjs-core';
import { Callback } from '@tensorflow/tfjs-layers';
import type { Logs } from '@tensorflow/tfjs-layers';
import { printLine } from '../core/console.js';
import { checkFunction, checkOptions, optionNames } from '../core/validate.js';

/** Options of {@link terminateOnNaN}. Keras' `TerminateOnNaN` takes `raise_error`, which is not offered here. */
export interface TerminateOnNaNOptions {
  /** Where the termination line goes. @defaultValue `console.log`, on a new line when a progress bar is live */
  log?: (line: string) => void;
}

const TERMINATE_ON_NAN_OPTIONS = optionNames<TerminateOnNaNOptions>()('log');

/** The callback {@link terminateOnNaN} returns. */
export interface TerminateOnNaNCallback extends Callback {
  /** 0-based index, within its epoch, of the batch whose loss was invalid; undefined while none was. */
  readonly stoppedBatch: number | undefined;
  /** 0-based epoch of that batch; undefined while none was. */
  readonly stoppedEpoch: number | undefined;
}

class TerminateOnNaN extends Callback implements TerminateOnNaNCallback {
  stoppedBatch: number | undefined;
  stoppedEpoch: number | undefined;
  private epoch = 0;

  constructor(private readonly log: (line: string) => void) {
    super();
  }

  override async onTrainBegin(): Promise<void> {
    this.stoppedBatch = undefined;
    this.stoppedEpoch = undefined;
  }

  override async onEpochBegin(epoch: number): Promise<void> {
    this.epoch = epoch;
  }

  override async onBatchEnd(batch: number, logs?: Logs): Promise<void> {
    const loss = await readLoss(logs as Record<string, number | Tensor | undefined> | undefined);
    if (loss === undefined || Number.isFinite(loss)) return;
    this.stoppedBatch = batch;
    this.stoppedEpoch = this.epoch;
    this.log(`Batch ${batch}: Invalid loss, terminating training`);
    this.model.stopTraining = true;
  }
}

/**
 * The batch loss as a number. A number is used as is (an earlier callback, e.g. a `CustomCallback`
 * or the progress bar, already read it). A scalar tensor is read once with the asynchronous `data()`
 * and the number is written back into the logs in its place (the tensor disposed), exactly as
 * tfjs' own `resolveScalarsInLogs` does, so the callbacks after this one do not read it again.
 */
async function readLoss(logs: Record<string, number | Tensor | undefined> | undefined): Promise<number | undefined> {
  const value = logs?.['loss'];
  if (typeof value === 'number') return value;
  if (value == null || typeof (value as Tensor).data !== 'function' || value.isDisposed || value.size !== 1) {
    return undefined;
  }
  const number = (await value.data())[0]!;
  logs!['loss'] = number;
  dispose(value);
  return number;
}

/**
 * Keras' `TerminateOnNaN` for tfjs: at the end of every batch, when the batch loss is NaN or
 * ±Infinity, prints `Batch N: Invalid loss, terminating training` and sets `model.stopTraining`, so
 * `fit` / `fitDataset` end after that batch (no further batch, no validation for that epoch; the
 * epoch-end and train-end callbacks still run). `N` is the 0-based index of the batch within its
 * epoch, as in Keras (`stoppedEpoch` tells the epoch).
 *
 * Reading the loss: tfjs hands batch-end callbacks the loss as a scalar tensor, still on the
 * device, unless an earlier callback already resolved it to a number (then it is used at no cost).
 * A tensor is read with the asynchronous `data()`, never `dataSync()`: the JavaScript thread stays
 * free, and on the CPU, WASM and Node TensorFlow backends, whose kernels have run by the time
 * `onBatchEnd` is called, the read costs one scalar copy. On WebGL/WebGPU it waits for the step's
 * kernels, the price of Keras' stop-after-this-batch guarantee; checking a later batch instead
 * would let a NaN step's weights train one more step. The value read replaces the tensor in the
 * logs, so the callbacks after this one (progress bar, custom callbacks) reuse it instead of
 * reading again.
 *
 * @param options - Where to print.
 * @returns A tfjs-layers callback.
 * @throws Error naming `terminateOnNaN`, the option and the value for bad options.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import * as tfl from '@tensorflow/tfjs-layers';
 * import { terminateOnNaN } from 'tfjs-regularization/callbacks';
 *
 * const model = tfl.sequential({ layers: [tfl.layers.dense({ inputShape: [1], units: 1 })] });
 * model.compile({ optimizer: tf.train.sgd(0.1), loss: 'meanSquaredError' });
 * const x = tf.tensor2d([[1], [2], [NaN], [4]]);
 * const cb = terminateOnNaN({ log: () => {} });
 * const history = await model.fit(x, x, { batchSize: 1, epochs: 3, shuffle: false, verbose: 0, callbacks: [cb] });
 * console.log(cb.stoppedEpoch, cb.stoppedBatch, history.epoch.length); // 0 2 1
 * ```
 */
export function terminateOnNaN(options?: TerminateOnNaNOptions): TerminateOnNaNCallback {
  const fn = 'terminateOnNaN';
  const o = checkOptions<TerminateOnNaNOptions>(fn, options, TERMINATE_ON_NAN_OPTIONS);
  return new TerminateOnNaN(checkFunction(fn, 'log', o.log ?? printLine));
}
