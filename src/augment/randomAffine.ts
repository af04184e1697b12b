import {
  checkNonNegative,
  checkOptions,
  optionNames,
  checkProbability,
  invalidArgument,
  checkFloat32,
  checkBoolean,
} from '../core/validate.js';
import { IDENTITY_3X3, matMul3, toTransformRow } from './_internal/affineFusion.js';
import type { AffineView } from './_internal/affineFusion.js';
import { checkParamsObject, passLabels } from './_internal/batch.js';
import { defineAugmentation } from './_internal/defineAugmentation.js';
import { checkResampleOptions } from './_internal/resample/options.js';
import type { Augmentation, BatchInfo } from './augmentation.js';
import { affineTransform } from './functional/affineTransform.js';
import { kerasTransformMatrix } from './functional/kerasTransformMatrix.js';

/** Options of {@link randomAffine}: ImageDataGenerator's names and meanings, camel-cased. */
export interface RandomAffineOptions {
  /** Rotation drawn uniformly in ±rotationRange degrees. Keras ImageDataGenerator: `rotation_range`. @defaultValue 0 */
  rotationRange?: number;
  /**
   * Horizontal shift in ±range: a fraction of the width when < 1, pixels otherwise. Keras ImageDataGenerator:
   * `width_shift_range`.
   * @defaultValue 0
   */
  widthShiftRange?: number;
  /**
   * Vertical shift in ±range: a fraction of the height when < 1, pixels otherwise. Keras ImageDataGenerator:
   * `height_shift_range`.
   * @defaultValue 0
   */
  heightShiftRange?: number;
  /**
   * Zoom factors drawn in [1 - z, 1 + z] for a number z, or in [lo, hi]; > 1 shrinks the content (as Keras).
   * Keras ImageDataGenerator: `zoom_range`.
   * @defaultValue 0
   */
  zoomRange?: number | [number, number];
  /**
   * Draw one zoom factor for both axes instead of independent zx, zy (Keras draws them independently).
   * @defaultValue false
   */
  sameZoom?: boolean;
  /** Shear angle drawn in ±shearRange degrees. Keras ImageDataGenerator: `shear_range`. @defaultValue 0 */
  shearRange?: number;
  /** Mirror left-right with probability 1/2. Keras ImageDataGenerator: `horizontal_flip`. @defaultValue false */
  horizontalFlip?: boolean;
  /** Mirror top-bottom with probability 1/2. Keras ImageDataGenerator: `vertical_flip`. @defaultValue false */
  verticalFlip?: boolean;
  /**
   * How points outside the image are filled. Keras ImageDataGenerator: `fill_mode`.
   * @defaultValue 'nearest' (as ImageDataGenerator)
   */
  fillMode?: 'constant' | 'reflect' | 'wrap' | 'nearest';
  /** Fill value for fillMode 'constant' (Keras' cval). Keras ImageDataGenerator: `cval`. @defaultValue 0 */
  fillValue?: number;
  /** Resampling; 'bilinear' is Keras' order-1 spline. @defaultValue 'bilinear' */
  interpolation?: 'nearest' | 'bilinear';
  /** Probability that a sample is transformed at all. @defaultValue 1 */
  p?: number;
  /** Seed of the parameters drawn when none are given. @defaultValue a fresh random seed */
  seed?: number;
}

/** randomAffine's option names (also `layers.randomAffine`'s). @internal */
export const RANDOM_AFFINE_OPTIONS: readonly (keyof RandomAffineOptions & string)[] =
  optionNames<RandomAffineOptions>()(
    'rotationRange',
    'widthShiftRange',
    'heightShiftRange',
    'zoomRange',
    'sameZoom',
    'shearRange',
    'horizontalFlip',
    'verticalFlip',
    'fillMode',
    'fillValue',
    'interpolation',
    'p',
    'seed',
  );

/** Per-sample parameters of {@link randomAffine} (Keras' `get_random_transform` names, tx/ty in pixels). */
export interface AffineSampleParams {
  theta: number;
  tx: number;
  ty: number;
  shear: number;
  zx: number;
  zy: number;
  flipHorizontal: boolean;
  flipVertical: boolean;
}

/** Parameters of one {@link randomAffine} call: one entry per sample, `null` where the sample is left as is. */
export interface RandomAffineParams {
  samples: Array<AffineSampleParams | null>;
}

function matrixOf(s: AffineSampleParams | null, info: BatchInfo): number[] {
  if (s === null) return [...IDENTITY_3X3];
  const k = kerasTransformMatrix(
    { theta: s.theta, tx: s.tx, ty: s.ty, shear: s.shear, zx: s.zx, zy: s.zy },
    info.height,
    info.width,
  );
  const m = [k[0]!, k[1]!, k[2]!, k[3]!, k[4]!, k[5]!, 0, 0, 1];
  // ImageDataGenerator flips after the affine warp: output (x, y) reads the warped image at the mirrored point.
  const fx = s.flipHorizontal ? [-1, 0, info.width - 1] : [1, 0, 0];
  const fy = s.flipVertical ? [0, -1, info.height - 1] : [0, 1, 0];
  return matMul3(m, [...fx, ...fy, 0, 0, 1]);
}

/**
 * Keras' `ImageDataGenerator` geometric augmentation on whole batches, on the device: per sample a
 * rotation, shift, shear, zoom and flips are drawn, composed into ONE matrix (Keras' own
 * `apply_affine_transform` matrix, see {@link kerasTransformMatrix}) and resampled in one pass by
 * {@link affineTransform}. The notebook's generator is
 * `randomAffine({ rotationRange: 30, widthShiftRange: 0.1, heightShiftRange: 0.1, zoomRange: 0.2 })`.
 *
 * One deliberate difference: Keras >= 2.9 moves images horizontally by `height_shift_range` and
 * vertically by `width_shift_range` (an axis swap in its matrix code); here each range shifts along
 * its own axis. With equal ranges (as in the notebook) the two draw the same distribution.
 *
 * @param options - ImageDataGenerator's options, camel-cased, plus `p` and `seed`.
 * @returns An {@link Augmentation}; labels pass through unchanged (cloned).
 * @throws Error naming `randomAffine`, the option and the value for bad options.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { randomAffine } from 'tfjs-regularization/augment';
 *
 * const notebook = { rotationRange: 30, widthShiftRange: 0.1, heightShiftRange: 0.1, zoomRange: 0.2 };
 * const aug = randomAffine({ ...notebook, seed: 7 });
 * const out = aug({ images: tf.ones([4, 28, 28, 1]) as tf.Tensor4D });
 * console.log(out.images.shape.join('x'), tf.max(out.images).dataSync()[0]); // 4x28x28x1 1
 * console.log(aug.lastParams!.samples.every((s) => s !== null && Math.abs(s.theta) <= 30)); // true
 * ```
 */
export function randomAffine(options?: RandomAffineOptions): Augmentation<RandomAffineParams> {
  return namedRandomAffine('randomAffine', options);
}

/**
 * {@link randomAffine} for a caller with another public name (`layers.randomAffine`): the same
 * checks, with errors naming `fn`.
 * @internal
 */
export function namedRandomAffine(
  fn: string,
  options: RandomAffineOptions | undefined,
): Augmentation<RandomAffineParams> {
  const o = checkOptions<RandomAffineOptions>(fn, options, RANDOM_AFFINE_OPTIONS);
  const rotation = checkNonNegative(fn, 'rotationRange', o.rotationRange ?? 0);
  const widthShift = checkFloat32(fn, 'widthShiftRange', o.widthShiftRange ?? 0, 0);
  const heightShift = checkFloat32(fn, 'heightShiftRange', o.heightShiftRange ?? 0, 0);
  const shear = checkNonNegative(fn, 'shearRange', o.shearRange ?? 0);
  const zoom = o.zoomRange ?? 0;
  let zoomLo: number;
  let zoomHi: number;
  if (typeof zoom === 'number') {
    checkNonNegative(fn, 'zoomRange', zoom);
    [zoomLo, zoomHi] = [1 - zoom, 1 + zoom];
  } else if (Array.isArray(zoom) && zoom.length === 2) {
    [zoomLo, zoomHi] = [checkNonNegative(fn, 'zoomRange[0]', zoom[0]), checkNonNegative(fn, 'zoomRange[1]', zoom[1])];
    if (zoomLo > zoomHi) throw invalidArgument(fn, 'zoomRange', zoom, '[lo, hi] with lo <= hi');
  } else {
    throw invalidArgument(fn, 'zoomRange', zoom, 'a number or a [lo, hi] pair');
  }
  if (!(zoomLo > 0)) throw invalidArgument(fn, 'zoomRange', zoom, 'a range of positive factors (zoom < 1 as a number)');
  const [hFlip, vFlip, sameZoom] = (['horizontalFlip', 'verticalFlip', 'sameZoom'] as const).map((k) =>
    checkBoolean(fn, k, o[k] ?? false),
  ) as [boolean, boolean, boolean];
  const resampling = checkResampleOptions(fn, o, 'nearest');
  const p = checkProbability(fn, o.p ?? 1);
  const affine: AffineView<RandomAffineParams> = {
    resampling,
    matrices: (params, info) => params.samples.map((s) => matrixOf(s, info)),
  };

  return defineAugmentation<RandomAffineParams>({
    name: fn,
    seed: o.seed,
    sample: (info, rng) => ({
      samples: Array.from({ length: info.batchSize }, () => {
        // Always draw the full set, so that p only decides and does not shift the random stream.
        const theta = rotation ? rng.uniform(-rotation, rotation) : 0;
        const tx = widthShift ? rng.uniform(-widthShift, widthShift) * (widthShift < 1 ? info.width : 1) : 0;
        const ty = heightShift ? rng.uniform(-heightShift, heightShift) * (heightShift < 1 ? info.height : 1) : 0;
        const sh = shear ? rng.uniform(-shear, shear) : 0;
        const zx = zoomLo === 1 && zoomHi === 1 ? 1 : rng.uniform(zoomLo, zoomHi);
        const zy = zoomLo === 1 && zoomHi === 1 ? 1 : sameZoom ? zx : rng.uniform(zoomLo, zoomHi);
        const flipHorizontal = hFlip && rng.bernoulli(0.5);
        const flipVertical = vFlip && rng.bernoulli(0.5);
        const applied = rng.bernoulli(p);
        return applied ? { theta, tx, ty, shear: sh, zx, zy, flipHorizontal, flipVertical } : null;
      }),
    }),
    checkParams: (params, info) => {
      const samples = checkParamsObject(fn, params, '{samples}')['samples'];
      if (!Array.isArray(samples) || samples.length !== info.batchSize) {
        throw invalidArgument(
          fn,
          'params.samples',
          Array.isArray(samples) ? samples.length : samples,
          `${info.batchSize} entries (one per image)`,
        );
      }
      samples.forEach((s, i) => {
        if (s !== null && !isSample(s))
          throw invalidArgument(
            fn,
            `params.samples[${i}]`,
            s,
            `null or {${SAMPLE_KEYS.join(', ')}} (finite numbers, booleans for the flips)`,
          );
      });
    },
    apply: (batch, params, info) => ({
      images: affineTransform(batch.images, affine.matrices(params, info).map(toTransformRow), resampling),
      ...passLabels(batch),
    }),
    affine,
  });
}

const SAMPLE_TYPES = {
  theta: 'number',
  tx: 'number',
  ty: 'number',
  shear: 'number',
  zx: 'number',
  zy: 'number',
  flipHorizontal: 'boolean',
  flipVertical: 'boolean',
} as const satisfies Record<keyof AffineSampleParams, string>;
const SAMPLE_KEYS = Object.keys(SAMPLE_TYPES) as (keyof AffineSampleParams)[];

function isSample(s: unknown): s is AffineSampleParams {
  if (s == null || typeof s !== 'object') return false;
  const r = s as Record<string, unknown>;
  return SAMPLE_KEYS.every((k) => (SAMPLE_TYPES[k] === 'boolean' ? typeof r[k] === 'boolean' : Number.isFinite(r[k])));
}
