import * as tf from '@tensorflow/tfjs-core';
import type { Tensor4D } from '@tensorflow/tfjs-core';
import { checkOneOf, checkOptions, invalidArgument, optionNames } from '../../core/validate.js';
import { resample } from '../_internal/resample/resample.js';
import type { Interpolation } from '../_internal/resample/options.js';
import { checkSize, perImageIntegers } from './_internal/cropBoxes.js';
import type { CropBox } from './_internal/cropBoxes.js';
import { checkImages, emptyResult, tidy4d } from './_internal/photometric.js';

const FN = 'resizedCrop';

/**
 * Options of {@link resizedCrop}: torchvision `F.resized_crop(img, top, left, height, width, size, interpolation)`'s
 * arguments, the box given either as `boxes` or as `top`, `left`, `height`, `width` (each one number or one per image).
 */
export interface ResizedCropOptions {
  /** One box `[top, left, height, width]` per image, integers, height and width >= 1. Instead of the four below. */
  boxes?: readonly (readonly [number, number, number, number])[];
  /** First row of the box (may be negative: zeros outside the image). */
  top?: number | readonly number[];
  /** First column of the box (may be negative: zeros outside the image). */
  left?: number | readonly number[];
  /** Box height, an integer >= 1. */
  height?: number | readonly number[];
  /** Box width, an integer >= 1. */
  width?: number | readonly number[];
  /** `[height, width]` of the output. torchvision: `size`. */
  size: [number, number];
  /**
   * `'bilinear'`, or `'nearest'` (torch's `'nearest-exact'`, TensorFlow's resize). torchvision: `interpolation`.
   * @defaultValue 'bilinear'
   */
  interpolation?: 'bilinear' | 'nearest';
}

const RESIZED_CROP_OPTIONS = optionNames<ResizedCropOptions>()(
  'boxes',
  'top',
  'left',
  'height',
  'width',
  'size',
  'interpolation',
);

/**
 * Crops a box out of every image and resizes it to `size`: torchvision v2's `F.resized_crop`, batched, one box per
 * image. The box's pixel edges map onto the output's (output pixel x reads `left + (x + ½) · width / outWidth − ½`,
 * the half-pixel centres of `tf.image.resize` and torch's `align_corners=False`), and the whole batch is one
 * resampling pass, whatever the boxes. Where a box reaches outside the image the crop holds 0, as torchvision pads.
 * Two deliberate differences from torchvision, the same as `randomResizedCrop`'s (which applies its boxes with this
 * op): no antialiasing when shrinking (torchvision's `antialias=False`), and where a box is enlarged, the outermost
 * half pixel of the output blends with the image's pixels just outside the box (torchvision clamps at the box edge;
 * both clamp at the image edge).
 *
 * @param images - `[batch, height, width, channels]` float32 images, any channel count.
 * @param options - The boxes, the output size and the interpolation; see {@link ResizedCropOptions}.
 * @returns A new `[batch, size[0], size[1], channels]` tensor (inputs are not disposed).
 * @throws Error naming `resizedCrop`, the argument and the value for bad images, boxes given both ways or not at
 *   all, non-integer or empty boxes, a bad size or interpolation, or an unknown option.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { resizedCrop } from 'tfjs-regularization/augment';
 *
 * const image = tf.tensor4d([0, 1, 2, 3, 4, 5, 6, 7, 8], [1, 3, 3, 1]);
 * // The 2 x 2 box at (1, 1) halved: one output pixel, the mean of the box's four.
 * const small = resizedCrop(image, { top: 1, left: 1, height: 2, width: 2, size: [1, 1] });
 * console.log(small.dataSync()[0]); // 6
 * // A box half outside the image reads zeros there, as torchvision pads.
 * const edge = resizedCrop(image, { boxes: [[0, 2, 1, 2]], size: [1, 2] });
 * console.log(Array.from(edge.dataSync()).join(',')); // 2,0
 * ```
 */
export function resizedCrop(images: Tensor4D, options: ResizedCropOptions): Tensor4D {
  const [batch, height, width, channels] = checkImages(FN, images);
  const o = checkOptions<ResizedCropOptions>(FN, options, RESIZED_CROP_OPTIONS);
  const boxes = checkBoxes(o, batch);
  const size = checkSize(FN, 'options.size', o.size);
  const interpolation = checkOneOf<Interpolation>(FN, 'options.interpolation', o.interpolation ?? 'bilinear', [
    'bilinear',
    'nearest',
  ]);
  if (batch === 0) return emptyResult([0, size[0], size[1], channels]);
  const rows = resizedCropMatrices(boxes, size).map((m) => m.slice(0, 8));
  const inside = boxes.every(([t, l, h, w]) => t >= 0 && l >= 0 && t + h <= height && l + w <= width);
  return tidy4d(() => {
    // The image edge is clamped ('nearest'), as torch clamps at the crop's edge; outside the image, weights below.
    const out = resample(images, rows, {
      interpolation,
      fillMode: 'nearest',
      fillValue: 0,
      outHeight: size[0],
      outWidth: size[1],
    });
    if (inside) return out;
    const wy = boxes.flatMap(([t, , h]) => inImageWeights(t, h, height, size[0], interpolation));
    const wx = boxes.flatMap(([, l, , w]) => inImageWeights(l, w, width, size[1], interpolation));
    return tf.mul(out, tf.mul(tf.tensor4d(wy, [batch, size[0], 1, 1]), tf.tensor4d(wx, [batch, 1, size[1], 1])));
  });
}

/**
 * Per image, the 3 × 3 map from output pixels to the box's input points (row-major, last row 0 0 1): the
 * half-pixel resize. `randomResizedCrop` fuses these in a pipeline.
 * @internal
 */
export function resizedCropMatrices(
  boxes: readonly (readonly number[])[],
  size: readonly [number, number],
): number[][] {
  const [outH, outW] = size;
  return boxes.map(([top, left, h, w]) => {
    const [sy, sx] = [h! / outH, w! / outW];
    return [sx, 0, left! + sx / 2 - 0.5, 0, sy, top! + sy / 2 - 0.5, 0, 0, 1];
  });
}

/**
 * Along one axis, the share of each output pixel's taps that land inside the image once clamped to the box: the
 * resampler read the edge pixel there ('nearest' fill), torchvision's zero-padded crop reads 0, and both reads are
 * the same edge pixel, so scaling by this share gives torchvision's value. 1 for a box inside the image.
 */
function inImageWeights(start: number, length: number, size: number, out: number, interpolation: Interpolation) {
  const scale = length / out;
  const inImage = (tap: number) => {
    const clamped = Math.min(Math.max(tap, start), start + length - 1);
    return clamped >= 0 && clamped <= size - 1 ? 1 : 0;
  };
  return Array.from({ length: out }, (_, i) => {
    // torch's 'nearest-exact' reads crop pixel floor((i + ½) · scale), in integers so that halves are exact; the
    // resampler reads the same pixel, or past the image's edge, where its clamp gives the same edge pixel.
    if (interpolation === 'nearest') return inImage(start + Math.floor(((2 * i + 1) * length) / (2 * out)));
    const v = start + (i + 0.5) * scale - 0.5;
    const f = Math.floor(v);
    return (f + 1 - v) * inImage(f) + (v - f) * inImage(f + 1);
  });
}

function checkBoxes(o: Partial<ResizedCropOptions>, batch: number): CropBox[] {
  const parts = [o.top, o.left, o.height, o.width];
  if (o.boxes !== undefined) {
    if (parts.some((p) => p !== undefined)) {
      throw invalidArgument(FN, 'options', Object.keys(o), 'either boxes or top, left, height and width, not both');
    }
    const box = (b: unknown) =>
      Array.isArray(b) &&
      b.length === 4 &&
      b.every((v) => Number.isSafeInteger(v)) &&
      (b[2] as number) >= 1 &&
      (b[3] as number) >= 1;
    if (!Array.isArray(o.boxes) || o.boxes.length !== batch || !o.boxes.every(box)) {
      throw invalidArgument(
        FN,
        'options.boxes',
        o.boxes,
        `${batch} boxes [top, left, height, width] of integers, sides >= 1`,
      );
    }
    return o.boxes.map((b) => [...b] as CropBox);
  }
  const top = perImageIntegers(FN, 'options.top', o.top, batch, -Infinity);
  const left = perImageIntegers(FN, 'options.left', o.left, batch, -Infinity);
  const h = perImageIntegers(FN, 'options.height', o.height, batch, 1);
  const w = perImageIntegers(FN, 'options.width', o.width, batch, 1);
  return top.map((t, i) => [t, left[i]!, h[i]!, w[i]!]);
}
