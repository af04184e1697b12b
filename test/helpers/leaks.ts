import * as tf from '@tensorflow/tfjs-core';
import { expect } from 'vitest';

async function runAndDispose(fn: () => unknown): Promise<void> {
  const out = await fn();
  tf.dispose(out as tf.TensorContainer);
}

/**
 * Asserts that `fn` leaves no tensor behind: a warm-up call (kernels may cache constants), then a
 * second call after which `tf.memory().numTensors` must be unchanged. Tensors `fn` returns are
 * disposed by the helper, so a function may return its result.
 */
export async function expectNoLeaks(fn: () => unknown): Promise<void> {
  await runAndDispose(fn);
  const before = tf.memory().numTensors;
  await runAndDispose(fn);
  expect(tf.memory().numTensors, 'tensors leaked by one call').toBe(before);
}
