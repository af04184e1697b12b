import * as tf from '@tensorflow/tfjs-core';
import type { Tensor } from '@tensorflow/tfjs-core';
import { perAxis } from './grids.js';
import type { FillMode } from './options.js';

/** Clamps coordinates laid out [2 (x, y), points] to per-axis bounds. */
function clampAxes(t: Tensor, lo: readonly [number, number], hi: readonly [number, number]): Tensor {
  return tf.minimum(tf.maximum(t, perAxis(lo[0], lo[1])), perAxis(hi[0], hi[1]));
}

/**
 * Maps input coordinates, laid out [2 (x, y), points], the way TensorFlow's
 * ImageProjectiveTransform kernel (and tfjs-cpu's Transform) does before interpolating, so every
 * fill mode except 'constant' ends inside [0, len - 1].
 *
 * 'constant' coordinates arrive shifted by +1 into an image framed with the fill value, and are
 * clamped to that frame, [0, len + 1]: every point beyond it reads only fill-valued taps anyway,
 * so the clamp changes no value but keeps indices bounded.
 */
export function mapCoordinates(xy: Tensor, mode: FillMode, width: number, height: number): Tensor {
  const last: [number, number] = [width - 1, height - 1];
  switch (mode) {
    case 'constant':
      return clampAxes(xy, [0, 0], [width + 1, height + 1]);
    case 'nearest':
      return clampAxes(xy, [0, 0], last);
    case 'reflect':
      return clampAxes(reflect(xy, width, height), [0, 0], last);
    case 'wrap':
      return clampAxes(wrap(xy, width, height), [0, 0], last);
  }
}

/**
 * Half-sample symmetric reflection, [dcba|abcd|dcba]. With u = c mod 2·len, TensorFlow's branches
 * (u when u < len, else 2·len − 1 − u) agree after the final clamp with the single expression
 * (len − ½) − |u − (len − ½)|: the two only differ for u in (len − 1, len), where both clamp to
 * len − 1. tfjs-backend-wasm differs here (it reflects negative coordinates as if they were
 * positive, an unsigned-arithmetic slip); this follows TensorFlow and tfjs-cpu.
 */
function reflect(xy: Tensor, width: number, height: number): Tensor {
  const mid = perAxis(width - 0.5, height - 0.5);
  const u = tf.mod(xy, perAxis(2 * width, 2 * height));
  return tf.sub(mid, tf.abs(tf.sub(u, mid)));
}

/**
 * TensorFlow's wrap, quirks included: the number of periods is counted with len − 1 but each
 * period shifts by len, so [abcd|abcd] holds only near the image; further out it matches the
 * kernel, not an ideal tiling.
 */
function wrap(xy: Tensor, width: number, height: number): Tensor {
  const s = tf.div(xy, perAxis(Math.max(width - 1, 1), Math.max(height - 1, 1)));
  const zero = perAxis(0, 0);
  const below = tf.less(xy, zero);
  const above = tf.greater(xy, perAxis(width - 1, height - 1));
  const periods = tf.where(below, tf.sub(tf.ceil(s), perAxis(1, 1)), tf.where(above, tf.floor(s), tf.zerosLike(s)));
  return tf.sub(xy, tf.mul(periods, perAxis(width, height)));
}
