import { mirrorPad } from '@tensorflow/tfjs-core';
import type { Tensor4D } from '@tensorflow/tfjs-core';
import {
  checkFloat32,
  checkOneOf,
  checkOptions,
  checkProbability,
  invalidArgument,
  optionNames,
} from '../core/validate.js';
import { toTransformRow } from './_internal/affineFusion.js';
import type { AffineView } from './_internal/affineFusion.js';
import { checkParamsObject, passLabels } from './_internal/batch.js';
import { checkCropSize, checkOffsets } from './_internal/crops.js';
import { defineAugmentation } from './_internal/defineAugmentation.js';
import { warpMasks } from './_internal/masks.js';
import type { FillMode, ResampleOptions } from './_internal/resample/options.js';
import type { Augmentation, BatchInfo } from './augmentation.js';
import { affineTransform } from './functional/affineTransform.js';

/** Options of {@link randomCrop}: Keras 3 `RandomCrop`'s size, torchvision `RandomCrop`'s padding. */
export interface RandomCropOptions {
  /**
   * Output height, given with `width`. Keras 3 RandomCrop: `height`.
   * @defaultValue the input's height (with `padding`, the CIFAR pad-and-crop)
   */
  height?: number;
  /** Output width, given with `height`. Keras 3 RandomCrop: `width`. @defaultValue the input's width */
  width?: number;
  /**
   * Pixels added on each side before cropping: one number for all four sides, or `[vertical, horizontal]` (top and
   * bottom, left and right, as Keras' `ZeroPadding2D`). torchvision RandomCrop: `padding`.
   * @defaultValue 0
   */
  padding?: number | [number, number];
  /**
   * What the padding holds: `'constant'` (`fillValue`), `'edge'` or its alias `'replicate'` (the edge pixel repeated),
   * `'reflect'` (mirrored without repeating the edge, dcb|abcd|cba) or `'symmetric'` (mirrored with it,
   * dcba|abcd|dcba).
   * torchvision RandomCrop: `padding_mode`.
   * @defaultValue 'constant'
   */
  padMode?: 'constant' | 'edge' | 'replicate' | 'reflect' | 'symmetric';
  /** The padding's value in `'constant'` mode. torchvision RandomCrop: `fill`. @defaultValue 0 */
  fillValue?: number;
  /** Probability that an image is cropped at a random place; the others get the centre window. @defaultValue 1 */
  p?: number;
  /** Seed of the generator the parameters are drawn from. @defaultValue a fresh random seed */
  seed?: number;
}

const RANDOM_CROP_OPTIONS = optionNames<RandomCropOptions>()(
  'height',
  'width',
  'padding',
  'padMode',
  'fillValue',
  'p',
  'seed',
);

/** Parameters of one {@link randomCrop} call: each image's window, by its top-left pixel in the padded image. */
export interface RandomCropParams {
  /** First row of the window, in `[0, height + 2 · vertical padding − output height]`. */
  top: number[];
  /** First column of the window, in `[0, width + 2 · horizontal padding − output width]`. */
  left: number[];
}

const FILL_MODES: Record<Exclude<RandomCropOptions['padMode'] & string, 'reflect'>, FillMode> = {
  constant: 'constant',
  edge: 'nearest',
  replicate: 'nearest',
  symmetric: 'reflect',
};

/**
 * Random crop, with the padding of the CIFAR recipe: the images are padded by `padding` pixels (`padMode`, torchvision
 * `RandomCrop`'s modes) and a `height` × `width` window is cut at a uniformly random place, one per image (all offsets
 * in the valid range equally likely). `randomCrop({ padding: 4 })` on 32 × 32 images is the classic pad-and-crop. With
 * no padding this is Keras 3 `RandomCrop` in training, except that Keras draws one window per batch and this one per
 * image, and that an input smaller than the window is an error here (torchvision's rule), where Keras resizes it.
 *
 * The crop is an integer translation done by the resampler in one pass (no padded copy is made, except for
 * `'reflect'`, which the resampler has no fill mode for), so it runs the same on every backend; in a {@link pipeline}
 * it fuses with neighbouring affine steps (not in `'reflect'` mode). Masks are cropped with the images, their padding
 * 0; labels pass through unchanged.
 *
 * @param options - `height`, `width`, `padding`, `padMode`, `fillValue`, `p`, `seed`.
 * @returns An {@link Augmentation} with {@link RandomCropParams}; its images are `height` × `width`.
 * @throws Error naming `randomCrop`, the option and the value for bad options; at call time, for images smaller than
 *   the window once padded (or a `'reflect'` padding as large as the image, which cannot be mirrored).
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { randomCrop } from 'tfjs-regularization/augment';
 *
 * const cifar = randomCrop({ padding: 4, seed: 1 });
 * const out = cifar({ images: tf.ones([8, 32, 32, 3]) as tf.Tensor4D });
 * console.log(out.images.shape.join('x')); // 8x32x32x3
 * const { top, left } = cifar.lastParams!;
 * console.log(top.every((t) => t >= 0 && t <= 8) && left.every((l) => l >= 0 && l <= 8)); // true
 * const corner = randomCrop({ height: 2, width: 2 }).apply(
 *   { images: tf.tensor4d([1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 3, 3, 1]) },
 *   { top: [1], left: [0] },
 * );
 * console.log(Array.from(corner.images.dataSync()).join(',')); // 4,5,7,8
 * ```
 */
export function randomCrop(options?: RandomCropOptions): Augmentation<RandomCropParams> {
  const fn = 'randomCrop';
  const o = checkOptions<RandomCropOptions>(fn, options, RANDOM_CROP_OPTIONS);
  const size = checkCropSize(fn, o.height, o.width);
  const [padY, padX] = checkPadding(fn, o.padding ?? 0);
  const padMode = checkOneOf(fn, 'padMode', o.padMode ?? 'constant', [
    'constant',
    'edge',
    'replicate',
    'reflect',
    'symmetric',
  ] as const);
  const fillValue = checkFloat32(fn, 'fillValue', o.fillValue ?? 0);
  const p = checkProbability(fn, o.p ?? 1);
  const mirrored = padMode === 'reflect' && (padY > 0 || padX > 0);
  const resampling: ResampleOptions = {
    interpolation: 'nearest',
    fillMode: padMode === 'reflect' ? 'constant' : FILL_MODES[padMode],
    fillValue,
  };
  const sizeOf = (info: BatchInfo): [number, number] => size ?? [info.height, info.width];
  /** How far the window may move: the padded image less the window, per axis. */
  const slack = (info: BatchInfo): [number, number] => {
    const [h, w] = sizeOf(info);
    const [rows, cols] = [info.height + 2 * padY - h, info.width + 2 * padX - w];
    if (rows < 0 || cols < 0) {
      throw invalidArgument(
        fn,
        'batch.images shape',
        [info.batchSize, info.height, info.width, info.channels],
        `images at least ${h} x ${w} once padded by ${padY} x ${padX} (the crop window)`,
      );
    }
    if (mirrored && (padY >= info.height || padX >= info.width)) {
      throw invalidArgument(
        fn,
        'batch.images shape',
        [info.batchSize, info.height, info.width, info.channels],
        `images larger than the padding ${padY} x ${padX} (padMode 'reflect' mirrors inside the image)`,
      );
    }
    return [rows, cols];
  };
  // Output (x, y) reads input (x + left − padX, y + top − padY): the window, in unpadded coordinates.
  const matrices = (params: RandomCropParams, info: BatchInfo, pad: boolean) =>
    params.top.map((t, i) => [1, 0, params.left[i]! - (pad ? padX : 0), 0, 1, t - (pad ? padY : 0), 0, 0, 1]);
  const affine: AffineView<RandomCropParams> = {
    resampling,
    wholePixels: true,
    ...(padY === 0 && padX === 0 ? { inside: true } : {}),
    matrices: (params, info) => matrices(params, info, true),
  };
  return defineAugmentation<RandomCropParams>({
    name: fn,
    seed: o.seed,
    sample: (info, rng) => {
      const [rows, cols] = slack(info);
      const top: number[] = [];
      const left: number[] = [];
      for (let i = 0; i < info.batchSize; i++) {
        const [t, l] = [rng.integer(rows + 1), rng.integer(cols + 1)];
        // Drawn always, so that p only decides and does not shift the random stream.
        const applied = rng.bernoulli(p);
        top.push(applied ? t : Math.floor(rows / 2));
        left.push(applied ? l : Math.floor(cols / 2));
      }
      return { top, left };
    },
    checkParams: (params, info) => {
      const [rows, cols] = slack(info);
      const r = checkParamsObject(fn, params, '{top, left}');
      checkOffsets(fn, 'params.top', r['top'], info, rows);
      checkOffsets(fn, 'params.left', r['left'], info, cols);
    },
    // Declared only when the size is given: a pad-and-crop keeps the size (and fits in a combinator).
    ...(size ? { outputSize: sizeOf } : {}),
    apply: (batch, params, info) => {
      const outputShape = sizeOf(info);
      let images: Tensor4D;
      if (mirrored) {
        // The window lies inside the mirrored copy: the translation reads whole pixels only.
        const padded = mirrorPad(
          batch.images,
          [
            [0, 0],
            [padY, padY],
            [padX, padX],
            [0, 0],
          ],
          'reflect',
        );
        images = affineTransform(padded, matrices(params, info, false).map(toTransformRow), {
          interpolation: 'nearest',
          outputShape,
        });
      } else {
        const rows = matrices(params, info, true).map(toTransformRow);
        images = affineTransform(batch.images, rows, { ...resampling, outputShape });
      }
      return { images, ...passLabels(batch) };
    },
    masks: (masks, params, info) => warpMasks(masks, matrices(params, info, true).map(toTransformRow), sizeOf(info)),
    ...(mirrored ? {} : { affine }),
  });
}

function checkPadding(fn: string, value: unknown): [number, number] {
  const side = (v: unknown) => Number.isSafeInteger(v) && (v as number) >= 0;
  if (side(value)) return [value as number, value as number];
  if (Array.isArray(value) && value.length === 2 && value.every(side)) return [value[0], value[1]];
  throw invalidArgument(fn, 'padding', value, 'an integer >= 0, or [vertical, horizontal] of those');
}
