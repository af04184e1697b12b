import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { randomGenerator } from '../../src/core/random.js';

describe('randomGenerator', () => {
  it('is deterministic per seed and differs across seeds', () => {
    fc.assert(
      fc.property(fc.integer(), (seed) => {
        const a = randomGenerator(seed);
        const b = randomGenerator(seed);
        const c = randomGenerator(seed + 1);
        const sa = Array.from({ length: 8 }, () => a.uniform());
        expect(Array.from({ length: 8 }, () => b.uniform())).toEqual(sa);
        expect(Array.from({ length: 8 }, () => c.uniform())).not.toEqual(sa);
      }),
    );
  });

  it('draws within range with the right moments (10k samples)', () => {
    const r = randomGenerator(7);
    const n = 10_000;
    const u = Array.from({ length: n }, () => r.uniform(-2, 3));
    expect(Math.min(...u)).toBeGreaterThanOrEqual(-2);
    expect(Math.max(...u)).toBeLessThan(3);
    expect(u.reduce((s, v) => s + v, 0) / n).toBeCloseTo(0.5, 1);
    const g = Array.from({ length: n }, () => r.normal(1, 2));
    const mean = g.reduce((s, v) => s + v, 0) / n;
    const sd = Math.sqrt(g.reduce((s, v) => s + (v - mean) ** 2, 0) / n);
    expect(mean).toBeCloseTo(1, 1);
    expect(sd).toBeGreaterThan(1.9);
    expect(sd).toBeLessThan(2.1);
    // Beta(a, b) has mean a / (a + b).
    const be = Array.from({ length: n }, () => r.beta(0.4, 0.4));
    expect(Math.min(...be)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...be)).toBeLessThanOrEqual(1);
    expect(be.reduce((s, v) => s + v, 0) / n).toBeCloseTo(0.5, 1);
    const b2 = Array.from({ length: n }, () => r.beta(2, 6));
    expect(b2.reduce((s, v) => s + v, 0) / n).toBeCloseTo(0.25, 1);
    const ints = Array.from({ length: n }, () => r.integer(5));
    expect(new Set(ints)).toEqual(new Set([0, 1, 2, 3, 4]));
  });

  it('permutations are permutations', () => {
    fc.assert(
      fc.property(fc.integer(), fc.integer({ min: 0, max: 60 }), (seed, n) => {
        const p = randomGenerator(seed).permutation(n);
        expect([...p].sort((a, b) => a - b)).toEqual(Array.from({ length: n }, (_, i) => i));
      }),
    );
  });

  it('rejects bad input', () => {
    expect(() => randomGenerator(1.5)).toThrow('randomGenerator: seed must be an integer, got 1.5');
    expect(() => randomGenerator(1).integer(0)).toThrow('RandomGenerator.integer: n must be a positive integer, got 0');
    expect(() => randomGenerator(1).beta(0, 1)).toThrow(
      'RandomGenerator.beta: alpha must be a finite number > 0, got 0',
    );
  });
});
