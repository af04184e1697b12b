import { cast, serialization, tidy } from '@tensorflow/tfjs-core';
import type { Tensor } from '@tensorflow/tfjs-core';
import { layers } from '@tensorflow/tfjs-layers';
import type { Shape } from '@tensorflow/tfjs-layers';
import type { RandomGenerator } from '../../../core/random.js';
import { firstShape, layerSeed, singleInput } from '../../../core/layerOptions.js';
import type { LayerArgs } from '../../../core/layerOptions.js';
import { invalidArgument } from '../../../core/validate.js';
import { checkImageShape } from '../../_internal/batch.js';

type ConfigDict = serialization.ConfigDict;

type Kwargs = Parameters<layers.Layer['call']>[1];

// The layer options every factory shares live in core (the layers module uses them too); re-exported for augment.
export { checkArgs, checkLayerOptions, LAYER_ARGS } from '../../../core/layerOptions.js';
export type { Layer, LayerArgs } from '../../../core/layerOptions.js';

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
    ({ seed: this.seed, rng: this.rng } = layerSeed(fn, args.seed));
    this.factoryName = fn;
    this.imagesOnly = imagesOnly;
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape | Shape[] {
    checkRank(this.factoryName, firstShape(inputShape), this.imagesOnly);
    return inputShape;
  }

  override call(inputs: Tensor | Tensor[], kwargs: Kwargs): Tensor {
    return tidy(() => {
      this.invokeCallHook(inputs, kwargs);
      const x = singleInput(this.factoryName, inputs);
      checkRank(this.factoryName, x.shape, this.imagesOnly);
      if (this.imagesOnly) checkImageShape(this.factoryName, 'input shape', x.shape);
      const input = x.dtype === 'float32' ? x : cast(x, 'float32');
      // No images, nothing to draw or transform (and no zero-size tensor reaches a kernel).
      if (x.shape[0] === 0) return this.empty(input);
      // Keras' rule: random only when training (model.fit passes training: true), else the inference form.
      return kwargs?.['training'] ? this.augment(input) : this.infer(input);
    });
  }

  /** The training-time transform of a float32 input; runs inside tidy. */
  protected abstract augment(x: Tensor): Tensor;

  /** The inference form of a float32 input (Keras' layers: the identity, but for a crop's centre window). */
  protected infer(x: Tensor): Tensor {
    return x;
  }

  /** The output for a batch of no images: the input, unless the layer changes the image size. */
  protected empty(x: Tensor): Tensor {
    return x;
  }

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
