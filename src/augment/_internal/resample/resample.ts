import * as tf from '@tensorflow/tfjs-core';
import type { Tensor, Tensor2D, Tensor4D } from '@tensorflow/tfjs-core';
import { cachedConstant, cachedScalar } from '../../../core/constantCache.js';
import { mapCoordinates } from './fillModes.js';
import { gatherOffsets, perAxis, pixelGrid } from './grids.js';
import { nativeResample } from './native.js';
import { wholePixelResample } from './wholePixels.js';
import type { ResampleSettings } from './options.js';

/**
 * Resamples a batch the way tf.image.transform does, from portable ops: one matMul for every
 * coordinate, elementwise fill-mode mapping, and ONE gatherND for every tap of every pixel (on
 * tfjs-node, gather over ~100k indices is an order of magnitude slower than gatherND). Coordinates
 * are laid out [2 (x, y), points] so that splitting axes, taps and rows are contiguous copies, and
 * op count is kept low: on tfjs-node each op costs tens of microseconds before any arithmetic.
 *
 * Rows that move whole pixels along the axes (crops, flips) are two gathers on every backend
 * (wholePixels.ts). Otherwise, on tfjs-node, outside a gradient tape, TensorFlow's own kernel for
 * these semantics runs instead (native.ts); the tests hold every path to the same reference.
 *
 * `transforms` are validated 8-vectors (one, shared by the batch, or one per image), or a
 * [1 | batch, 8] tensor. Inputs are not disposed; the result is the caller's.
 */
export function resample(
  images: Tensor4D,
  transforms: readonly (readonly number[])[] | Tensor2D,
  s: ResampleSettings,
): Tensor4D {
  return tf.tidy(
    () =>
      wholePixelResample(images, transforms, s) ??
      nativeResample(images, transforms, s) ??
      sampleFramed(images, sourcePoints(transforms, frameBefore(s), s.outHeight, s.outWidth, images.shape[0]), s),
  );
}

/**
 * The same sampler at arbitrary points: `xy` holds, per output pixel, the INPUT coordinates to read
 * (pixel centres at integers), laid out [2 (x row, y row), batch · outHeight · outWidth] with points
 * row-major over (image, y, x), the sampler's own layout, so no transpose is needed. Inputs are not
 * disposed; the result is the caller's.
 */
export function resampleAt(images: Tensor4D, xy: Tensor2D, s: ResampleSettings): Tensor4D {
  const expected = [2, images.shape[0] * s.outHeight * s.outWidth];
  if (xy.shape[0] !== expected[0] || xy.shape[1] !== expected[1]) {
    throw new Error(`resampleAt: coordinates must have shape [${expected.join(', ')}], got [${xy.shape.join(', ')}]`);
  }
  return tf.tidy(() => {
    const before = frameBefore(s);
    const shifted = before === 0 ? xy : tf.add(xy, perAxis(before, before));
    return sampleFramed(images, { xy: shifted, shared: false }, s);
  });
}

/**
 * Constant mode samples the image framed by the fill value, so coordinates are shifted by this
 * much (+1) before the fill-mode mapping.
 */
function frameBefore(s: ResampleSettings): number {
  return s.fillMode === 'constant' ? 1 : 0;
}

/** The shared part: maps shifted source points through the fill mode and interpolates, in the caller's tidy. */
function sampleFramed(images: Tensor4D, source: SourcePoints, s: ResampleSettings): Tensor4D {
  const [batch, height, width, channels] = images.shape;
  const constant = s.fillMode === 'constant';
  const bilinear = s.interpolation === 'bilinear';
  const points = s.outHeight * s.outWidth;
  // A bilinear tap may step one past the last row or column with weight exactly 0, which the
  // wider frame, or outside constant mode a short tail after the last image, keeps in bounds.
  const before = frameBefore(s);
  const after = constant ? (bilinear ? 2 : 1) : 0;
  const stride = width + before + after;
  const imageStride = (height + before + after) * stride;
  const { xy, atInfinity, shared } = source;
  const mapped = mapCoordinates(xy, s.fillMode, width, height);
  const framed = constant
    ? tf.pad(
        images,
        [
          [0, 0],
          [before, after],
          [before, after],
          [0, 0],
        ],
        s.fillValue,
      )
    : images;
  let pixels = tf.reshape(framed, channels === 1 ? [batch * imageStride] : [batch * imageStride, channels]);
  if (bilinear && !constant) {
    const tailShape = [stride + 1, ...pixels.shape.slice(1)];
    pixels = tf.concat([pixels, cachedConstant(`zeros:${tailShape.join('x')}`, () => tf.zeros(tailShape))], 0);
  }
  const strideRow = cachedConstant(`stride:${stride}`, () => tf.tensor2d([1, stride], [1, 2]));
  // Row vector of flat indices, [1, points] (a transposed matMul giving a column is several times
  // slower on tfjs-node). tfjs-wasm's broadcasting int32 add is much slower than its float add, so
  // there the offsets are added in float32 (exact while indices stay below 2^24); elsewhere the
  // int32 add beats casting four times as many floats.
  const exact = tf.getBackend() === 'wasm' && batch * imageStride + stride + 1 < 2 ** 24;
  const flatIndex = (corner: Tensor): Tensor => tf.matMul(strideRow, corner as Tensor2D);
  const gatherFrom = (base: Tensor, taps: readonly number[]): Tensor => {
    const offsets = gatherOffsets(taps, batch, points, imageStride, shared, exact ? 'float32' : 'int32');
    const indices = exact ? tf.cast(tf.add(base, offsets), 'int32') : tf.add(tf.cast(base, 'int32'), offsets);
    return tf.gatherND(pixels, tf.expandDims(indices, -1));
  };
  const perPoint = (t: Tensor): Tensor => (channels === 1 ? t : tf.reshape(t, [-1, 1]));
  let out: Tensor;
  if (bilinear) {
    const corner = tf.floor(mapped);
    const [fx, fy] = tf.unstack(tf.sub(mapped, corner)).map(perPoint) as [Tensor, Tensor];
    // Taps ordered (x0, y0), (x0, y1), (x1, y0), (x1, y1): the first split gives both rows of each column.
    const [left, right] = tf.split(gatherFrom(flatIndex(corner), [0, stride, 1, stride + 1]), 2, 0) as [Tensor, Tensor];
    const [top, bottom] = tf.unstack(tf.add(left, tf.mul(fx, tf.sub(right, left))));
    out = tf.add(top!, tf.mul(fy, tf.sub(bottom!, top!)));
  } else {
    const nearest = roundHalfAway(mapped, constant);
    out = gatherFrom(flatIndex(nearest), [0]);
  }
  if (atInfinity !== undefined) {
    const fill = cachedScalar(s.fillValue);
    out = tf.where(perPoint(tf.reshape(atInfinity, [-1])), fill, out);
  }
  return tf.reshape(out, [batch, s.outHeight, s.outWidth, channels]) as Tensor4D;
}

/**
 * std::round (halves away from zero), as the TensorFlow and tfjs-wasm kernels round. floor(c + ½)
 * agrees for c ≥ 0, which covers every mode but 'constant'; there the one negative half still
 * inside the frame, −½ (shifted to +½), must land on the fill column rather than on the image.
 */
function roundHalfAway(c: Tensor, constant: boolean): Tensor {
  const half = perAxis(0.5, 0.5);
  const up = tf.floor(tf.add(c, half));
  return constant ? tf.where(tf.equal(c, half), perAxis(0, 0), up) : up;
}

interface SourcePoints {
  /** Input coordinates (shifted by the frame), [2 (x, y), transforms * points]. */
  xy: Tensor;
  /** Whether one transform serves the whole batch (points are then not repeated per image). */
  shared: boolean;
  /** Where the projective denominator is 0 (the output is the fill value), [1, transforms * points]. */
  atInfinity?: Tensor;
}

function sourcePoints(
  transforms: readonly (readonly number[])[] | Tensor2D,
  shift: number,
  outHeight: number,
  outWidth: number,
  batch: number,
): SourcePoints {
  const grid = pixelGrid(outHeight, outWidth);
  const n = Array.isArray(transforms) ? transforms.length : (transforms as Tensor2D).shape[0];
  const shared = n === 1 && batch > 1;
  if (Array.isArray(transforms)) {
    const projective = transforms.some((t) => t[6] !== 0 || t[7] !== 0);
    const rows = projective ? 3 : 2;
    // Rows: every x row, then every y row (then every depth row), so the product is [rows, n·points].
    // The frame shift s is folded in: x + s = (a·p + s·k) / k.
    const data = new Float32Array(rows * n * 3);
    transforms.forEach((t, i) => {
      const [c0, c1] = [t[6]!, t[7]!];
      data.set([t[0]! + shift * c0, t[1]! + shift * c1, t[2]! + shift], i * 3);
      data.set([t[3]! + shift * c0, t[4]! + shift * c1, t[5]! + shift], (n + i) * 3);
      if (projective) data.set([c0, c1, 1], (2 * n + i) * 3);
    });
    const product = tf.reshape(tf.matMul(tf.tensor2d(data, [rows * n, 3]), grid), [rows, -1]);
    return projective ? { ...divideByDepth(product), shared } : { xy: product, shared };
  }
  // Same layout from a tensor: [n, 8] · K + bias gives each row's (x row, y row, depth row).
  const fold = cachedConstant(`fold:${shift}`, () => {
    const k = new Float32Array(8 * 9);
    for (let i = 0; i < 8; i++) k[i * 9 + i] = 1;
    // a0 += s·c0, a1 += s·c1, b0 += s·c0, b1 += s·c1 (a2 and b2 get + s from the bias).
    [
      [6, 0],
      [7, 1],
      [6, 3],
      [7, 4],
    ].forEach(([r, c]) => (k[r! * 9 + c!] = shift));
    return tf.tensor2d(k, [8, 9]);
  });
  const bias = cachedConstant(`foldBias:${shift}`, () => tf.tensor2d([0, 0, shift, 0, 0, shift, 0, 0, 1], [1, 9]));
  const rows = tf.add(tf.matMul(tf.cast(transforms, 'float32'), fold), bias);
  const byKind = tf.reshape(tf.transpose(tf.reshape(rows, [n, 3, 3]), [1, 0, 2]), [3 * n, 3]);
  return { ...divideByDepth(tf.reshape(tf.matMul(byKind, grid), [3, -1])), shared };
}

function divideByDepth(product: Tensor): { xy: Tensor; atInfinity: Tensor } {
  const [numerators, depth] = tf.split(product, [2, 1], 0) as [Tensor, Tensor];
  const atInfinity = tf.equal(depth, perAxis(0, 0));
  return { xy: tf.div(numerators, tf.where(atInfinity, tf.onesLike(depth), depth)), atInfinity };
}
