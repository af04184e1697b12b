import { checkOptions, invalidArgument, optionNames } from '../core/validate.js';
import type { AffineView } from './_internal/affineFusion.js';
import { checkParamsObject } from './_internal/batch.js';
import { applyMatrices, checkSteps, commonAffineViews, selectPerSample } from './_internal/combine.js';
import { defineAugmentation } from './_internal/defineAugmentation.js';
import type { Augmentation, Batch } from './augmentation.js';

/** Options of {@link randomChoice}. */
export interface RandomChoiceOptions {
  /** Relative weight of each augmentation (finite, >= 0, not all 0; normalised). @defaultValue equal weights */
  weights?: number[];
  /** Seed of the generator the parameters are drawn from. @defaultValue a fresh random seed */
  seed?: number;
}

const RANDOM_CHOICE_OPTIONS = optionNames<RandomChoiceOptions>()('weights', 'seed');

/** Parameters of {@link randomChoice}. */
export interface RandomChoiceParams {
  /** Per sample, the index of the augmentation it goes through. */
  choice: number[];
  /** Each augmentation's own parameters for the whole batch, in the order given. */
  params: unknown[];
}

/**
 * torchvision's `RandomChoice`, per sample: each image goes through one of the augmentations, drawn
 * with probability proportional to `weights` (torchvision's `p`).
 *
 * Cost, the trade-off of a per-sample choice without data-dependent shapes: every augmentation that
 * at least one sample chose runs on the whole batch with its own parameters, and a per-sample mask
 * keeps the chosen output (so a batch costs up to one run of each candidate; a gather of the chosen
 * samples would need shapes read from the device). When every candidate is affine (randomAffine) with
 * the same resampling, each sample instead takes its chosen candidate's matrix: one resampling pass,
 * and a {@link pipeline} fuses `randomChoice` with its affine neighbours. The candidates must give
 * images and labels of one shape.
 *
 * @param augs - The candidates (at least one); they sample from `randomChoice`'s generator.
 * @param options - weights, seed.
 * @returns An {@link Augmentation} with {@link RandomChoiceParams}.
 * @throws Error naming `randomChoice`, the argument and the value for bad candidates or options, and
 *   when called for candidates whose outputs differ in shape.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { cutout, randomChoice } from 'tfjs-regularization/augment';
 *
 * const one = randomChoice([cutout({ size: 1, value: 1 }), cutout({ size: 1, value: 2 })], { weights: [3, 1] });
 * const images = tf.zeros([3, 2, 2, 1]) as tf.Tensor4D;
 * const box = (): [number, number, number, number][] => [[0, 0, 1, 1]];
 * const cut = { applied: [true, true, true], boxes: [box(), box(), box()] };
 * const out = one.apply({ images }, { choice: [0, 1, 0], params: [cut, cut] });
 * console.log(tf.sum(out.images, [1, 2, 3]).arraySync()); // [1, 2, 1]
 * ```
 */
export function randomChoice(
  augs: readonly Augmentation[],
  options?: RandomChoiceOptions,
): Augmentation<RandomChoiceParams> {
  const fn = 'randomChoice';
  const o = checkOptions<RandomChoiceOptions>(fn, options, RANDOM_CHOICE_OPTIONS);
  const steps = checkSteps(fn, 'augs', augs, 1);
  const k = steps.length;
  const weights = o.weights ?? steps.map(() => 1);
  if (
    !Array.isArray(weights) ||
    weights.length !== k ||
    !weights.every((w) => typeof w === 'number' && Number.isFinite(w) && w >= 0) ||
    !(weights.reduce((a, b) => a + b, 0) > 0)
  ) {
    throw invalidArgument(fn, 'weights', weights, `${k} finite numbers >= 0 (one per augmentation), not all 0`);
  }
  const total = weights.reduce((a, b) => a + b, 0);
  // Cumulative bounds; from the last non-zero weight on they are exactly 1, so that a uniform draw below 1
  // always lands in a bin whatever the rounding of the sums.
  const last = weights.reduce((at, w, i) => (w > 0 ? i : at), 0);
  let acc = 0;
  const bounds = weights.map((w, i) => (i >= last ? 1 : (acc += w) / total));
  const views = commonAffineViews(steps);
  const affine: AffineView<RandomChoiceParams> | undefined = views && {
    resampling: views[0]!.resampling,
    matrices: (params, info) => {
      const per = views.map((v, j) => (params.choice.includes(j) ? v.matrices(params.params[j], info) : undefined));
      return params.choice.map((c, i) => per[c]![i]!);
    },
  };
  return defineAugmentation<RandomChoiceParams>({
    name: fn,
    seed: o.seed,
    sample: (info, rng) => {
      const choice = Array.from({ length: info.batchSize }, () => {
        const u = rng.uniform();
        // A zero weight never wins: its bin is empty, and bins are searched from the first non-empty one.
        return bounds.findIndex((b, j) => u < b && weights[j]! > 0);
      });
      return { choice, params: steps.map((s) => s.sample(info, rng)) };
    },
    checkParams: (params, info) => {
      const q = checkParamsObject(fn, params, '{choice, params}');
      const choice = q['choice'];
      if (
        !Array.isArray(choice) ||
        choice.length !== info.batchSize ||
        !choice.every((c) => Number.isInteger(c) && c >= 0 && c < k)
      ) {
        throw invalidArgument(fn, 'params.choice', choice, `${info.batchSize} integers in [0, ${k}) (one per image)`);
      }
      if (!Array.isArray(q['params']) || q['params'].length !== k) {
        throw invalidArgument(fn, 'params.params', q['params'], `an array of ${k} augmentation parameters`);
      }
    },
    apply: (batch, params, info) => {
      if (affine) return applyMatrices(batch, affine as AffineView<unknown>, params, info);
      const used = [...new Set(params.choice)].sort((a, b) => a - b);
      const outputs = new Map<number, Batch>(used.map((j) => [j, steps[j]!.apply(batch, params.params[j])]));
      if (used.length === 1) return outputs.get(used[0]!)!;
      return selectPerSample(
        fn,
        used.map((j) => outputs.get(j)!),
        params.choice.map((c) => used.indexOf(c)),
      );
    },
    // Masks follow the matrices of the affine path; the per-sample selection does not carry them.
    ...(affine ? { affine } : { masks: 'reject' as const }),
  });
}
