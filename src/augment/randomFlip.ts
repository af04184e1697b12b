import { reshape, reverse, tensor1d, where } from '@tensorflow/tfjs-core';
import type { Tensor4D } from '@tensorflow/tfjs-core';
import { checkOneOf, checkOptions, checkProbability, invalidArgument, optionNames } from '../core/validate.js';
import { checkParamsObject, passLabels } from './_internal/batch.js';
import { defineAugmentation } from './_internal/defineAugmentation.js';
import type { Augmentation, BatchInfo } from './augmentation.js';

/** Options of {@link randomFlip}: Keras 3 `RandomFlip`'s, plus `p` and `seed`. */
export interface RandomFlipOptions {
  /**
   * Which flips: `'horizontal'` (left-right), `'vertical'` (top-bottom) or `'horizontal_and_vertical'` (both, decided
   * by one coin per image, as Keras 3 does: the image is turned by 180° or left alone). Keras 3 RandomFlip: `mode`.
   * @defaultValue 'horizontal_and_vertical' (as Keras)
   */
  mode?: 'horizontal' | 'vertical' | 'horizontal_and_vertical';
  /** Probability that an image may be flipped at all; the coin of 1/2 is drawn on top of it. @defaultValue 1 */
  p?: number;
  /** Seed of the generator the parameters are drawn from. @defaultValue a fresh random seed */
  seed?: number;
}

const RANDOM_FLIP_OPTIONS = optionNames<RandomFlipOptions>()('mode', 'p', 'seed');

/** Parameters of one {@link randomFlip} call, one entry per image. */
export interface RandomFlipParams {
  /** Whether the image is mirrored left-right. */
  horizontal: boolean[];
  /** Whether the image is mirrored top-bottom. */
  vertical: boolean[];
}

/**
 * Keras 3's `RandomFlip`: each image is mirrored with probability 1/2 (a coin per image, `uniform <= 0.5` in
 * Keras), left-right, top-bottom or both at once depending on `mode`. For independent horizontal and vertical
 * flips (four outcomes, torchvision's `RandomHorizontalFlip` then `RandomVerticalFlip`), chain a `'horizontal'` and a
 * `'vertical'` randomFlip in a {@link pipeline}: the two fuse into one pass. Flips move whole pixels and read nothing
 * outside the image, so in a pipeline they fuse with any neighbouring affine step whatever its interpolation and
 * fill. Masks are flipped with the images; labels pass through unchanged.
 *
 * @param options - `mode`, `p`, `seed`.
 * @returns An {@link Augmentation} with {@link RandomFlipParams}.
 * @throws Error naming `randomFlip`, the option and the value for an unknown mode, `p` outside [0, 1] or a bad seed.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { randomFlip } from 'tfjs-regularization/augment';
 *
 * const flip = randomFlip({ mode: 'horizontal', seed: 3 });
 * const row = tf.tensor4d([1, 2, 3], [1, 1, 3, 1]);
 * const out = flip.apply({ images: row }, { horizontal: [true], vertical: [false] });
 * console.log(Array.from(out.images.dataSync()).join(',')); // 3,2,1
 * const drawn = flip.sample({ batchSize: 1000, height: 1, width: 3, channels: 1 }).horizontal;
 * const rate = drawn.filter(Boolean).length / 1000;
 * console.log(rate > 0.45 && rate < 0.55); // about half: true
 * ```
 */
export function randomFlip(options?: RandomFlipOptions): Augmentation<RandomFlipParams> {
  const fn = 'randomFlip';
  const o = checkOptions<RandomFlipOptions>(fn, options, RANDOM_FLIP_OPTIONS);
  const mode = checkOneOf(fn, 'mode', o.mode ?? 'horizontal_and_vertical', [
    'horizontal',
    'vertical',
    'horizontal_and_vertical',
  ] as const);
  const p = checkProbability(fn, o.p ?? 1);
  const canH = mode !== 'vertical';
  const canV = mode !== 'horizontal';
  const flipBoth = (t: Tensor4D, params: RandomFlipParams, n: number): Tensor4D => {
    const gate = (flags: boolean[]) => reshape(tensor1d(flags, 'bool'), [n, 1, 1, 1]);
    let out = t;
    if (params.horizontal.includes(true)) out = where(gate(params.horizontal), reverse(out, 2), out) as Tensor4D;
    if (params.vertical.includes(true)) out = where(gate(params.vertical), reverse(out, 1), out) as Tensor4D;
    return out === t ? (t.clone() as Tensor4D) : out;
  };
  return defineAugmentation<RandomFlipParams>({
    name: fn,
    seed: o.seed,
    sample: (info, rng) => {
      const horizontal: boolean[] = [];
      const vertical: boolean[] = [];
      for (let i = 0; i < info.batchSize; i++) {
        // Draw both, always, so that p only decides and does not shift the random stream.
        const coin = rng.bernoulli(0.5);
        const applied = rng.bernoulli(p);
        horizontal.push(applied && coin && canH);
        vertical.push(applied && coin && canV);
      }
      return { horizontal, vertical };
    },
    checkParams: (params, info) => {
      const r = checkParamsObject(fn, params, '{horizontal, vertical}');
      for (const key of ['horizontal', 'vertical'] as const) {
        const v = r[key];
        if (!Array.isArray(v) || v.length !== info.batchSize || !v.every((b) => typeof b === 'boolean'))
          throw invalidArgument(fn, `params.${key}`, v, `${info.batchSize} booleans (one per image)`);
      }
    },
    apply: (batch, params, info) => ({ images: flipBoth(batch.images, params, info.batchSize), ...passLabels(batch) }),
    masks: (masks, params, info) => flipBoth(masks, params, info.batchSize),
    affine: {
      resampling: { interpolation: 'bilinear', fillMode: 'constant', fillValue: 0 },
      wholePixels: true,
      inside: true,
      matrices: (params, info) => params.horizontal.map((h, i) => flipMatrix(h, params.vertical[i]!, info)),
    },
  });
}

/** Output (x, y) reads input (w - 1 - x, y) and/or (x, h - 1 - y): whole pixels, mirrored about the centre. */
function flipMatrix(horizontal: boolean, vertical: boolean, info: BatchInfo): number[] {
  const fx = horizontal ? [-1, 0, info.width - 1] : [1, 0, 0];
  const fy = vertical ? [0, -1, info.height - 1] : [0, 1, 0];
  return [...fx, ...fy, 0, 0, 1];
}
