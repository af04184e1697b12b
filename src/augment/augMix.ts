import * as tf from '@tensorflow/tfjs-core';
import type { Tensor, Tensor2D, Tensor4D } from '@tensorflow/tfjs-core';
import type { RandomGenerator } from '../core/random.js';
import {
  checkBoolean,
  checkFloat32,
  checkOptions,
  checkPositive,
  checkProbability,
  invalidArgument,
  optionNames,
} from '../core/validate.js';
import { checkParamsObject } from './_internal/batch.js';
import { roundHalfEven } from './_internal/crops.js';
import { defineAugmentation } from './_internal/defineAugmentation.js';
import { applyPolicyLayer } from './_internal/policy.js';
import { SIGNED_OPS, torchLinspace, torchvisionFlavour, torchvisionStep } from './_internal/torchvisionOps.js';
import type { TorchvisionOp } from './_internal/torchvisionOps.js';
import type { Augmentation, BatchInfo } from './augmentation.js';

/** torchvision v2 AugMix's operations (`_AUGMENTATION_SPACE`), by torchvision's names. */
export type AugMixOp = TorchvisionOp;

/** torchvision's `_PARTIAL_AUGMENTATION_SPACE`, in its order (the draw indexes this list). */
const PARTIAL_OPS: readonly AugMixOp[] = [
  'ShearX',
  'ShearY',
  'TranslateX',
  'TranslateY',
  'Rotate',
  'Posterize',
  'Solarize',
  'AutoContrast',
  'Equalize',
];

/** `_AUGMENTATION_SPACE`: the partial space and the four colour operations (`all_ops=True`). */
const ALL_OPS: readonly AugMixOp[] = [...PARTIAL_OPS, 'Brightness', 'Color', 'Contrast', 'Sharpness'];

/** torchvision's `_PARAMETER_MAX`: every magnitude range is split into this many bins. */
const BINS = 10;

/** Options of {@link augMix}: the paper's names, torchvision v2 `AugMix`'s defaults. */
export interface AugMixOptions {
  /**
   * Strength of the operations, an integer from 1 to 10: each draws its magnitude bin uniformly from the
   * `severity` lowest of ten. torchvision: `severity`. @defaultValue 3
   */
  severity?: number;
  /** Augmentation chains mixed per image, an integer from 1 to 16. torchvision: `mixture_width`. @defaultValue 3 */
  width?: number;
  /**
   * Operations per chain, an integer from 1 to 16, or -1 for a depth drawn uniformly from 1 to 3 per chain.
   * torchvision: `chain_depth`. @defaultValue -1
   */
  depth?: number;
  /**
   * Concentration of the Dirichlet(alpha, …) chain weights and of the Beta(alpha, alpha) weight of the
   * original image; > 0. torchvision: `alpha`. @defaultValue 1
   */
  alpha?: number;
  /**
   * Draw from all thirteen operations (brightness, colour, contrast and sharpness too), else from the nine of
   * the paper's default, which leave out those that overlap ImageNet-C's corruptions. torchvision: `all_ops`
   * (the paper's code: `--all-ops`, off by default). @defaultValue true
   */
  allOps?: boolean;
  /** Resampling of the geometric operations. torchvision: `interpolation`. @defaultValue 'bilinear' */
  interpolation?: 'nearest' | 'bilinear';
  /** Value of pixels the geometric operations bring in from outside. torchvision: `fill`. @defaultValue 0 */
  fillValue?: number;
  /**
   * Views per image in the output, for the Jensen-Shannon consistency loss: 1 gives the AugMix image; k > 1
   * gives the batch `[clean, augmented 1, …, augmented k − 1]` (k · batch images, labels repeated), timm's
   * `AugMixDataset(num_splits=k)`. An integer from 1 to 8; with k > 1 put augMix last in a pipeline.
   * @defaultValue 1
   */
  numSplits?: number;
  /** Probability that an image is augmented at all (torchvision has none: 1). @defaultValue 1 */
  p?: number;
  /** Seed of the parameters drawn when none are given. @defaultValue a fresh random seed */
  seed?: number;
}

const AUG_MIX_OPTIONS = optionNames<AugMixOptions>()(
  'severity',
  'width',
  'depth',
  'alpha',
  'allOps',
  'interpolation',
  'fillValue',
  'numSplits',
  'p',
  'seed',
);

/** One operation of one chain: the op, its magnitude bin and, for a signed op, its sign. */
export interface AugMixStep {
  op: AugMixOp;
  /** Index of the magnitude bin, 0 to 9 (drawn below `severity`). */
  bin: number;
  /** Whether a signed operation goes the negative way (torchvision's `torch.rand(()) <= 0.5`). */
  negate: boolean;
}

/** The draw of one augmented view of one image. */
export interface AugMixSample {
  /** Whether the image is augmented (`p`); if not, the view is the image itself. */
  applied: boolean;
  /** Weight of the original image, Beta(alpha, alpha); the chains share `1 − m`. */
  m: number;
  /** Weight of each chain within the augmented part, Dirichlet(alpha, …): one per chain, summing to 1. */
  weights: number[];
  /** The chains, each its operations in order. */
  chains: AugMixStep[][];
}

/**
 * Parameters of one {@link augMix} call: `(numSplits − 1) · batch` samples (`batch` when `numSplits` is 1),
 * those of augmented view v of image i at `v · batch + i`.
 */
export interface AugMixParams {
  samples: AugMixSample[];
}

const f32 = Math.fround;

/** torchvision AugMix's magnitude of an operation at a bin, signed, for an image of the batch's size. */
function augMixMagnitude(s: AugMixStep, info: BatchInfo): number {
  const sign = s.negate && SIGNED_OPS.has(s.op) ? -1 : 1;
  switch (s.op) {
    case 'ShearX':
    case 'ShearY':
      return sign * torchLinspace(0, 0.3, BINS, s.bin);
    case 'TranslateX':
      return sign * torchLinspace(0, info.width / 3, BINS, s.bin);
    case 'TranslateY':
      return sign * torchLinspace(0, info.height / 3, BINS, s.bin);
    case 'Rotate':
      return sign * torchLinspace(0, 30, BINS, s.bin);
    case 'Posterize':
      return roundHalfEven(f32(4 - f32(s.bin / f32((BINS - 1) / 4))));
    case 'Solarize':
      return torchLinspace(1, 0, BINS, s.bin);
    case 'Brightness':
    case 'Color':
    case 'Contrast':
    case 'Sharpness':
      return sign * torchLinspace(0, 0.9, BINS, s.bin);
    default:
      return 0;
  }
}

/**
 * Dirichlet(alpha, …, alpha) over k weights by stick-breaking: weight i takes a Beta(alpha, (k − 1 − i)·alpha)
 * share of what the earlier ones left; exact, and it needs only the generator's Beta.
 */
function dirichlet(rng: RandomGenerator, alpha: number, k: number): number[] {
  const weights: number[] = [];
  let rest = 1;
  for (let i = 0; i < k - 1; i++) {
    const w = rest * rng.beta(alpha, (k - 1 - i) * alpha);
    weights.push(w);
    rest -= w;
  }
  weights.push(rest);
  return weights;
}

function perImage(values: readonly number[]): Tensor {
  return tf.tensor4d(values as number[], [values.length, 1, 1, 1], 'float32');
}

/**
 * The augmented views of the batch, all at once: chain c of sample j is row `c · S + j` of one stacked batch
 * (S samples, image `j mod n` each), so every layer of every chain costs one pass of the policy engine (one
 * resampling pass and one masked pass per photometric op drawn) whatever the width. The chains are then
 * weighted and summed per sample; samples not augmented are their image exactly.
 */
function mixViews(
  x: Tensor4D,
  samples: readonly AugMixSample[],
  info: BatchInfo,
  flavour: ReturnType<typeof torchvisionFlavour>,
): Tensor4D {
  const n = info.batchSize;
  const count = samples.length;
  const images = count === n ? x : (tf.tile(x, [count / n, 1, 1, 1]) as Tensor4D);
  if (!samples.some((s) => s.applied)) return images === x ? x.clone() : images;
  const live = (s: AugMixSample) => (s.applied ? s.chains : []);
  const width = Math.max(...samples.map((s) => live(s).length));
  const depth = Math.max(...samples.flatMap((s) => live(s).map((c) => c.length)));
  const rows = { ...info, batchSize: width * count };
  let chains = (width === 1 ? images : tf.tile(images, [width, 1, 1, 1])) as Tensor4D;
  for (let l = 0; l < depth; l++) {
    const steps = Array.from({ length: width }, (_, c) =>
      samples.map((s) => {
        const step = live(s)[c]?.[l];
        return step === undefined ? null : torchvisionStep(step.op, augMixMagnitude(step, info));
      }),
    ).flat();
    chains = applyPolicyLayer(chains, steps, rows, flavour);
  }
  const weights = Array.from({ length: width }, (_, c) =>
    samples.map((s) => (c < live(s).length ? (1 - s.m) * s.weights[c]! : 0)),
  ).flat();
  const [, h, w, ch] = x.shape;
  const weighted = tf.mul(
    tf.reshape(chains, [width, count, h, w, ch]),
    tf.reshape(perImage(weights), [width, count, 1, 1, 1]),
  );
  const mix = tf.add(tf.mul(images, perImage(samples.map((s) => (s.applied ? s.m : 1)))), tf.sum(weighted, 0));
  const applied = tf.tensor4d(
    samples.map((s) => (s.applied ? 1 : 0)),
    [count, 1, 1, 1],
    'bool',
  );
  return tf.where(applied, mix, images) as Tensor4D;
}

/**
 * AugMix (Hendrycks et al. 2020, "AugMix: A Simple Data Processing Method to Improve Robustness and
 * Uncertainty") as torchvision v2 implements it (`torchvision.transforms.v2.AugMix`), per image: `width`
 * chains of `depth` operations (1 to 3, drawn per chain, by default) drawn uniformly from torchvision's
 * thirteen (nine with `allOps: false`), each at a magnitude bin drawn uniformly from the `severity` lowest of
 * ten (shear up to 0.3, translate up to a third of the side, rotate up to 30°, posterize 4 down to 0 bits,
 * solarize threshold 1 down to 0, brightness, colour, contrast, sharpness factors 1 ± up to 0.9), the signed
 * ones negated with probability 1/2; the output is `m · x + (1 − m) · Σ wᵢ · chainᵢ(x)` with
 * `m ~ Beta(alpha, alpha)` and `w ~ Dirichlet(alpha, …, alpha)`. torchvision draws one chain structure per
 * call for the whole batch; here every image has its own, as in the paper's code.
 *
 * The operations are torchvision's float-tensor kernels, as in {@link trivialAugmentWide} (whose
 * documentation lists them, and the two deviations: `Equalize` and `AutoContrast` are this library's
 * Keras-semantics {@link equalize} and {@link autoContrast}). The draws are made in JS (plain JSON params,
 * replayable); on the device the chains of all images and views are stacked into one batch, so each layer
 * (at most `depth`, 3 by default) costs one resampling pass and one masked pass per photometric operation some
 * chain drew: no data-dependent shape, no read back.
 *
 * To train with the Jensen-Shannon consistency loss, `numSplits: 3` returns `[clean, aug1, aug2]` stacked
 * (labels repeated), which `jensenShannonConsistency()` from `tfjs-regularization/losses` splits again; with
 * `flow`, the batches of `fitDataset` are then three times `batchSize`.
 *
 * @param options - The paper's knobs (severity, width, depth, alpha), torchvision's (`allOps`, interpolation,
 *   fill), `numSplits`, `p` and `seed`; see {@link AugMixOptions}.
 * @returns An {@link Augmentation} with {@link AugMixParams}; labels are copied (repeated with `numSplits`);
 *   masks are refused (a blend of warped images has no mask).
 * @throws Error naming `augMix`, the option and the value for bad options.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { augMix } from 'tfjs-regularization/augment';
 *
 * const images = tf.randomUniform([2, 8, 8, 3], 0, 1, 'float32', 1) as tf.Tensor4D;
 * const aug = augMix({ seed: 3 });
 * const out = aug({ images });
 * console.log(out.images.shape.join('x')); // 2x8x8x3
 * const s = aug.lastParams!.samples[0]!;
 * console.log(s.chains.length, s.weights.length, Math.abs(s.weights.reduce((a, b) => a + b) - 1) < 1e-12); // 3 3 true
 * // The clean batch and two augmented views, for jensenShannonConsistency():
 * const labels = tf.tensor2d([[1, 0], [0, 1]]);
 * const views = augMix({ numSplits: 3, seed: 3 })({ images, labels });
 * console.log(views.images.shape[0], views.labels!.shape[0]); // 6 6
 * // A replayed draw: 0.75 of the image plus 0.25 of it solarized at threshold 0 (bin 9), 0.75·0.25 + 0.25·0.75.
 * const step = { op: 'Solarize' as const, bin: 9, negate: false };
 * const one = tf.fill([1, 1, 1, 1], 0.25) as tf.Tensor4D;
 * const sample = { applied: true, m: 0.75, weights: [1], chains: [[step]] };
 * console.log(aug.apply({ images: one }, { samples: [sample] }).images.dataSync()[0]); // 0.375
 * ```
 */
export function augMix(options?: AugMixOptions): Augmentation<AugMixParams> {
  const fn = 'augMix';
  const o = checkOptions<AugMixOptions>(fn, options, AUG_MIX_OPTIONS);
  const severity = o.severity ?? 3;
  if (!Number.isInteger(severity) || severity < 1 || severity > BINS)
    throw invalidArgument(fn, 'severity', severity, `an integer from 1 to ${BINS}`);
  const width = o.width ?? 3;
  if (!Number.isInteger(width) || width < 1 || width > 16)
    throw invalidArgument(fn, 'width', width, 'an integer from 1 to 16');
  const depth = o.depth ?? -1;
  if (depth !== -1 && (!Number.isInteger(depth) || depth < 1 || depth > 16))
    throw invalidArgument(fn, 'depth', depth, 'an integer from 1 to 16, or -1 (1 to 3 at random)');
  const alpha = checkPositive(fn, 'alpha', o.alpha ?? 1);
  if (!Number.isFinite(alpha)) throw invalidArgument(fn, 'alpha', alpha, 'a finite number > 0');
  const ops = checkBoolean(fn, 'allOps', o.allOps ?? true) ? ALL_OPS : PARTIAL_OPS;
  const interpolation = o.interpolation ?? 'bilinear';
  if (interpolation !== 'nearest' && interpolation !== 'bilinear')
    throw invalidArgument(fn, 'interpolation', interpolation, '"nearest" or "bilinear"');
  const fillValue = checkFloat32(fn, 'fillValue', o.fillValue ?? 0);
  const numSplits = o.numSplits ?? 1;
  if (!Number.isInteger(numSplits) || numSplits < 1 || numSplits > 8)
    throw invalidArgument(fn, 'numSplits', numSplits, 'an integer from 1 to 8');
  const p = checkProbability(fn, o.p ?? 1);
  const flavour = torchvisionFlavour(interpolation, fillValue);
  const views = Math.max(1, numSplits - 1);

  return defineAugmentation<AugMixParams>({
    name: fn,
    seed: o.seed,
    // A blend of differently warped images has no mask to go with it.
    masks: 'reject',
    ...(numSplits > 1 ? { outputBatchSize: (n: number) => n * numSplits } : {}),
    sample: (info, rng) => ({
      samples: Array.from({ length: views * info.batchSize }, () => {
        // Every draw is made whether or not p keeps the image, so p does not shift the stream.
        const applied = rng.bernoulli(p);
        const m = rng.beta(alpha, alpha);
        const weights = dirichlet(rng, alpha, width);
        const chains = Array.from({ length: width }, () =>
          Array.from({ length: depth > 0 ? depth : 1 + rng.integer(3) }, () => ({
            op: ops[rng.integer(ops.length)]!,
            bin: rng.integer(severity),
            negate: rng.bernoulli(0.5),
          })),
        );
        return { applied, m, weights, chains };
      }),
    }),
    checkParams: (params, info) => checkAugMixParams(fn, params, views * info.batchSize),
    apply: (batch, params, info) => {
      const mixed = mixViews(batch.images, params.samples, info, flavour);
      if (numSplits === 1) return { images: mixed, ...(batch.labels ? { labels: batch.labels.clone() } : {}) };
      return {
        images: tf.concat([batch.images, mixed], 0) as Tensor4D,
        ...(batch.labels ? { labels: tf.tile(batch.labels, [numSplits, 1]) as Tensor2D } : {}),
      };
    },
  });
}

function checkAugMixParams(fn: string, params: unknown, count: number): void {
  const samples = checkParamsObject(fn, params, '{samples}')['samples'];
  if (!Array.isArray(samples) || samples.length !== count) {
    throw invalidArgument(
      fn,
      'params.samples',
      Array.isArray(samples) ? samples.length : samples,
      `${count} entries (one per image and augmented view)`,
    );
  }
  const isStep = (s: unknown): boolean => {
    const r = s as Partial<Record<keyof AugMixStep, unknown>> | null;
    return (
      r !== null &&
      typeof r === 'object' &&
      (ALL_OPS as readonly unknown[]).includes(r.op) &&
      Number.isInteger(r.bin) &&
      (r.bin as number) >= 0 &&
      (r.bin as number) < BINS &&
      typeof r.negate === 'boolean'
    );
  };
  samples.forEach((s: unknown, i) => {
    const r = s as Partial<Record<keyof AugMixSample, unknown>> | null;
    const ok =
      r !== null &&
      typeof r === 'object' &&
      typeof r.applied === 'boolean' &&
      typeof r.m === 'number' &&
      r.m >= 0 &&
      r.m <= 1 &&
      Array.isArray(r.chains) &&
      r.chains.length >= 1 &&
      r.chains.every((c: unknown) => Array.isArray(c) && c.length >= 1 && c.every(isStep)) &&
      Array.isArray(r.weights) &&
      r.weights.length === r.chains.length &&
      r.weights.every((w: unknown) => typeof w === 'number' && Number.isFinite(w) && w >= 0);
    if (!ok)
      throw invalidArgument(
        fn,
        `params.samples[${i}]`,
        s,
        `{applied, m, weights, chains}: a boolean, m in [0, 1], one finite weight >= 0 per chain, and non-empty chains of {op, bin, negate} (an AugMixOp, an integer bin from 0 to ${BINS - 1}, a boolean)`,
      );
  });
}
