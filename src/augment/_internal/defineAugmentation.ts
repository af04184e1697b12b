import { clone, tidy, zeros } from '@tensorflow/tfjs-core';
import type { Tensor4D, TensorContainerObject } from '@tensorflow/tfjs-core';
import { checkSeed, freshSeed, randomGenerator } from '../../core/random.js';
import type { RandomGenerator } from '../../core/random.js';
import { invalidArgument } from '../../core/validate.js';
import type { Augmentation, Batch, BatchInfo } from '../augmentation.js';
import { toTransformRow } from './affineFusion.js';
import type { AffineView } from './affineFusion.js';
import { checkBatch, passLabels } from './batch.js';
import { warpMasks } from './masks.js';

/** What an augmentation factory writes: the sampling, the checks and the math; the wrapper does the rest. */
export interface AugmentationParts<P> {
  name: string;
  seed?: number | undefined;
  /** Draws the parameters of one call (plain JSON) from `rng`. */
  sample(info: BatchInfo, rng: RandomGenerator): P;
  /**
   * Rejects parameters that do not fit the batch (replayed, hand-written, parsed from JSON), naming the augmentation.
   */
  checkParams(params: unknown, info: BatchInfo): void;
  /**
   * The math, on a checked batch of at least one image and checked parameters, inside the wrapper's
   * tidy; must not dispose its inputs.
   */
  apply(batch: Batch, params: P, info: BatchInfo): Batch;
  /** Turns another accepted form of a batch into the one checkBatch accepts; runs inside the tidy, first. */
  adaptBatch?(batch: Batch): Batch;
  /** The matrix view of a geometric step, so that `pipeline` can fuse it with its neighbours. */
  affine?: AffineView<P>;
  /** `[height, width]` of the output for a batch of this shape, where it differs from the input's (crops). */
  outputSize?(info: BatchInfo): [number, number];
  /** Images in the output for a batch of this many, where it differs (augMix's clean and augmented views). */
  outputBatchSize?(batchSize: number): number;
  /**
   * What becomes of `batch.masks`, so that no implementation handles them itself: `'pass'` (a
   * photometric step: a copy), `'reject'` (no sound meaning, e.g. blending: an error naming the
   * step), `'apply'` (`apply` returns them: a pipeline), or the warp of a geometric step that is
   * not affine, sampling as `masks.ts` says. An affine step's masks follow its matrices.
   * @defaultValue the affine view's matrices when there is one, else `'pass'`
   */
  masks?: 'pass' | 'reject' | 'apply' | ((masks: Tensor4D, params: P, info: BatchInfo) => Tensor4D);
}

/** The shape rules a pipeline needs of a step it composes, beside the matrix view. */
interface StepFacts {
  affine?: AffineView<unknown>;
  outputSize?: (info: BatchInfo) => [number, number];
  outputBatchSize?: (batchSize: number) => number;
}

// Module-private: only augmentations built here carry a matrix view, always behind the checks.
const FACTS = Symbol('tfjs-regularization.stepFacts');

/**
 * Builds the callable object every augmentation factory returns, as tfjs-core's `op()` wraps every
 * op: each call, direct (sampling fresh parameters) or `apply` (replaying given ones), checks the
 * batch and the parameters and runs the math in one `tidy`, so an implementation never tidies,
 * never validates at its boundary, and leaks nothing when it throws. `lastParams` moves only when
 * a call succeeds.
 */
export function defineAugmentation<P>(parts: AugmentationParts<P>): Augmentation<P> {
  const seed = parts.seed ?? freshSeed();
  checkSeed(parts.name, 'seed', seed);
  const rng = randomGenerator(seed);
  let last: P | undefined;
  const affine = parts.affine;
  const maskRule = parts.masks ?? (affine === undefined ? 'pass' : 'affine');
  const sizeOf = (info: BatchInfo): [number, number] => parts.outputSize?.(info) ?? [info.height, info.width];
  const run = (batch: Batch, given: { params: P } | undefined): Batch => {
    let used: P | undefined;
    const out = tidy(() => {
      const adapted = parts.adaptBatch === undefined ? batch : parts.adaptBatch(batch);
      const info = checkBatch(parts.name, adapted);
      const masks = adapted.masks;
      if (masks != null && maskRule === 'reject') {
        throw new Error(
          `${parts.name}: batch.masks cannot be transformed by ${parts.name} (its images would no longer match them), got masks of shape [${masks.shape.join(', ')}]`,
        );
      }
      const params = given === undefined ? parts.sample(info, rng) : given.params;
      parts.checkParams(params, info);
      used = params;
      // An empty batch comes back empty, in the shape a full one would have: no kernel ever sees a
      // zero-size tensor (some backends mishandle them).
      if (info.batchSize === 0) {
        const [h, w] = sizeOf(info);
        const empty = (t: Tensor4D) => zeros([0, h, w, t.shape[3]], t.dtype) as Tensor4D;
        return { images: empty(adapted.images), ...passLabels(adapted), ...(masks ? { masks: empty(masks) } : {}) };
      }
      const result = parts.apply(adapted, params, info);
      if (masks == null || maskRule === 'apply') return result as Batch & TensorContainerObject;
      let moved: Tensor4D;
      if (maskRule === 'pass') moved = clone(masks);
      else if (maskRule === 'affine') {
        moved = warpMasks(masks, affine!.matrices(params, info).map(toTransformRow), sizeOf(info));
      } else moved = (maskRule as (m: Tensor4D, p: P, i: BatchInfo) => Tensor4D)(masks, params, info);
      return { ...result, masks: moved } as Batch & TensorContainerObject;
    });
    last = used;
    return out;
  };
  const aug = ((batch: Batch) => run(batch, undefined)) as Augmentation<P>;
  Object.defineProperties(aug, {
    name: { value: parts.name },
    sample: {
      value: (info: BatchInfo, r?: RandomGenerator): P =>
        parts.sample(checkInfo(parts.name, info), r === undefined ? rng : checkGenerator(parts.name, r)),
    },
    apply: { value: (batch: Batch, params: P): Batch => run(batch, { params }) },
    rng: { value: rng },
    lastParams: { get: () => last },
  });
  const facts: StepFacts = {};
  if (affine !== undefined) {
    facts.affine = {
      resampling: affine.resampling,
      ...(affine.wholePixels === true ? { wholePixels: true } : {}),
      ...(affine.inside === true ? { inside: true } : {}),
      matrices: (params, info) => {
        parts.checkParams(params, info);
        return affine.matrices(params as P, info);
      },
    };
  }
  if (parts.outputSize !== undefined) facts.outputSize = sizeOf;
  if (parts.outputBatchSize !== undefined) facts.outputBatchSize = parts.outputBatchSize;
  Object.defineProperty(aug, FACTS, { value: facts });
  return aug;
}

/** The checked matrix view of an augmentation built by {@link defineAugmentation}, if it is affine. */
export function affineViewOf(aug: Augmentation): AffineView<unknown> | undefined {
  return (aug as unknown as { [FACTS]?: StepFacts })[FACTS]?.affine;
}

/**
 * Whether an augmentation may change the image size (a crop) or the number of images (augMix's views):
 * it declares its output size or count.
 */
export function changesSize(aug: Augmentation): boolean {
  const facts = (aug as unknown as { [FACTS]?: StepFacts })[FACTS];
  return facts?.outputSize !== undefined || facts?.outputBatchSize !== undefined;
}

/**
 * The shape of a step's output for a batch of this shape: a crop's size and augMix's count, else the
 * input's (also for augmentations written outside this library, which cannot say otherwise).
 */
export function outputInfoOf(aug: Augmentation, info: BatchInfo): BatchInfo {
  const facts = (aug as unknown as { [FACTS]?: StepFacts })[FACTS];
  const size = facts?.outputSize?.(info);
  const batchSize = facts?.outputBatchSize?.(info.batchSize) ?? info.batchSize;
  return size === undefined ? { ...info, batchSize } : { ...info, batchSize, height: size[0], width: size[1] };
}

/** The shape facts a caller hands `sample`: what checkBatch would have found in a real batch. */
function checkInfo(fn: string, info: unknown): BatchInfo {
  const i = info as Partial<BatchInfo> | null;
  const count = (v: unknown, min: number) => Number.isSafeInteger(v) && (v as number) >= min;
  if (
    i === null ||
    typeof i !== 'object' ||
    !count(i.batchSize, 0) ||
    !count(i.height, 1) ||
    !count(i.width, 1) ||
    !count(i.channels, 1)
  ) {
    throw invalidArgument(
      `${fn}.sample`,
      'info',
      info,
      '{ batchSize, height, width, channels }: integers, batchSize >= 0 and the others >= 1',
    );
  }
  return i as BatchInfo;
}

/** A generator handed to `sample`: one from randomGenerator (or any object with its methods). */
function checkGenerator(fn: string, r: unknown): RandomGenerator {
  const g = r as Partial<Record<keyof RandomGenerator, unknown>> | null;
  const methods = ['uniform', 'normal', 'integer', 'bernoulli', 'beta', 'permutation', 'nextSeed'] as const;
  if (g === null || typeof g !== 'object' || !methods.every((m) => typeof g[m] === 'function')) {
    throw invalidArgument(`${fn}.sample`, 'rng', r, 'a RandomGenerator (from randomGenerator(seed))');
  }
  return r as RandomGenerator;
}
