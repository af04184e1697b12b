import { gather, tensor1d } from '@tensorflow/tfjs-core';
import type { Tensor4D } from '@tensorflow/tfjs-core';
import { optionNames } from '../core/validate.js';
import { defineAugmentation } from './_internal/defineAugmentation.js';
import {
  blendImages,
  checkMixLabels,
  checkMixParams,
  classIdVectorAsColumn,
  effectiveLambda,
  mixLabels,
  readMixOptions,
  sampleMix,
} from './_internal/mixing.js';
import type { Augmentation } from './augmentation.js';

/** Options of {@link mixup}. */
export interface MixupOptions {
  /**
   * λ is drawn from Beta(alpha, alpha); small values keep most samples close to one image.
   * @defaultValue 0.2 (Zhang et al.)
   */
  alpha?: number;
  /** Probability that a sample is mixed; an unmixed sample keeps its image and label (λ = 1). @defaultValue 1 */
  p?: number;
  /**
   * Number of classes, required when the labels are class ids (`[n, 1]`, or `[n]` in a direct call).
   * @defaultValue the labels' width
   */
  numClasses?: number;
  /** ε in [0, 1): the mixed labels become y (1 - ε) + ε / numClasses. @defaultValue 0 */
  labelSmoothing?: number;
  /** Seed of the generator the parameters are drawn from. @defaultValue a fresh random seed */
  seed?: number;
}

const MIXUP_OPTIONS = optionNames<MixupOptions>()('alpha', 'p', 'numClasses', 'labelSmoothing', 'seed');

/** Parameters of {@link mixup}, one entry per sample. */
export interface MixupParams {
  /** Sample i is mixed with sample `permutation[i]` of the same batch. */
  permutation: number[];
  /** Weight of the sample's own image and label (1 where it is not mixed). */
  lambda: number[];
  /** Whether the sample is mixed (the `p` gate). */
  applied: boolean[];
}

/**
 * mixup (Zhang et al., 2018): each image becomes λ x + (1 - λ) x', with x' another image of the batch
 * (a seeded permutation picks it) and λ ~ Beta(alpha, alpha) drawn per sample; the labels are mixed
 * with the same λ, so they become soft labels whose rows sum to 1.
 *
 * Labels are required: one-hot or soft `[n, numClasses]` (float32 or int32), or integer class ids
 * `[n, 1]` with the `numClasses` option (a `[n]` vector is accepted too when mixup is called directly,
 * not inside a pipeline). The output labels are always float32 `[n, numClasses]`. Class ids must be
 * integers in [0, numClasses): out-of-range ids give all-zero rows (checking them would read the device).
 *
 * A batch with masks is an error: a blend of two masks is no mask.
 *
 * @param options - alpha, p, numClasses, labelSmoothing, seed.
 * @returns An {@link Augmentation} with {@link MixupParams}.
 * @throws Error naming `mixup`, the option and the value for bad options; when called, for missing
 *   labels, class ids without `numClasses`, or labels whose width is not `numClasses`.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { mixup } from 'tfjs-regularization/augment';
 *
 * const images = tf.concat([tf.zeros([1, 2, 2, 1]), tf.ones([1, 2, 2, 1])]) as tf.Tensor4D;
 * const labels = tf.tensor2d([[0], [1]], [2, 1], 'int32'); // class ids
 * const mix = mixup({ numClasses: 2, seed: 7 });
 * const out = mix.apply({ images, labels }, { permutation: [1, 0], lambda: [0.75, 0.5], applied: [true, true] });
 * console.log(out.images.dataSync()[0]); // 0.75 * 0 + 0.25 * 1 = 0.25
 * console.log(out.labels!.arraySync()); // [[0.75, 0.25], [0.5, 0.5]]
 * const random = mix({ images, labels });
 * console.log(random.labels!.shape); // [2, 2]
 * ```
 */
export function mixup(options?: MixupOptions): Augmentation<MixupParams> {
  const fn = 'mixup';
  const s = readMixOptions(fn, options, 0.2, MIXUP_OPTIONS);
  return defineAugmentation<MixupParams>({
    name: fn,
    seed: s.seed,
    adaptBatch: classIdVectorAsColumn(fn),
    masks: 'reject',
    sample: (info, rng) => sampleMix(info, rng, s),
    checkParams: (params, info) => checkMixParams(fn, params, info),
    apply: (batch, params) => {
      const kind = checkMixLabels(fn, batch.labels, s.numClasses);
      const lambda = effectiveLambda(params);
      const perm = tensor1d(params.permutation, 'int32');
      const images = blendImages(batch.images, gather(batch.images, perm) as Tensor4D, lambda);
      return { images, labels: mixLabels(batch.labels!, kind, s.numClasses, perm, lambda, s.labelSmoothing) };
    },
  });
}
