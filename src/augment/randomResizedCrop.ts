import { checkOneOf, checkOptions, checkProbability, invalidArgument, optionNames } from '../core/validate.js';
import type { AffineView } from './_internal/affineFusion.js';
import { checkParamsObject, passLabels } from './_internal/batch.js';
import { checkRange } from './_internal/boxes.js';
import { checkCropSize, roundHalfEven } from './_internal/crops.js';
import { defineAugmentation } from './_internal/defineAugmentation.js';
import type { ResampleOptions } from './_internal/resample/options.js';
import type { RandomGenerator } from '../core/random.js';
import type { Augmentation, BatchInfo } from './augmentation.js';
import { resizedCrop, resizedCropMatrices } from './functional/resizedCrop.js';

/** Options of {@link randomResizedCrop}: torchvision `RandomResizedCrop`'s, camel-cased. */
export interface RandomResizedCropOptions {
  /** Output height, given with `width`. torchvision RandomResizedCrop: `size[0]`. @defaultValue the input's height */
  height?: number;
  /** Output width, given with `height`. torchvision RandomResizedCrop: `size[1]`. @defaultValue the input's width */
  width?: number;
  /**
   * `[min, max]` of the box area as a fraction of the image area, drawn uniformly. torchvision: `scale`.
   * @defaultValue [0.08, 1]
   */
  scale?: [number, number];
  /**
   * `[min, max]` of the box aspect ratio width / height, drawn log-uniformly. torchvision: `ratio`.
   * @defaultValue [3/4, 4/3]
   */
  ratio?: [number, number];
  /**
   * How the box is resized: `'bilinear'`, or `'nearest'` (torch's `'nearest-exact'`, TensorFlow's resize). torchvision:
   * `interpolation`.
   * @defaultValue 'bilinear'
   */
  interpolation?: 'bilinear' | 'nearest';
  /** Probability that an image gets a random box; the others are resized whole. @defaultValue 1 */
  p?: number;
  /** Seed of the generator the parameters are drawn from. @defaultValue a fresh random seed */
  seed?: number;
}

const RANDOM_RESIZED_CROP_OPTIONS = optionNames<RandomResizedCropOptions>()(
  'height',
  'width',
  'scale',
  'ratio',
  'interpolation',
  'p',
  'seed',
);

/** Parameters of one {@link randomResizedCrop} call: per image its box `[top, left, height, width]` in pixels. */
export interface RandomResizedCropParams {
  /** torchvision's `(i, j, h, w)`: integers with the box inside the image. */
  boxes: [number, number, number, number][];
}

/**
 * torchvision v2's `RandomResizedCrop` (the Inception / ImageNet crop): per image a box of random area (`scale` of the
 * image) and aspect ratio (`ratio`, log-uniform) is drawn exactly as torchvision draws it (ten attempts, sizes rounded
 * half to even as Python's `round`, a uniformly placed box, else its centre-crop fallback), in JavaScript, and the box
 * is resized to `height` × `width`.
 *
 * The resize follows torchvision's convention, the crop box's pixel edges map onto the output's (output pixel x
 * reads `left + (x + ½) · boxWidth / width − ½`, as `tf.image.resize` and torch's `align_corners=False`), and it
 * is one affine resampling of the whole image ({@link resizedCrop} with the drawn boxes), so in a {@link pipeline} it
 * fuses with neighbouring affine steps. Two deliberate differences from torchvision: no antialiasing filter when
 * shrinking (torchvision's `antialias=False`), and where the box is enlarged, the outermost half pixel blends with the
 * pixels just outside the box (torchvision clamps at the box's edge; both clamp at the image's). `docs/augment.md`
 * has the reference checks. Masks follow with nearest sampling; labels pass through unchanged.
 *
 * @param options - `height`, `width`, `scale`, `ratio`, `interpolation`, `p`, `seed`.
 * @returns An {@link Augmentation} with {@link RandomResizedCropParams}; its images are `height` × `width`.
 * @throws Error naming `randomResizedCrop`, the option and the value for bad options.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { randomResizedCrop } from 'tfjs-regularization/augment';
 *
 * const crop = randomResizedCrop({ height: 24, width: 24, seed: 2 });
 * const out = crop({ images: tf.ones([4, 32, 32, 3]) as tf.Tensor4D });
 * console.log(out.images.shape.join('x')); // 4x24x24x3
 * const areas = crop.lastParams!.boxes.map(([, , h, w]) => (h * w) / (32 * 32));
 * console.log(areas.every((a) => a > 0.06 && a <= 1)); // true
 * // A 2 x 2 box doubled, pixel edges on pixel edges (tf.image.resize's half-pixel centres):
 * const double = randomResizedCrop({ height: 4, width: 4 });
 * const big = double.apply({ images: tf.tensor4d([0, 1, 2, 3], [1, 2, 2, 1]) }, { boxes: [[0, 0, 2, 2]] });
 * console.log(Array.from(big.images.dataSync()).slice(0, 4).join(',')); // 0,0.25,0.75,1
 * ```
 */
export function randomResizedCrop(options?: RandomResizedCropOptions): Augmentation<RandomResizedCropParams> {
  const fn = 'randomResizedCrop';
  const o = checkOptions<RandomResizedCropOptions>(fn, options, RANDOM_RESIZED_CROP_OPTIONS);
  const size = checkCropSize(fn, o.height, o.width);
  const scale = checkRange(fn, 'scale', o.scale ?? [0.08, 1], Infinity);
  const ratio = checkRange(fn, 'ratio', o.ratio ?? [3 / 4, 4 / 3], Infinity);
  const interpolation = checkOneOf(fn, 'interpolation', o.interpolation ?? 'bilinear', [
    'bilinear',
    'nearest',
  ] as const);
  const p = checkProbability(fn, o.p ?? 1);
  // The box lies inside the image; 'nearest' clamps the half pixel beyond its edge at the image's border, as torch,
  // and is resizedCrop's resampling, so a fused group applies the same map as resizedCrop.
  const resampling: ResampleOptions = { interpolation, fillMode: 'nearest', fillValue: 0 };
  const sizeOf = (info: BatchInfo): [number, number] => size ?? [info.height, info.width];
  const affine: AffineView<RandomResizedCropParams> = {
    resampling,
    matrices: (params, info) => resizedCropMatrices(params.boxes, sizeOf(info)),
  };
  return defineAugmentation<RandomResizedCropParams>({
    name: fn,
    seed: o.seed,
    sample: (info, rng) => ({
      boxes: Array.from({ length: info.batchSize }, () => {
        const box = sampleBox(info.height, info.width, scale, ratio, rng);
        // Drawn after the box, always, so that p only decides and does not shift the random stream.
        return rng.bernoulli(p) ? box : [0, 0, info.height, info.width];
      }),
    }),
    checkParams: (params, info) => {
      const boxes = checkParamsObject(fn, params, '{boxes}')['boxes'];
      const inside = (b: unknown) =>
        Array.isArray(b) &&
        b.length === 4 &&
        b.every(Number.isInteger) &&
        b[0] >= 0 &&
        b[1] >= 0 &&
        b[2] >= 1 &&
        b[3] >= 1 &&
        b[0] + b[2] <= info.height &&
        b[1] + b[3] <= info.width;
      if (!Array.isArray(boxes) || boxes.length !== info.batchSize || !boxes.every(inside)) {
        throw invalidArgument(
          fn,
          'params.boxes',
          boxes,
          `${info.batchSize} boxes [top, left, height, width] of integers inside the ${info.height} x ${info.width} image`,
        );
      }
    },
    // Declared only when the size is given: a pad-and-crop keeps the size (and fits in a combinator).
    ...(size ? { outputSize: sizeOf } : {}),
    apply: (batch, params, info) => ({
      images: resizedCrop(batch.images, { boxes: params.boxes, size: sizeOf(info), interpolation }),
      ...passLabels(batch),
    }),
    affine,
  });
}

/** torchvision's `RandomResizedCrop.get_params`: ten attempts, then the centre crop clamped to the ratio range. */
function sampleBox(
  height: number,
  width: number,
  scale: readonly [number, number],
  ratio: readonly [number, number],
  rng: RandomGenerator,
): [number, number, number, number] {
  const area = height * width;
  const [logLo, logHi] = [Math.log(ratio[0]), Math.log(ratio[1])];
  for (let attempt = 0; attempt < 10; attempt++) {
    const target = area * rng.uniform(scale[0], scale[1]);
    const aspect = Math.exp(rng.uniform(logLo, logHi));
    const w = roundHalfEven(Math.sqrt(target * aspect));
    const h = roundHalfEven(Math.sqrt(target / aspect));
    if (w > 0 && w <= width && h > 0 && h <= height) {
      return [rng.integer(height - h + 1), rng.integer(width - w + 1), h, w];
    }
  }
  const inRatio = width / height;
  let [h, w] = [height, width];
  if (inRatio < ratio[0]) h = roundHalfEven(w / ratio[0]);
  else if (inRatio > ratio[1]) w = roundHalfEven(h * ratio[1]);
  // A ratio range far from the image's can round a side to 0; one pixel is the least box there is.
  [h, w] = [Math.max(1, Math.min(h, height)), Math.max(1, Math.min(w, width))];
  return [Math.floor((height - h) / 2), Math.floor((width - w) / 2), h, w];
}
