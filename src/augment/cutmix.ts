import { gather, tensor1d } from '@tensorflow/tfjs-core';
import type { Tensor4D } from '@tensorflow/tfjs-core';
import { defineAugmentation } from './_internal/defineAugmentation.js';
import {
  checkMixLabels,
  checkMixParams,
  classIdVectorAsColumn,
  effectiveLambda,
  mixLabels,
  pasteBoxes,
  readMixOptions,
  sampleMix,
} from './_internal/mixing.js';
import { invalidArgument, optionNames } from '../core/validate.js';
import { isBoxWithin } from './_internal/boxes.js';
import type { Box } from './_internal/boxes.js';
import type { Augmentation } from './augmentation.js';

/** Options of {@link cutmix}. */
export interface CutMixOptions {
  /** The box area fraction 1 - λ comes from λ ~ Beta(alpha, alpha). @defaultValue 1 (Yun et al.: λ uniform) */
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

const CUTMIX_OPTIONS = optionNames<CutMixOptions>()('alpha', 'p', 'numClasses', 'labelSmoothing', 'seed');

/** Parameters of {@link cutmix}, one entry per sample. */
export interface CutMixParams {
  /** Sample i takes its patch from sample `permutation[i]` of the same batch. */
  permutation: number[];
  /** Pasted box `[y0, x0, y1, x1)` in pixels, already clipped to the image (empty where not mixed). */
  boxes: Array<[number, number, number, number]>;
  /** Label weight of the sample itself: 1 - box area / (height * width) (1 where not mixed). */
  lambda: number[];
  /** Whether the sample is mixed (the `p` gate). */
  applied: boolean[];
}

const boxArea = ([y0, x0, y1, x1]: readonly number[]) => (y1! - y0!) * (x1! - x0!);

/**
 * CutMix (Yun et al., 2019): a box of each image is replaced by the same box of another image of the
 * batch (a seeded permutation picks it), and the labels are mixed in proportion to the pixels: λ is
 * 1 - (box area) / (height * width) of the box actually pasted, after clipping to the image.
 *
 * The box is drawn as in the paper: λ₀ ~ Beta(alpha, alpha), sides sqrt(1 - λ₀) times the image's,
 * centre uniform over the image, then clipped (so the effective λ is at least λ₀). Labels as in
 * {@link mixup}: one-hot/soft `[n, numClasses]`, or class ids `[n, 1]` (or `[n]` in a direct call)
 * with `numClasses`; the output labels are float32 `[n, numClasses]` whose rows sum to 1. Masks get
 * the same box of the partner's mask, so a segmentation batch stays aligned.
 *
 * @param options - alpha, p, numClasses, labelSmoothing, seed.
 * @returns An {@link Augmentation} with {@link CutMixParams}.
 * @throws Error naming `cutmix`, the option and the value for bad options; when called, for missing
 *   labels, class ids without `numClasses`, labels whose width is not `numClasses`, or replayed
 *   params whose boxes do not fit the image or whose λ does not match the box.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { cutmix } from 'tfjs-regularization/augment';
 *
 * const images = tf.concat([tf.zeros([1, 4, 4, 1]), tf.ones([1, 4, 4, 1])]) as tf.Tensor4D;
 * const labels = tf.tensor2d([[1, 0], [0, 1]]);
 * const mix = cutmix({ seed: 3 });
 * // Image 0 gets the 2x2 top-left corner of image 1: 4 of 16 pixels, so λ = 0.75.
 * const out = mix.apply({ images, labels }, {
 *   permutation: [1, 0], boxes: [[0, 0, 2, 2], [0, 0, 0, 0]], lambda: [0.75, 1], applied: [true, false],
 * });
 * console.log(tf.sum(out.images).dataSync()[0] - 16); // pixels of image 0 now 1: 4
 * console.log(out.labels!.arraySync()); // [[0.75, 0.25], [0, 1]]
 * ```
 */
export function cutmix(options?: CutMixOptions): Augmentation<CutMixParams> {
  const fn = 'cutmix';
  const s = readMixOptions(fn, options, 1, CUTMIX_OPTIONS);
  return defineAugmentation<CutMixParams>({
    name: fn,
    seed: s.seed,
    adaptBatch: classIdVectorAsColumn(fn),
    sample: (info, rng) => {
      const { height: h, width: w } = info;
      const base = sampleMix(info, rng, s);
      const boxes = base.lambda.map((l0, i): [number, number, number, number] => {
        if (!base.applied[i]) return [0, 0, 0, 0];
        const r = Math.sqrt(1 - l0);
        const cy = rng.uniform(0, h);
        const cx = rng.uniform(0, w);
        const clip = (v: number, hi: number) => Math.min(hi, Math.max(0, Math.round(v)));
        return [
          clip(cy - (r * h) / 2, h),
          clip(cx - (r * w) / 2, w),
          clip(cy + (r * h) / 2, h),
          clip(cx + (r * w) / 2, w),
        ];
      });
      // The labels must weigh what was really pasted: the clipped, pixel-rounded box, not λ₀.
      const lambda = boxes.map((b, i) => (base.applied[i] ? 1 - boxArea(b) / (h * w) : 1));
      return { permutation: base.permutation, boxes, lambda, applied: base.applied };
    },
    checkParams: (params, info) => {
      checkMixParams(fn, params, info);
      const { height: h, width: w } = info;
      const boxes = (params as Partial<CutMixParams>).boxes as unknown;
      if (!Array.isArray(boxes) || boxes.length !== info.batchSize || !boxes.every((b) => isBoxWithin(b, h, w))) {
        throw invalidArgument(
          fn,
          'params.boxes',
          boxes,
          `an array of ${info.batchSize} integer boxes [y0, x0, y1, x1] with 0 <= y0 <= y1 <= ${h}, 0 <= x0 <= x1 <= ${w}`,
        );
      }
      const { applied, lambda } = params as CutMixParams;
      applied.forEach((on, i) => {
        const expected = 1 - boxArea(boxes[i]!) / (h * w);
        if (on && Math.abs(lambda[i]! - expected) > 1e-6) {
          throw invalidArgument(fn, `params.lambda[${i}]`, lambda[i], `1 - box area / (${h} * ${w}) = ${expected}`);
        }
      });
    },
    apply: (batch, params) => {
      const kind = checkMixLabels(fn, batch.labels, s.numClasses);
      const perm = tensor1d(params.permutation, 'int32');
      return {
        images: pasteFromPartners(batch.images, params),
        labels: mixLabels(batch.labels!, kind, s.numClasses, perm, effectiveLambda(params), s.labelSmoothing),
      };
    },
    // A mask pasted with its pixels stays a mask: the box of the partner's mask goes where its image went.
    masks: (masks, params) => pasteFromPartners(masks, params),
  });
}

/** Each sample's box, taken from its partner `permutation[i]`: images and masks alike. */
function pasteFromPartners(target: Tensor4D, params: CutMixParams): Tensor4D {
  const boxes = params.boxes.map((b, i): Box => (params.applied[i] ? b : [0, 0, 0, 0]));
  return pasteBoxes(target, gather(target, tensor1d(params.permutation, 'int32')) as Tensor4D, boxes);
}
