import { tensor } from '@tensorflow/tfjs-core';
import type { Tensor, Tensor2D, Tensor4D } from '@tensorflow/tfjs-core';
import { invalidArgument } from '../core/validate.js';

let scale: Float32Array | undefined;

/**
 * Pixel bytes to a float32 tensor in [0, 1]: each value divided by 255, as the Keras notebook's
 * `x.astype('float32') / 255`, with the shape the model expects: `[n, 28, 28, 1]` for a
 * convolutional network, `[n, 784]` for a dense one.
 *
 * The conversion runs in JavaScript (a 256-entry table), so the 47 MB of MNIST's training images
 * become one tensor without intermediate int32 or float copies on the backend.
 *
 * @param images - Unsigned bytes, e.g. `loadMnist()`'s `train.images`.
 * @param shape - The tensor's shape; its sizes must multiply to `images.length`. One entry may be
 *   -1, inferred from the others (as in `tf.reshape`).
 * @returns A float32 tensor the caller owns.
 * @throws Error naming `normalize`, the argument and the value when `images` is not a Uint8Array or
 *   `shape` is not a list of positive integers (at most one -1) matching `images.length`.
 *
 * @example
 * ```ts
 * import { normalize } from 'tfjs-regularization/data';
 *
 * const pixels = new Uint8Array([0, 51, 255, 102, 0, 255, 0, 255]); // two 2×2 images
 * const x = normalize(pixels, [-1, 2, 2, 1]);
 * console.log(x.shape); // [2, 2, 2, 1]
 * console.log(x.dataSync()[1]); // 51 / 255 = 0.2
 * console.log(normalize(pixels, [2, 4]).shape); // [2, 4]
 * ```
 */
export function normalize(images: Uint8Array, shape: [number, number, number, number]): Tensor4D;
export function normalize(images: Uint8Array, shape: [number, number]): Tensor2D;
export function normalize(images: Uint8Array, shape: readonly number[]): Tensor;
export function normalize(images: Uint8Array, shape: readonly number[]): Tensor {
  if (!(images instanceof Uint8Array))
    throw invalidArgument('normalize', 'images', images, 'a Uint8Array of pixel values');
  const dims = resolveShape(images.length, shape);
  if (scale === undefined) scale = Float32Array.from({ length: 256 }, (_, i) => i / 255);
  const table = scale;
  const out = new Float32Array(images.length);
  for (let i = 0; i < images.length; i++) out[i] = table[images[i]!]!;
  return tensor(out, dims, 'float32');
}

function resolveShape(length: number, shape: unknown): number[] {
  const bad = (why: string): Error =>
    invalidArgument('normalize', 'shape', shape, `${why} (images.length is ${length})`);
  if (!Array.isArray(shape) || shape.length === 0) throw bad('a non-empty array of sizes');
  if (!shape.every((d) => Number.isInteger(d) && (d > 0 || d === -1))) throw bad('positive integers, at most one -1');
  const inferred = shape.filter((d) => d === -1).length;
  if (inferred > 1) throw bad('positive integers, at most one -1');
  const known = (shape as number[]).reduce((a, d) => (d === -1 ? a : a * d), 1);
  if (inferred === 1) {
    if (length % known !== 0 || length === 0)
      throw bad(`sizes whose known part (${known}) divides the number of values`);
    return shape.map((d: number) => (d === -1 ? length / known : d));
  }
  if (known !== length) throw bad('sizes whose product is the number of values');
  return [...shape] as number[];
}
