import { checkOneOf, checkFloat32 } from '../../../core/validate.js';

export type FillMode = 'constant' | 'reflect' | 'wrap' | 'nearest';
export type Interpolation = 'nearest' | 'bilinear';

/** How an image is resampled: steps with equal options can share one resampling pass. */
export interface ResampleOptions {
  interpolation: Interpolation;
  fillMode: FillMode;
  fillValue: number;
}

/** What the resampler needs: the options and the output size. */
export interface ResampleSettings extends ResampleOptions {
  outHeight: number;
  outWidth: number;
}

/**
 * Validates the resampling options shared by every geometric augmentation and layer; only the
 * default fill mode differs (ImageDataGenerator: 'nearest', Keras 3 layers: 'reflect', elastic: 'constant').
 */
export function checkResampleOptions(
  fn: string,
  o: Partial<ResampleOptions>,
  defaultFillMode: FillMode,
): ResampleOptions {
  const fillValue = checkFloat32(fn, 'fillValue', o.fillValue ?? 0);
  return {
    fillMode: checkOneOf(fn, 'fillMode', o.fillMode ?? defaultFillMode, [
      'constant',
      'reflect',
      'wrap',
      'nearest',
    ] as const),
    interpolation: checkOneOf(fn, 'interpolation', o.interpolation ?? 'bilinear', ['nearest', 'bilinear'] as const),
    fillValue,
  };
}

/** Whether two steps resample alike, so that one pass can do both. */
export function sameResampling(a: ResampleOptions, b: ResampleOptions): boolean {
  return a.interpolation === b.interpolation && a.fillMode === b.fillMode && a.fillValue === b.fillValue;
}
