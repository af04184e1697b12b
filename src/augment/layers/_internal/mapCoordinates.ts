import * as tf from '@tensorflow/tfjs-core';
import type { Tensor1D, Tensor2D, Tensor4D } from '@tensorflow/tfjs-core';
import { clip } from '../../../core/clip.js';
import type { ResampleOptions } from '../../_internal/resample/options.js';

/** One interpolation node along an axis: the integer index it reads, its weight, and whether it lies in the image. */
interface Node {
  index: Tensor1D;
  weight: tf.Tensor | number;
  valid?: Tensor1D;
}

/**
 * Keras 3's `ops.image.map_coordinates` (its TensorFlow backend), which RandomElasticTransform resamples with: the
 * fill mode maps each integer corner index, not the coordinate, so it differs from tf.image.transform (this library's
 * sampler) near the edges. Its 'reflect' is |i| reflected about the far edge only (index −1 reads 1, index `size`
 * reads `size − 1`), its 'constant' fills each corner outside the image, 'nearest' rounds half to even. `y` and `x`
 * hold, per image, the input coordinates of every output pixel, row-major; runs in the caller's tidy.
 */
export function mapCoordinates(images: Tensor4D, y: Tensor2D, x: Tensor2D, o: ResampleOptions): Tensor4D {
  const [n, h, w, c] = images.shape;
  const flat = tf.reshape(images, [n * h * w, c]);
  // The row of each output pixel's image in `flat`.
  const base = tf.reshape(tf.tile(tf.reshape(tf.range(0, n * h * w, h * w, 'int32'), [n, 1]), [1, h * w]), [-1]);
  const nodes = (coordinate: Tensor2D, size: number): Node[] => {
    const at = tf.reshape(coordinate, [-1]) as Tensor1D;
    if (o.interpolation === 'nearest') return [fix(tf.round(at), 1, size, o)];
    const lower = tf.floor(at);
    const upper = tf.sub(at, lower) as Tensor1D;
    return [fix(lower, tf.sub(1, upper), size, o), fix(tf.add(lower, 1), upper, size, o)];
  };
  let out: tf.Tensor | undefined;
  for (const ny of nodes(y, h)) {
    for (const nx of nodes(x, w)) {
      const index = tf.cast(tf.add(base, tf.add(tf.mul(ny.index, w), nx.index)), 'int32');
      let gathered: tf.Tensor = tf.gather(flat, index);
      if (ny.valid !== undefined && nx.valid !== undefined) {
        const valid = tf.reshape(tf.logicalAnd(ny.valid, nx.valid), [-1, 1]);
        gathered = tf.where(tf.tile(valid, [1, c]), gathered, tf.fill(gathered.shape, o.fillValue));
      }
      const term = tf.mul(gathered, tf.reshape(tf.mul(ny.weight, nx.weight), [-1, 1]));
      out = out === undefined ? term : tf.add(out, term);
    }
  }
  return tf.reshape(out!, [n, h, w, c]);
}

/** Keras' process_coordinates: an integer index (as a float) mapped into [0, size) by the fill mode. */
function fix(index: tf.Tensor, weight: tf.Tensor | number, size: number, o: ResampleOptions): Node {
  const clipped = (t: tf.Tensor) => tf.cast(clip(t, 0, size - 1), 'int32') as Tensor1D;
  switch (o.fillMode) {
    case 'constant': {
      const valid = tf.logicalAnd(tf.greaterEqual(index, 0), tf.less(index, size)) as Tensor1D;
      return { index: clipped(index), weight, valid };
    }
    case 'nearest':
      return { index: clipped(index), weight };
    case 'wrap':
      return { index: clipped(tf.mod(index, size)), weight };
    case 'reflect': {
      const mod = tf.mod(tf.abs(index), 2 * size);
      return { index: clipped(tf.where(tf.less(mod, size), mod, tf.sub(2 * size - 1, mod))), weight };
    }
  }
}
