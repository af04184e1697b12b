import * as tf from '@tensorflow/tfjs-core';
import type { Tensor, Tensor1D, Tensor4D } from '@tensorflow/tfjs-core';
import { cachedScalar } from '../../../core/constantCache.js';
import { checkFloat32, describeValue, invalidArgument } from '../../../core/validate.js';

/** A parameter of a photometric op: one number for the batch, or one value per image. */
export type PerSample = number | readonly number[] | Tensor1D;

/** Duck-typed, so tensors from another copy of tfjs-core (e.g. bundled by tfjs-node) pass too. */
export function isTensor(v: unknown): v is Tensor {
  const t = v as Tensor | null;
  return (
    t != null &&
    typeof t === 'object' &&
    typeof t.rank === 'number' &&
    Array.isArray(t.shape) &&
    typeof t.dtype === 'string'
  );
}

function tensorError(fn: string, arg: string, t: Tensor, expected: string): Error {
  return new Error(`${fn}: ${arg} must be ${expected}, got a ${t.dtype} tensor of shape [${t.shape.join(', ')}]`);
}

/**
 * `images` of a photometric op: a float32 `[batch, height, width, channels]` tensor with a pixel and
 * a channel (an empty batch is fine), with exactly 3 channels for the colour ops.
 */
export function checkImages(fn: string, images: unknown, rgb = false): [number, number, number, number] {
  const what = rgb ? 'a float32 Tensor4D [batch, height, width, 3] (RGB)' : 'a float32 Tensor4D';
  if (!isTensor(images)) throw invalidArgument(fn, 'images', images, `${what} [batch, height, width, channels]`);
  if (images.rank !== 4) throw tensorError(fn, 'images', images, 'a rank-4 tensor [batch, height, width, channels]');
  if (images.dtype !== 'float32') throw tensorError(fn, 'images', images, 'a float32 tensor');
  const [batch, height, width, channels] = images.shape as [number, number, number, number];
  if (height < 1 || width < 1 || channels < 1) {
    throw tensorError(fn, 'images', images, 'at least one pixel high and wide, with at least one channel');
  }
  if (rgb && channels !== 3) throw tensorError(fn, 'images', images, 'RGB images: 3 channels in the last axis');
  return [batch, height, width, channels];
}

/**
 * A per-sample parameter: a number, an array of one number per image, or a 1-D float32 (or int32)
 * tensor of batch length. Numbers are checked by `check`; a tensor's values are not, since that would
 * read them back from the device.
 */
export function checkPerSample(
  fn: string,
  arg: string,
  value: unknown,
  batch: number,
  check: (fn: string, arg: string, v: unknown) => number,
): PerSample {
  if (typeof value === 'number') return check(fn, arg, value);
  const expected = `a number or one value per image (${batch} numbers, or a 1-D tensor of length ${batch})`;
  if (isTensor(value)) {
    if (value.rank !== 1 || value.shape[0] !== batch) throw tensorError(fn, arg, value, expected);
    if (value.dtype !== 'float32' && value.dtype !== 'int32') throw tensorError(fn, arg, value, 'a float32 tensor');
    return value as Tensor1D;
  }
  if (!Array.isArray(value)) throw invalidArgument(fn, arg, value, expected);
  if (value.length !== batch) {
    throw new Error(`${fn}: ${arg} must be ${expected}, got ${value.length} values: ${describeValue(value)}`);
  }
  return value.map((v, i) => check(fn, `${arg}[${i}]`, v));
}

/** A per-sample parameter as a tensor that broadcasts against `[batch, h, w, c]`. Call inside a tidy. */
export function perSampleTensor(value: PerSample, batch: number): Tensor {
  if (typeof value === 'number') return cachedScalar(value);
  if (isTensor(value)) return tf.reshape(tf.cast(value, 'float32'), [batch, 1, 1, 1]);
  return tf.tensor4d(value as number[], [batch, 1, 1, 1], 'float32');
}

/** Any number a float32 holds finitely. */
export function finite(fn: string, arg: string, v: unknown): number {
  return checkFloat32(fn, arg, v);
}

/** `options.valueRange`: `[low, high]`, finite, low < high; `[0, 1]` when undefined. */
export function checkValueRange(fn: string, value: unknown): [number, number] {
  if (value === undefined) return [0, 1];
  const ok =
    Array.isArray(value) &&
    value.length === 2 &&
    value.every((v) => typeof v === 'number' && Math.abs(v) <= 3.4e38) &&
    (value[0] as number) < (value[1] as number);
  if (!ok) throw invalidArgument(fn, 'options.valueRange', value, '[low, high], two finite numbers with low < high');
  return value as [number, number];
}

/** Keras' ops work in [0, 255] and skip the conversion when the range already is that (it matters to the floors). */
export function is255(range: readonly [number, number]): boolean {
  return range[0] === 0 && range[1] === 255;
}

/** An empty batch comes back empty, of the op's output shape. */
export function emptyResult(shape: readonly number[]): Tensor4D {
  return tf.zeros(shape as [number, number, number, number]);
}

/** `tf.tidy` for an op whose result has the images' rank. */
export function tidy4d(fn: () => Tensor): Tensor4D {
  return tf.tidy(fn) as Tensor4D;
}
