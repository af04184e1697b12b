import {
  add,
  cast,
  gather,
  greaterEqual,
  less,
  logicalAnd,
  mul,
  oneHot,
  range,
  reshape,
  round,
  sub,
  tensor1d,
  where,
} from '@tensorflow/tfjs-core';
import type { Tensor, Tensor1D, Tensor2D, Tensor4D } from '@tensorflow/tfjs-core';
import type { Box } from './boxes.js';
import type { Batch, BatchInfo } from '../augmentation.js';
import { checkParamsObject } from './batch.js';
import type { RandomGenerator } from '../../core/random.js';
import { checkOptions, checkPositive, checkProbability, invalidArgument } from '../../core/validate.js';

/** The options mixup and cutmix share (each public file declares its own documented copy). */
export interface MixOptions {
  alpha?: number;
  p?: number;
  numClasses?: number;
  labelSmoothing?: number;
  seed?: number;
}

export interface MixSettings {
  alpha: number;
  p: number;
  numClasses: number | undefined;
  labelSmoothing: number;
  seed: number | undefined;
}

/** The parameters mixup and cutmix share. */
export interface MixParams {
  permutation: number[];
  lambda: number[];
  applied: boolean[];
}

export function readMixOptions(
  fn: string,
  options: unknown,
  defaultAlpha: number,
  names: readonly string[],
): MixSettings {
  const o = checkOptions<MixOptions>(fn, options, names);
  const alpha = checkPositive(fn, 'alpha', o.alpha ?? defaultAlpha);
  const p = checkProbability(fn, o.p ?? 1);
  const numClasses = checkNumClasses(fn, o.numClasses);
  const labelSmoothing = checkLabelSmoothing(fn, o.labelSmoothing ?? 0);
  return { alpha, p, numClasses, labelSmoothing, seed: o.seed };
}

/** The `numClasses` option of the mixing augmentations. */
export function checkNumClasses(fn: string, numClasses: unknown): number | undefined {
  // One class cannot be told apart from a [n, 1] column of class ids, and mixing it is pointless.
  if (numClasses !== undefined && !(Number.isInteger(numClasses) && (numClasses as number) >= 2)) {
    throw invalidArgument(fn, 'numClasses', numClasses, 'an integer >= 2');
  }
  return numClasses as number | undefined;
}

/** The `labelSmoothing` option of the mixing augmentations: ε in [0, 1). */
export function checkLabelSmoothing(fn: string, labelSmoothing: unknown): number {
  if (typeof labelSmoothing !== 'number' || !(labelSmoothing >= 0 && labelSmoothing < 1)) {
    throw invalidArgument(fn, 'labelSmoothing', labelSmoothing, 'a number in [0, 1)');
  }
  return labelSmoothing;
}

/**
 * λ x + (1 - λ) x' per sample, rather than x' + λ (x - x'): λ = 1 then returns x bit for bit. Inside a tidy.
 */
export function blendImages(images: Tensor4D, partner: Tensor4D, lambda: readonly number[]): Tensor4D {
  const w = reshape(tensor1d([...lambda]), [lambda.length, 1, 1, 1]);
  return add(mul(w, images), mul(sub(1, w), partner)) as Tensor4D;
}

/** Per sample, the pixels of its box `[y0, x0, y1, x1)` taken from the partner (an empty box takes none). */
export function pasteBoxes(images: Tensor4D, partner: Tensor4D, boxes: readonly Box[]): Tensor4D {
  const [n, h, w] = images.shape;
  const coord = (j: number) =>
    reshape(
      tensor1d(
        boxes.map((b) => b[j]!),
        'int32',
      ),
      [n, 1, 1, 1],
    );
  const rows = reshape(range(0, h, 1, 'int32'), [1, h, 1, 1]);
  const cols = reshape(range(0, w, 1, 'int32'), [1, 1, w, 1]);
  const inside = logicalAnd(
    logicalAnd(greaterEqual(rows, coord(0)), less(rows, coord(2))),
    logicalAnd(greaterEqual(cols, coord(1)), less(cols, coord(3))),
  );
  return where(inside, partner, images) as Tensor4D;
}

/** λ ~ Beta(alpha, alpha). */
export function sampleLambda(rng: RandomGenerator, alpha: number): number {
  const lambda = rng.beta(alpha, alpha);
  // For tiny alpha both gamma draws can underflow to 0 (0/0); Beta(a, a) tends to a fair coin on {0, 1} there.
  if (Number.isNaN(lambda)) return rng.bernoulli(0.5) ? 1 : 0;
  return lambda;
}

/** A partner per sample, a gate per sample and λ, with λ = 1 (keep the sample) where the gate is closed. */
export function sampleMix(info: BatchInfo, rng: RandomGenerator, s: MixSettings): MixParams {
  const permutation = rng.permutation(info.batchSize);
  const applied: boolean[] = [];
  const lambda: number[] = [];
  for (let i = 0; i < info.batchSize; i++) {
    const on = rng.bernoulli(s.p);
    applied.push(on);
    lambda.push(on ? sampleLambda(rng, s.alpha) : 1);
  }
  return { permutation, lambda, applied };
}

/** Checks replayed shared params against the batch. */
export function checkMixParams(fn: string, params: unknown, info: BatchInfo): asserts params is MixParams {
  const n = info.batchSize;
  const p = checkParamsObject(fn, params, '{permutation, lambda, applied}');
  const list = (name: keyof MixParams, ok: (v: unknown) => boolean, what: string) => {
    const v = p[name];
    if (!Array.isArray(v) || v.length !== n || !v.every(ok))
      throw invalidArgument(fn, `params.${name}`, v, `an array of ${n} ${what} (one per sample)`);
  };
  list(
    'permutation',
    (v) => Number.isInteger(v) && (v as number) >= 0 && (v as number) < n,
    `integer indices in [0, ${n})`,
  );
  list('lambda', (v) => typeof v === 'number' && v >= 0 && v <= 1, 'numbers in [0, 1]');
  list('applied', (v) => typeof v === 'boolean', 'booleans');
}

/** λ per sample as the ops use it: 1 where the sample is not mixed. */
export function effectiveLambda(params: MixParams): number[] {
  return params.applied.map((on, i) => (on ? params.lambda[i]! : 1));
}

export type LabelKind = 'ids' | 'distribution';

/** Validates the labels before any tensor work, so errors name the augmentation and leave nothing allocated. */
export function checkMixLabels(fn: string, labels: Tensor2D | undefined, numClasses: number | undefined): LabelKind {
  if (labels == null) {
    throw invalidArgument(
      fn,
      'batch.labels',
      labels,
      'given (mixing combines labels): one-hot/soft [n, numClasses], or class ids [n, 1] with the numClasses option',
    );
  }
  if (labels.dtype !== 'float32' && labels.dtype !== 'int32')
    throw invalidArgument(fn, 'batch.labels dtype', labels.dtype, '"float32" or "int32"');
  const k = labels.shape[1];
  if (numClasses === undefined) {
    if (k === 1)
      throw invalidArgument(fn, 'numClasses', numClasses, 'given when batch.labels are class ids ([n, 1] or [n])');
    return 'distribution';
  }
  if (k === 1) return 'ids';
  if (k !== numClasses)
    throw invalidArgument(
      fn,
      'batch.labels shape',
      labels.shape,
      `[n, ${numClasses}] (one-hot, as numClasses is ${numClasses}) or [n, 1] (class ids)`,
    );
  return 'distribution';
}

/**
 * Mixed labels λ y + (1 - λ) y[perm], then smoothing y (1 - ε) + ε / K. Call inside tidy. Class ids are
 * rounded (float ids from arithmetic may be a rounding error off); ids outside [0, K) give all-zero rows, as
 * validating them would need a read from the device.
 */
export function mixLabels(
  labels: Tensor2D,
  kind: LabelKind,
  numClasses: number | undefined,
  perm: Tensor1D,
  lambda: number[],
  smoothing: number,
): Tensor2D {
  const n = labels.shape[0];
  // Rounded as float32: tfjs-node's round turns int32 tensors into zeros.
  const y =
    kind === 'ids'
      ? cast(oneHot(cast(round(cast(reshape(labels, [n]), 'float32')), 'int32'), numClasses!), 'float32')
      : cast(labels, 'float32');
  const k = y.shape[1]!;
  const w = reshape(tensor1d(lambda), [n, 1]);
  const mixed = add(mul(w, y), mul(sub(1, w), gather(y, perm)));
  return (smoothing > 0 ? add(mul(mixed, 1 - smoothing), smoothing / k) : mixed) as Tensor2D;
}

/**
 * Lets a mixing augmentation take class ids as a Tensor1D [n]: the shared batch check only accepts
 * rank-2 labels, so a vector is viewed as [n, 1] first (the wrapper's tidy disposes the view).
 * Anything else is left to the batch check, whose messages cover it.
 */
export function classIdVectorAsColumn(fn: string): (batch: Batch) => Batch {
  return (batch) => {
    const labels = (batch as Partial<Batch> | null)?.labels as Tensor | undefined;
    const images = (batch as Partial<Batch> | null)?.images as Tensor | undefined;
    if (labels == null || labels.rank !== 1 || images == null || images.rank !== 4) return batch;
    const n = images.shape[0];
    if (labels.shape[0] !== n)
      throw invalidArgument(fn, 'batch.labels shape', labels.shape, `[${n}] (one class id per image)`);
    return { images: batch.images, labels: reshape(labels, [n!, 1]) as Tensor2D };
  };
}
