import { mul, serialization } from '@tensorflow/tfjs-core';
import type { Tensor } from '@tensorflow/tfjs-core';
import { checkLayerOptions, LAYER_ARGS } from '../core/layerOptions.js';
import type { Layer, LayerArgs } from '../core/layerOptions.js';
import { registerOnce } from '../core/serialization.js';
import { invalidArgument, optionNames } from '../core/validate.js';
import { DropLayer } from './_internal/DropLayer.js';

type ConfigDict = serialization.ConfigDict;

/** Options of `dropout` (Keras 3 `Dropout`), plus tfjs' LayerArgs. */
export interface DropoutOptions extends LayerArgs {
  /** Fraction of the input units to drop, in [0, 1). Required. Keras: `rate`. */
  rate: number;
  /**
   * Shape of the keep/drop mask, one entry per input axis: a positive integer (1 shares the mask along
   * that axis) or null (that axis' size, each unit its own draw). Keras: `noise_shape`.
   * @defaultValue null (the input's shape: one draw per unit)
   */
  noiseShape?: (number | null)[] | null;
  /** Seed of the layer's generator; equal seeds give equal masks. Keras: `seed`. @defaultValue a fresh random seed */
  seed?: number | null;
}

const DROPOUT_OPTIONS = optionNames<DropoutOptions>()('rate', 'noiseShape', 'seed', ...LAYER_ARGS);

function checkNoiseShape(value: unknown): (number | null)[] | null {
  if (value === undefined || value === null) return null;
  if (!Array.isArray(value) || !value.every((d) => d === null || (Number.isInteger(d) && (d as number) >= 1))) {
    throw invalidArgument('dropout', 'noiseShape', value, 'null or an array of positive integers and nulls');
  }
  return [...(value as (number | null)[])];
}

/** Keras 3 Dropout with a mask drawn per training call from the layer's seeded generator. */
export class SeededDropout extends DropLayer {
  static className = 'SeededDropout';
  readonly noiseShape: (number | null)[] | null;

  constructor(args: DropoutOptions) {
    super('dropout', args);
    this.noiseShape = checkNoiseShape(args.noiseShape);
  }

  protected override checkShape(shape: readonly (number | null)[]): void {
    super.checkShape(shape);
    const noise = this.noiseShape;
    if (noise === null) return;
    // Keras broadcasts the mask against the input: each given size is the axis' own or 1.
    const fits =
      noise.length === shape.length &&
      noise.every((d, i) => d === null || d === 1 || shape[i] == null || d === shape[i]);
    if (!fits) {
      throw invalidArgument(
        this.factoryName,
        'noiseShape',
        noise,
        `one entry per axis of the input shape [${shape.map(String).join(',')}], each null, 1 or the axis' size`,
      );
    }
  }

  protected drop(x: Tensor): Tensor {
    const shape = this.noiseShape === null ? x.shape : this.noiseShape.map((d, i) => d ?? x.shape[i]!);
    return mul(x, this.keepMask(shape));
  }

  protected override options(): ConfigDict {
    return { noiseShape: this.noiseShape };
  }
}

/**
 * Keras 3's `Dropout` layer with a seed that seeds a sequence, not one mask: while training, each unit
 * is kept with probability 1 − rate and scaled by 1/(1 − rate), the mask drawn afresh on every training
 * call from the layer's seeded generator (in JavaScript, so the same seed gives the same masks on every
 * backend); at inference (and at rate 0) it is the identity.
 *
 * tfjs-layers' own `tf.layers.dropout({ seed })` hands the same seed to `tf.dropout` on every call, so a
 * seeded tfjs layer drops the same units at every step of training: a fixed thinned network, not
 * dropout. Unseeded, it draws fresh masks but cannot repeat a run. This layer does both.
 * Saves and loads with the model (class name `SeededDropout`, config rate, noise_shape, seed).
 *
 * @param options - `rate` (required), `noiseShape`, `seed`, and tfjs' layer options (`name`, `inputShape`, ...).
 * @returns A tfjs-layers `Layer`.
 * @throws Error naming `dropout`, the option and the value for a missing rate or one outside [0, 1), a bad
 *   noise shape (at construction, or at build when it does not fit the input), a non-integer seed or an
 *   unknown option.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { dropout } from 'tfjs-regularization/layers';
 *
 * const drop = dropout({ rate: 0.5, seed: 1 });
 * const x = tf.ones([4, 8]);
 * const first = (drop.apply(x, { training: true }) as tf.Tensor).dataSync();
 * const second = (drop.apply(x, { training: true }) as tf.Tensor).dataSync();
 * console.log(Array.from(new Set(first)).sort().join(',')); // 0,2
 * console.log(first.join() === second.join()); // a fresh mask on each training call: false
 * const inference = drop.apply(x) as tf.Tensor;
 * console.log(tf.all(tf.equal(inference, x)).dataSync()[0]); // identity: 1
 * ```
 */
export function dropout(options: DropoutOptions): Layer {
  registerOnce(SeededDropout);
  return new SeededDropout(checkLayerOptions('dropout', options, DROPOUT_OPTIONS, ['rate'], ['seed', 'noiseShape']));
}
