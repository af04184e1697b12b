import * as tf from '@tensorflow/tfjs-core';
import type { Tensor } from '@tensorflow/tfjs-core';

/**
 * Constant tensors reused across calls (pixel grids, bounds, gather offsets, small operands). On
 * tfjs-node every tensor made from JS is an upload and a scalar operand is one too, which for a
 * 28×28 batch costs as much as the arithmetic; so they are made once per backend instance (tensors
 * belong to one backend), kept outside any tidy, and bounded so unusual shapes cannot grow memory
 * without limit.
 */
const MAX_ENTRIES = 64;
const caches = new WeakMap<object, Map<string, Tensor>>();

function backendCache(): Map<string, Tensor> {
  const backend = tf.engine().backend as object;
  let cache = caches.get(backend);
  if (cache === undefined) {
    cache = new Map();
    caches.set(backend, cache);
  }
  return cache;
}

export function cachedConstant<T extends Tensor>(key: string, make: () => T): T {
  const cache = backendCache();
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

/** How many constants the current backend's cache holds (tests tell them from leaks with it). */
export function cachedConstantCount(): number {
  return backendCache().size;
}

/** A number as a cache key: `${-0}` is "0", but a -0 constant is not a 0 one (a -0 fill stays -0). */
export function numberKey(value: number): string {
  return Object.is(value, -0) ? '-0' : String(value);
}

/** A scalar constant, cached per backend. */
export function cachedScalar(value: number): Tensor {
  return cachedConstant(`scalar:${numberKey(value)}`, () => tf.scalar(value));
}

/**
 * A constant laid out per image along `axis` (`unit` entries per image): the first `count` images' part
 * of one made for the largest count asked so far, so that ops run on groups of a batch, whose sizes
 * change from call to call, keep one entry per key. `make(n)` builds it for n images. Call inside a
 * tidy: a shorter prefix is a slice, the caller's.
 */
export function cachedPrefix(
  key: string,
  count: number,
  axis: number,
  unit: number,
  make: (n: number) => Tensor,
): Tensor {
  const hit = backendCache().get(key);
  if (hit !== undefined && !hit.isDisposed && hit.shape[axis]! >= count * unit) {
    if (hit.shape[axis] === count * unit) return cachedConstant(key, () => hit);
    const size = hit.shape.map((d, i) => (i === axis ? count * unit : d));
    return tf.slice(
      cachedConstant(key, () => hit),
      new Array<number>(hit.rank).fill(0),
      size,
    );
  }
  hit?.dispose();
  backendCache().delete(key);
  return cachedConstant(key, () => make(count));
}
