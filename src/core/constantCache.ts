import * as tf from '@tensorflow/tfjs-core';
import type { Tensor } from '@tensorflow/tfjs-core';

/**
 * Constant tensors the resampler reuses across calls (pixel grid, bounds, gather offsets). On
 * tfjs-node every tensor made from JS is an upload and a scalar operand is one too, which for a
 * 28×28 batch costs as much as the arithmetic; so they are made once per backend instance (tensors
 * belong to one backend), kept outside any tidy, and bounded so unusual shapes cannot grow memory
 * without limit.
 */
const MAX_ENTRIES = 64;
const caches = new WeakMap<object, Map<string, Tensor>>();

export function cachedConstant<T extends Tensor>(key: string, make: () => T): T {
  const backend = tf.engine().backend as object;
  let cache = caches.get(backend);
  if (cache === undefined) {
    cache = new Map();
    caches.set(backend, cache);
  }
  const hit = cache.get(key);
  if (hit !== undefined && !hit.isDisposed) {
    // Re-inserting keeps the map in least-recently-used order.
    cache.delete(key);
    cache.set(key, hit);
    return hit as T;
  }
  const made = tf.keep(tf.tidy(make));
  cache.set(key, made);
  if (cache.size > MAX_ENTRIES) {
    const oldest = cache.keys().next().value as string;
    cache.get(oldest)?.dispose();
    cache.delete(oldest);
  }
  return made;
}

/** Output pixel grid as rows (x, y, 1), shape [3, height * width], row-major over (y, x). */
export function pixelGrid(height: number, width: number): tf.Tensor2D {
  return cachedConstant(`grid:${height}x${width}`, () => {
    const n = height * width;
    const data = new Float32Array(3 * n);
    for (let i = 0; i < n; i++) {
      data[i] = i % width;
      data[n + i] = Math.floor(i / width);
      data[2 * n + i] = 1;
    }
    return tf.tensor2d(data, [3, n]);
  });
}

/**
 * A value per image axis for coordinates laid out [2 (x, y), points]: a scalar when both axes
 * agree, else a [2, 1] column.
 */
export function perAxis(x: number, y: number): Tensor {
  if (x === y) return cachedConstant(`scalar:${x}`, () => tf.scalar(x));
  return cachedConstant(`axis:${x}:${y}`, () => tf.tensor2d([x, y], [2, 1]));
}

/**
 * Flat-index offsets (float32 or int32), broadcastable against per-point base indices [1, points]: one row
 * per tap (its displacement from the top-left tap) plus, per point, the start of its image in the
 * flattened pixel array. `perImage` is how many consecutive points share an image; with `expand`
 * the image axis is kept separate ([taps, batch, 1]) for base indices shared by all images, else it
 * is spelled out per point ([taps, batch * perImage]).
 */
export function gatherOffsets(
  taps: readonly number[],
  batch: number,
  perImage: number,
  imageStride: number,
  expand: boolean,
  dtype: 'float32' | 'int32',
): Tensor {
  const key = `offsets:${taps.join(',')}:${batch}:${perImage}:${imageStride}:${expand}:${dtype}`;
  return cachedConstant(key, () => {
    const points = expand ? batch : batch * perImage;
    const data = dtype === 'int32' ? new Int32Array(taps.length * points) : new Float32Array(taps.length * points);
    for (let t = 0; t < taps.length; t++) {
      for (let p = 0; p < points; p++) {
        const image = expand ? p : Math.floor(p / perImage);
        data[t * points + p] = taps[t]! + image * imageStride;
      }
    }
    return expand ? tf.tensor3d(data, [taps.length, batch, 1], dtype) : tf.tensor2d(data, [taps.length, points], dtype);
  });
}
