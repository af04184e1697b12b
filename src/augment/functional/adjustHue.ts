import * as tf from '@tensorflow/tfjs-core';
import type { Tensor1D, Tensor4D } from '@tensorflow/tfjs-core';
import { clip } from '../../core/clip.js';
import { cachedConstant, cachedScalar } from '../../core/constantCache.js';
import { checkImages, checkPerSample, emptyResult, finite, perSampleTensor, tidy4d } from './_internal/photometric.js';

const FN = 'adjustHue';

/**
 * Rotates the hue of RGB images by `delta` turns: `tf.image.adjust_hue`, with one delta per image
 * allowed. As TensorFlow's kernel, it keeps each pixel's minimum and maximum and moves the hue on the
 * six-sector hexagon (h in [0, 6)): the hue is computed from the channel that holds the maximum,
 * shifted by `6 · delta`, wrapped, and each channel is read back as `min + range · w(h)` with the
 * hexagon's piecewise-linear weights. Hue is periodic: any finite delta is accepted (TensorFlow
 * documents [-1, 1]).
 *
 * @param images - `[batch, height, width, 3]` float32 RGB images.
 * @param delta - The hue shift in turns (0 keeps the images, 1/3 maps red to green): a number, or one per
 *   image (an array or a 1-D tensor).
 * @returns A new tensor of the images' shape (inputs are not disposed).
 * @throws Error naming `adjustHue`, the argument and the value for images that are not float32 RGB
 *   `[batch, height, width, 3]`, or a delta that is not a finite number or not one per image.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { adjustHue } from 'tfjs-regularization/augment';
 *
 * const red = tf.tensor4d([1, 0, 0], [1, 1, 1, 3]);
 * console.log(Array.from(adjustHue(red, 1 / 3).dataSync()).map((v) => v.toFixed(2)).join(',')); // 0.00,1.00,0.00
 * ```
 */
export function adjustHue(images: Tensor4D, delta: number | readonly number[] | Tensor1D): Tensor4D {
  const [batch] = checkImages(FN, images, true);
  const d = checkPerSample(FN, 'delta', delta, batch, finite);
  if (batch === 0) return emptyResult(images.shape);
  return tidy4d(() => {
    const [n, height, width] = images.shape;
    const v = tf.max(images, -1, true);
    const min = tf.min(images, -1, true);
    const range = tf.sub(v, min);
    const s = cachedScalar;
    const c = (name: string, values: number[], shape: number[]) =>
      cachedConstant(`adjustHue:${name}`, () => tf.tensor(values, shape));
    // The three sector formulas at once, one per channel: (g − b, b − r, r − g) / range + (0, 2, 4). The
    // matrix holds only 0 and ±1, so each difference is rounded once, as a subtraction is. A gray pixel
    // divides by 1 instead of 0: its differences are 0, and it gets hue 0 and stays gray whatever the shift.
    const differences = tf.reshape(
      tf.matMul(tf.reshape(images, [-1, 3]), c('differences', [0, -1, 1, 1, 0, -1, -1, 1, 0], [3, 3])),
      [n, height, width, 3],
    );
    const sectors = tf.split(
      tf.add(tf.div(differences, tf.where(tf.greater(range, s(0)), range, s(1))), c('offsets', [0, 2, 4], [3])),
      3,
      -1,
    );
    // The sector of the first channel that holds the maximum: r (h in [-1, 1]), else g (h in [1, 3]), else
    // b (h in [3, 5]). At a tie both formulas give the same hue.
    const isMax = tf.split(tf.equal(images, v), 3, -1);
    const hue = tf.where(isMax[0]!, sectors[0]!, tf.where(isMax[1]!, sectors[1]!, sectors[2]!));
    let h = tf.add(hue, tf.mul(perSampleTensor(d, batch), s(6)));
    h = tf.sub(h, tf.mul(tf.floor(tf.div(h, s(6))), s(6)));
    // Each channel is min + range · clip(w), with the hexagon's weights w = (|h − 3| − 1, 2 − |h − 2|,
    // 2 − |h − 4|) computed for the three channels in one pass (the ±1 factors and offsets are exact).
    const w = tf.add(
      tf.mul(tf.abs(tf.sub(h, c('centres', [3, 2, 4], [3]))), c('signs', [1, -1, -1], [3])),
      c('shifts', [-1, 2, 2], [3]),
    );
    return tf.add(min, tf.mul(range, clip(w, 0, 1)));
  });
}
