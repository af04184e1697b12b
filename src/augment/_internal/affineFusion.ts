import type { Augmentation, BatchInfo } from '../augmentation.js';
import { checkOneOf, invalidArgument } from '../../core/validate.js';

/** How an affine augmentation resamples: steps with equal settings can share one resampling pass. */
export interface AffineSampling {
  interpolation: 'nearest' | 'bilinear';
  fillMode: 'constant' | 'reflect' | 'wrap' | 'nearest';
  fillValue: number;
}

/**
 * Extra face of an affine augmentation, read by `pipeline` to fuse consecutive affine steps into a
 * single matrix per sample (one resampling pass, no double blur).
 */
export interface AffineFace<P> {
  sampling: AffineSampling;
  /** Per sample, the 3×3 row-major matrix mapping output (x, y, 1) to input (x', y', 1). */
  matrices(params: P, info: BatchInfo): number[][];
}

/**
 * Validates the resampling options shared by every geometric augmentation and layer; only the
 * default fill mode differs (ImageDataGenerator: 'nearest', Keras 3 layers: 'reflect', elastic: 'constant').
 */
export function checkSampling(fn: string, o: Partial<AffineSampling>, defaultFillMode: AffineSampling['fillMode']): AffineSampling {
  const fillValue = o.fillValue ?? 0;
  if (typeof fillValue !== 'number' || !Number.isFinite(fillValue)) throw invalidArgument(fn, 'fillValue', fillValue, 'a finite number');
  return {
    fillMode: checkOneOf(fn, 'fillMode', o.fillMode ?? defaultFillMode, ['constant', 'reflect', 'wrap', 'nearest'] as const),
    interpolation: checkOneOf(fn, 'interpolation', o.interpolation ?? 'bilinear', ['nearest', 'bilinear'] as const),
    fillValue,
  };
}

export const AFFINE_FACE: unique symbol = Symbol.for('tfjs-regularization.affineFace');

export function affineFaceOf<P>(aug: Augmentation<P>): AffineFace<P> | undefined {
  return (aug as unknown as { [AFFINE_FACE]?: AffineFace<P> })[AFFINE_FACE];
}

export function sameSampling(a: AffineSampling, b: AffineSampling): boolean {
  return a.interpolation === b.interpolation && a.fillMode === b.fillMode && a.fillValue === b.fillValue;
}

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
