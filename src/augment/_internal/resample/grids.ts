import * as tf from '@tensorflow/tfjs-core';
import type { Tensor } from '@tensorflow/tfjs-core';
import { cachedConstant, cachedPrefix, cachedScalar, numberKey } from '../../../core/constantCache.js';

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
  if (Object.is(x, y)) return cachedScalar(x);
  return cachedConstant(`axis:${numberKey(x)}:${numberKey(y)}`, () => tf.tensor2d([x, y], [2, 1]));
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
  const key = `offsets:${taps.join(',')}:${perImage}:${imageStride}:${expand}:${dtype}`;
  return cachedPrefix(key, batch, 1, expand ? 1 : perImage, (images) => {
    const points = expand ? images : images * perImage;
    const data = dtype === 'int32' ? new Int32Array(taps.length * points) : new Float32Array(taps.length * points);
    for (let t = 0; t < taps.length; t++) {
      for (let p = 0; p < points; p++) {
        const image = expand ? p : Math.floor(p / perImage);
        data[t * points + p] = taps[t]! + image * imageStride;
      }
    }
    return expand
      ? tf.tensor3d(data, [taps.length, images, 1], dtype)
      : tf.tensor2d(data, [taps.length, points], dtype);
  });
}

/**
 * Every pixel's own (x, y), [2, 1, height · width]: the first two rows of {@link pixelGrid}, broadcast over a batch.
 */
export function identityPoints(height: number, width: number): tf.Tensor3D {
  return cachedConstant(`identityPoints:${height}x${width}`, () =>
    tf.reshape(tf.slice(pixelGrid(height, width), [0, 0], [2, -1]), [2, 1, height * width]),
  );
}
