import * as tf from '@tensorflow/tfjs-core';
import fc from 'fast-check';
import { expect, it } from 'vitest';
import type { Augmentation, Batch } from '../../src/augment/augmentation.js';
import { generatorState, restoreGeneratorState } from '../../src/core/random.js';
import { expectNoLeaks } from './leaks.js';
import { runs } from './runs.js';

/** What the assertions need to know of the augmentation under test. */
export interface AugmentationSpec {
  /** Builds the augmentation under test with the given probability and seed. */
  make: (p: number, seed: number) => Augmentation;
  /** Batches carry one-hot labels (mix augmentations need them). */
  labels?: boolean;
  numClasses?: number;
  /** Smallest image side the augmentation accepts. */
  minSide?: number;
  /** A fixed channel count (3 for the colour augmentations, which take RGB only); 1 to 3 otherwise. */
  channels?: number;
  /** `[height, width]` of the output, for an augmentation that resizes (a crop); the input's otherwise. */
  outputSize?: [number, number];
}

/**
 * Bounds of the random batches an assertion generates (defaults: 1 to 4 images, sides spec.minSide ?? 2 to 9, 1 to 3
 * channels).
 */
export interface BatchBounds {
  minBatch?: number;
  minSide?: number;
}

const imageBatch = (spec: AugmentationSpec, bounds: BatchBounds = {}) => {
  const minN = bounds.minBatch ?? 1;
  const minSide = Math.max(spec.minSide ?? 2, bounds.minSide ?? 2);
  return fc
    .record({
      n: fc.integer({ min: minN, max: Math.max(4, minN) }),
      h: fc.integer({ min: minSide, max: Math.max(9, minSide) }),
      w: fc.integer({ min: minSide, max: Math.max(9, minSide) }),
      c: spec.channels === undefined ? fc.integer({ min: 1, max: 3 }) : fc.constant(spec.channels),
      seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
    })
    .map(({ n, h, w, c, seed }) => ({ shape: [n, h, w, c] as [number, number, number, number], seed }));
};

/** A batch of uniform [0, 1) pixels (non-constant images), with one-hot labels when the spec asks for them. */
function makeBatch(shape: [number, number, number, number], seed: number, spec: AugmentationSpec): Batch {
  return tf.tidy(() => {
    const images = tf.randomUniform(shape, 0, 1, 'float32', seed + 1) as tf.Tensor4D;
    if (!spec.labels) return { images };
    const k = spec.numClasses ?? 3;
    const cls = Array.from({ length: shape[0] }, (_, i) => (i * 7 + seed) % k);
    return { images, labels: tf.cast(tf.oneHot(tf.tensor1d(cls, 'int32'), k), 'float32') as tf.Tensor2D };
  });
}

const values = (t: tf.Tensor | undefined): number[] => (t ? Array.from(t.dataSync()) : []);
const disposeBatch = (b: Batch) =>
  tf.dispose([b.images, ...(b.labels ? [b.labels] : []), ...(b.masks ? [b.masks] : [])]);

/** With p = 1 the output keeps the shape and the float32 dtype of the images, and the shape of the labels. */
export function assertShapeAndDtype(spec: AugmentationSpec): void {
  fc.assert(
    fc.property(imageBatch(spec), ({ shape, seed }) => {
      const batch = makeBatch(shape, seed, spec);
      const out = spec.make(1, seed)(batch);
      const [n, h, w, c] = batch.images.shape;
      expect(out.images.shape).toEqual(spec.outputSize ? [n, ...spec.outputSize, c] : [n, h, w, c]);
      expect(out.images.dtype).toBe('float32');
      if (batch.labels) expect(out.labels?.shape).toEqual(batch.labels.shape);
      [batch, out].forEach(disposeBatch);
    }),
    { numRuns: runs(15) },
  );
}

/** With p = 0 images and labels come back unchanged, bit for bit. */
export function assertIdentityAtP0(spec: AugmentationSpec): void {
  fc.assert(
    fc.property(imageBatch(spec), ({ shape, seed }) => {
      const batch = makeBatch(shape, seed, spec);
      const same = spec.make(0, seed)(batch);
      expect(values(same.images)).toEqual(values(batch.images));
      expect(values(same.labels)).toEqual(values(batch.labels));
      [batch, same].forEach(disposeBatch);
    }),
    { numRuns: runs(15) },
  );
}

/** Replaying the last parameters (also after a JSON round trip) and a twin with the same seed give the same output. */
export function assertReplayable(spec: AugmentationSpec): void {
  fc.assert(
    fc.property(imageBatch(spec), ({ shape, seed }) => {
      const batch = makeBatch(shape, seed, spec);
      const aug = spec.make(0.7, seed);
      const first = aug(batch);
      const params = JSON.parse(JSON.stringify(aug.lastParams));
      const replay = aug.apply(batch, params);
      const twin = spec.make(0.7, seed)(batch);
      expect(values(replay.images)).toEqual(values(first.images));
      expect(values(replay.labels)).toEqual(values(first.labels));
      expect(values(twin.images)).toEqual(values(first.images));
      expect(values(twin.labels)).toEqual(values(first.labels));
      [batch, first, replay, twin].forEach(disposeBatch);
    }),
    { numRuns: runs(15) },
  );
}

/** With p = 1 every output value lies within [min, max] of the input, widened by `extras` (fill values). */
export function assertWithinRange(spec: AugmentationSpec, extras: number[]): void {
  fc.assert(
    fc.property(imageBatch(spec), ({ shape, seed }) => {
      const batch = makeBatch(shape, seed, spec);
      const out = spec.make(1, seed)(batch);
      const inVals = values(batch.images).concat(extras);
      const lo = Math.min(...inVals) - 1e-5;
      const hi = Math.max(...inVals) + 1e-5;
      for (const v of values(out.images)) {
        expect(v).toBeGreaterThanOrEqual(lo);
        expect(v).toBeLessThanOrEqual(hi);
      }
      [batch, out].forEach(disposeBatch);
    }),
    { numRuns: runs(15) },
  );
}

/**
 * With p = 1, on a random batch of non-constant images, at least one image differs from the input:
 * an augmentation that does nothing fails. Where an augmentation may legitimately leave a small
 * batch unchanged (a mix whose permutation is the identity, a nearest-neighbour warp smaller than
 * half a pixel), `bounds` makes the batches large enough that this cannot happen in practice.
 */
export function assertChangesImagesAtP1(spec: AugmentationSpec, bounds: BatchBounds = {}): void {
  fc.assert(
    fc.property(imageBatch(spec, bounds), ({ shape, seed }) => {
      const batch = makeBatch(shape, seed, spec);
      const out = spec.make(1, seed)(batch);
      const [input, output] = [values(batch.images), values(out.images)];
      [batch, out].forEach(disposeBatch);
      expect(output).toHaveLength(input.length);
      const per = input.length / shape[0];
      const changed = Array.from({ length: shape[0] }, (_, i) =>
        output.slice(i * per, (i + 1) * per).some((v, j) => v !== input[i * per + j]),
      );
      expect(changed.some(Boolean), `no image of a [${shape.join(', ')}] batch changed with p = 1 (seed ${seed})`).toBe(
        true,
      );
    }),
    { numRuns: runs(15) },
  );
}

/** Images of the wrong rank or dtype, and labels of the wrong batch size, throw errors naming the augmentation. */
export function assertRejectsBadBatches(spec: AugmentationSpec): void {
  const aug = spec.make(1, 1);
  const ok = makeBatch([2, 6, 6, spec.channels ?? 1], 3, spec);
  const rank3 = tf.zeros([6, 6, 1]) as unknown as tf.Tensor4D;
  const int32 = tf.zeros([2, 6, 6, 1], 'int32') as tf.Tensor4D;
  const labels = tf.zeros([3, 2]) as tf.Tensor2D;
  try {
    expect(() => aug({ images: rank3 })).toThrow(new RegExp(`^${aug.name}: batch.images rank must be 4`));
    expect(() => aug({ images: int32 })).toThrow(new RegExp(`^${aug.name}: batch.images dtype must be "float32"`));
    expect(() => aug({ images: ok.images, labels })).toThrow(
      new RegExp(`^${aug.name}: batch.labels shape must be \\[2, numClasses\\]`),
    );
  } finally {
    tf.dispose([rank3, int32, labels]);
    disposeBatch(ok);
  }
}

/**
 * A call, and a replay of its parameters, leave no tensor behind (the caller owns what is returned).
 * The warm-up and the measured call draw the same parameters (the generator is put back between
 * them): an op that caches a constant per value on first use (`cachedScalar`) caches it in the
 * warm-up, so only a tensor left by every call counts.
 */
export async function assertNoLeaks(spec: AugmentationSpec): Promise<void> {
  const aug = spec.make(1, 1);
  const ok = makeBatch([2, 6, 6, spec.channels ?? 1], 3, spec);
  const start = generatorState(aug.rng);
  await expectNoLeaks(() => {
    restoreGeneratorState('assertNoLeaks', aug.rng, start);
    const out = aug(ok);
    return [out.images, ...(out.labels ? [out.labels] : [])];
  });
  await expectNoLeaks(() => {
    const out = aug.apply(ok, aug.lastParams);
    return [out.images, ...(out.labels ? [out.labels] : [])];
  });
  disposeBatch(ok);
}

/**
 * The properties every augmentation must have: shape and dtype kept, p = 0 is the identity,
 * replaying parameters (also through JSON) reproduces the output, the same seed gives the same
 * output, values stay in range where the operation promises it, bad batches are rejected, nothing
 * leaks, and p = 1 really changes the images (so that a no-op cannot pass). Each is an assertion of
 * its own above, in the style of fast-check's test helpers (each runs its own fc.assert); a spec
 * calls them inside its own `it(...)` and simply does not call what does not apply.
 *
 * This registers, as one `it` each, those that apply to every augmentation unconditionally: shape
 * and dtype, the identity at p = 0, replay, rejection of bad batches, no leaks. The spec adds
 * assertWithinRange and assertChangesImagesAtP1 itself. Call it inside a describeBackends body.
 */
export function augmentationContract(spec: AugmentationSpec): void {
  it('keeps shape and dtype', () => assertShapeAndDtype(spec));
  it('is the identity with p = 0', () => assertIdentityAtP0(spec));
  it('replays: same params (also after a JSON round trip) and same seed give the same output', () =>
    assertReplayable(spec));
  it('rejects bad batches naming the augmentation', () => assertRejectsBadBatches(spec));
  it('leaks nothing', () => assertNoLeaks(spec));
}
