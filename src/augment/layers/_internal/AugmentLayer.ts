import { cast, serialization, tidy } from '@tensorflow/tfjs-core';
import type { Tensor, Tensor4D } from '@tensorflow/tfjs-core';
import { layers } from '@tensorflow/tfjs-layers';
import type { Shape } from '@tensorflow/tfjs-layers';
import { checkSeed, freshSeed, randomGenerator } from '../../../core/random.js';
import type { RandomGenerator } from '../../../core/random.js';
import { checkOptions, describeValue, invalidArgument, optionNames } from '../../../core/validate.js';
import { checkImageShape } from '../../_internal/batch.js';
import { checkResampleOptions } from '../../_internal/resample/options.js';
import type { ResampleOptions } from '../../_internal/resample/options.js';
import { affineTransform } from '../../functional/affineTransform.js';

type ConfigDict = serialization.ConfigDict;

/** A tfjs-layers layer (tfjs-layers exports the class as `layers.Layer`). */
export type Layer = layers.Layer;
/**
 * tfjs' base layer options (`name`, `inputShape`, `trainable`, ...), typed from the class so that no deep import is
 * needed.
 */
export type LayerArgs = NonNullable<ConstructorParameters<typeof layers.Layer>[0]>;
type Kwargs = Parameters<layers.Layer['call']>[1];

/** tfjs' own layer options, which every layer factory accepts beside its own. */
export const LAYER_ARGS: readonly (keyof LayerArgs & string)[] = optionNames<LayerArgs>()(
  'inputShape',
  'batchInputShape',
  'batchSize',
  'dtype',
  'name',
  'trainable',
  'weights',
  'inputDType',
);

/** The options of a Keras geometric layer beside its factors. */
export const KERAS_AFFINE_ARGS: readonly (keyof KerasAffineOptions & string)[] = optionNames<KerasAffineOptions>()(
  'fillMode',
  'interpolation',
  'fillValue',
  'seed',
  ...LAYER_ARGS,
);

/**
 * A layer factory's options: an object (with the `required` keys) whose every key is known. The
 * check is the factory's, not the constructor's: configs written by Keras or by another version
 * may hold keys this version does not use, and loading them must not fail.
 */
export function checkLayerOptions<T extends object>(
  fn: string,
  value: unknown,
  known: readonly string[],
  required: readonly string[],
): T {
  checkOptions<T>(fn, value, known);
  return checkArgs<T>(fn, value, required);
}

/** A shape that rejects everything but float32 NHWC images, or any rank when `images` is false. */
function checkRank(fn: string, shape: readonly (number | null)[], images: boolean): void {
  if (images && shape.length !== 4) {
    throw invalidArgument(fn, 'input shape', shape, 'rank 4, [batch, height, width, channels]');
  }
}

/**
 * What every augmentation layer shares: the seeded generator, identity outside training, the
 * Keras `seed` in the config, and no data-dependent reads (parameters are drawn in JavaScript).
 */
export abstract class AugmentLayer extends layers.Layer {
  /** The seed given (null: a fresh one was drawn, and a reloaded layer draws another, as in Keras). */
  readonly seed: number | null;
  protected readonly rng: RandomGenerator;
  protected readonly factoryName: string;
  private readonly imagesOnly: boolean;

  constructor(fn: string, args: LayerArgs & { seed?: number | null }, imagesOnly: boolean) {
    super(args);
    const seed = args.seed ?? null;
    if (seed !== null) checkSeed(fn, 'seed', seed);
    this.seed = seed;
    this.rng = randomGenerator(seed ?? freshSeed());
    this.factoryName = fn;
    this.imagesOnly = imagesOnly;
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape | Shape[] {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as Shape;
    checkRank(this.factoryName, shape, this.imagesOnly);
    return inputShape;
  }

  override call(inputs: Tensor | Tensor[], kwargs: Kwargs): Tensor {
    return tidy(() => {
      this.invokeCallHook(inputs, kwargs);
      if (Array.isArray(inputs) && inputs.length !== 1) {
        throw invalidArgument(this.factoryName, 'inputs', `${inputs.length} tensors`, 'exactly one tensor');
      }
      const x = Array.isArray(inputs) ? inputs[0]! : inputs;
      checkRank(this.factoryName, x.shape, this.imagesOnly);
      if (this.imagesOnly) checkImageShape(this.factoryName, 'input shape', x.shape);
      const input = x.dtype === 'float32' ? x : cast(x, 'float32');
      // No images, nothing to draw or transform (and no zero-size tensor reaches a kernel).
      if (x.shape[0] === 0) return input;
      // Keras' rule: random only when training (model.fit passes training: true), else the identity.
      return kwargs?.['training'] ? this.augment(input) : input;
    });
  }

  /** The training-time transform of a float32 input; runs inside tidy. */
  protected abstract augment(x: Tensor): Tensor;

  /** The layer's own options, as the factory takes them (camelCase; tfjs snake-cases them on save). */
  protected abstract options(): ConfigDict;

  override getConfig(): ConfigDict {
    return { ...this.options(), seed: this.seed, ...super.getConfig() };
  }
}

export type FactorRange = [number, number];

/** A Keras factor as the options take it: f (meaning [-|f|, |f|]) or [lower, upper]. */
export type Factor = number | [number, number];

/**
 * A Keras factor: a number f in [-1, 1] means [-|f|, |f|]; a pair means [lower, upper] (sorted, as
 * Keras does). Null only where the option allows it (RandomZoom's width factor).
 */
export function checkFactor(fn: string, name: string, value: unknown): FactorRange {
  const inRange = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && Math.abs(v) <= 1;
  if (inRange(value)) return [-Math.abs(value), Math.abs(value)];
  if (Array.isArray(value) && value.length === 2 && value.every(inRange)) {
    const [a, b] = value as [number, number];
    return a <= b ? [a, b] : [b, a];
  }
  throw invalidArgument(fn, name, value, 'a number in [-1, 1] or a pair [lower, upper] of numbers in [-1, 1]');
}

/** The original factor value for the config (a pair stays a pair). */
export function factorConfig(value: unknown): number | number[] {
  return Array.isArray(value) ? [...(value as number[])] : (value as number);
}

/**
 * Options shared by the Keras geometric layers, plus tfjs' LayerArgs (`name`, `inputShape`, ...).
 * Saved configs use Keras' names: fill_mode, interpolation, fill_value, seed.
 */
export interface KerasAffineOptions extends LayerArgs {
  /**
   * What points outside the image read (see affineTransform; 'reflect' is dcba|abcd|dcba). Keras: `fill_mode`.
   * @defaultValue 'reflect'
   */
  fillMode?: 'constant' | 'reflect' | 'wrap' | 'nearest';
  /** Resampling. Keras: `interpolation`. @defaultValue 'bilinear' */
  interpolation?: 'nearest' | 'bilinear';
  /** Fill value for fillMode 'constant'. Keras: `fill_value`. @defaultValue 0 */
  fillValue?: number;
  /**
   * Seed of the layer's generator; equal seeds give equal augmentations. Keras: `seed`.
   * @defaultValue a fresh random seed
   */
  seed?: number | null;
}

/**
 * A Keras geometric layer: per sample one 8-entry tf.image.transform row, drawn in JavaScript,
 * applied in a single resampling pass.
 */
export abstract class AffineLayer extends AugmentLayer {
  protected readonly resampling: ResampleOptions;

  constructor(fn: string, args: KerasAffineOptions) {
    super(fn, args, true);
    this.resampling = checkResampleOptions(fn, args, 'reflect');
  }

  /** Per sample, the row mapping output (x, y) to the input point it reads. */
  protected abstract rows(batch: number, height: number, width: number): number[][];

  protected augment(x: Tensor): Tensor {
    const [batch, height, width] = x.shape as [number, number, number, number];
    return affineTransform(x as Tensor4D, this.rows(batch, height, width), this.resampling);
  }

  protected samplingConfig(): ConfigDict {
    return { ...this.resampling };
  }
}

/** Why a layer factory got no options object: names the factory and the value. */
export function checkArgs<T extends object>(fn: string, value: unknown, required: readonly string[]): T {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw invalidArgument(fn, 'options', value, 'an options object');
  }
  for (const key of required) {
    if ((value as Record<string, unknown>)[key] === undefined) {
      throw new Error(`${fn}: ${key} is required, got options ${describeValue(value)}`);
    }
  }
  return value as T;
}
