import { Callback } from '@tensorflow/tfjs-layers';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { findEma } from '../core/optimizerStack.js';
import type { EmaWeights } from '../core/optimizerStack.js';
import { checkBoolean, checkOptions, invalidArgument, optionNames } from '../core/validate.js';
import { hookEvaluation } from './_internal/evaluationHook.js';

/** Options of {@link swapEmaWeights}; names and defaults are Keras'. */
export interface SwapEmaWeightsOptions {
  /**
   * Also hold the EMA weights in the model from each epoch's end to the next epoch's start, so the
   * epoch-end callbacks placed after this one (a checkpoint, say) see them. Keras: `swap_on_epoch`.
   * @defaultValue false
   */
  swapOnEpoch?: boolean;
}

const SWAP_EMA_WEIGHTS_OPTIONS = optionNames<SwapEmaWeightsOptions>()('swapOnEpoch');

/** The callback {@link swapEmaWeights} returns. */
export interface SwapEmaWeightsCallback extends Callback {
  /** Whether the model's variables hold the EMA weights now (the raw ones being in the EMA's keeping). */
  readonly emaInModel: boolean;
}

interface TrainingModel {
  isTraining: boolean;
  history: unknown;
}

class SwapEmaWeights extends Callback implements SwapEmaWeightsCallback {
  emaInModel = false;
  private ema: EmaWeights | undefined;
  private unhook: (() => void) | undefined;
  // The History of the fit this callback serves: a hook left behind by a fit that threw does nothing later.
  private session: unknown;

  constructor(private readonly swapOnEpoch: boolean) {
    super();
  }

  override async onTrainBegin(): Promise<void> {
    this.release();
    // A fit that threw while the averages were in the model: give the raw weights back first.
    if (this.emaInModel && this.ema !== undefined) this.swap(false);
    const optimizer = this.model.optimizer;
    const ema = findEma(optimizer);
    if (ema === undefined) {
      const name = typeof optimizer?.getClassName === 'function' ? optimizer.getClassName() : optimizer;
      throw invalidArgument('swapEmaWeights', 'model.optimizer', name, 'an optimizer keeping an EMA (withEma)');
    }
    this.ema = ema;
    this.emaInModel = false;
    this.session = (this.model as unknown as TrainingModel).history;
    this.unhook = hookEvaluation(this.model, () => this.swapIn());
  }

  override async onEpochBegin(): Promise<void> {
    if (this.swapOnEpoch && this.emaInModel) this.swap(false);
  }

  override async onEpochEnd(): Promise<void> {
    if (this.swapOnEpoch && !this.emaInModel && this.ema?.hasAverages() === true) this.swap(true);
  }

  override async onTrainEnd(): Promise<void> {
    const ema = this.ema;
    this.release();
    if (ema === undefined) return;
    if (this.emaInModel) this.swap(false);
    // Keras' fit ends by assigning the averages to the model (optimizer.finalize_variable_values);
    // tfjs' fit has no such step, so the callback takes it.
    if (ema.hasAverages()) ema.finalizeWeights();
    this.ema = undefined;
  }

  /** Swaps the EMA weights in for an evaluation run by this fit; returns how to swap them out, if it did. */
  private swapIn(): (() => void) | undefined {
    const model = this.model as LayersModel & TrainingModel;
    const ours = model.isTraining && model.history === this.session;
    if (!ours || this.emaInModel || this.ema?.hasAverages() !== true) return undefined;
    this.swap(true);
    return () => this.swap(false);
  }

  private swap(emaInModel: boolean): void {
    this.ema!.swapWeights();
    this.emaInModel = emaInModel;
  }

  private release(): void {
    this.unhook?.();
    this.unhook = undefined;
  }
}

/**
 * Keras 3's `SwapEMAWeights` for tfjs: with an optimizer keeping an exponential moving average of
 * the weights (`withEma` from `tfjs-regularization/optimizers`, alone or inside other wrappers),
 * validation during `fit` / `fitDataset` sees the EMA weights while training continues on the raw
 * ones. With `swapOnEpoch`, the EMA weights also stay in the model from each epoch's end to the
 * next epoch's start, so the epoch-end callbacks placed after this one (a `modelCheckpoint`) see
 * and save them; the callbacks before it still see the raw weights, as in Keras.
 *
 * tfjs calls no `onTestBegin`/`onTestEnd` during fit, so for the duration of training the callback
 * wraps the model's two evaluation entries that fit's validation uses (`testLoop`, which
 * `model.evaluate` runs too, and `evaluateDataset`) to swap the averages in and back around them,
 * and removes the wrappers at train end; a wrapper left by a fit that threw does nothing. Any
 * `evaluate` of the model while this fit runs (e.g. by another callback) therefore sees the EMA
 * weights too. `fit` validates inside a `tidy`, so the EMA's `swapWeights` must keep what it stores
 * (variables do). Before the first training step there are no averages, and nothing is swapped.
 *
 * At train end the raw weights come back, then the model takes the averages, as Keras' `fit` does
 * with `use_ema=True` (tfjs' `fit` has no such step, so the callback does it). One deliberate
 * difference: Keras 3.15 with `swap_on_epoch=True` leaves the raw weights in the model when training
 * stops before the last epoch (its final swap bookkeeping runs only at `epochs - 1`); here the model
 * ends with the averages whether training stopped early or not.
 *
 * @param options - Keras' arguments, camel-cased.
 * @returns A tfjs-layers callback; `onTrainBegin` throws, naming `swapEmaWeights`, when the
 * model's optimizer keeps no EMA.
 * @throws Error naming `swapEmaWeights`, the option and the value for bad options.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import * as tfl from '@tensorflow/tfjs-layers';
 * import { swapEmaWeights } from 'tfjs-regularization/callbacks';
 *
 * const model = tfl.sequential({ layers: [tfl.layers.dense({ inputShape: [1], units: 1 })] });
 * // A plain optimizer keeps no averages: the callback refuses it when training begins.
 * model.compile({ optimizer: tf.train.sgd(0.1), loss: 'meanSquaredError' });
 * const x = tf.ones([2, 1]);
 * const message = await model
 *   .fit(x, x, { epochs: 1, verbose: 0, callbacks: [swapEmaWeights({ swapOnEpoch: true })] })
 *   .catch((e: Error) => e.message);
 * console.log(message.startsWith('swapEmaWeights: model.optimizer must be an optimizer keeping an EMA')); // true
 * ```
 */
export function swapEmaWeights(options?: SwapEmaWeightsOptions): SwapEmaWeightsCallback {
  const fn = 'swapEmaWeights';
  const o = checkOptions<SwapEmaWeightsOptions>(fn, options, SWAP_EMA_WEIGHTS_OPTIONS);
  return new SwapEmaWeights(checkBoolean(fn, 'swapOnEpoch', o.swapOnEpoch ?? false));
}
