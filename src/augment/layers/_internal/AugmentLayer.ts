import { cast, serialization, tidy } from '@tensorflow/tfjs-core';
import type { Tensor, Tensor4D } from '@tensorflow/tfjs-core';
import { layers } from '@tensorflow/tfjs-layers';
import type { Shape } from '@tensorflow/tfjs-layers';
import type { Layer, LayerArgs } from '@tensorflow/tfjs-layers/dist/engine/topology';
import type { Kwargs } from '@tensorflow/tfjs-layers/dist/types';
import { affineTransform } from '../../functional/affineTransform.js';
import { randomGenerator } from '../../../core/random.js';
import type { RandomGenerator } from '../../../core/random.js';
import { checkSampling } from '../../_internal/affineFusion.js';
import type { AffineSampling } from '../../_internal/affineFusion.js';
import { freshSeed } from '../../_internal/defineAugmentation.js';
import { describeValue, invalidArgument } from '../../../core/validate.js';

type ConfigDict = serialization.ConfigDict;

/**
 * tfjs-layers' `Layer` base class: not exported by name, and model loading only accepts instances
 * of it. GaussianNoise extends it directly; the probe gets an explicit name so that no layer-name
 * counter moves (users' auto-generated names stay as without this library).
 */
export const LayerBase: typeof Layer = Object.getPrototypeOf(
  layers.gaussianNoise({ stddev: 0, name: 'tfjs_regularization_layer_probe' }).constructor,
) as typeof Layer;

export type { Layer, LayerArgs };

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
export abstract class AugmentLayer extends LayerBase {
  /** The seed given (null: a fresh one was drawn, and a reloaded layer draws another, as in Keras). */
  readonly seed: number | null;
  protected readonly rng: RandomGenerator;
  protected readonly factoryName: string;
  private readonly imagesOnly: boolean;

  constructor(fn: string, args: LayerArgs & { seed?: number | null }, imagesOnly: boolean) {
    super(args);
    const seed = args.seed ?? null;
    if (seed !== null && !Number.isInteger(seed)) throw invalidArgument(fn, 'seed', seed, 'an integer');
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
      const input = x.dtype === 'float32' ? x : cast(x, 'float32');
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

/** How a Keras geometric layer resamples (Keras 3's defaults). */
export interface SamplingArgs {
  /** What points outside the image read (see affineTransform; 'reflect' is dcba|abcd|dcba). @defaultValue 'reflect' */
  fillMode?: AffineSampling['fillMode'];
  /** Resampling. @defaultValue 'bilinear' */
  interpolation?: AffineSampling['interpolation'];
  /** Fill value for fillMode 'constant'. @defaultValue 0 */
  fillValue?: number;
}

/**
 * A Keras geometric layer: per sample one 8-entry tf.image.transform row, drawn in JavaScript,
 * applied in a single resampling pass.
 */
export abstract class AffineLayer extends AugmentLayer {
  protected readonly sampling: AffineSampling;

  constructor(fn: string, args: LayerArgs & SamplingArgs & { seed?: number | null }) {
    super(fn, args, true);
    this.sampling = checkSampling(fn, args, 'reflect');
  }

  /** Per sample, the row mapping output (x, y) to the input point it reads. */
  protected abstract rows(batch: number, height: number, width: number): number[][];

  protected augment(x: Tensor): Tensor {
    const [batch, height, width] = x.shape as [number, number, number, number];
    if (batch === 0) return x;
    return affineTransform(x as Tensor4D, this.rows(batch, height, width), this.sampling);
  }

  protected samplingConfig(): ConfigDict {
    return { ...this.sampling };
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
