import * as tf from '@tensorflow/tfjs-core';
import type { Tensor4D } from '@tensorflow/tfjs-core';
import type { RandomGenerator } from '../../core/random.js';
import { checkOptions, checkProbability, invalidArgument } from '../../core/validate.js';
import type { Augmentation, BatchInfo } from '../augmentation.js';
import { checkApplied, checkParamsObject, passLabels } from './batch.js';
import { defineAugmentation } from './defineAugmentation.js';

/** The parameters of a photometric augmentation: the per-image gate and one array of numbers per parameter. */
export type PhotometricParams<K extends string> = { applied: boolean[] } & { [k in K]: number[] };

/** One drawn per-image parameter: how it is drawn and which values a replayed call may carry. */
export interface ParamSpec {
  draw(rng: RandomGenerator): number;
  /** True when a value is acceptable to the functional op (a finite float32, an integer of bits, ...). */
  valid(v: number): boolean;
  expected: string;
}

export interface PhotometricParts<K extends string> {
  name: string;
  seed: number | undefined;
  p: number;
  /** The colour ops take RGB only: other channel counts are an error naming the augmentation. */
  rgb?: boolean;
  /** Keras' own per-image probability (RandomInvert, RandomGrayscale, RandomGaussianBlur), drawn after `p`'s. */
  rate?: (rng: RandomGenerator) => boolean;
  params: { [k in K]: ParamSpec };
  /** The functional op on the whole batch with one value per image; the wrapper's tidy owns what it makes. */
  transform(images: Tensor4D, values: { [k in K]: number[] }): Tensor4D;
}

/**
 * The one shape of every photometric augmentation: per image, the `p` gate (and Keras' own rate), then
 * each parameter drawn whether or not the image is gated in, so that the stream of draws does not
 * depend on the gate's outcomes; apply runs the op on the whole batch and keeps the input where the
 * gate is off (a `where` on a `[batch, 1, 1, 1]` mask: no data-dependent shape, nothing read back).
 */
export function photometricAugmentation<K extends string>(
  parts: PhotometricParts<K>,
): Augmentation<PhotometricParams<K>> {
  const { name, p } = parts;
  const keys = Object.keys(parts.params) as K[];
  const expected = `{applied${keys.map((k) => `, ${k}`).join('')}}`;
  return defineAugmentation<PhotometricParams<K>>({
    name,
    seed: parts.seed,
    sample: ({ batchSize }, rng) => {
      const applied: boolean[] = [];
      const values = Object.fromEntries(keys.map((k) => [k, [] as number[]])) as { [k in K]: number[] };
      for (let i = 0; i < batchSize; i++) {
        const gate = rng.bernoulli(p);
        const keras = parts.rate === undefined ? true : parts.rate(rng);
        applied.push(gate && keras);
        for (const k of keys) values[k].push(parts.params[k].draw(rng));
      }
      return { applied, ...values } as PhotometricParams<K>;
    },
    checkParams: (params, info) => {
      const o = checkParamsObject(name, params, expected);
      checkApplied(name, o['applied'], info);
      for (const k of keys) checkValues(name, k, o[k], info.batchSize, parts.params[k]);
      if (parts.rgb === true) checkRgb(name, info);
    },
    apply: (batch, params, info) => {
      const labels = passLabels(batch);
      const count = params.applied.filter(Boolean).length;
      if (count === 0) return { images: tf.clone(batch.images), ...labels };
      const values = Object.fromEntries(keys.map((k) => [k, params[k]])) as unknown as { [k in K]: number[] };
      const out = parts.transform(batch.images, values);
      return { images: gateImages(batch.images, out, params.applied, info), ...labels };
    },
  });
}

/** `out` where the gate is on, the input elsewhere (`out` itself when every image is gated in). */
export function gateImages(images: Tensor4D, out: Tensor4D, applied: readonly boolean[], info: BatchInfo): Tensor4D {
  if (applied.every(Boolean)) return out;
  const mask = tf.reshape(tf.tensor1d(applied as boolean[], 'bool'), [info.batchSize, 1, 1, 1]);
  return tf.where(mask, out, images) as Tensor4D;
}

export function checkValues(fn: string, key: string, v: unknown, batch: number, spec: ParamSpec): void {
  if (!Array.isArray(v) || v.length !== batch || !v.every((x) => typeof x === 'number' && spec.valid(x))) {
    throw invalidArgument(fn, `params.${key}`, v, `${batch} numbers (one per image), each ${spec.expected}`);
  }
}

/** The colour augmentations read three channels as R, G and B. */
export function checkRgb(fn: string, info: BatchInfo): void {
  if (info.channels !== 3) {
    throw invalidArgument(
      fn,
      'batch.images shape',
      [info.batchSize, info.height, info.width, info.channels],
      'RGB images [batch, height, width, 3]',
    );
  }
}

/**
 * A Keras factor as `[lower, upper]` within `bounds`: a pair (sorted, as Keras sorts it), or one number `f`,
 * read as `[-f, f]` (`symmetric`), `[0, f]` (`fromZero`) or `[f, f]` (`both`, a contrast's lower = upper),
 * clipped to the bounds as Keras' `_set_factor`.
 */
export function checkFactor(
  fn: string,
  arg: string,
  value: unknown,
  bounds: readonly [number, number],
  scalar: 'symmetric' | 'fromZero' | 'both',
): [number, number] {
  const [lo, hi] = bounds;
  const inBounds = (v: unknown): v is number => typeof v === 'number' && v >= lo && v <= hi;
  const expected = `a number in [${lo}, ${hi}] or [lower, upper] of two such numbers`;
  if (inBounds(value)) {
    const f = Math.abs(value);
    if (scalar === 'both') return [f, f];
    return scalar === 'symmetric' ? [Math.max(-f, lo), Math.min(f, hi)] : [Math.max(0, lo), Math.min(f, hi)];
  }
  if (Array.isArray(value) && value.length === 2 && value.every(inBounds)) {
    const [a, b] = value as [number, number];
    return a <= b ? [a, b] : [b, a];
  }
  throw invalidArgument(fn, arg, value, expected);
}

/** The options of a photometric augmentation, with `p` checked: the first step of each factory. */
export function photometricOptions<T extends { p?: number }>(
  fn: string,
  options: unknown,
  known: readonly string[],
  defaultP = 1,
): { o: Partial<T>; p: number } {
  const o = checkOptions<T>(fn, options, known);
  return { o, p: checkProbability(fn, o.p ?? defaultP) };
}

/** A uniform draw in `[lo, hi]` (the generator's `uniform` wants lo <= hi: a degenerate range is its one value). */
export function uniformIn([lo, hi]: readonly [number, number]): (rng: RandomGenerator) => number {
  return (rng) => (lo === hi ? lo : rng.uniform(lo, hi));
}

export const FINITE: Pick<ParamSpec, 'valid' | 'expected'> = {
  valid: (v) => Number.isFinite(v) && Math.abs(v) <= 3.4028234663852886e38,
  expected: 'a finite float32 number',
};
