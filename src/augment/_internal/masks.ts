import { cast } from '@tensorflow/tfjs-core';
import type { Tensor2D, Tensor4D } from '@tensorflow/tfjs-core';
import type { ResampleOptions } from './resample/options.js';
import { resample, resampleAt } from './resample/resample.js';

/**
 * How every geometric step samples masks: nearest, so that a class id is never blended with its
 * neighbour, and 0 (background) wherever a point falls outside the mask, whatever the images' fill.
 */
export const MASK_RESAMPLING: ResampleOptions = { interpolation: 'nearest', fillMode: 'constant', fillValue: 0 };

/**
 * Runs a float32 sampler on masks of either dtype: nearest sampling only copies values, so int32
 * class ids (below 2^24) come back exactly.
 */
function onFloat(masks: Tensor4D, sampler: (m: Tensor4D) => Tensor4D): Tensor4D {
  if (masks.dtype === 'float32') return sampler(masks);
  return cast(sampler(cast(masks, 'float32')), 'int32');
}

/** Masks moved by checked transform rows (the images' own), to an output of `size`; in the caller's tidy. */
export function warpMasks(
  masks: Tensor4D,
  rows: readonly (readonly number[])[],
  size: readonly [number, number],
): Tensor4D {
  return onFloat(masks, (m) => resample(m, rows, { ...MASK_RESAMPLING, outHeight: size[0], outWidth: size[1] }));
}

/** Masks read at the sampler's points (laid out as for resampleAt, same size as the input); in the caller's tidy. */
export function warpMasksAt(masks: Tensor4D, xy: Tensor2D): Tensor4D {
  const [, h, w] = masks.shape;
  return onFloat(masks, (m) => resampleAt(m, xy, { ...MASK_RESAMPLING, outHeight: h, outWidth: w }));
}
