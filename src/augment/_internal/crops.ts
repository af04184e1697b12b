import { invalidArgument } from '../../core/validate.js';
import type { BatchInfo } from '../augmentation.js';

/** The output size option pair of the crops: both or neither (then the input's size). */
export function checkCropSize(fn: string, height: unknown, width: unknown): [number, number] | undefined {
  if (height === undefined && width === undefined) return undefined;
  const side = (v: unknown) => Number.isSafeInteger(v) && (v as number) >= 1;
  if (!side(height)) throw invalidArgument(fn, 'height', height, 'an integer >= 1 (given with width)');
  if (!side(width)) throw invalidArgument(fn, 'width', width, 'an integer >= 1 (given with height)');
  return [height as number, width as number];
}

/** A list in params of one integer per image, each within [0, max]. */
export function checkOffsets(fn: string, arg: string, value: unknown, info: BatchInfo, max: number): void {
  const ok = (v: unknown) => Number.isInteger(v) && (v as number) >= 0 && (v as number) <= max;
  if (!Array.isArray(value) || value.length !== info.batchSize || !value.every(ok)) {
    throw invalidArgument(fn, arg, value, `${info.batchSize} integers in [0, ${max}] (one per image)`);
  }
}

/** Python's round(), half to even, as torchvision's box sizes are rounded. */
export function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}
