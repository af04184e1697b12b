import { tensor2d } from '@tensorflow/tfjs-core';
import type { Tensor2D } from '@tensorflow/tfjs-core';
import { cachedConstant } from '../../core/constantCache.js';

/**
 * A one-dimensional Gaussian as a symmetric banded [len, len] matrix: entry (i, j) weighs input j
 * for output i, so a matMul smooths along one axis (a one-channel conv2d is many times slower on
 * tfjs-node). The kernel has taps at offsets −radius..radius, normalized to sum 1 over all of them;
 * rows are cut at the image edge, which is zero padding of the input (conv2d's 'same' padding).
 * Callers that truncate at the image instead pass a radius of at most len − 1.
 */
export function gaussianBand(sigma: number, len: number, radius: number): Tensor2D {
  return cachedConstant(`gaussianBand:${sigma}:${len}:${radius}`, () => bandMatrix(sigma, len, radius));
}

/** {@link gaussianBand}, not cached: for a sigma drawn per call (the caller's tidy disposes it). */
export function bandMatrix(sigma: number, len: number, radius: number): Tensor2D {
  // sigma 0 is the identity kernel (its one tap would read 0 / 0).
  const taps = Array.from({ length: radius + 1 }, (_, d) => (d === 0 ? 1 : Math.exp(-(d * d) / (2 * sigma * sigma))));
  const total = 2 * taps.reduce((s, v) => s + v, 0) - taps[0]!;
  const band = new Float32Array(len * len);
  for (let i = 0; i < len; i++) {
    for (let j = Math.max(0, i - radius); j <= Math.min(len - 1, i + radius); j++)
      band[i * len + j] = taps[Math.abs(i - j)]! / total;
  }
  return tensor2d(band, [len, len]);
}
