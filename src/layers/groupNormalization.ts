import { add, cast, moments, mul, neg, reshape, rsqrt, scalar, serialization, tidy } from '@tensorflow/tfjs-core';
import type { Tensor } from '@tensorflow/tfjs-core';
import { InputSpec, initializers, layers } from '@tensorflow/tfjs-layers';
import type { LayerVariable, Shape } from '@tensorflow/tfjs-layers';
import { checkLayerOptions, firstShape, singleInput, LAYER_ARGS } from '../core/layerOptions.js';
import type { Layer, LayerArgs } from '../core/layerOptions.js';
import { registerOnce } from '../core/serialization.js';
import { checkBoolean, checkInteger, checkNonNegative, invalidArgument, optionNames } from '../core/validate.js';

type ConfigDict = serialization.ConfigDict;

const FN = 'groupNormalization';

/** Options of `groupNormalization` (Keras 3 `GroupNormalization`), plus tfjs' LayerArgs. */
export interface GroupNormalizationOptions extends LayerArgs {
  /**
   * Number of groups the channels are split into: a positive integer dividing the channels, or -1
   * for one group per channel (instance normalization). Keras: `groups`.
   * @defaultValue 32
   */
  groups?: number;
  /** The channels axis (not the batch axis; negative counts from the end). Keras: `axis`. @defaultValue -1 */
  axis?: number;
  /** Added to the variance before the square root, a number >= 0. Keras: `epsilon`. @defaultValue 1e-3 */
  epsilon?: number;
  /** Whether to add the learned offset `beta`. Keras: `center`. @defaultValue true */
  center?: boolean;
  /** Whether to multiply by the learned scale `gamma`. Keras: `scale`. @defaultValue true */
  scale?: boolean;
}

const GROUP_NORMALIZATION_OPTIONS = optionNames<GroupNormalizationOptions>()(
  'groups',
  'axis',
  'epsilon',
  'center',
  'scale',
  ...LAYER_ARGS,
);

function checkGroups(value: unknown): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || (value < 1 && value !== -1)) {
    throw invalidArgument(FN, 'groups', value, 'a positive integer, or -1 (instance normalization)');
  }
  return value;
}

/**
 * Keras 3 GroupNormalization: the input is reshaped to split the channels axis into
 * (groups, channels / groups), normalized by the moments over every axis but the batch and the
 * group, then y = x·inv + (β − mean·inv) with inv = γ / sqrt(var + ε), Keras' own arrangement.
 */
export class GroupNormalization extends layers.Layer {
  static className = 'GroupNormalization';
  /** The groups: as given until the layer is built, then the resolved count (-1 becomes the channels), as in Keras. */
  groups: number;
  readonly axis: number;
  readonly epsilon: number;
  readonly center: boolean;
  readonly scale: boolean;
  private gamma: LayerVariable | null = null;
  private beta: LayerVariable | null = null;

  constructor(args: GroupNormalizationOptions) {
    super(args);
    this.groups = checkGroups(args.groups ?? 32);
    this.axis = checkInteger(FN, 'axis', args.axis ?? -1);
    this.epsilon = checkNonNegative(FN, 'epsilon', args.epsilon ?? 1e-3);
    this.center = checkBoolean(FN, 'center', args.center ?? true);
    this.scale = checkBoolean(FN, 'scale', args.scale ?? true);
    this.supportsMasking = true;
  }

  /** The channels axis as a positive index into a shape of the given rank; an error when it is the batch or beyond. */
  private channelsAxis(rank: number): number {
    const axis = this.axis < 0 ? rank + this.axis : this.axis;
    if (axis < 1 || axis >= rank) {
      throw invalidArgument(FN, 'axis', this.axis, `a non-batch axis of the rank-${rank} input`);
    }
    return axis;
  }

  override build(inputShape: Shape | Shape[]): void {
    const shape = firstShape(inputShape);
    const axis = this.channelsAxis(shape.length);
    const channels = shape[axis];
    if (channels == null) {
      throw invalidArgument(FN, 'input shape', shape, `a defined size on axis ${this.axis} (the channels)`);
    }
    const groups = this.groups === -1 ? channels : this.groups;
    if (channels < groups || channels % groups !== 0) {
      throw invalidArgument(FN, 'groups', this.groups, `a divisor of the ${channels} channels on axis ${this.axis}`);
    }
    this.groups = groups;
    this.inputSpec = [new InputSpec({ ndim: shape.length, axes: { [axis]: channels } })];
    // Keras' order: gamma, then beta.
    if (this.scale) this.gamma = this.addWeight('gamma', [channels], 'float32', initializers.ones());
    if (this.center) this.beta = this.addWeight('beta', [channels], 'float32', initializers.zeros());
    this.built = true;
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape | Shape[] {
    this.channelsAxis(firstShape(inputShape).length);
    return inputShape;
  }

  override call(inputs: Tensor | Tensor[], kwargs: Parameters<layers.Layer['call']>[1]): Tensor {
    return tidy(() => {
      this.invokeCallHook(inputs, kwargs);
      const input = singleInput(FN, inputs);
      const x = input.dtype === 'float32' ? input : cast(input, 'float32');
      if (x.size === 0) return x;
      const axis = this.channelsAxis(x.rank);
      const perGroup = x.shape[axis]! / this.groups;
      const grouped = [...x.shape];
      grouped.splice(axis, 1, this.groups, perGroup);
      const reshaped = reshape(x, grouped);
      const reduce = grouped.map((_, i) => i).filter((i) => i !== 0 && i !== axis);
      const { mean, variance } = moments(reshaped, reduce, true);
      const broadcast = grouped.map((_, i) => (i === axis ? this.groups : i === axis + 1 ? perGroup : 1));
      let inv = rsqrt(add(variance, scalar(this.epsilon)));
      if (this.gamma) inv = mul(inv, reshape(this.gamma.read(), broadcast));
      let offset = mul(neg(mean), inv);
      if (this.beta) offset = add(offset, reshape(this.beta.read(), broadcast));
      return reshape(add(mul(reshaped, inv), offset), x.shape);
    });
  }

  override getConfig(): ConfigDict {
    return {
      groups: this.groups,
      axis: this.axis,
      epsilon: this.epsilon,
      center: this.center,
      scale: this.scale,
      ...super.getConfig(),
    };
  }
}

/**
 * Keras 3's `GroupNormalization` layer (Wu & He 2018), which tfjs-layers does not have: the
 * channels are split into `groups` groups, and each sample's group is normalized by its own mean
 * and variance, then scaled by `gamma` and shifted by `beta` (one per channel). It behaves the same
 * in training and inference (no moving statistics), so it works with any batch size, even 1.
 *
 * The output is Keras' to float32 rounding (Keras' arrangement x·inv + (β − mean·inv), inv = γ /
 * sqrt(var + ε)); `groups: 1` is layer normalization over all non-batch axes, `groups: -1` (one
 * channel per group) instance normalization. The weights are Keras': `gamma` then `beta`, each of
 * shape `[channels]`, named `<layer name>/gamma` and `<layer name>/beta`, so Keras weights can be
 * set with `setWeights` in that order. Saves and loads with the model (class name
 * `GroupNormalization`, config groups, axis, epsilon, center, scale).
 *
 * @param options - `groups`, `axis`, `epsilon`, `center`, `scale`, and tfjs' layer options (`name`, `inputShape`, ...).
 * @returns A tfjs-layers `Layer`. Building it (on the first call, or in a model) throws an error naming
 *   `groupNormalization` when the channels are not a multiple of `groups` (or fewer), when the axis is
 *   the batch axis or beyond the rank, or when the channels' size is not defined.
 * @throws Error naming `groupNormalization`, the option and the value for groups that are neither a
 *   positive integer nor -1, a non-integer axis, a negative epsilon, a non-boolean center or scale,
 *   or an unknown option.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { groupNormalization } from 'tfjs-regularization/layers';
 *
 * const norm = groupNormalization({ groups: 2, name: 'norm' });
 * const x = tf.tensor2d([[1, 3, 10, 30]]); // one sample, 4 channels: groups [1, 3] and [10, 30]
 * const y = norm.apply(x) as tf.Tensor;
 * console.log(Array.from(y.dataSync()).map((v) => v.toFixed(2)).join(',')); // each group to ±1: -1.00,1.00,-1.00,1.00
 * console.log(norm.weights.map((w) => w.originalName).join(',')); // Keras' order: norm/gamma,norm/beta
 * ```
 */
export function groupNormalization(options?: GroupNormalizationOptions): Layer {
  registerOnce(GroupNormalization);
  return new GroupNormalization(checkLayerOptions(FN, options ?? {}, GROUP_NORMALIZATION_OPTIONS, [], []));
}
