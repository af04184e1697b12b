import { invalidArgument } from '../../core/validate.js';

const FN = 'kerasTransformMatrix';
const KEYS = ['theta', 'tx', 'ty', 'shear', 'zx', 'zy'] as const;

/** The arguments of Keras' `apply_affine_transform` (what `ImageDataGenerator.get_random_transform` draws). */
export interface KerasTransformParams {
  /** Rotation in degrees. @defaultValue 0 */
  theta?: number;
  /** Shift in pixels of the first matrix coordinate, x (columns) after Keras' axis swap. @defaultValue 0 */
  tx?: number;
  /** Shift in pixels of the second matrix coordinate, y (rows). @defaultValue 0 */
  ty?: number;
  /** Shear angle in degrees. @defaultValue 0 */
  shear?: number;
  /** Zoom factor along x; above 1 the content shrinks (it is an output-to-input scale). @defaultValue 1 */
  zx?: number;
  /** Zoom factor along y. @defaultValue 1 */
  zy?: number;
}

/**
 * The transform Keras' `ImageDataGenerator.apply_transform` applies (Keras 2.x
 * `keras.preprocessing.image.apply_affine_transform`, Keras 3
 * `keras.src.legacy.preprocessing.image`), as an {@link affineTransform} / tf.image.transform row.
 *
 * Keras builds M = rotation · shift · shear · zoom, all 3×3, with theta and shear in degrees:
 * rotation [[cos θ, −sin θ, 0], [sin θ, cos θ, 0]], shift [[1, 0, tx], [0, 1, ty]], shear
 * [[1, −sin s, 0], [0, cos s, 0]], zoom diag(zx, zy). `transform_matrix_offset_center(M, h, w)`
 * then conjugates it with a translation by o = (h/2 − 0.5, w/2 − 0.5): the pixel-grid centre, so
 * a 90° turn is an exact pixel rotation for odd and even sizes alike (older Keras releases used
 * h/2 + 0.5, one pixel off, and no swap). Last, Keras swaps rows and columns of M (M' = P·M·P)
 * before handing it to scipy.ndimage.affine_transform, which maps output (row, col) indices to
 * input ones; the swap means M itself maps output (x, y) = (col, row) to input (x, y), exactly
 * tf.image.transform's convention, so the returned row is M's first two rows, unchanged, and
 * c0 = c1 = 0. A positive theta turns the content counter-clockwise on screen (as np.rot90).
 *
 * Two Keras quirks are kept on purpose, both invisible on square images: the centre's first
 * component, h/2 − 0.5, is applied to x (columns) and w/2 − 0.5 to y; and
 * `get_random_transform` draws `tx` from height_shift_range × rows and `ty` from
 * width_shift_range × columns, so tx moves content horizontally here (positive tx: content moves left).
 * Pair the result with affineTransform's `interpolation: 'bilinear'` (Keras' order 1) and the
 * fill mode of the same name: Keras' 'nearest' and 'reflect' (scipy's half-sample symmetric
 * reflect) match tf's 'nearest' and 'reflect' exactly; 'constant' differs within one pixel outside
 * the border (scipy returns cval for any point outside [0, len − 1], tf blends the edge pixel with
 * the fill value there), and 'wrap' differs (scipy's period is len − 1, TensorFlow's len).
 *
 * @param params - theta (degrees), tx and ty (pixels), shear (degrees), zx and zy (factors), all finite.
 * @param height - Image height in pixels, a positive integer.
 * @param width - Image width in pixels, a positive integer.
 * @returns 8 numbers `[a0, a1, a2, b0, b1, b2, 0, 0]`.
 * @throws Error naming `kerasTransformMatrix`, the argument and the value for a non-finite or
 *   non-number parameter, an unknown parameter name, or a height or width that is not a positive integer.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { affineTransform, kerasTransformMatrix } from 'tfjs-regularization/augment';
 *
 * const m = kerasTransformMatrix({ theta: 90 }, 3, 3);
 * console.log(m.map((v) => Math.round(v * 1e6) / 1e6 + 0).join(',')); // 0,-1,2,1,0,0,0,0
 * const image = tf.tensor4d([1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 3, 3, 1]);
 * const turned = affineTransform(image, m, { interpolation: 'nearest', fillMode: 'nearest' });
 * console.log(Array.from(turned.dataSync()).join(',')); // quarter turn counter-clockwise: 3,6,9,2,5,8,1,4,7
 * ```
 */
export function kerasTransformMatrix(params: KerasTransformParams, height: number, width: number): number[] {
  if (params === null || typeof params !== 'object' || Array.isArray(params)) {
    throw invalidArgument(FN, 'params', params, 'an object {theta?, tx?, ty?, shear?, zx?, zy?}');
  }
  const p = params as Record<string, unknown>;
  for (const key of Object.keys(p)) {
    if (!(KEYS as readonly string[]).includes(key))
      throw invalidArgument(FN, 'params key', key, `one of ${KEYS.join(', ')}`);
  }
  const num = (key: (typeof KEYS)[number], fallback: number): number => {
    const v = p[key] === undefined ? fallback : p[key];
    if (typeof v !== 'number' || !Number.isFinite(v)) throw invalidArgument(FN, `params.${key}`, v, 'a finite number');
    return v;
  };
  const theta = (num('theta', 0) * Math.PI) / 180;
  const shear = (num('shear', 0) * Math.PI) / 180;
  const [tx, ty, zx, zy] = [num('tx', 0), num('ty', 0), num('zx', 1), num('zy', 1)];
  for (const [name, v] of [
    ['height', height],
    ['width', width],
  ] as const) {
    if (!Number.isInteger(v) || v < 1) throw invalidArgument(FN, name, v, 'a positive integer');
  }
  const [c, s] = [Math.cos(theta), Math.sin(theta)];
  const [shearX, shearY] = [-Math.sin(shear), Math.cos(shear)];
  // rotation · shift · shear · zoom, written out (2×2 linear part L and translation t).
  const l00 = c * zx;
  const l01 = (c * shearX - s * shearY) * zy;
  const l10 = s * zx;
  const l11 = (s * shearX + c * shearY) * zy;
  const t0 = c * tx - s * ty;
  const t1 = s * tx + c * ty;
  // Keras passes (h, w) to the (x, y) slots of transform_matrix_offset_center.
  const ox = height / 2 - 0.5;
  const oy = width / 2 - 0.5;
  const row = [l00, l01, t0 + ox - (l00 * ox + l01 * oy), l10, l11, t1 + oy - (l10 * ox + l11 * oy), 0, 0];
  return row.map((v) => v + 0); // no −0 (from −sin 0) in the output
}
