import { Sfc32 } from './sfc32.js';
import { checkNonNegative, checkPositive, checkProbability, describeValue, invalidArgument } from './validate.js';

/**
 * A seed: a safe integer (|seed| ≤ 2^53 - 1). Every seed has a stream of its own: none is another
 * modulo 2^32, and negative ones are not their two's complement.
 */
export function checkSeed(fn: string, arg: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) {
    throw invalidArgument(fn, arg, value, 'a safe integer (|seed| <= 2^53 - 1)');
  }
  return value;
}

const finite = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/**
 * The seeded source of randomness every augmentation samples its parameters from. Plain
 * JavaScript numbers, so the same seed gives the same parameters, hence the same augmented images,
 * on every backend.
 */
export interface RandomGenerator {
  /** The seed it was created with. */
  readonly seed: number;
  /** Uniform in [low, high), for finite low <= high. */
  uniform(low?: number, high?: number): number;
  /** Normal with the given finite mean and standard deviation (>= 0). */
  normal(mean?: number, stddev?: number): number;
  /** Integer uniform in [0, n), for an integer n in [1, 2^32]. */
  integer(n: number): number;
  /** True with probability p, in [0, 1]. */
  bernoulli(p: number): boolean;
  /** Beta(alpha, beta) (mixup and cutmix's λ), for finite alpha, beta > 0. */
  beta(alpha: number, beta: number): number;
  /** A uniformly random permutation of 0..n-1 (Fisher-Yates), for an integer n in [0, 2^32 - 1]. */
  permutation(n: number): number[];
  /** A new 32-bit seed drawn from this generator, for seeding tensor ops or a child generator. */
  nextSeed(): number;
}

/**
 * Creates a seeded random generator (sfc32). No augmentation in this library calls `Math.random`:
 * all randomness flows from generators like this one.
 *
 * @param seed - A safe integer (|seed| <= 2^53 - 1); equal seeds give equal sequences, and different
 *   seeds different ones (none collides with another modulo 2^32).
 * @returns A {@link RandomGenerator}, whose methods reject arguments outside their ranges by an
 *   error naming the method (e.g. `RandomGenerator.permutation: n must be ...`).
 * @throws Error naming `randomGenerator`, `seed` and the value when the seed is not a safe integer.
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
  checkSeed('randomGenerator', 'seed', seed);
  const core = new Sfc32(seed);
  const generator: RandomGenerator = {
    seed,
    uniform: (low = 0, high = 1) => {
      if (!finite(low) || !finite(high) || low > high || !Number.isFinite(high - low)) {
        throw new Error(
          `RandomGenerator.uniform: low and high must be finite numbers with low <= high, got ${describeValue(low)} and ${describeValue(high)}`,
        );
      }
      return low + (high - low) * core.next();
    },
    normal: (mean = 0, stddev = 1) => {
      if (!finite(mean)) throw invalidArgument('RandomGenerator.normal', 'mean', mean, 'a finite number');
      checkNonNegative('RandomGenerator.normal', 'stddev', stddev);
      return mean + stddev * core.normal();
    },
    integer: (n) => {
      if (!Number.isInteger(n) || n <= 0 || n > 2 ** 32)
        throw invalidArgument('RandomGenerator.integer', 'n', n, 'an integer in [1, 2^32]');
      return Math.floor(core.next() * n);
    },
    bernoulli: (p) => {
      checkProbability('RandomGenerator.bernoulli', p);
      return core.next() < p;
    },
    beta: (alpha, beta) => {
      checkPositive('RandomGenerator.beta', 'alpha', alpha);
      checkPositive('RandomGenerator.beta', 'beta', beta);
      const x = core.gamma(alpha);
      const y = core.gamma(beta);
      return x / (x + y);
    },
    permutation: (n) => {
      if (!Number.isInteger(n) || n < 0 || n > 2 ** 32 - 1)
        throw invalidArgument('RandomGenerator.permutation', 'n', n, 'an integer in [0, 2^32 - 1]');
      const out = Array.from({ length: n }, (_, i) => i);
      for (let i = n - 1; i > 0; i--) {
        const j = Math.floor(core.next() * (i + 1));
        [out[i], out[j]] = [out[j]!, out[i]!];
      }
      return out;
    },
    nextSeed: () => core.uint32(),
  };
  cores.set(generator, core);
  return generator;
}

/** The engines behind the generators, so that a backup can read and restore a stream's position. */
const cores = new WeakMap<RandomGenerator, Sfc32>();

/**
 * The generator's next `n` draws as 32-bit words: word w is the draw `uniform()` would have returned as
 * w / 2^32, so `w < p · 2^32` decides exactly as `uniform() < p`. For masks of many units at once.
 */
export function uint32s(rng: RandomGenerator, n: number): Uint32Array {
  const core = cores.get(rng);
  if (core === undefined) throw new Error('uint32s: not a generator made by randomGenerator');
  const out = new Uint32Array(n);
  core.fill(out);
  return out;
}

/** Where a generator's stream stands: plain numbers a backup stores as JSON. */
export function generatorState(rng: RandomGenerator): number[] {
  const core = cores.get(rng);
  if (core === undefined) throw new Error('generatorState: not a generator made by randomGenerator()');
  return core.getState();
}

/** Moves a generator's stream to a position {@link generatorState} returned. */
export function restoreGeneratorState(fn: string, rng: RandomGenerator, state: unknown): void {
  const core = cores.get(rng);
  if (core === undefined) throw new Error(`${fn}: not a generator made by randomGenerator()`);
  const words = Array.isArray(state) ? (state as unknown[]) : [];
  const valid =
    (words.length === 4 || words.length === 5) &&
    words.slice(0, 4).every((w) => Number.isInteger(w) && (w as number) >= 0 && (w as number) < 2 ** 32) &&
    (words.length === 4 || Number.isFinite(words[4]));
  if (!valid) throw invalidArgument(fn, 'generator state', state, 'four 32-bit words and an optional kept normal');
  core.setState(words as number[]);
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
