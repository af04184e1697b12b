import * as tf from '@tensorflow/tfjs-core';
import type { Tensor, Tensor4D } from '@tensorflow/tfjs-core';
import { checkOneOf, checkOptions, invalidArgument, optionNames } from '../core/validate.js';

/** Options of {@link predictWithFlips}. */
export interface PredictWithFlipsOptions {
  /**
   * Which mirrored views are averaged with the images themselves: `'horizontal'` (left-right, two views),
   * `'vertical'` (top-bottom, two views) or `'horizontal_and_vertical'` (both and the 180° turn, four views),
   * {@link randomFlip}'s modes.
   * @defaultValue 'horizontal'
   */
  mode?: 'horizontal' | 'vertical' | 'horizontal_and_vertical';
  /** The batch size of each `model.predict` call. @defaultValue 32 (tfjs') */
  batchSize?: number;
}

const OPTIONS = optionNames<PredictWithFlipsOptions>()('mode', 'batchSize');
const MODES = ['horizontal', 'vertical', 'horizontal_and_vertical'] as const;

/**
 * Test-time augmentation by flips: the model's predictions for NHWC images and for their mirror
 * images, averaged (the mean of the outputs, e.g. of softmax probabilities, as ttach's `mean` merge).
 * A classifier trained with {@link randomFlip} has learnt both orientations, and averaging the two
 * views' probabilities tends to cost nothing and gain a little accuracy; docs/results.md measures it
 * for fashionCnnModern. The cost is one more `predict` per view.
 *
 * @param model - A model with one output, e.g. a `tf.LayersModel`.
 * @param images - `[batch, height, width, channels]` float32 images, as the model takes them.
 * @param options - `mode`, `batchSize`.
 * @returns The averaged output, the shape of `model.predict(images)` (inputs are not disposed).
 * @throws Error naming `predictWithFlips`, the argument and the value for images that are not a
 *   float32 rank-4 tensor, a model without `predict` or with several outputs, an unknown mode, a batch
 *   size that is not a positive integer, or an unknown option.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { predictWithFlips } from 'tfjs-regularization/augment';
 *
 * // A "model" that reads the leftmost pixel: its mirror view reads the rightmost one.
 * const model = { predict: (x: tf.Tensor) => tf.reshape(tf.slice(x, [0, 0, 0, 0], [-1, 1, 1, 1]), [-1, 1]) };
 * const images = tf.tensor4d([0, 1], [1, 1, 2, 1]);
 * console.log(predictWithFlips(model, images).arraySync()); // [[0.5]]
 * ```
 */
export function predictWithFlips(
  model: { predict(x: Tensor, args?: { batchSize?: number }): Tensor | Tensor[] },
  images: Tensor4D,
  options?: PredictWithFlipsOptions,
): Tensor {
  const fn = 'predictWithFlips';
  const o = checkOptions<PredictWithFlipsOptions>(fn, options, OPTIONS);
  const mode = o.mode === undefined ? 'horizontal' : checkOneOf(fn, 'options.mode', o.mode, MODES);
  const batchSize = o.batchSize;
  if (batchSize !== undefined && !(Number.isInteger(batchSize) && batchSize >= 1))
    throw invalidArgument(fn, 'options.batchSize', batchSize, 'a positive integer');
  if (typeof (model as { predict?: unknown } | undefined)?.predict !== 'function')
    throw invalidArgument(fn, 'model', model, 'a model with a predict method');
  if (!(images instanceof tf.Tensor) || images.rank !== 4 || images.dtype !== 'float32')
    throw invalidArgument(fn, 'images', images, 'a float32 tensor [batch, height, width, channels]');
  // Views as reversed axes: 2 is the width (left-right), 1 the height (top-bottom).
  const views: number[][] =
    mode === 'horizontal' ? [[], [2]] : mode === 'vertical' ? [[], [1]] : [[], [2], [1], [1, 2]];
  return tf.tidy(() => {
    const outputs = views.map((axes) => {
      const out = model.predict(axes.length === 0 ? images : tf.reverse(images, axes), { batchSize });
      if (!(out instanceof tf.Tensor)) throw invalidArgument(fn, 'model', 'several outputs', 'a model with one output');
      return out;
    });
    return tf.div(tf.addN(outputs), views.length);
  });
}
