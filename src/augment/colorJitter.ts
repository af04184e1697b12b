import * as tf from '@tensorflow/tfjs-core';
import type { Tensor, Tensor4D } from '@tensorflow/tfjs-core';
import { clip } from '../core/clip.js';
import { cachedScalar } from '../core/constantCache.js';
import { invalidArgument, optionNames } from '../core/validate.js';
import { checkApplied, checkParamsObject, passLabels } from './_internal/batch.js';
import { defineAugmentation } from './_internal/defineAugmentation.js';
import { perGroup } from './_internal/groups.js';
import { checkRgb, checkValues, FINITE, photometricOptions, uniformIn } from './_internal/photometricRandom.js';
import type { ParamSpec } from './_internal/photometricRandom.js';
import type { Augmentation } from './augmentation.js';
import { adjustHue } from './functional/adjustHue.js';
import { rgbToGrayscale } from './functional/rgbToGrayscale.js';

/** Options of {@link colorJitter}: torchvision v2 `ColorJitter`'s, plus `p` and `seed`. */
export interface ColorJitterOptions {
  /**
   * Brightness factor range: `b` for `[max(0, 1 − b), 1 + b]`, or `[lower, upper]` with 0 <= lower <= upper.
   * 0 (or `[1, 1]`) leaves brightness out.
   * @defaultValue 0
   */
  brightness?: number | [number, number];
  /** Contrast factor range, read as `brightness`. @defaultValue 0 */
  contrast?: number | [number, number];
  /** Saturation factor range, read as `brightness`. @defaultValue 0 */
  saturation?: number | [number, number];
  /**
   * Hue shift range in turns: `h` in [0, 0.5] for `[−h, h]`, or `[lower, upper]` within [−0.5, 0.5]. 0
   * leaves hue out.
   * @defaultValue 0
   */
  hue?: number | [number, number];
  /** Probability that an image is jittered, drawn per image. @defaultValue 1 */
  p?: number;
  /** Seed of the generator the parameters are drawn from. @defaultValue a fresh random seed */
  seed?: number;
}

const COLOR_JITTER_OPTIONS = optionNames<ColorJitterOptions>()(
  'brightness',
  'contrast',
  'saturation',
  'hue',
  'p',
  'seed',
);

/** Parameters of one {@link colorJitter} call. */
export interface ColorJitterParams {
  /** Per image: whether it is jittered. */
  applied: boolean[];
  /**
   * Per image: the order of the four ops, a permutation of 0 (brightness), 1 (contrast), 2 (saturation),
   * 3 (hue), torchvision's `fn_idx`. Ops the options leave out are skipped.
   */
  order: number[][];
  /** Per image: the brightness factor (1 keeps the image). */
  brightness: number[];
  /** Per image: the contrast factor (1 keeps the image). */
  contrast: number[];
  /** Per image: the saturation factor (1 keeps the image). */
  saturation: number[];
  /** Per image: the hue shift in turns (0 keeps the image). */
  hue: number[];
}

type Op = 'brightness' | 'contrast' | 'saturation' | 'hue';
const OPS: readonly Op[] = ['brightness', 'contrast', 'saturation', 'hue'];

function checkJitterRange(fn: string, arg: Op, value: unknown): [number, number] | undefined {
  const hue = arg === 'hue';
  const [min, max] = hue ? [-0.5, 0.5] : [0, 1e30];
  const ok = (v: unknown): v is number => typeof v === 'number' && v >= min && v <= max;
  let range: [number, number];
  const pair = Array.isArray(value) && value.length === 2 && value.every(ok) ? (value as [number, number]) : undefined;
  if (typeof value === 'number' && value >= 0 && value <= (hue ? 0.5 : 1e30)) {
    range = hue ? [-value, value] : [Math.max(0, 1 - value), 1 + value];
  } else if (pair !== undefined && pair[0] <= pair[1]) {
    range = [pair[0], pair[1]];
  } else {
    const expected = hue
      ? 'a number in [0, 0.5], or [lower, upper] within [-0.5, 0.5] with lower <= upper'
      : 'a number >= 0, or [lower, upper] with 0 <= lower <= upper';
    throw invalidArgument(fn, arg, value, expected);
  }
  // torchvision's _check_input: a range that is the identity's single value leaves the op out.
  const identity = hue ? 0 : 1;
  return range[0] === identity && range[1] === identity ? undefined : range;
}

/**
 * torchvision v2 `ColorJitter`: brightness, contrast, saturation and hue adjusted by factors drawn per
 * image, in an order drawn per image. The ops are torchvision's (`_blend` with a reference, clamped to
 * `[0, 1]`. Brightness blends with black, `clip(f · x, 0, 1)`; contrast with the mean of the image's grayscale;
 * saturation with the grayscale image; hue a turn on the HSV hexagon, {@link adjustHue}), not the
 * TensorFlow ones of {@link randomBrightness} and the other Keras-named augmentations; Keras 3's
 * `RandomColorJitter` runs its four layers in a fixed order instead. Images are RGB in [0, 1].
 *
 * A random order without data-dependent shapes: with `k` ops enabled, at each of the `k` positions
 * the batch is split by the op each image's order puts there (a split decided by the params, not by
 * pixel values), and every op runs once, on its own images only; so a call costs `k` passes over the
 * batch, as a per-image loop would, in a few dozen batched ops. Labels pass through unchanged.
 *
 * @param options - `brightness`, `contrast`, `saturation`, `hue`, `p`, `seed`.
 * @returns An {@link Augmentation} with {@link ColorJitterParams}.
 * @throws Error naming `colorJitter`, the option and the value for bad ranges, `p` outside [0, 1] or an
 *   unknown option; naming it and the shape for images that are not RGB when contrast, saturation or hue
 *   is enabled.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { colorJitter } from 'tfjs-regularization/augment';
 *
 * const jitter = colorJitter({ brightness: 0.4, contrast: 0.4, saturation: 0.4, hue: 0.1, seed: 13 });
 * const out = jitter({ images: tf.randomUniform([2, 8, 8, 3], 0, 1, 'float32', 1) as tf.Tensor4D });
 * console.log(jitter.lastParams!.order[0]!.slice().sort().join(',')); // 0,1,2,3
 * const b = jitter.lastParams!.brightness[0]!;
 * console.log(b >= 0.6 && b <= 1.4); // true
 * console.log(out.images.shape.join('x')); // 2x8x8x3
 * ```
 */
export function colorJitter(options?: ColorJitterOptions): Augmentation<ColorJitterParams> {
  const fn = 'colorJitter';
  const { o, p } = photometricOptions<ColorJitterOptions>(fn, options, COLOR_JITTER_OPTIONS);
  const ranges = Object.fromEntries(OPS.map((op) => [op, checkJitterRange(fn, op, o[op] ?? 0)])) as Record<
    Op,
    [number, number] | undefined
  >;
  const enabled = OPS.map((op, i) => (ranges[op] === undefined ? -1 : i)).filter((i) => i >= 0);
  const draws = OPS.map((op) => {
    const r = ranges[op];
    return r === undefined ? () => (op === 'hue' ? 0 : 1) : uniformIn(r);
  });
  const specs: Record<Op, ParamSpec> = {
    brightness: { draw: draws[0]!, valid: (v) => v >= 0 && v <= 3.4e38, expected: 'a finite number >= 0' },
    contrast: { draw: draws[1]!, valid: (v) => v >= 0 && v <= 3.4e38, expected: 'a finite number >= 0' },
    saturation: { draw: draws[2]!, valid: (v) => v >= 0 && v <= 3.4e38, expected: 'a finite number >= 0' },
    hue: { ...FINITE, draw: draws[3]! },
  };
  const rgb = enabled.some((i) => i > 0);
  return defineAugmentation<ColorJitterParams>({
    name: fn,
    seed: o.seed,
    sample: ({ batchSize }, rng) => {
      const params: ColorJitterParams = {
        applied: [],
        order: [],
        brightness: [],
        contrast: [],
        saturation: [],
        hue: [],
      };
      for (let i = 0; i < batchSize; i++) {
        params.applied.push(rng.bernoulli(p));
        // torchvision draws the order first, then the four factors.
        params.order.push(rng.permutation(4));
        for (const op of OPS) params[op].push(specs[op].draw(rng));
      }
      return params;
    },
    checkParams: (params, info) => {
      const q = checkParamsObject(fn, params, '{applied, order, brightness, contrast, saturation, hue}');
      checkApplied(fn, q['applied'], info);
      checkOrders(fn, q['order'], info.batchSize);
      for (const op of OPS) checkValues(fn, op, q[op], info.batchSize, specs[op]);
      if (rgb) checkRgb(fn, info);
    },
    apply: (batch, params, info) => {
      const labels = passLabels(batch);
      if (enabled.length === 0 || !params.applied.some(Boolean)) return { images: tf.clone(batch.images), ...labels };
      const one = cachedScalar(1);
      const gray = (x: Tensor4D) => (info.channels === 3 ? rgbToGrayscale(x) : x);
      const blend = (x: Tensor, f: Tensor, ref: Tensor) =>
        clip(tf.add(tf.mul(f, x), tf.mul(tf.sub(one, f), ref)), 0, 1);
      const run = (op: number, x: Tensor4D, members: number[]): Tensor4D => {
        const values = members.map((i) => params[OPS[op]!][i]!);
        if (op === 3) return adjustHue(x, tf.tensor1d(values));
        const f = tf.tensor4d(values, [members.length, 1, 1, 1]);
        if (op === 0) return clip(tf.mul(f, x), 0, 1) as Tensor4D;
        if (op === 1) return blend(x, f, tf.mean(gray(x), [1, 2, 3], true)) as Tensor4D;
        return blend(x, f, gray(x)) as Tensor4D;
      };
      // Each image's order with the disabled ops left out: position j runs its j-th enabled op. An image
      // that is not jittered is its own group (-1), left as it is.
      const compact = params.order.map((order) => order.filter((op) => enabled.includes(op)));
      let x = batch.images;
      for (let j = 0; j < enabled.length; j++) {
        const at = compact.map((ops, i) => (params.applied[i] ? ops[j]! : -1));
        x = perGroup(x, at, (op, images, members) => (op < 0 ? images : run(op, images, members)));
      }
      return { images: x === batch.images ? tf.clone(x) : x, ...labels };
    },
  });
}

function checkOrders(fn: string, orders: unknown, batch: number): void {
  const isPermutation = (o: unknown) => Array.isArray(o) && o.length === 4 && [0, 1, 2, 3].every((k) => o.includes(k));
  if (!Array.isArray(orders) || orders.length !== batch || !orders.every(isPermutation)) {
    throw invalidArgument(fn, 'params.order', orders, `${batch} permutations of [0, 1, 2, 3] (one per image)`);
  }
}
