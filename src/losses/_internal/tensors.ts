import * as tf from '@tensorflow/tfjs-core';
import { describeValue } from '../../core/validate.js';

/** Keras' `backend.epsilon()`: probabilities are clipped to [EPSILON, 1 - EPSILON] before their log. */
export const EPSILON = 1e-7;

/** Duck-typed, so tensors from another copy of tfjs-core (e.g. the one tfjs-node bundles) pass too. */
function isTensor(v: unknown): v is tf.Tensor {
  const t = v as tf.Tensor | null;
  return t != null && typeof t === 'object' && typeof t.rank === 'number' && Array.isArray(t.shape);
}

const shapeText = (t: tf.Tensor): string => `[${t.shape.join(', ')}]`;

/** Same wording as invalidArgument, with a tensor shown by its shape. */
export function shapeError(fn: string, yTrue: tf.Tensor, yPred: tf.Tensor, expected: string): Error {
  return new Error(
    `${fn}: yTrue and yPred must ${expected}, got yTrue ${shapeText(yTrue)} and yPred ${shapeText(yPred)}`,
  );
}

/** The two arguments of a loss call, checked to be tensors of a real or integer dtype. */
export function checkTensors(fn: string, yTrue: unknown, yPred: unknown): [tf.Tensor, tf.Tensor] {
  for (const [arg, value] of [
    ['yTrue', yTrue],
    ['yPred', yPred],
  ] as const) {
    if (!isTensor(value)) throw new Error(`${fn}: ${arg} must be a tensor, got ${describeValue(value)}`);
    if (value.dtype !== 'float32' && value.dtype !== 'int32' && value.dtype !== 'bool')
      throw new Error(`${fn}: ${arg} must be a float32 or int32 tensor, got a ${value.dtype} tensor`);
  }
  return [yTrue as tf.Tensor, yPred as tf.Tensor];
}

/**
 * Keras' `squeeze_or_expand_to_same_rank(y_true, y_pred)`, which its loss wrapper applies before
 * every loss: when the ranks differ by one and the longer tensor ends in a dimension of 1, that
 * dimension is dropped, except that a rank-1 partner gets one added instead (so `[batch]` labels
 * meet a `[batch, 1]` model output as `[batch, 1]`). Returns shapes only: reshapes are free.
 */
export function kerasSameRank(a: readonly number[], b: readonly number[]): [number[], number[]] {
  let x = [...a];
  let y = [...b];
  if (x.length === y.length + 1 && x[x.length - 1] === 1) {
    if (y.length === 1) y = [...y, 1];
    else x = x.slice(0, -1);
  } else if (y.length === x.length + 1 && y[y.length - 1] === 1) {
    if (x.length === 1) x = [...x, 1];
    else y = y.slice(0, -1);
  }
  return [x, y];
}

/** The same shape, or an error naming the loss and both shapes. */
export function checkSameShape(
  fn: string,
  yTrue: tf.Tensor,
  yPred: tf.Tensor,
  trueShape: number[],
  predShape: number[],
): void {
  if (trueShape.length !== predShape.length || trueShape.some((d, i) => d !== predShape[i]))
    throw shapeError(fn, yTrue, yPred, 'have the same shape');
}

/** `axis` (negative counts from the end) as an index into a shape of `rank`, or an error naming the loss. */
export function resolveAxis(fn: string, axis: number, rank: number): number {
  if (axis < -rank || axis >= rank) {
    throw new Error(`${fn}: axis must be in [${-rank}, ${rank - 1}] for yPred of rank ${rank}, got ${axis}`);
  }
  return axis < 0 ? axis + rank : axis;
}

/** Float32 math whatever the labels' dtype (int32 one-hot, bool targets): Keras casts to y_pred's float dtype. */
export function asFloat(t: tf.Tensor, shape: number[]): tf.Tensor {
  const f = t.dtype === 'float32' ? t : tf.cast(t, 'float32');
  return tf.reshape(f, shape);
}

/**
 * Gives a loss function a name: tfjs-layers shows a function passed as a metric by its `name`,
 * and the arrow function would otherwise be anonymous.
 */
export function named<F extends (...args: never[]) => unknown>(fn: F, name: string): F {
  Object.defineProperty(fn, 'name', { value: name, configurable: true });
  return fn;
}
