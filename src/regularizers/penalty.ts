import { addN, scalar, tidy } from '@tensorflow/tfjs-core';
import type { Scalar } from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { invalidArgument } from '../core/validate.js';

/**
 * The model's total regularization penalty: the sum of every layer's regularization losses
 * (kernel and bias regularizers, nested models included, and the penalty of the last call of an
 * `activityRegularization` layer from `tfjs-regularization/layers`: tfjs-layers' own
 * `activityRegularizer` option is not supported), evaluated on the current weights.
 *
 * tfjs-layers adds these penalties to the training loss but leaves them out of `val_loss` and
 * `model.evaluate`; Keras includes them in both. Add `penalty(model)` to a validation loss to get
 * Keras' figure (see docs/regularizers.md).
 *
 * @param model - A tfjs-layers model (Sequential or functional).
 * @returns A scalar tensor the caller owns (0 when the model has no regularizers).
 * @throws Error naming `penalty` and `model` when the argument is not a tfjs-layers model.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { layers, sequential } from '@tensorflow/tfjs-layers';
 * import { l2, penalty } from 'tfjs-regularization/regularizers';
 *
 * const model = sequential({ layers: [
 *   layers.dense({ inputShape: [2], units: 1, kernelInitializer: 'ones', kernelRegularizer: l2(0.1) }),
 * ] });
 * const p = penalty(model);
 * console.log(p.dataSync()[0]); // 0.1 * (1 + 1) = 0.2
 * p.dispose();
 * ```
 */
export function penalty(model: LayersModel): Scalar {
  if (model == null || !Array.isArray((model as { layers?: unknown }).layers)) {
    throw invalidArgument('penalty', 'model', model, 'a tfjs-layers LayersModel');
  }
  return tidy(() => {
    const losses: Scalar[] = [];
    collect(model, new Set(), losses);
    if (losses.length === 0) return scalar(0);
    return addN(losses) as Scalar;
  });
}

interface LayerLike {
  readonly losses?: ReadonlyArray<() => Scalar>;
  readonly layers?: readonly LayerLike[];
}

// Walks the layer graph instead of calling model.calculateLosses(): a Sequential keeps its layers in
// an inner model, so its own calculateLosses() sees none. A shared layer is counted once, as in Keras.
function collect(layer: LayerLike, seen: Set<LayerLike>, out: Scalar[]): void {
  if (seen.has(layer)) return;
  seen.add(layer);
  for (const lossFn of layer.losses ?? []) out.push(lossFn());
  for (const child of layer.layers ?? []) collect(child, seen, out);
}
