import { clone, equal, reshape, tensor1d, where } from '@tensorflow/tfjs-core';
import type { Tensor, Tensor2D, Tensor4D } from '@tensorflow/tfjs-core';
import { invalidArgument } from '../../core/validate.js';
import type { Augmentation, Batch, BatchInfo } from '../augmentation.js';
import { IDENTITY_3X3, toTransformRow } from './affineFusion.js';
import type { AffineView } from './affineFusion.js';
import { affineViewOf, changesSize } from './defineAugmentation.js';
import { sameResampling } from './resample/options.js';
import { affineTransform } from '../functional/affineTransform.js';

/** Validates the augmentations a combinator (or pipeline) is built of, naming the bad one. */
export function checkSteps(fn: string, arg: string, steps: unknown, min: number): Augmentation[] {
  if (!Array.isArray(steps) || steps.length < min) {
    throw invalidArgument(fn, arg, steps, `an array of at least ${min} augmentation${min === 1 ? '' : 's'}`);
  }
  steps.forEach((s, i) => checkStep(fn, `${arg}[${i}]`, s));
  return steps as Augmentation[];
}

export function checkStep(fn: string, arg: string, s: unknown): Augmentation {
  const a = s as { apply?: unknown; sample?: unknown } | null;
  if (typeof s !== 'function' || typeof a?.apply !== 'function' || typeof a?.sample !== 'function') {
    throw invalidArgument(fn, arg, s, 'an Augmentation');
  }
  // A per-sample choice cannot mix images of two sizes (or counts) in one batch, and the matrix path would keep
  // the input's.
  if (changesSize(s as Augmentation)) {
    throw invalidArgument(
      fn,
      arg,
      (s as { name?: unknown }).name ?? s,
      'an augmentation that keeps the image size and count (put crops in a pipeline around the combinator)',
    );
  }
  return s as Augmentation;
}

/**
 * The matrix views of the steps when every one is affine and all resample alike (so that one pass
 * can stand for all of them), otherwise undefined.
 */
export function commonAffineViews(steps: readonly Augmentation[]): AffineView<unknown>[] | undefined {
  const views = steps.map(affineViewOf);
  if (views.some((v) => v === undefined)) return undefined;
  const all = views as AffineView<unknown>[];
  return all.every((v) => sameResampling(v.resampling, all[0]!.resampling)) ? all : undefined;
}

export const identityMatrices = (n: number): number[][] => Array.from({ length: n }, () => [...IDENTITY_3X3]);

/** A fresh copy of the batch's tensors: the caller owns what a combinator returns. */
export function copyBatch(batch: Batch): Batch {
  return { images: clone(batch.images), ...(batch.labels ? { labels: clone(batch.labels) } : {}) };
}

/**
 * Per sample, the output of candidate `choice[i]`: `where` chains, so each selected value is the
 * candidate's own bit for bit. The candidates must keep the shapes of one another (a per-sample
 * choice cannot mix images of two sizes in one batch). Inside a tidy.
 */
export function selectPerSample(fn: string, outputs: readonly Batch[], choice: readonly number[]): Batch {
  const first = outputs[0]!;
  const shape = first.images.shape.join('x');
  const labelShape = first.labels?.shape.join('x');
  outputs.forEach((o) => {
    if (o.images.shape.join('x') !== shape) {
      throw invalidArgument(fn, 'the images of its augmentations', o.images.shape, `all of one shape [${shape}]`);
    }
    if (o.labels?.shape.join('x') !== labelShape || o.labels?.dtype !== first.labels?.dtype) {
      throw invalidArgument(
        fn,
        'the labels of its augmentations',
        o.labels === undefined ? 'none' : `${o.labels.dtype} [${o.labels.shape.join(', ')}]`,
        first.labels === undefined
          ? 'absent for all of them'
          : `all ${first.labels.dtype} [${first.labels.shape.join(', ')}] (one-hot labels keep their shape through ` +
              'every augmentation; class ids do not through a mixing one)',
      );
    }
  });
  const n = choice.length;
  const picked = tensor1d([...choice], 'int32');
  const pick = <T extends Tensor>(get: (b: Batch) => T, rank: number): T => {
    const index = reshape(picked, [n, ...Array.from({ length: rank - 1 }, () => 1)]);
    let acc = get(outputs[0]!);
    for (let k = 1; k < outputs.length; k++) acc = where(equal(index, k), get(outputs[k]!), acc) as T;
    return acc;
  };
  const images = pick((b) => b.images, 4) as Tensor4D;
  return first.labels ? { images, labels: pick((b) => b.labels!, 2) as Tensor2D } : { images };
}

/** One resampling pass for a combinator of affine steps: the matrices say per sample what its steps would do. */
export function applyMatrices(batch: Batch, view: AffineView<unknown>, params: unknown, info: BatchInfo): Batch {
  const rows = view.matrices(params, info).map(toTransformRow);
  return {
    images: affineTransform(batch.images, rows, view.resampling),
    ...(batch.labels ? { labels: clone(batch.labels) } : {}),
  };
}
