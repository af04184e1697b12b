import { Sfc32 } from './sfc32.js';
import { checkInteger, checkPositive, invalidArgument } from './validate.js';

/**
 * The seeded source of randomness every augmentation samples its parameters from. Plain
 * JavaScript numbers, so the same seed gives the same parameters, hence the same augmented images,
 * on every backend.
 */
export interface RandomGenerator {
  /** The seed it was created with. */
  readonly seed: number;
  /** Uniform in [low, high). */
  uniform(low?: number, high?: number): number;
  /** Normal with the given mean and standard deviation. */
  normal(mean?: number, stddev?: number): number;
  /** Integer uniform in [0, n). */
  integer(n: number): number;
  /** True with probability p. */
  bernoulli(p: number): boolean;
  /** Beta(alpha, beta) (mixup and cutmix's λ). */
  beta(alpha: number, beta: number): number;
  /** A uniformly random permutation of 0..n-1 (Fisher-Yates). */
  permutation(n: number): number[];
  /** A new 32-bit seed drawn from this generator, for seeding tensor ops or a child generator. */
  nextSeed(): number;
}

/**
 * Creates a seeded random generator (sfc32). No augmentation in this library calls `Math.random`:
 * all randomness flows from generators like this one.
 *
 * @param seed - An integer; equal seeds give equal sequences.
 * @returns A {@link RandomGenerator}.
 * @throws Error naming `randomGenerator`, `seed` and the value when the seed is not an integer.
 *
 * @example
 * ```ts
 * import { randomGenerator } from 'tfjs-regularization/augment';
 *
 * const a = randomGenerator(42);
 * const b = randomGenerator(42);
 * console.log(a.uniform() === b.uniform()); // true
 * console.log(a.permutation(5).slice().sort().join(',')); // 0,1,2,3,4
 * ```
 */
export function randomGenerator(seed: number): RandomGenerator {
  checkInteger('randomGenerator', 'seed', seed);
  const core = new Sfc32(seed);
  return {
    seed,
    uniform: (low = 0, high = 1) => low + (high - low) * core.next(),
    normal: (mean = 0, stddev = 1) => mean + stddev * core.normal(),
    integer: (n) => {
      if (!Number.isInteger(n) || n <= 0)
        throw invalidArgument('RandomGenerator.integer', 'n', n, 'a positive integer');
      return Math.floor(core.next() * n);
    },
    bernoulli: (p) => core.next() < p,
    beta: (alpha, beta) => {
      checkPositive('RandomGenerator.beta', 'alpha', alpha);
      checkPositive('RandomGenerator.beta', 'beta', beta);
      const x = core.gamma(alpha);
      const y = core.gamma(beta);
      return x / (x + y);
    },
    permutation: (n) => {
      const out = Array.from({ length: n }, (_, i) => i);
      for (let i = n - 1; i > 0; i--) {
        const j = Math.floor(core.next() * (i + 1));
        [out[i], out[j]] = [out[j]!, out[i]!];
      }
      return out;
    },
    nextSeed: () => core.uint32(),
  };
}

/** A seed for callers who gave none: from the platform's CSPRNG, never Math.random. */
export function freshSeed(): number {
  const c = (globalThis as { crypto?: { getRandomValues?: (a: Uint32Array) => Uint32Array } }).crypto;
  if (c?.getRandomValues) return c.getRandomValues(new Uint32Array(1))[0]!;
  return Date.now() >>> 0;
}

/**
 * A 32-bit seed as tfjs' seeded ops take it, in [1, 2^31): `tf.randomNormal` treats 0 as
 * "unseeded" and would then draw from Math.random.
 */
export function tfSeed(seed: number): number {
  return seed % 2 ** 31 || 1;
}
