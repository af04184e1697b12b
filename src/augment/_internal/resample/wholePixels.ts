import * as tf from '@tensorflow/tfjs-core';
import type { Tensor2D, Tensor4D } from '@tensorflow/tfjs-core';
import type { FillMode, ResampleSettings } from './options.js';

/** Offsets beyond this are left to the general sampler (float32 keeps every integer below 2^24 exact). */
const LIMIT = 2 ** 20;

/**
 * Where output index `i` reads on one axis, `sign · i + offset`, mapped the way TensorFlow's kernel
 * maps an integer coordinate for each fill mode; -1 marks a read outside the image in constant mode.
 * Undefined for a mode left to the general sampler ('wrap', with TensorFlow's quirks far out).
 */
function axisIndices(sign: number, offset: number, out: number, len: number, mode: FillMode): number[] | undefined {
  if (mode === 'wrap') return undefined;
  return Array.from({ length: out }, (_, i) => {
    const c = sign * i + offset;
    if (mode === 'constant') return c < 0 || c > len - 1 ? -1 : c;
    if (mode === 'nearest') return Math.min(Math.max(c, 0), len - 1);
    // Half-sample symmetric, dcba|abcd|dcba (fillModes.ts' reflect, on whole pixels).
    const u = ((c % (2 * len)) + 2 * len) % (2 * len);
    return Math.min(Math.max(u < len ? u : 2 * len - 1 - u, 0), len - 1);
  });
}

/**
 * tf.image.transform for rows that move whole pixels along the axes (crops, flips, whole-pixel
 * shifts: `x' = ±x + c`, `y' = ±y + f` with integer c and f), which every interpolation reads
 * exactly, as two gathers: the rows each output row reads, then the columns, per image. Constant
 * mode reads its fill from a one-pixel frame. TensorFlow's projective kernel computes and bounds-
 * checks a coordinate for every output value, channel by channel, which costs several times more
 * on tfjs-node than these copies. Undefined for any other rows (a
 * decision on the parameters, never on pixel values), a tensor of rows, 'wrap', or under a gradient tape.
 * Call inside a tidy; the inputs are not disposed.
 */
export function wholePixelResample(
  images: Tensor4D,
  transforms: readonly (readonly number[])[] | Tensor2D,
  s: ResampleSettings,
): Tensor4D | undefined {
  // Under a gradient tape the general sampler runs, so that a gradient through the images fails as it
  // always has (tfjs has none for its gatherND) rather than taking a different path's.
  if (!Array.isArray(transforms) || transforms.length === 0 || tf.engine().isTapeOn()) return undefined;
  const rows = transforms as readonly (readonly number[])[];
  const axisAligned = (t: readonly number[]) =>
    t[1] === 0 &&
    t[3] === 0 &&
    t[6] === 0 &&
    t[7] === 0 &&
    Math.abs(t[0]!) === 1 &&
    Math.abs(t[4]!) === 1 &&
    Number.isInteger(t[2]) &&
    Number.isInteger(t[5]) &&
    Math.abs(t[2]!) <= LIMIT &&
    Math.abs(t[5]!) <= LIMIT;
  if (!rows.every(axisAligned)) return undefined;
  const [batch, height, width] = images.shape;
  // One row of indices shared by the batch gathers without batch dimensions.
  const shared = rows.length === 1 && batch > 1;
  // tfjs-backend-wasm's gather with batch dimensions mixes up the images when axes lie between the batch
  // axis and the gathered one (the column gather here): there the general sampler runs.
  if (!shared && tf.getBackend() === 'wasm') return undefined;
  const ys: number[][] = [];
  const xs: number[][] = [];
  for (const t of rows) {
    const y = axisIndices(t[4]!, t[5]!, s.outHeight, height, s.fillMode);
    const x = axisIndices(t[0]!, t[2]!, s.outWidth, width, s.fillMode);
    if (y === undefined || x === undefined) return undefined;
    ys.push(y);
    xs.push(x);
  }
  let source = images;
  if (s.fillMode === 'constant') {
    // Index 0 of the frame is the fill; every image index moves up by one.
    source = tf.pad(
      images,
      [
        [0, 0],
        [1, 1],
        [1, 1],
        [0, 0],
      ],
      s.fillValue,
    );
    for (const list of [...ys, ...xs]) list.forEach((v, i) => (list[i] = v + 1));
  }
  if (shared) {
    const picked = tf.gather(source, tf.tensor1d(ys[0]!, 'int32'), 1);
    return tf.gather(picked, tf.tensor1d(xs[0]!, 'int32'), 2) as Tensor4D;
  }
  const picked = tf.gather(source, tf.tensor2d(ys, [batch, s.outHeight], 'int32'), 1, 1);
  return tf.gather(picked, tf.tensor2d(xs, [batch, s.outWidth], 'int32'), 2, 1) as Tensor4D;
}
