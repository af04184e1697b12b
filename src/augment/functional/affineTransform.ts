import * as tf from '@tensorflow/tfjs-core';
import type { Tensor2D, Tensor4D } from '@tensorflow/tfjs-core';
import { resample } from '../_internal/resample/resample.js';
import type { FillMode, Interpolation } from '../_internal/resample/options.js';
import { checkOneOf, checkOptions, optionNames, invalidArgument, checkFloat32 } from '../../core/validate.js';

const FN = 'affineTransform';

/** Options of {@link affineTransform}; the names and defaults are tf.image.transform's. */
export interface AffineTransformOptions {
  /** How a point between pixels is read. tf.image.transform: `interpolation`. @defaultValue 'bilinear' */
  interpolation?: 'nearest' | 'bilinear';
  /**
   * What points outside the input read: `'constant'` the fill value (bilinear blends it with the
   * edge pixel within one pixel of the border, as tf.image.transform does), `'nearest'` the closest edge pixel,
   * `'reflect'` the image mirrored about its edge, half-sample symmetric (dcba|abcd|dcba, scipy's
   * and Keras' `'reflect'`), `'wrap'` the image repeated (with TensorFlow's kernel quirks far out).
   * tf.image.transform: `fill_mode`.
   * @defaultValue 'constant'
   */
  fillMode?: 'constant' | 'reflect' | 'wrap' | 'nearest';
  /**
   * The value of the fill in `'constant'` mode (and where a projective row sends a pixel to infinity).
   * tf.image.transform: `fill_value`.
   * @defaultValue 0
   */
  fillValue?: number;
  /** `[height, width]` of the output. tf.image.transform: `output_shape`. @defaultValue the input's size */
  outputShape?: [number, number];
}

const AFFINE_TRANSFORM_OPTIONS = optionNames<AffineTransformOptions>()(
  'interpolation',
  'fillMode',
  'fillValue',
  'outputShape',
);

/**
 * Applies a projective transform per image, with exactly `tf.image.transform`'s semantics, built
 * from portable ops so it runs on every backend (tf.image.transform has no kernel on tfjs-node and
 * the cpu kernel only transforms the first image of a batch). Everything stays on the device. On
 * tfjs-node, outside a gradient tape, TensorFlow's own kernel for the same semantics runs instead
 * (faster: docs/augment.md has the measured figures). There is no gradient with respect to the images on either path.
 *
 * Each transform row `[a0, a1, a2, b0, b1, b2, c0, c1]` maps an OUTPUT pixel (x = column, y = row)
 * to the INPUT point `((a0·x + a1·y + a2) / k, (b0·x + b1·y + b2) / k)` with `k = c0·x + c1·y + 1`;
 * pixel (x, y) has its centre at integer coordinates. Bilinear reads the four pixels around the
 * point (taps outside the image read the fill value in `'constant'` mode); nearest rounds halves
 * away from zero, as TensorFlow does. Where k = 0 the output is the fill value.
 *
 * One deliberate difference from a backend: for `'reflect'` this follows TensorFlow and tfjs-cpu,
 * whereas tfjs-wasm's kernel mis-reflects points left of or above the image.
 *
 * @param images - `[batch, height, width, channels]` float32 images, any channel count.
 * @param transforms - One 8-vector (applied to every image), or `[1 | batch, 8]` as nested arrays or a float32
 *    Tensor2D.
 * @param options - Interpolation, fill mode, fill value and output shape; see {@link AffineTransformOptions}.
 * @returns A new `[batch, outHeight, outWidth, channels]` float32 tensor (inputs are not disposed).
 * @throws Error naming `affineTransform`, the argument and the value for a non-rank-4 or non-float32
 *   `images`, transforms of the wrong shape or count, non-finite transform entries, an unknown
 *   interpolation or fill mode, a non-finite fill value or an outputShape that is not two positive integers.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { affineTransform } from 'tfjs-regularization/augment';
 *
 * const image = tf.tensor4d([1, 2, 3, 4, 5, 6], [1, 2, 3, 1]);
 * // Output pixel (x, y) reads input (x + 1, y): the image moves one column left.
 * const shifted = affineTransform(image, [1, 0, 1, 0, 1, 0, 0, 0], { fillMode: 'constant', fillValue: -1 });
 * console.log(Array.from(shifted.dataSync()).join(',')); // 2,3,-1,5,6,-1
 * const half = affineTransform(image, [1, 0, 0.5, 0, 1, 0, 0, 0], { fillMode: 'nearest' });
 * console.log(half.dataSync()[0]); // bilinear halfway between 1 and 2: 1.5
 * ```
 */
export function affineTransform(
  images: Tensor4D,
  transforms: Tensor2D | number[] | number[][],
  options?: AffineTransformOptions,
): Tensor4D {
  if (!isTensor(images)) throw invalidArgument(FN, 'images', images, 'a Tensor4D [batch, height, width, channels]');
  if (images.rank !== 4) throw tensorError('images', images, 'a rank-4 tensor [batch, height, width, channels]');
  if (images.dtype !== 'float32') throw tensorError('images', images, 'a float32 tensor');
  const [batch, height, width, channels] = images.shape;
  if (height < 1 || width < 1 || channels < 1) {
    throw tensorError('images', images, 'at least one pixel high and wide, with at least one channel');
  }
  const opts = checkOptions<AffineTransformOptions>(FN, options, AFFINE_TRANSFORM_OPTIONS);
  const interpolation = checkOneOf<Interpolation>(FN, 'options.interpolation', opts.interpolation ?? 'bilinear', [
    'nearest',
    'bilinear',
  ]);
  const fillMode = checkOneOf<FillMode>(FN, 'options.fillMode', opts.fillMode ?? 'constant', [
    'constant',
    'reflect',
    'wrap',
    'nearest',
  ]);
  const fillValue = checkFloat32(FN, 'options.fillValue', opts.fillValue ?? 0);
  const [outHeight, outWidth] = checkOutputShape(opts.outputShape, height, width);
  const rows = checkTransforms(transforms, batch);
  if (batch === 0) return tf.zeros([0, outHeight, outWidth, channels]);
  return resample(images, rows, { interpolation, fillMode, fillValue, outHeight, outWidth });
}

/** Duck-typed, so tensors from another copy of tfjs-core (e.g. bundled by tfjs-node) pass too. */
function isTensor(v: unknown): v is tf.Tensor {
  const t = v as tf.Tensor | null;
  return (
    t != null &&
    typeof t === 'object' &&
    typeof t.rank === 'number' &&
    Array.isArray(t.shape) &&
    typeof t.dtype === 'string'
  );
}

/** Same wording as invalidArgument, with the tensor described by dtype and shape. */
function tensorError(arg: string, t: tf.Tensor, expected: string): Error {
  return new Error(`${FN}: ${arg} must be ${expected}, got a ${t.dtype} tensor of shape [${t.shape.join(', ')}]`);
}

function checkOutputShape(value: unknown, height: number, width: number): [number, number] {
  if (value === undefined) return [height, width];
  const ok = Array.isArray(value) && value.length === 2 && value.every((v) => Number.isInteger(v) && (v as number) > 0);
  if (!ok) throw invalidArgument(FN, 'options.outputShape', value, '[height, width], two positive integers');
  return value as [number, number];
}

function checkTransforms(value: unknown, batch: number): number[][] | Tensor2D {
  const shapeRule = `[1, 8] or [${batch}, 8] (one row per image)`;
  if (isTensor(value)) {
    if (value.rank !== 2 || value.shape[1] !== 8 || (value.shape[0] !== 1 && value.shape[0] !== batch)) {
      throw tensorError('transforms', value, `a tensor of shape ${shapeRule}`);
    }
    if (value.dtype !== 'float32' && value.dtype !== 'int32')
      throw tensorError('transforms', value, 'a float32 tensor');
    return value as Tensor2D;
  }
  if (Array.isArray(value) && value.length === 0 && batch === 0) return [];
  if (!Array.isArray(value) || value.length === 0)
    throw invalidArgument(FN, 'transforms', value, `an 8-vector or rows of shape ${shapeRule}`);
  const rows = (typeof value[0] === 'number' ? [value] : value) as unknown[];
  if (rows.length !== 1 && rows.length !== batch) {
    throw new Error(`${FN}: transforms must have shape ${shapeRule}, got ${rows.length} rows for ${batch} images`);
  }
  rows.forEach((row, i) => {
    if (!Array.isArray(row) || row.length !== 8)
      throw invalidArgument(FN, `transforms[${i}]`, row, 'an array of 8 numbers');
    const bad = row.findIndex((v) => typeof v !== 'number' || !Number.isFinite(Math.fround(v)));
    if (bad >= 0) throw invalidArgument(FN, `transforms[${i}][${bad}]`, row[bad], 'a finite float32 number');
  });
  return rows as number[][];
}
