import { mul } from '@tensorflow/tfjs-core';
import type { Tensor } from '@tensorflow/tfjs-core';
import { checkLayerOptions, LAYER_ARGS } from '../core/layerOptions.js';
import type { Layer, LayerArgs } from '../core/layerOptions.js';
import { registerOnce } from '../core/serialization.js';
import { invalidArgument, optionNames } from '../core/validate.js';
import { DropLayer } from './_internal/DropLayer.js';

/** Options of `dropPath` (stochastic depth; timm `DropPath`, KerasCV `DropPath`), plus tfjs' LayerArgs. */
export interface DropPathOptions extends LayerArgs {
  /** Probability of dropping a sample's branch, in [0, 1). Required. timm: `drop_prob`; KerasCV: `rate`. */
  rate: number;
  /** Seed of the layer's generator; equal seeds give equal masks. @defaultValue a fresh random seed */
  seed?: number | null;
}

const DROP_PATH_OPTIONS = optionNames<DropPathOptions>()('rate', 'seed', ...LAYER_ARGS);

/** timm drop_path with scale_by_keep: x · keep / (1 − rate), one Bernoulli(1 − rate) keep per sample. */
export class DropPath extends DropLayer {
  static className = 'DropPath';

  constructor(args: DropPathOptions) {
    super('dropPath', args);
  }

  protected override checkShape(shape: readonly (number | null)[]): void {
    if (shape.length < 2) throw invalidArgument(this.factoryName, 'input shape', shape, 'rank >= 2, [batch, ...]');
  }

  protected drop(x: Tensor): Tensor {
    return mul(x, this.keepMask([x.shape[0]!, ...x.shape.slice(1).map(() => 1)]));
  }
}

/**
 * Stochastic depth (Huang et al. 2016) as timm's `DropPath` / KerasCV's `DropPath` define it:
 * while training each sample's input is kept with probability 1 − rate and scaled by 1/(1 − rate)
 * (timm's `scale_by_keep`), or zeroed whole; at inference (and at rate 0) it is the identity.
 *
 * Put it on a residual branch, before the addition (`add([x, dropPath(branch(x))])`): a dropped
 * sample then skips the block. One draw per sample (mask `[batch, 1, ..., 1]`), in JavaScript from
 * the layer's seeded generator, so the same seed gives the same masks on every backend. Saves and
 * loads with the model (class name `DropPath`, config rate, seed).
 *
 * @param options - `rate` (required), `seed`, and tfjs' layer options (`name`, `inputShape`, ...).
 * @returns A tfjs-layers `Layer` for inputs of rank 2 or more (`[batch, ...]`).
 * @throws Error naming `dropPath`, the option and the value for a missing rate or one outside
 *   [0, 1), a non-integer seed or an unknown option.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { dropPath } from 'tfjs-regularization/layers';
 *
 * const drop = dropPath({ rate: 0.25, seed: 2 });
 * const branch = tf.ones([8, 3]);
 * const y = drop.apply(branch, { training: true }) as tf.Tensor;
 * // Each sample is all 0 or all 1 / (1 - 0.25).
 * const rows = tf.sub(tf.max(y, 1), tf.min(y, 1));
 * console.log(tf.max(rows).dataSync()[0]); // 0
 * console.log(Array.from(new Set(y.dataSync())).map((v) => v.toFixed(4)).sort().join(',')); // 0.0000,1.3333
 * ```
 */
export function dropPath(options: DropPathOptions): Layer {
  registerOnce(DropPath);
  return new DropPath(checkLayerOptions('dropPath', options, DROP_PATH_OPTIONS, ['rate'], ['seed']));
}
