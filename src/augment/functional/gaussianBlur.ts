import * as tf from '@tensorflow/tfjs-core';
import type { Tensor, Tensor1D, Tensor4D } from '@tensorflow/tfjs-core';
import { cachedConstant, cachedScalar } from '../../core/constantCache.js';
import { checkFloat32, checkOptions, invalidArgument, optionNames } from '../../core/validate.js';
import { checkImages, checkPerSample, emptyResult, isTensor, tidy4d } from './_internal/photometric.js';
import type { PerSample } from './_internal/photometric.js';

const FN = 'gaussianBlur';

/** Options of {@link gaussianBlur}: `keras.ops.image.gaussian_blur`'s (Keras 3 `RandomGaussianBlur`), camel-cased. */
export interface GaussianBlurOptions {
  /**
   * The kernel's size, odd: one number for both axes, or `[width, height]` (Keras' and torchvision's
   * `kernel_size` order, x first).
   * @defaultValue 3
   */
  kernelSize?: number | [number, number];
  /**
   * The standard deviation along x (width), and along y too unless `sigmaY` is given, > 0: a number, or
   * one per image (an array or a 1-D tensor). Keras' `sigma[0]`.
   * @defaultValue 1
   */
  sigma?: number | readonly number[] | Tensor1D;
  /** The standard deviation along y (height), when it differs from `sigma`; Keras' `sigma[1]`. @defaultValue sigma */
  sigmaY?: number | readonly number[] | Tensor1D;
}

const GAUSSIAN_BLUR_OPTIONS = optionNames<GaussianBlurOptions>()('kernelSize', 'sigma', 'sigmaY');

function checkSigma(fn: string, arg: string, v: unknown): number {
  const sigma = checkFloat32(fn, arg, v);
  if (!(sigma > 0)) throw invalidArgument(fn, arg, v, 'a number > 0');
  return sigma;
}

function checkKernelSize(value: unknown): [number, number] {
  const odd = (v: unknown) => typeof v === 'number' && Number.isInteger(v) && v >= 1 && v % 2 === 1 && v <= 1023;
  if (odd(value)) return [value as number, value as number];
  if (Array.isArray(value) && value.length === 2 && value.every(odd)) return value as [number, number];
  throw invalidArgument(FN, 'options.kernelSize', value, 'an odd integer from 1 to 1023, or [width, height] of two');
}

/**
 * Blurs each channel with a Gaussian kernel: `keras.ops.image.gaussian_blur` (the transformation of
 * Keras 3 `RandomGaussianBlur`), zero-padded ('same') at the border as Keras; torchvision's
 * `gaussian_blur` pads by reflection instead, so its outermost pixels differ. The kernel is the outer
 * product of two normalized 1-D Gaussians sampled at the integer offsets from the centre, applied as
 * two 1-D depthwise convolutions. A per-image sigma builds every image's kernels on the device and
 * convolves the batch as one image of `batch · channels` channels. Unlike Keras' layer it does not
 * clip (zero padding keeps images in [0, high] within it); for a non-square kernel it uses `[width,
 * height]` as stated, where Keras' ops mix the two axes up.
 *
 * @param images - `[batch, height, width, channels]` float32 images, any channel count.
 * @param options - Kernel size and standard deviations; see {@link GaussianBlurOptions}.
 * @returns A new tensor of the images' shape (inputs are not disposed).
 * @throws Error naming `gaussianBlur`, the argument and the value for bad images, a kernel size that is
 *   not odd, a sigma that is not > 0 or not one per image, or an unknown option.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { gaussianBlur } from 'tfjs-regularization/augment';
 *
 * const dot = tf.tensor4d([0, 0, 0, 0, 1, 0, 0, 0, 0], [1, 3, 3, 1]);
 * const blurred = gaussianBlur(dot, { kernelSize: 3, sigma: 1 });
 * // The centre weight: (1 / (1 + 2·exp(−1/2)))², about 0.2042.
 * console.log(blurred.dataSync()[4].toFixed(4)); // 0.2042
 * ```
 */
export function gaussianBlur(images: Tensor4D, options?: GaussianBlurOptions): Tensor4D {
  const [batch, height, width, channels] = checkImages(FN, images);
  const opts = checkOptions<GaussianBlurOptions>(FN, options, GAUSSIAN_BLUR_OPTIONS);
  const [kw, kh] = checkKernelSize(opts.kernelSize ?? 3);
  const sx = checkPerSample(FN, 'options.sigma', opts.sigma ?? 1, batch, checkSigma);
  const sy = opts.sigmaY === undefined ? sx : checkPerSample(FN, 'options.sigmaY', opts.sigmaY, batch, checkSigma);
  if (batch === 0) return emptyResult(images.shape);
  return tidy4d(() => {
    if (typeof sx === 'number' && typeof sy === 'number') {
      // One kernel for the batch: two depthwise convolutions of the images as they are.
      const column = tf.tile(tf.tensor4d(gaussian(kh, sy), [kh, 1, 1, 1]), [1, 1, channels, 1]) as tf.Tensor4D;
      const row = tf.tile(tf.tensor4d(gaussian(kw, sx), [1, kw, 1, 1]), [1, 1, channels, 1]) as tf.Tensor4D;
      return tf.depthwiseConv2d(tf.depthwiseConv2d(images, column, 1, 'same'), row, 1, 'same');
    }
    // One kernel per image: the batch becomes one image whose channels are (image, channel) pairs.
    const wide = tf.reshape(tf.transpose(images, [1, 2, 0, 3]), [1, height, width, batch * channels]);
    const column = tf.reshape(perImageKernels(kh, sy, batch, channels), [kh, 1, batch * channels, 1]) as tf.Tensor4D;
    const row = tf.reshape(perImageKernels(kw, sx, batch, channels), [1, kw, batch * channels, 1]) as tf.Tensor4D;
    const blurred = tf.depthwiseConv2d(tf.depthwiseConv2d(wide as tf.Tensor4D, column, 1, 'same'), row, 1, 'same');
    return tf.transpose(tf.reshape(blurred, [height, width, batch, channels]), [2, 0, 1, 3]);
  });
}

/** A normalized 1-D Gaussian of `size` taps, sampled at the offsets from its centre (computed in float64). */
function gaussian(size: number, sigma: number): number[] {
  const taps = Array.from({ length: size }, (_, i) => Math.exp(-0.5 * ((i - (size - 1) / 2) / sigma) ** 2));
  const total = taps.reduce((a, b) => a + b, 0);
  return taps.map((t) => t / total);
}

/** `[size, batch, channels]` taps: each image's normalized 1-D Gaussian, repeated for its channels. */
function perImageKernels(size: number, sigma: PerSample, batch: number, channels: number): Tensor {
  const offsets = cachedConstant(`gaussianBlur:offsets:${size}`, () =>
    tf.reshape(tf.sub(tf.range(0, size, 1, 'float32'), tf.scalar((size - 1) / 2)), [size, 1]),
  );
  const s =
    typeof sigma === 'number'
      ? cachedScalar(sigma)
      : isTensor(sigma)
        ? tf.reshape(tf.cast(sigma, 'float32'), [1, batch])
        : tf.tensor2d(sigma as number[], [1, batch]);
  const taps = tf.exp(tf.mul(cachedScalar(-0.5), tf.square(tf.div(offsets, s))));
  // A scalar sigma broadcasts to [size, 1]: widen it to the batch.
  const normalized = tf.broadcastTo(tf.div(taps, tf.sum(taps, 0, true)), [size, batch]);
  return tf.tile(tf.expandDims(normalized, 2), [1, 1, channels]);
}
