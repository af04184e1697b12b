import type { Augmentation, Batch, BatchInfo } from '../augmentation.js';
import { randomGenerator } from '../../core/random.js';
import type { RandomGenerator } from '../../core/random.js';
import { checkBatch } from './batch.js';
import { invalidArgument } from '../../core/validate.js';

/** A seed for callers who gave none: from the platform's CSPRNG, never Math.random. */
export function freshSeed(): number {
  const c = (globalThis as { crypto?: { getRandomValues?: (a: Uint32Array) => Uint32Array } }).crypto;
  if (c?.getRandomValues) return c.getRandomValues(new Uint32Array(1))[0]!;
  return Date.now() >>> 0;
}

export interface AugmentationParts<P> {
  name: string;
  seed?: number;
  sample(info: BatchInfo, rng: RandomGenerator): P;
  /** Receives a validated batch; must not dispose its inputs. */
  apply(batch: Batch, params: P, info: BatchInfo): Batch;
  /** Checks replayed params against the batch (sizes), throwing a clear error. */
  checkParams?(params: P, info: BatchInfo): void;
}

/** Builds the callable object every augmentation factory returns. */
export function makeAugmentation<P>(parts: AugmentationParts<P>): Augmentation<P> {
  const seed = parts.seed ?? freshSeed();
  if (!Number.isInteger(seed)) throw invalidArgument(parts.name, 'seed', seed, 'an integer');
  const rng = randomGenerator(seed);
  let last: P | undefined;
  const apply = (batch: Batch, params: P): Batch => {
    const info = checkBatch(parts.name, batch);
    parts.checkParams?.(params, info);
    const out = parts.apply(batch, params, info);
    last = params;
    return out;
  };
  const sample = (info: BatchInfo, r?: RandomGenerator): P => parts.sample(info, r ?? rng);
  const aug = ((batch: Batch) => apply(batch, sample(checkBatch(parts.name, batch)))) as Augmentation<P>;
  Object.defineProperties(aug, {
    name: { value: parts.name },
    sample: { value: sample },
    apply: { value: apply },
    rng: { value: rng },
    lastParams: { get: () => last },
  });
  return aug;
}
