import { checkOptions, checkProbability, optionNames } from '../core/validate.js';
import type { AffineView } from './_internal/affineFusion.js';
import { checkApplied, checkParamsObject } from './_internal/batch.js';
import { applyMatrices, checkStep, commonAffineViews, copyBatch, selectPerSample } from './_internal/combine.js';
import { IDENTITY_3X3 } from './_internal/affineFusion.js';
import { defineAugmentation } from './_internal/defineAugmentation.js';
import type { Augmentation } from './augmentation.js';

/** Options of {@link randomApply}. */
export interface RandomApplyOptions {
  /** Probability that a sample goes through the augmentation. @defaultValue 0.5 (torchvision's `RandomApply`) */
  p?: number;
  /** Seed of the generator the parameters are drawn from. @defaultValue a fresh random seed */
  seed?: number;
}

const RANDOM_APPLY_OPTIONS = optionNames<RandomApplyOptions>()('p', 'seed');

/** Parameters of {@link randomApply}. */
export interface RandomApplyParams {
  /** Per sample, whether it takes the augmentation's output. */
  applied: boolean[];
  /** The augmentation's own parameters for the whole batch. */
  params: unknown;
}

/**
 * torchvision's `RandomApply`, per sample: each image takes the augmentation's output with
 * probability `p` and is left as it is otherwise (images and labels alike).
 *
 * Cost: the augmentation runs once on the whole batch and a mask keeps each sample's output or its
 * input (no data-dependent shapes); a call where no sample is drawn skips it. An affine augmentation
 * (randomAffine) is instead gated by identity matrices: `randomApply` is then affine itself, resamples
 * once, and a {@link pipeline} fuses it with its affine neighbours. The augmentation must keep the
 * shapes of images and labels (class ids that a mixing step turns into one-hot rows cannot be selected
 * per sample: give one-hot labels).
 *
 * @param aug - The augmentation to apply; it samples from `randomApply`'s generator.
 * @param options - p, seed.
 * @returns An {@link Augmentation} with {@link RandomApplyParams}.
 * @throws Error naming `randomApply`, the argument and the value for a bad augmentation or option, and
 *   when a call keeps some samples and not others of an augmentation that changed the shape of the images or
 *   the labels.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { cutout, randomApply } from 'tfjs-regularization/augment';
 *
 * const erase = randomApply(cutout({ size: 2, value: 1 }), { p: 0.5, seed: 1 });
 * const images = tf.zeros([3, 2, 2, 1]) as tf.Tensor4D;
 * const box: [number, number, number, number][] = [[0, 0, 2, 2]];
 * const cut = { applied: [true, true, true], boxes: [box, box, box] };
 * const out = erase.apply({ images }, { applied: [true, false, true], params: cut });
 * console.log(tf.sum(out.images, [1, 2, 3]).arraySync()); // [4, 0, 4]
 * const random = erase({ images });
 * console.log(random.images.shape); // [3, 2, 2, 1]
 * ```
 */
export function randomApply(aug: Augmentation, options?: RandomApplyOptions): Augmentation<RandomApplyParams> {
  const fn = 'randomApply';
  const o = checkOptions<RandomApplyOptions>(fn, options, RANDOM_APPLY_OPTIONS);
  checkStep(fn, 'aug', aug);
  const p = checkProbability(fn, o.p ?? 0.5);
  const inner = commonAffineViews([aug])?.[0];
  const affine: AffineView<RandomApplyParams> | undefined = inner && {
    resampling: inner.resampling,
    matrices: (params, info) => {
      const m = inner.matrices(params.params, info);
      return params.applied.map((on, i) => (on ? m[i]! : [...IDENTITY_3X3]));
    },
  };
  return defineAugmentation<RandomApplyParams>({
    name: fn,
    seed: o.seed,
    sample: (info, rng) => {
      const applied = Array.from({ length: info.batchSize }, () => rng.bernoulli(p));
      return { applied, params: aug.sample(info, rng) };
    },
    checkParams: (params, info) => {
      const q = checkParamsObject(fn, params, '{applied, params}');
      checkApplied(fn, q['applied'], info);
    },
    apply: (batch, params, info) => {
      if (affine) return applyMatrices(batch, affine as AffineView<unknown>, params, info);
      if (!params.applied.some(Boolean)) return copyBatch(batch);
      const out = aug.apply(batch, params.params);
      if (params.applied.every(Boolean)) return out;
      return selectPerSample(fn, [batch, out], params.applied.map(Number));
    },
    // Masks follow the matrices of the affine path; the per-sample selection does not carry them.
    ...(affine ? { affine } : { masks: 'reject' as const }),
  });
}
