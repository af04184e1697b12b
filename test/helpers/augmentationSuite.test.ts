import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import type { Batch } from '../../src/augment/augmentation.js';
import { defineAugmentation } from '../../src/augment/_internal/defineAugmentation.js';
import { cachedScalar } from '../../src/core/constantCache.js';
import { assertNoLeaks } from './augmentationSuite.js';
import { describeBackends } from './backends.js';

/** An augmentation adding a drawn offset, through a per-value cached constant; `leak` keeps one tensor per call. */
const offset = (leak: boolean) => (p: number, seed: number) =>
  defineAugmentation<{ offset: number }>({
    name: 'offset',
    seed,
    sample: (_info, rng) => ({ offset: rng.uniform() < p ? rng.uniform() : 0 }),
    checkParams: () => undefined,
    apply: (batch: Batch, params) => {
      if (leak) tf.keep(tf.scalar(params.offset));
      return { images: tf.add(batch.images, cachedScalar(params.offset)) };
    },
  });

describeBackends('assertNoLeaks', () => {
  it('does not take a constant cached for each drawn value on first use for a leak', async () => {
    await assertNoLeaks({ make: offset(false) });
  });

  it('still catches a tensor left by every call', async () => {
    await expect(assertNoLeaks({ make: offset(true) })).rejects.toThrow('tensors leaked by one call');
  });
});
