import type { BatchInfo } from '../augmentation.js';
import type { ResampleOptions } from './resample/options.js';

/**
 * The matrix view of an affine augmentation, read by `pipeline` to fuse consecutive affine steps
 * into a single matrix per sample (one resampling pass, no double blur).
 */
export interface AffineView<P> {
  resampling: ResampleOptions;
  /**
   * The step maps whole pixels to whole pixels (a flip, a crop), so any interpolation gives it the
   * same result: it fuses with neighbours that interpolate otherwise, and a group of only such
   * steps samples the cheapest way, nearest.
   */
  wholePixels?: boolean;
  /** The step reads only inside its input (a flip, a crop without padding), so its fill never shows: it takes any. */
  inside?: boolean;
  /** Per sample, the 3×3 row-major matrix mapping output (x, y, 1) to input (x', y', 1). */
  matrices(params: P, info: BatchInfo): number[][];
}

export const IDENTITY_3X3: readonly number[] = [1, 0, 0, 0, 1, 0, 0, 0, 1];

/** 3×3 row-major product a·b: sampling through a after b means output→input map a(b(p)). */
export function matMul3(a: readonly number[], b: readonly number[]): number[] {
  const out = new Array<number>(9);
  for (let r = 0; r < 3; r++) {
    for (let c = 0; c < 3; c++) {
      out[r * 3 + c] = a[r * 3]! * b[c]! + a[r * 3 + 1]! * b[3 + c]! + a[r * 3 + 2]! * b[6 + c]!;
    }
  }
  return out;
}

/** tf.image.transform's 8-vector from a 3×3 matrix (normalised so the last entry is 1). */
export function toTransformRow(m: readonly number[]): number[] {
  const k = m[8]!;
  return [m[0]! / k, m[1]! / k, m[2]! / k, m[3]! / k, m[4]! / k, m[5]! / k, m[6]! / k, m[7]! / k];
}
