import { dispose } from '@tensorflow/tfjs-core';
import type { Tensor } from '@tensorflow/tfjs-core';
import { checkOptions, invalidArgument, optionNames } from '../core/validate.js';
import type { AffineView } from './_internal/affineFusion.js';
import { IDENTITY_3X3, matMul3 } from './_internal/affineFusion.js';
import { checkParamsObject } from './_internal/batch.js';
import { applyMatrices, checkSteps, commonAffineViews, copyBatch } from './_internal/combine.js';
import { defineAugmentation } from './_internal/defineAugmentation.js';
import type { Augmentation, Batch } from './augmentation.js';

/** Options of {@link randomOrder}. */
export interface RandomOrderOptions {
  /** Seed of the generator the parameters are drawn from. @defaultValue a fresh random seed */
  seed?: number;
}

const RANDOM_ORDER_OPTIONS = optionNames<RandomOrderOptions>()('seed');

/** Parameters of {@link randomOrder}. */
export interface RandomOrderParams {
  /** The order of this call: a permutation of the augmentations' indices. */
  order: number[];
  /** Each augmentation's own parameters, indexed as the augmentations were given (not in `order`). */
  params: unknown[];
}

/**
 * torchvision's `RandomOrder`: every augmentation is applied, in an order drawn uniformly per call,
 * so one order for the whole batch (as torchvision's on a batched tensor).
 *
 * Why per batch: a per-sample order without data-dependent shapes would run each order present in
 * the batch on the whole batch and select by mask, up to min(batch, k!) times k steps instead of k.
 * When every step is affine (randomAffine) with the same resampling, the steps' matrices are composed
 * in the drawn order and resampled once, and a {@link pipeline} fuses `randomOrder` with its affine
 * neighbours.
 *
 * @param augs - The augmentations (at least one); they sample from `randomOrder`'s generator.
 * @param options - seed.
 * @returns An {@link Augmentation} with {@link RandomOrderParams}.
 * @throws Error naming `randomOrder`, the argument and the value for bad augmentations or options.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { cutout, randomOrder } from 'tfjs-regularization/augment';
 *
 * const box: [number, number, number, number][] = [[0, 0, 1, 1]];
 * const both = randomOrder([cutout({ size: 1, value: 1 }), cutout({ size: 1, value: 2 })], { seed: 4 });
 * const images = tf.zeros([1, 2, 2, 1]) as tf.Tensor4D;
 * const cut = { applied: [true], boxes: [box] };
 * // The last step wins the pixel both erase.
 * console.log(both.apply({ images }, { order: [0, 1], params: [cut, cut] }).images.dataSync()[0]); // 2
 * console.log(both.apply({ images }, { order: [1, 0], params: [cut, cut] }).images.dataSync()[0]); // 1
 * ```
 */
export function randomOrder(
  augs: readonly Augmentation[],
  options?: RandomOrderOptions,
): Augmentation<RandomOrderParams> {
  const fn = 'randomOrder';
  const o = checkOptions<RandomOrderOptions>(fn, options, RANDOM_ORDER_OPTIONS);
  const steps = checkSteps(fn, 'augs', augs, 1);
  const k = steps.length;
  const views = commonAffineViews(steps);
  const affine: AffineView<RandomOrderParams> | undefined = views && {
    resampling: views[0]!.resampling,
    matrices: (params, info) => {
      const per = params.order.map((j) => views[j]!.matrices(params.params[j], info));
      // Sampling through step a then b reads a's output at b's map: the product in order, as pipeline fuses.
      return Array.from({ length: info.batchSize }, (_, i) =>
        per.reduce((m, stepMatrices) => matMul3(m, stepMatrices[i]!), [...IDENTITY_3X3]),
      );
    },
  };
  return defineAugmentation<RandomOrderParams>({
    name: fn,
    seed: o.seed,
    sample: (info, rng) => ({ order: rng.permutation(k), params: steps.map((s) => s.sample(info, rng)) }),
    checkParams: (params) => {
      const q = checkParamsObject(fn, params, '{order, params}');
      const order = q['order'];
      if (!Array.isArray(order) || order.length !== k || [...order].sort((a, b) => a - b).some((v, i) => v !== i)) {
        throw invalidArgument(fn, 'params.order', order, `a permutation of 0..${k - 1}`);
      }
      if (!Array.isArray(q['params']) || q['params'].length !== k) {
        throw invalidArgument(fn, 'params.params', q['params'], `an array of ${k} augmentation parameters`);
      }
    },
    apply: (batch, params, info) => {
      if (affine) return applyMatrices(batch, affine as AffineView<unknown>, params, info);
      let current: Batch = batch;
      for (const j of params.order) {
        const next = steps[j]!.apply(current, params.params[j]);
        // Intermediate outputs are ours to free at once (a long chain would otherwise wait for the tidy).
        const mine = (t: unknown) => t != null && t !== batch.images && t !== batch.labels;
        const kept = (t: unknown) => t === next.images || t === next.labels;
        dispose([current.images, current.labels].filter((t) => mine(t) && !kept(t)) as Tensor[]);
        current = next;
      }
      return current === batch ? copyBatch(batch) : current;
    },
    // Masks follow the matrices of the affine path; the per-sample selection does not carry them.
    ...(affine ? { affine } : { masks: 'reject' as const }),
  });
}
