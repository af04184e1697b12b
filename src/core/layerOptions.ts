import type { Tensor } from '@tensorflow/tfjs-core';
import type { layers, Shape } from '@tensorflow/tfjs-layers';
import { checkSeed, freshSeed, randomGenerator } from './random.js';
import type { RandomGenerator } from './random.js';
import { checkOptions, describeValue, invalidArgument, optionNames } from './validate.js';
import type { NullableKeys } from './validate.js';

/** A tfjs-layers layer (tfjs-layers exports the class as `layers.Layer`). */
export type Layer = layers.Layer;
/**
 * tfjs' base layer options (`name`, `inputShape`, `trainable`, ...), typed from the class so that no deep import is
 * needed.
 */
export type LayerArgs = NonNullable<ConstructorParameters<typeof layers.Layer>[0]>;

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

/**
 * A layer factory's options: an object (with the `required` keys) whose every key is known, and
 * null only for the `nullable` ones (checkOptions' rule). The check is the factory's, not the
 * constructor's: configs written by Keras or by another version may hold keys this version does
 * not use, and loading them must not fail. A factory that lists no `nullable` keys leaves null to
 * its own checks (the augmentation layers, for now).
 */
export function checkLayerOptions<T extends object>(
  fn: string,
  value: unknown,
  known: readonly string[],
  required: readonly string[],
  nullable?: readonly NullableKeys<T>[],
): T {
  checkOptions<T>(fn, value, known, nullable ?? (known as readonly NullableKeys<T>[]));
  return checkArgs<T>(fn, value, required);
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

/**
 * A layer's Keras `seed` and the generator it seeds: null or absent draws a fresh seed (kept as
 * null in the config, so a reloaded layer draws another, as in Keras).
 */
export function layerSeed(fn: string, value: number | null | undefined): { seed: number | null; rng: RandomGenerator } {
  const seed = value ?? null;
  if (seed !== null) checkSeed(fn, 'seed', seed);
  return { seed, rng: randomGenerator(seed ?? freshSeed()) };
}

/** The one input tensor of a single-input layer. */
export function singleInput(fn: string, inputs: Tensor | Tensor[]): Tensor {
  if (Array.isArray(inputs) && inputs.length !== 1) {
    throw invalidArgument(fn, 'inputs', `${inputs.length} tensors`, 'exactly one tensor');
  }
  return Array.isArray(inputs) ? inputs[0]! : inputs;
}

/** The first shape of a computeOutputShape/build argument (a single-input layer gets one). */
export function firstShape(inputShape: Shape | Shape[]): Shape {
  return (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as Shape;
}
