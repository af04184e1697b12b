import * as tf from '@tensorflow/tfjs-core';
import type { Tensor, Tensor1D, Tensor4D } from '@tensorflow/tfjs-core';
import { clip } from '../../core/clip.js';
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
    const n = images.shape[0];
    const s = cachedScalar;
    // Channel by channel: an op that broadcasts a pixel's value over its three channels (or a [3] vector
    // over the pixels) runs several times slower in TensorFlow than one on tensors of equal shapes.
    const [r, g, b] = tf.unstack(images, 3) as [Tensor, Tensor, Tensor];
    const v = tf.maximum(tf.maximum(r, g), b);
    const min = tf.minimum(tf.minimum(r, g), b);
    const range = tf.sub(v, min);
    // The sector of the first channel that holds the maximum: r (h in [-1, 1]), else g (h in [1, 3]), else
    // b (h in [3, 5]). At a tie both formulas give the same hue. A gray pixel divides by 1 instead of 0:
    // its differences are 0, and it gets hue 0 and stays gray whatever the shift.
    const rMax = tf.equal(r, v);
    const gMax = tf.equal(g, v);
    const difference = tf.where(rMax, tf.sub(g, b), tf.where(gMax, tf.sub(b, r), tf.sub(r, g)));
    const offset = tf.where(rMax, s(0), tf.where(gMax, s(2), s(4)));
    const hue = tf.add(tf.div(difference, tf.where(tf.greater(range, s(0)), range, s(1))), offset);
    const delta = perSampleTensor(d, batch);
    const shift = tf.mul(delta.rank === 0 ? delta : tf.reshape(delta, [n, 1, 1]), s(6));
    let h = tf.add(hue, shift);
    h = tf.sub(h, tf.mul(tf.floor(tf.div(h, s(6))), s(6)));
    // Each channel is min + range · clip(w), with the hexagon's weights w = (|h − 3| − 1, 2 − |h − 2|,
    // 2 − |h − 4|).
    const channel = (w: Tensor) => tf.add(min, tf.mul(range, clip(w, 0, 1)));
    return tf.stack(
      [
        channel(tf.sub(tf.abs(tf.sub(h, s(3))), s(1))),
        channel(tf.sub(s(2), tf.abs(tf.sub(h, s(2))))),
        channel(tf.sub(s(2), tf.abs(tf.sub(h, s(4))))),
      ],
      3,
    );
  });
}
