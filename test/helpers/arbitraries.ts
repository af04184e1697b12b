import fc from 'fast-check';

/** Small float32-representable weight vectors (never empty). */
export const weights = (maxLength = 24): fc.Arbitrary<number[]> =>
  fc.array(fc.float({ min: -100, max: 100, noNaN: true, noDefaultInfinity: true }).map(Math.fround), {
    minLength: 1,
    maxLength,
  });

/** Valid regularization rates. */
export const rate: fc.Arbitrary<number> = fc.double({ min: 0, max: 10, noNaN: true });

/** Values that must be rejected as a rate. */
export const badRate: fc.Arbitrary<unknown> = fc.oneof(
  fc.double({ max: -Number.MIN_VALUE, noNaN: true }),
  fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, '0.1', null, true, [0.1], { l2: 1 }),
);

/** |a - b| within a relative float32 tolerance. */
export function close(a: number, b: number, rel = 1e-4, abs = 1e-6): boolean {
  return Math.abs(a - b) <= abs + rel * Math.max(Math.abs(a), Math.abs(b));
}
