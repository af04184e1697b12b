import * as tf from '@tensorflow/tfjs-core';
import type { Tensor, Tensor4D } from '@tensorflow/tfjs-core';
import { tfSeed } from '../core/random.js';
import {
  checkOptions,
  optionNames,
  checkProbability,
  describeValue,
  invalidArgument,
  FLOAT32_MAX,
  checkBoolean,
} from '../core/validate.js';
import { checkApplied, checkParamsObject, checkParamsSeed, passLabels } from './_internal/batch.js';
import { checkBoxes, checkRange, checkSize, sampleBox } from './_internal/boxes.js';
import type { BoxSpec } from './_internal/boxes.js';
import { defineAugmentation } from './_internal/defineAugmentation.js';
import type { Augmentation, BatchInfo } from './augmentation.js';

/** Options of {@link cutout}. Give `size` or `scale` (not both); with neither, `scale` takes its default. */
export interface CutoutOptions {
  /**
   * Fixed box size: pixels (an integer >= 1) or, below 1, a fraction of the image side; one number
   * for a square, or `[height, width]`. DeVries & Taylor erase 16 px (0.5) on 32 px CIFAR images.
   */
  size?: number | [number, number];
  /**
   * Random box area, `[min, max]` as a fraction of the image area (torchvision's RandomErasing).
   * @defaultValue [0.02, 0.33]
   */
  scale?: [number, number];
  /**
   * With `scale`: `[min, max]` of the box aspect ratio height / width, drawn log-uniformly.
   * @defaultValue [0.3, 3.3]
   */
  ratio?: [number, number];
  /** Boxes per image (they may overlap). @defaultValue 1 */
  count?: number;
  /**
   * `true`: boxes lie wholly inside the image (random erasing). `false`: the box centre is uniform
   * over the image and the box is clipped by the border (cutout).
   * @defaultValue false with `size`, true with `scale`
   */
  inside?: boolean;
  /** Fill of erased pixels: a number, or `'random'` for per-pixel uniform noise in [0, 1). @defaultValue 0 */
  value?: number | 'random';
  /** Probability that an image is erased, drawn per image (torchvision's RandomErasing uses 0.5). @defaultValue 1 */
  p?: number;
  /** Seed of the generator the parameters are drawn from. @defaultValue a fresh random seed */
  seed?: number;
}

/** cutout's option names (also `layers.cutout`'s). @internal */
export const CUTOUT_OPTIONS: readonly (keyof CutoutOptions & string)[] = optionNames<CutoutOptions>()(
  'size',
  'scale',
  'ratio',
  'count',
  'inside',
  'value',
  'p',
  'seed',
);

/** Parameters of one {@link cutout} call. */
export interface CutoutParams {
  /** Per image: whether it is erased. */
  applied: boolean[];
  /**
   * Per image, its boxes `[y0, x0, y1, x1)` in pixels, clipped to the image (`[]` for images left alone; a box may be
   * empty).
   */
  boxes: [number, number, number, number][][];
  /** Seed of the noise fill, present when `value` is `'random'`. */
  seed?: number;
}

/**
 * Cutout / random erasing: fills `count` rectangles of each image with a constant (or noise), on a
 * random subset of the batch (probability `p` per image). Fixed-size boxes centred anywhere and
 * clipped by the border follow DeVries & Taylor (2017); boxes of random area and aspect ratio placed
 * inside the image follow Zhong et al. (2017) and torchvision's `RandomErasing` (a box that does not
 * fit is redrawn up to 10 times, then the image is left alone). Labels pass through unchanged.
 *
 * @param options - `size` or `scale` (+ `ratio`), `count`, `inside`, `value`, `p`, `seed`.
 * @returns An {@link Augmentation} with {@link CutoutParams}.
 * @throws Error naming `cutout`, the option and the value for bad options, for `size` and `scale`
 *   given together, or `ratio` given with `size`.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { cutout } from 'tfjs-regularization/augment';
 *
 * const erase = cutout({ size: 2, inside: true, seed: 7 });
 * const out = erase({ images: tf.ones([1, 4, 4, 1]) as tf.Tensor4D });
 * console.log(tf.sum(out.images).dataSync()[0]); // 16 - 2 * 2 = 12
 * const [y0, x0, y1, x1] = erase.lastParams!.boxes[0]![0]!;
 * console.log((y1 - y0) * (x1 - x0)); // 4
 * const erasing = cutout({ scale: [0.02, 0.33], ratio: [0.3, 3.3], value: 'random', p: 0.5 });
 * ```
 */
export function cutout(options?: CutoutOptions): Augmentation<CutoutParams> {
  return namedCutout('cutout', options);
}

/**
 * {@link cutout} for a caller with another public name (`layers.cutout`): the same checks, with errors naming `fn`.
 * @internal
 */
export function namedCutout(fn: string, options: CutoutOptions | undefined): Augmentation<CutoutParams> {
  const o = checkOptions<CutoutOptions>(fn, options, CUTOUT_OPTIONS);
  if (o.size !== undefined && o.scale !== undefined) {
    throw new Error(
      `${fn}: size and scale exclude each other (fixed or random box size), got size ${describeValue(o.size)} and scale ${describeValue(o.scale)}`,
    );
  }
  if (o.size !== undefined && o.ratio !== undefined) {
    throw new Error(
      `${fn}: ratio applies only with scale, got ratio ${describeValue(o.ratio)} with size ${describeValue(o.size)}`,
    );
  }
  const spec: BoxSpec =
    o.size !== undefined
      ? { kind: 'size', ...checkSize(fn, o.size) }
      : {
          kind: 'scale',
          scale: checkRange(fn, 'scale', o.scale ?? [0.02, 0.33], 1),
          ratio: checkRange(fn, 'ratio', o.ratio ?? [0.3, 3.3], Infinity),
        };
  const count = o.count ?? 1;
  if (!Number.isInteger(count) || count < 1) throw invalidArgument(fn, 'count', count, 'an integer >= 1');
  const inside = checkBoolean(fn, 'inside', o.inside ?? spec.kind === 'scale');
  const value = o.value ?? 0;
  if (value !== 'random' && (typeof value !== 'number' || !(Math.abs(value) <= FLOAT32_MAX)))
    throw invalidArgument(fn, 'value', value, 'a finite float32 number (|x| <= 3.4e38) or "random"');
  const p = checkProbability(fn, o.p ?? 1);
  return defineAugmentation<CutoutParams>({
    name: fn,
    seed: o.seed,
    sample: ({ batchSize, height, width }, rng) => {
      const applied = Array.from({ length: batchSize }, () => rng.bernoulli(p));
      const boxes = applied.map((a) =>
        a ? Array.from({ length: count }, () => sampleBox(spec, inside, height, width, rng)) : [],
      );
      return value === 'random' ? { applied, boxes, seed: rng.nextSeed() } : { applied, boxes };
    },
    checkParams: (params, info) => checkCutoutParams(fn, params, info, value === 'random'),
    apply: (batch, params, info) => {
      const labels = passLabels(batch);
      const boxes = params.boxes.map((list, i) => (params.applied[i] ? list : []));
      const k = Math.max(...boxes.map((list) => list.length));
      if (k === 0) return { images: tf.clone(batch.images), ...labels };
      const covered = boxMask(boxes, k, info);
      const fill =
        value === 'random'
          ? tf.randomUniform(batch.images.shape, 0, 1, 'float32', tfSeed(params.seed!))
          : tf.scalar(value);
      return { images: tf.where(covered, fill, batch.images) as Tensor4D, ...labels };
    },
  });
}

/**
 * `[batch, height, width, 1]` bool, true where some box covers the pixel. A box is the outer product
 * of its row and column indicators, so summing boxes is one batched matMul: a fixed handful of ops
 * for the whole batch, whatever the batch size or box count.
 */
function boxMask(boxes: [number, number, number, number][][], k: number, info: BatchInfo): Tensor {
  const { batchSize: n, height, width } = info;
  // Layout [corner][image][box]: images with fewer boxes get empty ones.
  const corners = new Float32Array(4 * n * k);
  boxes.forEach((list, i) => list.forEach((box, j) => box.forEach((c, q) => (corners[(q * n + i) * k + j] = c))));
  const [y0, x0, y1, x1] = tf.unstack(tf.tensor4d(corners, [4, n, k, 1])) as [Tensor, Tensor, Tensor, Tensor];
  const between = (grid: Tensor, lo: Tensor, hi: Tensor) =>
    tf.cast(tf.logicalAnd(tf.greaterEqual(grid, lo), tf.less(grid, hi)), 'float32');
  const rows = between(tf.range(0, height), y0, y1); // [n, k, height]
  const cols = between(tf.range(0, width), x0, x1); // [n, k, width]
  const hits = tf.matMul(rows as tf.Tensor3D, cols as tf.Tensor3D, true, false); // [n, height, width]
  return tf.greater(tf.reshape(hits, [n, height, width, 1]), 0);
}

function checkCutoutParams(fn: string, params: unknown, info: BatchInfo, random: boolean): void {
  const p = checkParamsObject(fn, params, '{applied, boxes}');
  checkApplied(fn, p['applied'], info);
  checkBoxes(fn, p['boxes'], info.batchSize, info.height, info.width);
  if (random) checkParamsSeed(fn, p['seed'], ' (the noise fill seed)');
}
