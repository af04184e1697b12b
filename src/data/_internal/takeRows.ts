import { gatherND, getBackend, tensor, tensor2d, tidy } from '@tensorflow/tfjs-core';
import type { Tensor } from '@tensorflow/tfjs-core';

/**
 * `x[rows]` along the first axis, as tf.gather would, picking the fastest route per backend.
 * Measured on 48000 of 60000 MNIST images ([n, 28, 28, 1] float32; 2-core machine):
 *   tensorflow: gather 0.3 s, gatherND 0.3-0.5 s (gatherND 3x faster on narrow rows such as labels)
 *   wasm:       gather 2.2 s, gatherND 0.2-0.7 s
 *   cpu:        gather 3.7 s, gatherND 31 s, copying rows in JavaScript 0.2 s
 * so gatherND with indices of shape [k, 1], except on cpu where the data already lives in
 * JavaScript and a row copy avoids the kernel entirely.
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
