import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { generatorState, randomGenerator, uint32s } from '../../src/core/random.js';
import type { RandomGenerator } from '../../src/core/random.js';

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

  it('keeps the streams of seeds in [0, 2^32) as version 0.1 drew them', () => {
    const first = (seed: number) => {
      const r = randomGenerator(seed);
      return [r.nextSeed(), r.nextSeed(), r.nextSeed()];
    };
    expect(first(0)).toEqual([4205396811, 3543653536, 1222415357]);
    expect(first(1)).toEqual([1828152527, 3394835397, 2967886022]);
    expect(first(42)).toEqual([1028872839, 2516511472, 400437680]);
    expect(first(2 ** 32 - 1)).toEqual([1413747962, 91561161, 3282502067]);
  });

  it('gives every safe integer seed its own stream: none collides modulo 2^32, negatives included', () => {
    const stream = (seed: number) => {
      const r = randomGenerator(seed);
      return Array.from({ length: 4 }, () => r.nextSeed()).join(',');
    };
    for (const [a, b] of [
      [0, 2 ** 32],
      [-1, 2 ** 32 - 1],
      [-(2 ** 32), 0],
      [1, 1 - 2 ** 32],
      [Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER - 2 ** 32],
      [Number.MIN_SAFE_INTEGER, Number.MIN_SAFE_INTEGER + 2 ** 32],
    ]) {
      expect(stream(a!), `${a} vs ${b}`).not.toBe(stream(b!));
    }
    fc.assert(
      fc.property(
        fc.integer({ min: -(2 ** 20), max: 2 ** 20 - 1 }),
        fc.integer({ min: 0, max: 2 ** 32 - 1 }),
        fc.integer({ min: -(2 ** 20), max: 2 ** 20 - 1 }).filter((k) => k !== 0),
        (high, low, k) => {
          const seed = high * 2 ** 32 + low;
          expect(stream(seed)).not.toBe(stream(seed + k * 2 ** 32));
        },
      ),
    );
    // 20,000 distinct seeds across the whole range: 20,000 distinct streams.
    const seeds = new Set(fc.sample(fc.maxSafeInteger(), { numRuns: 20_000, seed: 1 }));
    expect(new Set([...seeds].map(stream)).size).toBe(seeds.size);
  });

  it('rejects seeds that are not safe integers, naming randomGenerator', () => {
    for (const bad of [1.5, 2 ** 53, -(2 ** 53), 1e300, Number.NaN, Infinity, '1', null]) {
      expect(() => randomGenerator(bad as number)).toThrow(
        `randomGenerator: seed must be a safe integer (|seed| <= 2^53 - 1), got ${bad === '1' ? '"1"' : String(bad)}`,
      );
    }
  });

  it.each([
    [
      'integer',
      (r: RandomGenerator) => r.integer(0),
      'RandomGenerator.integer: n must be an integer in [1, 2^32], got 0',
    ],
    [
      'integer',
      (r: RandomGenerator) => r.integer(2.5),
      'RandomGenerator.integer: n must be an integer in [1, 2^32], got 2.5',
    ],
    [
      'integer',
      (r: RandomGenerator) => r.integer(2 ** 33),
      'RandomGenerator.integer: n must be an integer in [1, 2^32]',
    ],
    [
      'permutation',
      (r: RandomGenerator) => r.permutation(2.5),
      'RandomGenerator.permutation: n must be an integer in [0, 2^32 - 1], got 2.5',
    ],
    [
      'permutation',
      (r: RandomGenerator) => r.permutation(-1),
      'RandomGenerator.permutation: n must be an integer in [0, 2^32 - 1], got -1',
    ],
    ['permutation', (r: RandomGenerator) => r.permutation('3' as unknown as number), 'got "3"'],
    [
      'uniform',
      (r: RandomGenerator) => r.uniform(2, 1),
      'RandomGenerator.uniform: low and high must be finite numbers with low <= high, got 2 and 1',
    ],
    ['uniform', (r: RandomGenerator) => r.uniform(0, Infinity), 'got 0 and Infinity'],
    ['uniform', (r: RandomGenerator) => r.uniform(-Number.MAX_VALUE, Number.MAX_VALUE), 'low <= high'],
    [
      'normal',
      (r: RandomGenerator) => r.normal(0, -1),
      'RandomGenerator.normal: stddev must be a finite number >= 0, got -1',
    ],
    [
      'normal',
      (r: RandomGenerator) => r.normal(Number.NaN),
      'RandomGenerator.normal: mean must be a finite number, got NaN',
    ],
    [
      'bernoulli',
      (r: RandomGenerator) => r.bernoulli(1.5),
      'RandomGenerator.bernoulli: p must be a probability in [0, 1], got 1.5',
    ],
    ['bernoulli', (r: RandomGenerator) => r.bernoulli('0.5' as unknown as number), 'got "0.5"'],
    ['beta', (r: RandomGenerator) => r.beta(0, 1), 'RandomGenerator.beta: alpha must be a finite number > 0, got 0'],
  ])('%s validates its arguments: %s', (_name, call, message) => {
    expect(() => call(randomGenerator(1))).toThrow(message);
  });

  it('accepts the edges of its ranges', () => {
    const r = randomGenerator(3);
    expect(r.permutation(0)).toEqual([]);
    expect(r.integer(1)).toBe(0);
    expect(r.uniform(2, 2)).toBe(2);
    expect(r.normal(5, 0)).toBe(5);
    expect(r.bernoulli(0)).toBe(false);
    expect(r.bernoulli(1)).toBe(true);
    expect(r.integer(2 ** 32)).toBeLessThan(2 ** 32);
  });
});

describe('uint32s', () => {
  it('gives the words uniform() would have drawn, and leaves the stream where those draws would (property)', () => {
    fc.assert(
      fc.property(fc.integer(), fc.integer({ min: 0, max: 300 }), fc.integer({ min: 0, max: 5 }), (seed, n, before) => {
        const [bulk, oneByOne] = [randomGenerator(seed), randomGenerator(seed)];
        for (let i = 0; i < before; i++) expect(bulk.uniform()).toBe(oneByOne.uniform());
        const words = Array.from(uint32s(bulk, n));
        expect(words).toEqual(Array.from({ length: n }, () => oneByOne.uniform() * 2 ** 32));
        expect(generatorState(bulk)).toEqual(generatorState(oneByOne));
        expect([bulk.uniform(), bulk.normal(), bulk.integer(7)]).toEqual([
          oneByOne.uniform(),
          oneByOne.normal(),
          oneByOne.integer(7),
        ]);
      }),
    );
  });

  it('rejects a generator it did not make', () => {
    const fake = { ...randomGenerator(1) };
    expect(() => uint32s(fake, 3)).toThrow('uint32s: not a generator made by randomGenerator');
  });
});
