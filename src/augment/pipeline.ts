import { dispose } from '@tensorflow/tfjs-core';
import { checkOptions, optionNames, invalidArgument } from '../core/validate.js';
import { IDENTITY_3X3, matMul3, toTransformRow } from './_internal/affineFusion.js';
import type { AffineView } from './_internal/affineFusion.js';
import { affineViewOf, changesSize, defineAugmentation, outputInfoOf } from './_internal/defineAugmentation.js';
import { warpMasks } from './_internal/masks.js';
import type { ResampleOptions } from './_internal/resample/options.js';
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

interface AffineGroup {
  kind: 'affine';
  views: AffineView<unknown>[];
  steps: Augmentation[];
  /** The interpolation of the first step it matters to; undefined while every step moves whole pixels. */
  interpolation: ResampleOptions['interpolation'] | undefined;
  /** The fill of the first step that reads outside its input; undefined while none does. */
  fill: Pick<ResampleOptions, 'fillMode' | 'fillValue'> | undefined;
}
type Group = AffineGroup | { kind: 'single'; step: Augmentation };

/** Whether a step can join a group: it interpolates and fills alike wherever both care. */
function joins(g: AffineGroup, v: AffineView<unknown>): boolean {
  const r = v.resampling;
  const interpolates = v.wholePixels === true || g.interpolation === undefined || g.interpolation === r.interpolation;
  const fills =
    v.inside === true || g.fill === undefined || (g.fill.fillMode === r.fillMode && g.fill.fillValue === r.fillValue);
  return interpolates && fills;
}

function groupSteps(steps: readonly Augmentation[]): Group[] {
  const groups: Group[] = [];
  for (const step of steps) {
    const view = affineViewOf(step);
    const prev = groups[groups.length - 1];
    if (view === undefined) {
      groups.push({ kind: 'single', step });
      continue;
    }
    let g: AffineGroup;
    if (prev?.kind === 'affine' && joins(prev, view)) g = prev;
    else {
      g = { kind: 'affine', views: [], steps: [], interpolation: undefined, fill: undefined };
      groups.push(g);
    }
    g.views.push(view);
    g.steps.push(step);
    const { interpolation, fillMode, fillValue } = view.resampling;
    if (view.wholePixels !== true) g.interpolation ??= interpolation;
    if (view.inside !== true) g.fill ??= { fillMode, fillValue };
  }
  return groups;
}

/** How a group samples: what its steps care about, else the cheapest (nearest; the fill never shows). */
function groupResampling(g: AffineGroup): ResampleOptions {
  return { interpolation: g.interpolation ?? 'nearest', ...(g.fill ?? { fillMode: 'constant', fillValue: 0 }) };
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
  const only = groups.length === 1 && groups[0]!.kind === 'affine' ? groups[0] : undefined;
  // A pipeline of affine steps that resample alike is affine itself, so that inside a combinator, or a
  // pipeline, it still fuses with its neighbours.
  const affine: AffineView<PipelineParams> | undefined = only && {
    resampling: groupResampling(only),
    wholePixels: only.views.every((v) => v.wholePixels === true),
    inside: only.views.every((v) => v.inside === true),
    matrices: (params, info) => fuse(only, params, 0, info).matrices,
  };
  return defineAugmentation<PipelineParams>({
    name: 'pipeline',
    seed: o.seed,
    // Each step samples for the shape it will see: after a crop, the crop's.
    sample: (info, rng) => {
      let current = info;
      return steps.map((s) => {
        const params = s.sample(current, rng);
        current = outputInfoOf(s, current);
        return params;
      });
    },
    // Declared only when a step resizes, so that a pipeline that keeps the size is known to (combinators rely on it).
    ...(steps.some(changesSize)
      ? {
          outputSize: (info: BatchInfo): [number, number] => {
            const out = steps.reduce((current, s) => outputInfoOf(s, current), info);
            return [out.height, out.width];
          },
          outputBatchSize: (batchSize: number): number =>
            steps.reduce((current, s) => outputInfoOf(s, current), { batchSize, height: 1, width: 1, channels: 1 })
              .batchSize,
        }
      : {}),
    masks: 'apply',
    checkParams: (params) => {
      if (!Array.isArray(params) || params.length !== steps.length) {
        throw invalidArgument('pipeline', 'params', params, `an array of ${steps.length} step parameters`);
      }
    },
    apply: (batch, params) => {
      let current: Batch = batch;
      let i = 0;
      for (const g of groups) {
        let next: Batch;
        if (g.kind === 'single') {
          next = g.step.apply(current, params[i]);
          i += 1;
        } else {
          const fused = fuse(g, params, i, shapeOf(current));
          i += g.views.length;
          const rows = fused.matrices.map(toTransformRow);
          const size: [number, number] = [fused.info.height, fused.info.width];
          const images = affineTransform(current.images, rows, { ...groupResampling(g), outputShape: size });
          next = { images, labels: current.labels };
          if (current.masks != null) next.masks = warpMasks(current.masks, rows, size);
        }
        disposeReplaced(current, next, batch);
        current = next;
      }
      // The caller owns the result and may dispose it: never hand back the input's own tensors.
      const own = <T extends { clone(): T }>(t: T | undefined, given: T | undefined) =>
        t != null && t === given ? t.clone() : t;
      return {
        images: own(current.images, batch.images)!,
        ...(current.labels != null ? { labels: own(current.labels, batch.labels)! } : {}),
        ...(current.masks != null ? { masks: own(current.masks, batch.masks)! } : {}),
      };
    },
    ...(affine ? { affine } : {}),
  });
}

/**
 * Per sample, the one matrix of an affine group whose params start at `params[first]`, and the shape
 * it outputs. Each step's view checks its own params first, against the shape it sees (after a crop,
 * the crop's), as a call of the step alone would.
 */
function fuse(
  g: AffineGroup,
  params: PipelineParams,
  first: number,
  info: BatchInfo,
): { matrices: number[][]; info: BatchInfo } {
  let stepInfo = info;
  const perStep = g.views.map((v, k) => {
    const m = v.matrices(params[first + k], stepInfo);
    stepInfo = outputInfoOf(g.steps[k]!, stepInfo);
    return m;
  });
  const matrices = Array.from({ length: info.batchSize }, (_, s) =>
    perStep.reduce((acc, m) => matMul3(acc, m[s]!), [...IDENTITY_3X3]),
  );
  return { matrices, info: stepInfo };
}

function shapeOf(batch: Batch): BatchInfo {
  const [batchSize, height, width, channels] = batch.images.shape;
  return { batchSize, height, width, channels };
}

/** Disposes an intermediate batch's tensors that the next step replaced, never the caller's input. */
function disposeReplaced(prev: Batch, next: Batch, input: Batch): void {
  if (prev.images !== next.images && prev.images !== input.images) dispose(prev.images);
  if (prev.labels && prev.labels !== next.labels && prev.labels !== input.labels) dispose(prev.labels);
  if (prev.masks && prev.masks !== next.masks && prev.masks !== input.masks) dispose(prev.masks);
}
