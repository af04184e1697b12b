import * as tf from '@tensorflow/tfjs-core';
import type { Tensor, Tensor4D } from '@tensorflow/tfjs-core';
import { clip } from '../../core/clip.js';
import { cachedConstant, cachedPrefix, cachedScalar } from '../../core/constantCache.js';
import { checkOptions, invalidArgument, optionNames } from '../../core/validate.js';
import { checkImages, checkValueRange, emptyResult, is255, tidy4d } from './_internal/photometric.js';

const FN = 'equalize';

/** Options of {@link equalize}: Keras 3 `Equalization`'s, camel-cased. */
export interface EqualizeOptions {
  /**
   * `[low, high]` of the pixel values (Keras' `value_range`: Keras defaults to `[0, 255]`, this
   * library's images are in [0, 1]).
   * @defaultValue [0, 1]
   */
  valueRange?: [number, number];
  /** Histogram bins over the value range, an integer >= 1 (Keras' `bins`). @defaultValue 256 */
  bins?: number;
}

const EQUALIZE_OPTIONS = optionNames<EqualizeOptions>()('valueRange', 'bins');

/**
 * Histogram equalization of each channel of each image: Keras 3 `Equalization`'s transformation,
 * computed per image as PIL's and torchvision's `equalize` are (on a batch Keras pools one histogram
 * over all its images; on one image the two agree). As Keras: pixels mapped to [0, 255] fall in `bins`
 * equal bins, the lookup table is `round((cdf - cdfMin) · 255 / (count - cdfMin))` (cdfMin the first
 * non-zero cumulative count), each pixel reads its bin's entry, and a channel with one occupied bin
 * is left as it is.
 *
 * The histogram is made on the device with no data-dependent shape: one `bincount` over every
 * pixel, each offset by `(image · channels + channel) · bins` so that all the histograms of the batch
 * come out of one op as `[batch, channels, bins]`, then a `cumsum`, and one `gatherND` reads the tables.
 * On tfjs-node that is a few milliseconds for 128 RGB images of 32×32 (docs/augment.md); the
 * comparisons of every pixel with every bin would be 100 M elements there.
 *
 * @param images - `[batch, height, width, channels]` float32 images in the value range, any channel count.
 * @param options - The value range and the number of bins; see {@link EqualizeOptions}.
 * @returns A new tensor of the images' shape, in the value range (inputs are not disposed).
 * @throws Error naming `equalize`, the argument and the value for bad images, a bad value range, bins that
 *   are not an integer >= 1, or an unknown option.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { equalize } from 'tfjs-regularization/augment';
 *
 * // Three levels bunched at the dark end spread over the whole range.
 * const image = tf.tensor4d([10, 10, 20, 30], [1, 2, 2, 1]);
 * console.log(Array.from(equalize(image, { valueRange: [0, 255] }).dataSync()).join(',')); // 0,0,128,255
 * ```
 */
export function equalize(images: Tensor4D, options?: EqualizeOptions): Tensor4D {
  const [batch, height, width, channels] = checkImages(FN, images);
  const opts = checkOptions<EqualizeOptions>(FN, options, EQUALIZE_OPTIONS);
  const range = checkValueRange(FN, opts.valueRange);
  const bins = opts.bins ?? 256;
  if (typeof bins !== 'number' || !Number.isInteger(bins) || bins < 1 || bins > 2 ** 24) {
    throw invalidArgument(FN, 'options.bins', bins, 'an integer from 1 to 2^24');
  }
  if (batch * channels * bins > 2 ** 31 - 1) {
    throw invalidArgument(FN, 'options.bins', bins, `at most ${Math.floor((2 ** 31 - 1) / (batch * channels))} here`);
  }
  if (batch === 0) return emptyResult(images.shape);
  const [low, high] = range;
  return tidy4d(() => {
    const s = cachedScalar;
    // Keras' _scale_values (x · scale + offset), skipped for [0, 255] as Keras skips it.
    const scale = 255 / (high - low);
    const x255 = is255(range) ? images : tf.add(tf.mul(images, s(scale)), s(-low * scale));
    const last = bins - 1;
    // Keras bins the histogram as x · (bins − 1) / 255 and the lookup as x / 255 · (bins − 1): the two
    // roundings may truncate to different bins, so both are kept.
    const histBin = clip(tf.cast(tf.div(tf.mul(x255, s(last)), s(255)), 'int32'), 0, last);
    const lutBin = tf.cast(clip(tf.mul(tf.div(x255, s(255)), s(last)), 0, last), 'int32');
    const offsets = cachedPrefix(`equalize:offsets:${channels}:${bins}`, batch, 0, 1, (n) =>
      tf.reshape(tf.mul(tf.range(0, n * channels, 1, 'int32'), tf.scalar(bins, 'int32')), [n, 1, 1, channels]),
    );
    const empty = cachedConstant('equalize:noWeights', () => tf.tensor1d([], 'float32'));
    const histograms = tf.reshape(
      tf.bincount(tf.reshape(tf.add(histBin, offsets), [-1]), empty, batch * channels * bins),
      [batch, channels, bins],
    );
    const cdf = tf.cumsum(histograms, 2);
    const count = s(height * width);
    const cdfMin = tf.min(tf.where(tf.greater(cdf, s(0)), cdf, count), 2, true);
    const spread = tf.sub(count, cdfMin);
    const denominator = tf.where(tf.equal(spread, s(0)), s(1), spread);
    const table = clip(tf.round(tf.div(tf.mul(tf.sub(cdf, cdfMin), s(255)), denominator)), 0, 255);
    const lookedUp = tf.gatherND(tf.reshape(table, [-1]), tf.expandDims(tf.add(lutBin, offsets), -1)) as Tensor;
    // [batch, channels] → [batch, 1, 1, channels], to pick per channel.
    const occupied = tf.reshape(tf.sum(tf.cast(tf.greater(histograms, s(0)), 'float32'), 2), [batch, 1, 1, channels]);
    const equalized = tf.where(tf.lessEqual(occupied, s(1)), x255, lookedUp);
    return is255(range) ? equalized : tf.add(tf.mul(equalized, s((high - low) / 255)), s(low));
  });
}
