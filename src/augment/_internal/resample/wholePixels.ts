import * as tf from '@tensorflow/tfjs-core';
import type { Tensor2D, Tensor4D } from '@tensorflow/tfjs-core';
import type { FillMode, ResampleSettings } from './options.js';

/** Offsets beyond this are left to the general sampler (float32 keeps every integer below 2^24 exact). */
const LIMIT = 2 ** 20;

/**
 * Offsets beyond this keep the gathers in constant mode: crop-and-resize computes each coordinate in
 * float32 from a normalised box, and its error must stay well below the quarter pixel of slack that
 * {@link cropBoxes} leaves.
 */
const CROP_LIMIT = 4096;

/** The smallest normal float32: a subnormal may be flushed to zero by one kernel and kept by another. */
const MIN_NORMAL_FLOAT32 = 2 ** -126;
/** The largest finite float32: a larger fill would be infinite in the kernel. */
const MAX_FLOAT32 = 3.4028234663852886e38;

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
 * exactly. In constant mode that is one nearest crop-and-resize per batch ({@link cropBoxes});
 * otherwise, or where that cannot be exact, two gathers: the rows each output row reads, then the
 * columns, per image, with constant mode's fill read from a one-pixel frame. TensorFlow's projective
 * kernel computes and bounds-checks a coordinate for every output value, channel by channel, which
 * costs several times more on tfjs-node than these copies. Undefined for any other rows (a
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
  if (s.fillMode === 'constant') {
    const cropped = cropBoxes(images, rows, s);
    if (cropped !== undefined) return cropped;
  }
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

/**
 * Constant mode as ONE nearest crop-and-resize, where the pad and two gathers take three kernels:
 * output index i of an axis reads source coordinate `c = sign · i + offset`, a box from the first
 * to the last c (reversed for a flip) with the fill as the extrapolation value. Crop-and-resize
 * interpolates that box in float32 and tests `c < 0 || c > size − 1` exactly, so an edge pixel could
 * turn into fill by a rounding error; each c is therefore moved towards the image centre m by
 * `(m − c) / (4m + 4)`, under a quarter pixel, which keeps every inside coordinate rounding to itself
 * and every outside one (at least a pixel out, moved at most a quarter) outside. The move is affine
 * in c, so the nudged coordinates are still one box. Undefined where it cannot be exact: a window or
 * image one pixel wide on an axis (the box degenerates), offsets past CROP_LIMIT, a non-float32 batch
 * (crop-and-resize returns float32), an empty batch, and a fill of −0 or a subnormal (backends
 * disagree on their sign and flushing).
 */
function cropBoxes(images: Tensor4D, rows: readonly (readonly number[])[], s: ResampleSettings): Tensor4D | undefined {
  const [batch, height, width] = images.shape;
  const plainFill =
    Object.is(s.fillValue, 0) || (Math.abs(s.fillValue) >= MIN_NORMAL_FLOAT32 && Math.abs(s.fillValue) <= MAX_FLOAT32);
  if (
    !plainFill ||
    images.dtype !== 'float32' ||
    batch === 0 ||
    Math.min(height, width, s.outHeight, s.outWidth) < 2 ||
    rows.some((t) => Math.abs(t[2]!) > CROP_LIMIT || Math.abs(t[5]!) > CROP_LIMIT)
  ) {
    return undefined;
  }
  const nudged = (c: number, size: number): number => {
    const m = (size - 1) / 2;
    return (c + (m - c) / (4 * m + 4)) / (size - 1);
  };
  const boxes = new Float32Array(batch * 4);
  for (let b = 0; b < batch; b++) {
    const t = rows.length === 1 ? rows[0]! : rows[b]!;
    const [sx, cx, sy, cy] = [t[0]!, t[2]!, t[4]!, t[5]!];
    boxes.set(
      [
        nudged(cy, height),
        nudged(cx, width),
        nudged(cy + sy * (s.outHeight - 1), height),
        nudged(cx + sx * (s.outWidth - 1), width),
      ],
      b * 4,
    );
  }
  const boxIndices = tf.range(0, batch, 1, 'int32') as tf.Tensor1D;
  return tf.image.cropAndResize(
    images,
    tf.tensor2d(boxes, [batch, 4]),
    boxIndices,
    [s.outHeight, s.outWidth],
    'nearest',
    s.fillValue,
  );
}
