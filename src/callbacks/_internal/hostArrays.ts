import { tensor } from '@tensorflow/tfjs-core';
import type { Tensor } from '@tensorflow/tfjs-core';
import type { HostArray } from '../../core/resumable.js';

/** Host copies of tensors (read without blocking), as a backup or EarlyStopping's best weights keep them. */
export async function hostArrays(tensors: readonly Tensor[]): Promise<HostArray[]> {
  const values = await Promise.all(tensors.map((t) => t.data()));
  return tensors.map((t, i) => ({ shape: t.shape, dtype: t.dtype, values: values[i] as Float32Array }));
}

/** A tensor of a host copy; the caller owns it. */
export function toTensor(a: HostArray): Tensor {
  return tensor(a.values, a.shape, a.dtype);
}
