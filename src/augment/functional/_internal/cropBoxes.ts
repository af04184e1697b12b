import { describeValue, invalidArgument } from '../../../core/validate.js';

/** A crop box per image, torchvision's `(top, left, height, width)` in pixels. */
export type CropBox = [number, number, number, number];

/**
 * A crop's per-image integer: one safe integer for the batch or an array of one per image, each at least `min`.
 * No tensors: the boxes shape the sampling map, which is built in JavaScript (reading a tensor would stall the device).
 */
export function perImageIntegers(fn: string, arg: string, value: unknown, batch: number, min: number): number[] {
  const ok = (v: unknown) => Number.isSafeInteger(v) && (v as number) >= min;
  const what = min === -Infinity ? 'an integer' : `an integer >= ${min}`;
  if (ok(value)) return new Array<number>(batch).fill(value as number);
  const expected = `${what} or an array of ${batch} of them (one per image)`;
  if (!Array.isArray(value)) throw invalidArgument(fn, arg, value, expected);
  if (value.length !== batch) {
    throw new Error(`${fn}: ${arg} must be ${expected}, got ${value.length} values: ${describeValue(value)}`);
  }
  value.forEach((v, i) => {
    if (!ok(v)) throw invalidArgument(fn, `${arg}[${i}]`, v, what);
  });
  return value as number[];
}

/** An output size option: `[height, width]`, two integers >= 1. */
export function checkSize(fn: string, arg: string, value: unknown): [number, number] {
  const side = (v: unknown) => Number.isSafeInteger(v) && (v as number) >= 1;
  if (!Array.isArray(value) || value.length !== 2 || !value.every(side)) {
    throw invalidArgument(fn, arg, value, '[height, width], two integers >= 1');
  }
  return [value[0] as number, value[1] as number];
}
