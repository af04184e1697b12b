import * as tf from '@tensorflow/tfjs-core';
import type { Tensor, Tensor1D, Tensor4D } from '@tensorflow/tfjs-core';
import { clip } from '../../core/clip.js';
import { cachedScalar } from '../../core/constantCache.js';
import { checkOptions, invalidArgument, optionNames } from '../../core/validate.js';
import {
  checkImages,
  checkPerSample,
  checkValueRange,
  emptyResult,
  is255,
  isTensor,
  tidy4d,
} from './_internal/photometric.js';

const FN = 'posterize';

/** Options of {@link posterize}: Keras 3 `RandomPosterization`'s, camel-cased. */
export interface PosterizeOptions {
  /**
   * `[low, high]` of the pixel values (Keras' `value_range`: Keras defaults to `[0, 255]`, this
   * library's images are in [0, 1]).
   * @defaultValue [0, 1]
   */
  valueRange?: [number, number];
}

const POSTERIZE_OPTIONS = optionNames<PosterizeOptions>()('valueRange');

function checkBits(fn: string, arg: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1 || v > 8) {
    throw invalidArgument(fn, arg, v, 'an integer from 1 to 8');
  }
  return v;
}

/**
 * Keeps the `bits` most significant bits of each 8-bit pixel value: Keras 3 `RandomPosterization`'s
 * transformation with the bits given instead of drawn (PIL's and torchvision's `posterize` on uint8).
 * As Keras, the pixels are mapped to [0, 255], truncated to integers (Keras' cast to uint8; values
 * outside the range are clipped first, where Keras' cast is undefined), their low `8 - bits` bits
 * cleared, and mapped back. So 8 bits is the identity on images of whole 1/255 steps, and rounds any
 * other value down to one.
 *
 * @param images - `[batch, height, width, channels]` float32 images in the value range, any channel count.
 * @param bits - Bits kept, an integer from 1 to 8: a number, or one per image (an array, or a 1-D int32 or
 *   float32 tensor, whose values are not checked: that would read them back).
 * @param options - The value range; see {@link PosterizeOptions}.
 * @returns A new tensor of the images' shape, in the value range (inputs are not disposed).
 * @throws Error naming `posterize`, the argument and the value for bad images, bits that are not integers
 *   from 1 to 8 or not one per image, a bad value range or an unknown option.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { posterize } from 'tfjs-regularization/augment';
 *
 * const image = tf.tensor4d([0, 100, 200, 255], [1, 1, 4, 1]);
 * const out = posterize(image, 2, { valueRange: [0, 255] });
 * console.log(Array.from(out.dataSync()).join(',')); // 0,64,192,192
 * ```
 */
export function posterize(
  images: Tensor4D,
  bits: number | readonly number[] | Tensor1D,
  options?: PosterizeOptions,
): Tensor4D {
  const [batch] = checkImages(FN, images);
  const b = checkPerSample(FN, 'bits', bits, batch, checkBits);
  const opts = checkOptions<PosterizeOptions>(FN, options, POSTERIZE_OPTIONS);
  const range = checkValueRange(FN, opts.valueRange);
  const [low, high] = range;
  if (batch === 0) return emptyResult(images.shape);
  return tidy4d(() => {
    // Keras' conversions, operation for operation: their rounding decides which integer a value truncates to.
    const s = cachedScalar;
    const x255 = is255(range) ? images : tf.mul(tf.div(tf.sub(images, s(low)), s(high - low)), s(255));
    const step: Tensor =
      typeof b === 'number'
        ? s(2 ** (8 - b))
        : isTensor(b)
          ? tf.reshape(tf.pow(s(2), tf.sub(s(8), tf.cast(b, 'float32'))), [batch, 1, 1, 1])
          : tf.tensor4d(
              (b as number[]).map((v) => 2 ** (8 - v)),
              [batch, 1, 1, 1],
            );
    // floor(floor(y) / 2^k) = floor(y / 2^k) for y >= 0, and the division by a power of two is exact.
    const q = tf.mul(tf.floor(tf.div(clip(x255, 0, 255), step)), step);
    return is255(range) ? q : tf.add(tf.mul(tf.div(q, s(255)), s(high - low)), s(low));
  });
}
