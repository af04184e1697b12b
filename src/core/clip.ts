import * as tf from '@tensorflow/tfjs-core';
import type { Tensor } from '@tensorflow/tfjs-core';
import { cachedScalar } from './constantCache.js';
import { activeNodeBackend } from './tfjsNode.js';

/**
 * `tf.clipByValue(x, min, max)`: the same values, bit for bit but for the sign of a zero (and NaN, on
 * which tfjs' backends disagree among themselves). tfjs-node's ClipByValue kernel uploads both bounds
 * as new scalars and runs Minimum then Maximum; each call into TensorFlow has a fixed cost that
 * dominates on small batches. Here, on tfjs-node with no gradient being recorded, a float32 tensor is
 * clipped by TensorFlow's own ClipByValue (what Keras' `ops.clip` runs) with cached bounds, in one
 * call. Elsewhere, and whenever a gradient may be needed, it is `tf.clipByValue` itself. Call inside
 * a tidy.
 */
export function clip<T extends Tensor>(x: T, min: number, max: number): T {
  const node = x.dtype === 'float32' ? activeNodeBackend() : undefined;
  if (node === undefined || tf.engine().isTapeOn()) return tf.clipByValue(x, min, max);
  const attrs = [{ name: 'T', type: node.binding.TF_ATTR_TYPE, value: node.binding.TF_FLOAT }];
  return node.executeSingleOutput('ClipByValue', attrs, [x, cachedScalar(min), cachedScalar(max)]) as T;
}
