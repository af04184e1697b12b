import { div, keep, scalar, serialization, tidy } from '@tensorflow/tfjs-core';
import type { Scalar, Tensor } from '@tensorflow/tfjs-core';
import { layers } from '@tensorflow/tfjs-layers';
import type { Shape } from '@tensorflow/tfjs-layers';
import { checkLayerOptions, singleInput, LAYER_ARGS } from '../core/layerOptions.js';
import type { Layer, LayerArgs } from '../core/layerOptions.js';
import { registerOnce } from '../core/serialization.js';
import { checkNonNegative, optionNames } from '../core/validate.js';
import { normPenalty } from '../core/normPenalty.js';

type ConfigDict = serialization.ConfigDict;

const FN = 'activityRegularization';

/** Options of `activityRegularization` (Keras 3 `ActivityRegularization`), plus tfjs' LayerArgs. */
export interface ActivityRegularizationOptions extends LayerArgs {
  /** Factor of the sum of absolute activations, a number >= 0. Keras: `l1`. @defaultValue 0 */
  l1?: number;
  /** Factor of the sum of squared activations, a number >= 0. Keras: `l2`. @defaultValue 0 */
  l2?: number;
}

const ACTIVITY_REGULARIZATION_OPTIONS = optionNames<ActivityRegularizationOptions>()('l1', 'l2', ...LAYER_ARGS);

/**
 * Keras 3 ActivityRegularization: the identity, adding (l1·Σ|x| + l2·Σx²) / batch size to the
 * model's loss (Keras 3's Layer.__call__ divides an activity penalty by the batch size).
 *
 * tfjs-layers refuses a layer's own `activityRegularizer` at call time, but it adds every layer's
 * `losses` (thunks it calls after the forward pass of each training step, inside the gradient tape)
 * to the training loss. So each call computes its input's penalty, and the one loss thunk returns
 * (a copy of) the last one: in `fit` that is this step's, recorded on the tape, so its gradient
 * reaches the layers below. It is computed at call time rather than in the thunk because tfjs
 * disposes a model's intermediate activations when a call returns.
 */
export class ActivityRegularization extends layers.Layer {
  static className = 'ActivityRegularization';
  readonly l1: number;
  readonly l2: number;
  private last: Scalar | null = null;

  constructor(args: ActivityRegularizationOptions) {
    super(args);
    this.l1 = checkNonNegative(FN, 'l1', args.l1 ?? 0);
    this.l2 = checkNonNegative(FN, 'l2', args.l2 ?? 0);
    this.supportsMasking = true;
    // 0 before any call.
    this.addLoss(() => (this.last === null || this.last.isDisposed ? scalar(0) : this.last.clone()));
  }

  private penalty(x: Tensor): Scalar {
    return tidy(() => {
      // Keras divides with divide_no_nan: an empty batch adds 0.
      const batch = x.rank > 0 ? x.shape[0]! : 1;
      return batch === 0 ? scalar(0) : div(normPenalty(x, this.l1, this.l2), scalar(batch));
    });
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape | Shape[] {
    return inputShape;
  }

  override call(inputs: Tensor | Tensor[], kwargs: Parameters<layers.Layer['call']>[1]): Tensor {
    this.invokeCallHook(inputs, kwargs);
    const x = singleInput(FN, inputs);
    const previous = this.last;
    // Of the tensor itself, not a copy: the penalty must be a function of what the gradient tape recorded.
    // Kept out of the caller's tidy (a model's call runs in one), so that it outlives the call, as
    // Keras' layer.losses do; the previous one is disposed, so at most one scalar is held.
    this.last = keep(this.penalty(x));
    if (previous !== null && !previous.isDisposed) previous.dispose();
    return x;
  }

  override dispose(): ReturnType<layers.Layer['dispose']> {
    if (this.last !== null && !this.last.isDisposed) this.last.dispose();
    this.last = null;
    return super.dispose();
  }

  override getConfig(): ConfigDict {
    return { l1: this.l1, l2: this.l2, ...super.getConfig() };
  }
}

/**
 * Keras 3's `ActivityRegularization(l1, l2)` layer: the identity on its input, which adds
 * (l1 · Σ|x| + l2 · Σx²) / batch size to the training loss, as Keras 3.15 does (its layers divide
 * an activity penalty by the batch size). Place it after the layer whose output you want to keep
 * small or sparse; tfjs-layers' `activityRegularizer` option of `dense` and `conv2d` throws when the
 * layer is called, so this layer is the working way to get the penalty in tfjs.
 *
 * In `model.fit` the penalty of each step's activation is added to the loss `fit` reports and
 * minimizes (its gradient reaches the layers below). Like tfjs' weight regularizers it is not in
 * `model.evaluate` or `val_loss` (Keras includes it there); `penalty(model)` from
 * `tfjs-regularization/regularizers` computes it for the layer's last call. A layer used at
 * several places of a model (shared) penalizes its last call only. Saves and loads with the model
 * (class name `ActivityRegularization`, config l1, l2).
 *
 * @param options - `l1`, `l2` (both default 0), and tfjs' layer options (`name`, `inputShape`, ...).
 * @returns A tfjs-layers `Layer` (any input shape).
 * @throws Error naming `activityRegularization`, the option and the value for a negative or
 *   non-finite factor or an unknown option.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { activityRegularization } from 'tfjs-regularization/layers';
 *
 * const reg = activityRegularization({ l1: 0.1, l2: 0.01 });
 * const x = tf.tensor2d([[1, -2], [3, 0]]);
 * const y = reg.apply(x) as tf.Tensor;
 * console.log(Array.from(y.dataSync()).join(',')); // the identity: 1,-2,3,0
 * const [loss] = reg.calculateLosses();
 * console.log(loss!.dataSync()[0].toFixed(4)); // (0.1 * 6 + 0.01 * 14) / 2 = 0.3700
 * ```
 */
export function activityRegularization(options?: ActivityRegularizationOptions): Layer {
  registerOnce(ActivityRegularization);
  return new ActivityRegularization(checkLayerOptions(FN, options ?? {}, ACTIVITY_REGULARIZATION_OPTIONS, [], []));
}
