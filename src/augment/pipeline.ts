import { dispose } from '@tensorflow/tfjs-core';
import { checkOptions, optionNames, invalidArgument } from '../core/validate.js';
import { IDENTITY_3X3, matMul3, toTransformRow } from './_internal/affineFusion.js';
import type { AffineView } from './_internal/affineFusion.js';
import { affineViewOf, defineAugmentation } from './_internal/defineAugmentation.js';
import { sameResampling } from './_internal/resample/options.js';
import type { Augmentation, Batch, BatchInfo } from './augmentation.js';
import { affineTransform } from './functional/affineTransform.js';

/** Options of {@link pipeline}. */
export interface PipelineOptions {
  /** Seed of the generator used when the pipeline samples its own parameters. @defaultValue a fresh random seed */
  seed?: number;
}

const PIPELINE_OPTIONS = optionNames<PipelineOptions>()('seed');

/** Parameters of a pipeline: one entry per step, in order. */
export type PipelineParams = unknown[];

type Group = { kind: 'affine'; views: AffineView<unknown>[] } | { kind: 'single'; step: Augmentation };

function groupSteps(steps: readonly Augmentation[]): Group[] {
  const groups: Group[] = [];
  for (const step of steps) {
    const view = affineViewOf(step);
    const prev = groups[groups.length - 1];
    if (view && prev?.kind === 'affine' && sameResampling(prev.views[0]!.resampling, view.resampling)) {
      prev.views.push(view);
    } else if (view) {
      groups.push({ kind: 'affine', views: [view] });
    } else {
      groups.push({ kind: 'single', step });
    }
  }
  return groups;
}

/**
 * Composes augmentations into one: each step's output feeds the next. Consecutive affine steps
 * (randomAffine, flips, rotations, ...) with the same interpolation and fill are fused into one
 * matrix per sample and resampled once, so chaining them costs one pass and blurs once.
 *
 * @param steps - Augmentations, applied in order.
 * @param options - The pipeline's own seed.
 * @returns An {@link Augmentation} whose parameters are the list of each step's parameters.
 * @throws Error naming `pipeline` and the bad step.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { pipeline } from 'tfjs-regularization/augment';
 *
 * const none = pipeline([], { seed: 1 });
 * const out = none({ images: tf.ones([2, 3, 3, 1]) as tf.Tensor4D });
 * console.log(out.images.shape.join('x')); // 2x3x3x1
 * ```
 */
export function pipeline(steps: readonly Augmentation[], options?: PipelineOptions): Augmentation<PipelineParams> {
  const o = checkOptions<PipelineOptions>('pipeline', options, PIPELINE_OPTIONS);
  if (!Array.isArray(steps)) throw invalidArgument('pipeline', 'steps', steps, 'an array of augmentations');
  steps.forEach((s, i) => {
    if (typeof s !== 'function' || typeof s.apply !== 'function' || typeof s.sample !== 'function') {
      throw invalidArgument('pipeline', `steps[${i}]`, s, 'an Augmentation');
    }
  });
  const groups = groupSteps(steps);
  const only = groups.length === 1 && groups[0]!.kind === 'affine' ? groups[0]!.views : undefined;
  // A pipeline of affine steps that resample alike is affine itself, so that inside a combinator, or a
  // pipeline, it still fuses with its neighbours.
  const affine: AffineView<PipelineParams> | undefined = only && {
    resampling: only[0]!.resampling,
    matrices: (params, info) => fuse(only, params, 0, info),
  };
  return defineAugmentation<PipelineParams>({
    name: 'pipeline',
    seed: o.seed,
    sample: (info, rng) => steps.map((s) => s.sample(info, rng)),
    checkParams: (params) => {
      if (!Array.isArray(params) || params.length !== steps.length) {
        throw invalidArgument('pipeline', 'params', params, `an array of ${steps.length} step parameters`);
      }
    },
    apply: (batch, params, info) => {
      let current: Batch = batch;
      let i = 0;
      for (const g of groups) {
        let next: Batch;
        if (g.kind === 'single') {
          next = g.step.apply(current, params[i]);
          i += 1;
        } else {
          const rows = fuse(g.views, params, i, info).map(toTransformRow);
          i += g.views.length;
          next = { images: affineTransform(current.images, rows, g.views[0]!.resampling), labels: current.labels };
        }
        disposeReplaced(current, next, batch);
        current = next;
      }
      // The caller owns the result and may dispose it: never hand back the input's own tensors.
      return {
        images: current.images === batch.images ? batch.images.clone() : current.images,
        labels: current.labels != null && current.labels === batch.labels ? batch.labels.clone() : current.labels,
      };
    },
    ...(affine ? { affine } : {}),
  });
}

/** Per sample, the one matrix of a group of affine steps whose params start at `params[first]`. */
function fuse(views: AffineView<unknown>[], params: PipelineParams, first: number, info: BatchInfo): number[][] {
  // Each step's view checks its own params first, as a call of the step alone would.
  const perStep = views.map((v, k) => v.matrices(params[first + k], info));
  return Array.from({ length: info.batchSize }, (_, s) =>
    perStep.reduce((acc, m) => matMul3(acc, m[s]!), [...IDENTITY_3X3]),
  );
}

/** Disposes an intermediate batch's tensors that the next step replaced, never the caller's input. */
function disposeReplaced(prev: Batch, next: Batch, input: Batch): void {
  if (prev.images !== next.images && prev.images !== input.images) dispose(prev.images);
  if (prev.labels && prev.labels !== next.labels && prev.labels !== input.labels) dispose(prev.labels);
}
