import * as tf from '@tensorflow/tfjs-core';
import type { Tensor2D, Tensor4D } from '@tensorflow/tfjs-core';
import { cachedConstant, cachedScalar } from '../../../core/constantCache.js';
import { activeNodeBackend } from '../../../core/tfjsNode.js';
import type { NodeBackend } from '../../../core/tfjsNode.js';
import type { ResampleSettings } from './options.js';

// ImageProjectiveTransformV3, the op behind tf.image.transform, is in libtensorflow even though
// tfjs-node registers no `Transform` kernel for it.
const OP = 'ImageProjectiveTransformV3';
let enabled = true;
/** Backends on which the op was tried and failed, so the portable sampler is used from then on. */
const failed = new WeakSet<object>();

/** Turns the native path off or on (tests compare it with the portable sampler). */
export function setNativeTransform(on: boolean): void {
  enabled = on;
}

function nodeBackend(): NodeBackend | undefined {
  const backend = enabled ? activeNodeBackend() : undefined;
  return backend === undefined || failed.has(backend) ? undefined : backend;
}

/**
 * Runs TensorFlow's own projective-transform kernel on tfjs-node, the kernel whose semantics the
 * portable sampler reproduces, in one op instead of ~20 (bench:augment measures the difference). Returns undefined
 * where it does not apply: another backend, a gradient being recorded
 * (the op has no gradient in tfjs, the portable ops do), or a libtensorflow without the op.
 * Call inside a tidy; the inputs are not disposed.
 */
export function nativeResample(
  images: Tensor4D,
  transforms: readonly (readonly number[])[] | Tensor2D,
  s: ResampleSettings,
): Tensor4D | undefined {
  const backend = nodeBackend();
  if (backend === undefined || tf.engine().isTapeOn()) return undefined;
  const rows = Array.isArray(transforms)
    ? tf.tensor2d((transforms as readonly (readonly number[])[]).flat(), [transforms.length, 8])
    : tf.cast(transforms as Tensor2D, 'float32');
  const { binding } = backend;
  const attrs = [
    { name: 'dtype', type: binding.TF_ATTR_TYPE, value: binding.TF_FLOAT },
    { name: 'interpolation', type: binding.TF_ATTR_STRING, value: s.interpolation.toUpperCase() },
    { name: 'fill_mode', type: binding.TF_ATTR_STRING, value: s.fillMode.toUpperCase() },
  ];
  // The output shape and fill value are the same batch after batch: uploaded once, not per call.
  const shape = cachedConstant(`outShape:${s.outHeight}x${s.outWidth}`, () =>
    tf.tensor1d([s.outHeight, s.outWidth], 'int32'),
  );
  const fill = cachedScalar(s.fillValue);
  const inputs = [images, rows, shape, fill];
  try {
    return backend.executeSingleOutput(OP, attrs, inputs) as Tensor4D;
  } catch {
    // An older libtensorflow without the V3 op: remember, and let the caller use portable ops.
    failed.add(backend);
    return undefined;
  }
}
