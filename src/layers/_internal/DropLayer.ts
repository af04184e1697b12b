import { cast, greaterEqual, mul, scalar, serialization, tensor, tidy, zeros } from '@tensorflow/tfjs-core';
import type { Tensor } from '@tensorflow/tfjs-core';
import { layers } from '@tensorflow/tfjs-layers';
import type { Shape } from '@tensorflow/tfjs-layers';
import { firstShape, layerSeed, singleInput } from '../../core/layerOptions.js';
import type { LayerArgs } from '../../core/layerOptions.js';
import { uint32s } from '../../core/random.js';
import type { RandomGenerator } from '../../core/random.js';
import { checkOneOf, invalidArgument } from '../../core/validate.js';

type ConfigDict = serialization.ConfigDict;
type Kwargs = Parameters<layers.Layer['call']>[1];

/** tfjs-layers' two image layouts (its own names; saved configs hold Keras' channels_last / channels_first). */
export type DataFormat = 'channelsLast' | 'channelsFirst';

/** A drop rate in [0, 1): at 1 nothing would be kept and the 1/(1 - rate) scale would be infinite. */
export function checkRate(fn: string, value: unknown): number {
  if (typeof value !== 'number' || !(value >= 0 && value < 1))
    throw invalidArgument(fn, 'rate', value, 'a number in [0, 1)');
  return value;
}

/** An optional data format, tfjs' default 'channelsLast' when undefined or null (a saved config's null). */
export function checkDataFormat(fn: string, value: unknown): DataFormat {
  return checkOneOf(fn, 'dataFormat', value ?? 'channelsLast', ['channelsLast', 'channelsFirst'] as const);
}

/**
 * What the seeded dropout layers share: a rate, a generator seeded once per layer (each training
 * call draws fresh masks from its stream), identity outside training and at rate 0, and masks drawn
 * in JavaScript from the concrete input shape, so that a seed gives the same masks on every backend
 * and nothing is read back from the device.
 */
export abstract class DropLayer extends layers.Layer {
  readonly rate: number;
  /** The seed given (null: a fresh one was drawn, and a reloaded layer draws another, as in Keras). */
  readonly seed: number | null;
  protected readonly rng: RandomGenerator;
  protected readonly factoryName: string;

  constructor(fn: string, args: LayerArgs & { rate: number; seed?: number | null }) {
    super(args);
    this.rate = checkRate(fn, args.rate);
    ({ seed: this.seed, rng: this.rng } = layerSeed(fn, args.seed));
    this.factoryName = fn;
    this.supportsMasking = true;
  }

  /** Throws, naming the factory, for an input shape the layer cannot take (checked at build and at call). */
  protected checkShape(shape: readonly (number | null)[]): void {
    if (shape.length < 1) throw invalidArgument(this.factoryName, 'input shape', shape, 'at least rank 1');
  }

  override build(inputShape: Shape | Shape[]): void {
    this.checkShape(firstShape(inputShape));
    this.built = true;
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape | Shape[] {
    this.checkShape(firstShape(inputShape));
    return inputShape;
  }

  override call(inputs: Tensor | Tensor[], kwargs: Kwargs): Tensor {
    return tidy(() => {
      this.invokeCallHook(inputs, kwargs);
      const x = singleInput(this.factoryName, inputs);
      this.checkShape(x.shape);
      // Keras' rule: random only when training (model.fit passes training: true), else the identity.
      if (!kwargs?.['training'] || this.rate === 0 || x.size === 0) return x;
      return this.drop(x.dtype === 'float32' ? x : cast(x, 'float32'));
    });
  }

  /** The training-time output of a non-empty float32 input; runs inside tidy. */
  protected abstract drop(x: Tensor): Tensor;

  /** The layer's own options beside rate and seed, as the factory takes them (tfjs snake-cases them on save). */
  protected options(): ConfigDict {
    return {};
  }

  /**
   * A keep mask of the given shape, one Bernoulli(1 - rate) draw per element, kept entries scaled by
   * 1/(1 - rate) (inverted dropout: the expected output is the input).
   */
  protected keepMask(shape: number[]): Tensor {
    const size = shape.reduce((a, b) => a * b, 1);
    // A unit is dropped where its draw w (a 32-bit word, uniform() = w / 2^32) is below rate · 2^32, that
    // is w < ceil(rate · 2^32). The words go to the device with their sign bit flipped (int32 w − 2^31,
    // order-preserving) and are compared there: a comparison per unit in JavaScript mispredicts half its
    // branches at rate 0.5, several times the cost of generating the words.
    const limit = Math.ceil(this.rate * 2 ** 32);
    if (limit > 2 ** 32 - 1) return zeros(shape);
    const words = new Int32Array(uint32s(this.rng, size).buffer);
    for (let i = 0; i < size; i++) words[i] = words[i]! ^ -2147483648;
    const kept = greaterEqual(tensor(words, shape, 'int32'), scalar(limit - 2 ** 31, 'int32'));
    return mul(cast(kept, 'float32'), scalar(1 / (1 - this.rate)));
  }

  override getConfig(): ConfigDict {
    return { rate: this.rate, ...this.options(), seed: this.seed, ...super.getConfig() };
  }
}
