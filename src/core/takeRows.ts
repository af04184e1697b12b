import { gatherND, getBackend, tensor, tensor2d, tidy } from '@tensorflow/tfjs-core';
import type { Tensor } from '@tensorflow/tfjs-core';

/**
 * `x[rows]` along the first axis, as tf.gather would, by the fastest route per backend: gatherND
 * with indices of shape [k, 1] (tf.gather is much slower on wasm and on tfjs-node's narrow rows),
 * except on cpu, where the data already lives in JavaScript and a row copy beats both kernels
 * (docs/performance.md has the timings). trainTestSplit's split and flow's batches use it.
 */
export function takeRows<T extends Tensor>(x: T, rows: readonly number[]): T {
  const [, ...rest] = x.shape;
  if (getBackend() === 'cpu' && (x.dtype === 'float32' || x.dtype === 'int32' || x.dtype === 'bool')) {
    const src = x.dataSync() as Float32Array | Int32Array | Uint8Array;
    const width = rest.reduce((a, b) => a * b, 1);
    const out = new (src.constructor as Float32ArrayConstructor)(rows.length * width);
    for (let i = 0; i < rows.length; i++) out.set(src.subarray(rows[i]! * width, (rows[i]! + 1) * width), i * width);
    return tensor(out, [rows.length, ...rest], x.dtype) as T;
  }
  return tidy(() => gatherND(x, tensor2d(rows as number[], [rows.length, 1], 'int32'))) as T;
}
