import * as tf from '@tensorflow/tfjs-core';
import type { Tensor, Tensor1D, Tensor4D } from '@tensorflow/tfjs-core';
import { cachedScalar } from '../../core/constantCache.js';
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
    const [r, g, b] = tf.split(images, 3, -1) as [Tensor, Tensor, Tensor];
    const v = tf.max(images, -1, true);
    const min = tf.min(images, -1, true);
    const range = tf.sub(v, min);
    const s = cachedScalar;
    // The sector of the maximum: r (h in [-1, 1]), else g (h in [1, 3]), else b (h in [3, 5]). At a tie
    // both formulas give the same hue.
    const hue = tf.where(
      tf.logicalAnd(tf.greaterEqual(r, g), tf.greaterEqual(r, b)),
      tf.div(tf.sub(g, b), range),
      tf.where(
        tf.greaterEqual(g, b),
        tf.add(tf.div(tf.sub(b, r), range), s(2)),
        tf.add(tf.div(tf.sub(r, g), range), s(4)),
      ),
    );
    // A gray pixel has hue 0 (its 0/0 is masked) and stays gray whatever the shift.
    let h = tf.add(tf.where(tf.greater(range, s(0)), hue, s(0)), tf.mul(perSampleTensor(d, batch), s(6)));
    h = tf.sub(h, tf.mul(tf.floor(tf.div(h, s(6))), s(6)));
    const weight = (w: Tensor) => tf.add(min, tf.mul(range, tf.clipByValue(w, 0, 1)));
    return tf.concat(
      [
        weight(tf.sub(tf.abs(tf.sub(h, s(3))), s(1))),
        weight(tf.sub(s(2), tf.abs(tf.sub(h, s(2))))),
        weight(tf.sub(s(2), tf.abs(tf.sub(h, s(4))))),
      ],
      -1,
    );
  });
}
