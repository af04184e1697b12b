import { gather, tensor1d } from '@tensorflow/tfjs-core';
import type { Tensor4D } from '@tensorflow/tfjs-core';
import type { RandomGenerator } from '../core/random.js';
import {
  checkBoolean,
  checkNonNegative,
  checkOneOf,
  checkOptions,
  checkProbability,
  invalidArgument,
  optionNames,
} from '../core/validate.js';
import { checkParamsObject } from './_internal/batch.js';
import { isBoxWithin, lambdaBox, minMaxBox } from './_internal/boxes.js';
import type { Box } from './_internal/boxes.js';
import { defineAugmentation } from './_internal/defineAugmentation.js';
import {
  blendImages,
  checkLabelSmoothing,
  checkMixLabels,
  checkNumClasses,
  classIdVectorAsColumn,
  mixLabels,
  pasteBoxes,
  sampleLambda,
} from './_internal/mixing.js';
import type { Augmentation, BatchInfo } from './augmentation.js';

/** Options of {@link mixupOrCutmix}; timm's `Mixup` arguments, camel-cased. */
export interface MixupOrCutmixOptions {
  /** mixup's λ ~ Beta(mixupAlpha, mixupAlpha); 0 turns mixup off. timm: `mixup_alpha`. @defaultValue 1 */
  mixupAlpha?: number;
  /** CutMix's λ ~ Beta(cutmixAlpha, cutmixAlpha); 0 turns CutMix off. timm: `cutmix_alpha`. @defaultValue 0 */
  cutmixAlpha?: number;
  /**
   * `[min, max]` fractions of each side: CutMix boxes get sides drawn uniformly between them instead of
   * from λ, and CutMix is on whatever `cutmixAlpha` says. timm: `cutmix_minmax`.
   * @defaultValue undefined (boxes from λ)
   */
  cutmixMinMax?: [number, number];
  /** Probability that a batch (or pair, or element) is mixed at all. timm: `prob`. @defaultValue 1 */
  p?: number;
  /** Probability of CutMix rather than mixup when both are on. timm: `switch_prob`. @defaultValue 0.5 */
  switchProb?: number;
  /**
   * What shares one draw: the whole batch, each pair (i, n - 1 - i) or each element. timm: `mode`.
   * @defaultValue 'batch'
   */
  mode?: 'batch' | 'pair' | 'elem';
  /** CutMix's λ from the box actually pasted, after clipping to the image. timm: `correct_lam`. @defaultValue true */
  correctLam?: boolean;
  /**
   * ε in [0, 1): targets y (1 - ε) + ε / numClasses, then mixed (timm's `mixup_target`), also where
   * nothing is mixed. timm: `label_smoothing`.
   * @defaultValue 0.1 (the DeiT recipe; timm's own default is 0)
   */
  labelSmoothing?: number;
  /**
   * Number of classes, required when the labels are class ids (`[n, 1]`, or `[n]` in a direct call).
   * timm: `num_classes`.
   * @defaultValue the labels' width
   */
  numClasses?: number;
  /** Seed of the generator the parameters are drawn from. @defaultValue a fresh random seed */
  seed?: number;
}

const MIXUP_OR_CUTMIX_OPTIONS = optionNames<MixupOrCutmixOptions>()(
  'mixupAlpha',
  'cutmixAlpha',
  'cutmixMinMax',
  'p',
  'switchProb',
  'mode',
  'correctLam',
  'labelSmoothing',
  'numClasses',
  'seed',
);

/**
 * Parameters of {@link mixupOrCutmix}, one entry per sample (equal within a batch or a pair, as the
 * mode drew them). Sample i is mixed with sample n - 1 - i, the batch flipped as in timm.
 */
export interface MixupOrCutmixParams {
  /** Whether the sample is mixed (the `p` gate); an unmixed sample keeps its image, λ = 1. */
  applied: boolean[];
  /** CutMix (true) or mixup (false). */
  cutmix: boolean[];
  /** Weight of the sample's own label (and, for mixup, image); CutMix's is 1 - box area / (H W) with correctLam. */
  lambda: number[];
  /** CutMix box `[y0, x0, y1, x1)` in pixels, within the image (`[0, 0, 0, 0]` for mixup or unmixed). */
  boxes: Array<[number, number, number, number]>;
}

interface Draw {
  applied: boolean;
  cutmix: boolean;
  lambda: number;
  box: Box;
}

const NONE: Draw = { applied: false, cutmix: false, lambda: 1, box: [0, 0, 0, 0] };
const area = ([y0, x0, y1, x1]: readonly number[]) => (y1! - y0!) * (x1! - x0!);

/**
 * timm's `Mixup` (the DeiT recipe: `mixupOrCutmix({ mixupAlpha: 0.8, cutmixAlpha: 1 })`): per batch (or
 * per pair, or per element) mixup or CutMix is chosen with `switchProb`, λ drawn from Beta(α, α) of the
 * chosen one, the CutMix box drawn from λ (or within `cutmixMinMax`) and λ corrected from the clipped
 * box's area; the partner of sample i is sample n - 1 - i (timm's `x.flip(0)`). The targets are smoothed
 * with `labelSmoothing`, then mixed with λ (timm's `mixup_target`), so with the default ε = 0.1 they are
 * smoothed even where nothing is mixed.
 *
 * Differences from timm, none of which changes a mixed batch: odd batch sizes are accepted (timm
 * asserts even ones): in `'pair'` mode the middle sample is left alone, in `'elem'` mode it is its own
 * partner (so unchanged); labels may also be one-hot or soft `[n, numClasses]`; where `cutmixMinMax`
 * leaves no integer side length on a small image (numpy would raise) the side is its lower bound.
 * One batch pass, no data-dependent shapes: mixup and CutMix samples are blended and pasted by masks.
 *
 * @param options - timm's `Mixup` arguments, camel-cased; see {@link MixupOrCutmixOptions}.
 * @returns An {@link Augmentation} with {@link MixupOrCutmixParams}; the labels come back float32
 *   `[n, numClasses]`.
 * @throws Error naming `mixupOrCutmix`, the option and the value for bad options (also when neither
 *   mixup nor CutMix is on); when called, for missing labels, class ids without `numClasses`, or
 *   replayed params that do not fit the batch.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { mixupOrCutmix } from 'tfjs-regularization/augment';
 *
 * const images = tf.concat([tf.zeros([1, 2, 2, 1]), tf.ones([1, 2, 2, 1])]) as tf.Tensor4D;
 * const labels = tf.tensor1d([0, 1], 'int32'); // class ids
 * const deit = mixupOrCutmix({ mixupAlpha: 0.8, cutmixAlpha: 1, numClasses: 2, labelSmoothing: 0, seed: 1 });
 * // A batch-wide mixup with λ = 0.75: image 0 is 0.75 * 0 + 0.25 * image 1.
 * const out = deit.apply({ images, labels }, {
 *   applied: [true, true], cutmix: [false, false], lambda: [0.75, 0.75], boxes: [[0, 0, 0, 0], [0, 0, 0, 0]],
 * });
 * console.log(out.images.dataSync()[0]); // 0.25
 * console.log(out.labels!.arraySync()); // [[0.75, 0.25], [0.25, 0.75]]
 * ```
 */
export function mixupOrCutmix(options?: MixupOrCutmixOptions): Augmentation<MixupOrCutmixParams> {
  const fn = 'mixupOrCutmix';
  const o = checkOptions<MixupOrCutmixOptions>(fn, options, MIXUP_OR_CUTMIX_OPTIONS);
  const mixupAlpha = checkNonNegative(fn, 'mixupAlpha', o.mixupAlpha ?? 1);
  const minMax = checkMinMax(fn, o.cutmixMinMax);
  // timm forces CutMix's alpha to 1 with a min-max range: λ then only gates, the box decides the label weight.
  // Checked even when cutmixMinMax makes it moot: a bad value is a mistake either way.
  const givenCutmixAlpha = checkNonNegative(fn, 'cutmixAlpha', o.cutmixAlpha ?? 0);
  const cutmixAlpha = minMax ? 1 : givenCutmixAlpha;
  if (mixupAlpha === 0 && cutmixAlpha === 0) {
    throw invalidArgument(fn, 'mixupAlpha', mixupAlpha, '> 0 when cutmixAlpha is 0 and cutmixMinMax is not given');
  }
  const p = checkProbability(fn, o.p ?? 1);
  const switchProb = checkProbability(fn, o.switchProb ?? 0.5, 'switchProb');
  const mode = checkOneOf(fn, 'mode', o.mode ?? 'batch', ['batch', 'pair', 'elem'] as const);
  const correctLam = checkBoolean(fn, 'correctLam', o.correctLam ?? true) || minMax !== undefined;
  const labelSmoothing = checkLabelSmoothing(fn, o.labelSmoothing ?? 0.1);
  const numClasses = checkNumClasses(fn, o.numClasses);

  const draw = (info: BatchInfo, rng: RandomGenerator): Draw => {
    if (!rng.bernoulli(p)) return NONE;
    const cutmix = mixupAlpha > 0 && cutmixAlpha > 0 ? rng.bernoulli(switchProb) : cutmixAlpha > 0;
    const { height: h, width: w } = info;
    if (!cutmix) return { applied: true, cutmix, lambda: sampleLambda(rng, mixupAlpha), box: [0, 0, 0, 0] };
    let lambda = minMax ? 1 : sampleLambda(rng, cutmixAlpha);
    const box = minMax
      ? minMaxBox(h, w, minMax, (n) => rng.integer(n))
      : lambdaBox(h, w, lambda, rng.integer(h), rng.integer(w));
    if (correctLam) lambda = 1 - area(box) / (h * w);
    return { applied: true, cutmix, lambda, box };
  };

  return defineAugmentation<MixupOrCutmixParams>({
    name: fn,
    seed: o.seed,
    // A blend of two masks is no mask (mixup); a batch may mix both kinds.
    masks: 'reject',
    adaptBatch: classIdVectorAsColumn(fn),
    sample: (info, rng) => {
      const n = info.batchSize;
      let per: Draw[];
      if (mode === 'batch') {
        const d = draw(info, rng);
        per = Array.from({ length: n }, () => d);
      } else if (mode === 'pair') {
        const half = Array.from({ length: Math.floor(n / 2) }, () => draw(info, rng));
        per = Array.from({ length: n }, (_, i) => half[Math.min(i, n - 1 - i)] ?? NONE);
      } else {
        per = Array.from({ length: n }, () => draw(info, rng));
      }
      return {
        applied: per.map((d) => d.applied),
        cutmix: per.map((d) => d.cutmix),
        lambda: per.map((d) => d.lambda),
        boxes: per.map((d): Box => [...d.box]),
      };
    },
    checkParams: (params, info) => checkParams(fn, params, info, correctLam),
    apply: (batch, params, info) => {
      const kind = checkMixLabels(fn, batch.labels, numClasses);
      const n = info.batchSize;
      const flip = tensor1d(
        Array.from({ length: n }, (_, i) => n - 1 - i),
        'int32',
      );
      const partner = gather(batch.images, flip) as Tensor4D;
      const on = (i: number) => params.applied[i]!;
      const mixupWeights = params.lambda.map((l, i) => (on(i) && !params.cutmix[i] ? l : 1));
      const boxes = params.boxes.map((b, i): Box => (on(i) && params.cutmix[i] ? b : [0, 0, 0, 0]));
      let images = batch.images;
      if (mixupWeights.some((l) => l !== 1)) images = blendImages(images, partner, mixupWeights);
      if (boxes.some((b) => area(b) > 0)) images = pasteBoxes(images, partner, boxes);
      const lambda = params.lambda.map((l, i) => (on(i) ? l : 1));
      return {
        images: images === batch.images ? batch.images.clone() : images,
        labels: mixLabels(batch.labels!, kind, numClasses, flip, lambda, labelSmoothing),
      };
    },
  });
}

function checkMinMax(fn: string, value: unknown): [number, number] | undefined {
  if (value === undefined) return undefined;
  const ok =
    Array.isArray(value) &&
    value.length === 2 &&
    value.every((v) => typeof v === 'number' && v >= 0 && v <= 1) &&
    value[0] < value[1] &&
    value[0] < 1;
  if (!ok) throw invalidArgument(fn, 'cutmixMinMax', value, '[min, max] fractions of a side with 0 <= min < max <= 1');
  return [value[0], value[1]];
}

function checkParams(fn: string, params: unknown, info: BatchInfo, correctLam: boolean): void {
  const { batchSize: n, height: h, width: w } = info;
  const q = checkParamsObject(fn, params, '{applied, cutmix, lambda, boxes}');
  const list = (name: keyof MixupOrCutmixParams, ok: (v: unknown) => boolean, what: string) => {
    const v = q[name];
    if (!Array.isArray(v) || v.length !== n || !v.every(ok))
      throw invalidArgument(fn, `params.${name}`, v, `an array of ${n} ${what} (one per sample)`);
  };
  list('applied', (v) => typeof v === 'boolean', 'booleans');
  list('cutmix', (v) => typeof v === 'boolean', 'booleans');
  list('lambda', (v) => typeof v === 'number' && v >= 0 && v <= 1, 'numbers in [0, 1]');
  list('boxes', (b) => isBoxWithin(b, h, w), `integer boxes [y0, x0, y1, x1] within ${h}x${w}`);
  if (!correctLam) return;
  const p = params as MixupOrCutmixParams;
  p.applied.forEach((on, i) => {
    const expected = 1 - area(p.boxes[i]!) / (h * w);
    if (on && p.cutmix[i] && Math.abs(p.lambda[i]! - expected) > 1e-6) {
      throw invalidArgument(fn, `params.lambda[${i}]`, p.lambda[i], `1 - box area / (${h} * ${w}) = ${expected}`);
    }
  });
}
