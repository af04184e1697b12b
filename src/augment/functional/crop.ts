import type { Tensor4D } from '@tensorflow/tfjs-core';
import { checkOptions, invalidArgument, optionNames } from '../../core/validate.js';
import { resample } from '../_internal/resample/resample.js';
import { perImageIntegers } from './_internal/cropBoxes.js';
import { checkImages, emptyResult, tidy4d } from './_internal/photometric.js';

const FN = 'crop';

/** Options of {@link crop}: torchvision `F.crop(img, top, left, height, width)`'s arguments. */
export interface CropOptions {
  /** First row of the window; may be negative or reach below the image (zeros there). One per image allowed. */
  top: number | readonly number[];
  /** First column of the window; may be negative or reach beyond the image (zeros there). One per image allowed. */
  left: number | readonly number[];
  /** Window height, the output's height: one integer >= 1 for the batch. */
  height: number;
  /** Window width, the output's width: one integer >= 1 for the batch. */
  width: number;
}

const CROP_OPTIONS = optionNames<CropOptions>()('top', 'left', 'height', 'width');

/**
 * Cuts a `height` × `width` window out of every image, each at its own `top` and `left`: torchvision v2's `F.crop`,
 * batched. Where the window reaches outside the image it reads 0, as torchvision pads. It is an integer translation
 * in the resampler (TensorFlow's own kernel on tfjs-node, portable ops elsewhere), so one op crops the whole batch
 * whatever the offsets, with no slice per image. `randomCrop` draws such windows.
 *
 * @param images - `[batch, height, width, channels]` float32 images, any channel count.
 * @param options - The window; see {@link CropOptions}. `top` and `left` are one integer or one per image.
 * @returns A new `[batch, height, width, channels]` tensor (inputs are not disposed).
 * @throws Error naming `crop`, the argument and the value for bad images, a missing or non-integer offset, a size
 *   below 1 or an unknown option.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { crop } from 'tfjs-regularization/augment';
 *
 * const images = tf.tensor4d([1, 2, 3, 4, 5, 6, 7, 8, 9, 11, 12, 13, 14, 15, 16, 17, 18, 19], [2, 3, 3, 1]);
 * const windows = crop(images, { top: [1, -1], left: [1, 0], height: 2, width: 2 });
 * console.log(Array.from(windows.dataSync()).join(',')); // 5,6,8,9,0,0,11,12
 * ```
 */
export function crop(images: Tensor4D, options: CropOptions): Tensor4D {
  const [batch, , , channels] = checkImages(FN, images);
  const o = checkOptions<CropOptions>(FN, options, CROP_OPTIONS);
  const top = perImageIntegers(FN, 'options.top', o.top, batch, -Infinity);
  const left = perImageIntegers(FN, 'options.left', o.left, batch, -Infinity);
  const side = (arg: string, v: unknown) => {
    if (!Number.isSafeInteger(v) || (v as number) < 1) throw invalidArgument(FN, arg, v, 'an integer >= 1');
    return v as number;
  };
  const height = side('options.height', o.height);
  const width = side('options.width', o.width);
  if (batch === 0) return emptyResult([0, height, width, channels]);
  // Output (x, y) reads input (x + left, y + top); whole pixels, so nearest sampling is exact.
  const rows = top.map((t, i) => [1, 0, left[i]!, 0, 1, t, 0, 0]);
  return tidy4d(() =>
    resample(images, rows, {
      interpolation: 'nearest',
      fillMode: 'constant',
      fillValue: 0,
      outHeight: height,
      outWidth: width,
    }),
  );
}
