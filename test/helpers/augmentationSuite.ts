import * as tf from '@tensorflow/tfjs-core';
import fc from 'fast-check';
import { expect, it } from 'vitest';
import type { Augmentation, Batch } from '../../src/augment/augmentation.js';
import { expectNoLeaks } from './leaks.js';

export interface SuiteOptions {
  /** Builds the augmentation under test with the given probability and seed. */
  make: (p: number, seed: number) => Augmentation;
  /** Output values stay within [min, max] of the input, widened by these extra values (fill values). */
  rangeExtras?: number[] | false;
  /** Batches carry one-hot labels (mix augmentations need them). */
  labels?: boolean;
  numClasses?: number;
  /** Smallest image side the augmentation accepts. */
  minSide?: number;
}

const imageBatch = (o: SuiteOptions) =>
  fc
    .record({
      n: fc.integer({ min: 1, max: 4 }),
      h: fc.integer({ min: o.minSide ?? 2, max: 9 }),
      w: fc.integer({ min: o.minSide ?? 2, max: 9 }),
      c: fc.integer({ min: 1, max: 3 }),
      seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
    })
    .map(({ n, h, w, c, seed }) => ({ shape: [n, h, w, c] as [number, number, number, number], seed }));

function makeBatch(shape: [number, number, number, number], seed: number, o: SuiteOptions): Batch {
  return tf.tidy(() => {
    const images = tf.randomUniform(shape, 0, 1, 'float32', seed + 1) as tf.Tensor4D;
    if (!o.labels) return { images };
    const k = o.numClasses ?? 3;
    const cls = Array.from({ length: shape[0] }, (_, i) => (i * 7 + seed) % k);
    return { images, labels: tf.cast(tf.oneHot(tf.tensor1d(cls, 'int32'), k), 'float32') as tf.Tensor2D };
  });
}

const values = (t: tf.Tensor | undefined): number[] => (t ? Array.from(t.dataSync()) : []);
const disposeBatch = (b: Batch) => tf.dispose([b.images, ...(b.labels ? [b.labels] : [])]);

/**
 * The properties every augmentation must have (house style 7): shape and dtype kept, p = 0 is the
 * identity, replaying parameters (also through JSON) reproduces the output, the same seed gives the
 * same output, values stay in range where the operation promises it, bad batches are rejected, and
 * nothing leaks. Call it inside a describeBackends body.
 */
export function augmentationProperties(o: SuiteOptions): void {
  it('keeps shape and dtype, and is the identity with p = 0', () => {
    fc.assert(fc.property(imageBatch(o), ({ shape, seed }) => {
      const batch = makeBatch(shape, seed, o);
      const out = o.make(1, seed)(batch);
      expect(out.images.shape).toEqual(batch.images.shape);
      expect(out.images.dtype).toBe('float32');
      if (batch.labels) expect(out.labels?.shape).toEqual(batch.labels.shape);
      const same = o.make(0, seed)(batch);
      expect(values(same.images)).toEqual(values(batch.images));
      expect(values(same.labels)).toEqual(values(batch.labels));
      [batch, out, same].forEach(disposeBatch);
    }), { numRuns: 15 });
  });

  it('replays: same params (also after a JSON round trip) and same seed give the same output', () => {
    fc.assert(fc.property(imageBatch(o), ({ shape, seed }) => {
      const batch = makeBatch(shape, seed, o);
      const aug = o.make(0.7, seed);
      const first = aug(batch);
      const params = JSON.parse(JSON.stringify(aug.lastParams));
      const replay = aug.apply(batch, params);
      const twin = o.make(0.7, seed)(batch);
      expect(values(replay.images)).toEqual(values(first.images));
      expect(values(replay.labels)).toEqual(values(first.labels));
      expect(values(twin.images)).toEqual(values(first.images));
      [batch, first, replay, twin].forEach(disposeBatch);
    }), { numRuns: 15 });
  });

  if (o.rangeExtras !== false) {
    it('keeps values within the input range (and fill values)', () => {
      fc.assert(fc.property(imageBatch(o), ({ shape, seed }) => {
        const batch = makeBatch(shape, seed, o);
        const out = o.make(1, seed)(batch);
        const inVals = values(batch.images).concat(Array.isArray(o.rangeExtras) ? o.rangeExtras : []);
        const lo = Math.min(...inVals) - 1e-5;
        const hi = Math.max(...inVals) + 1e-5;
        for (const v of values(out.images)) {
          expect(v).toBeGreaterThanOrEqual(lo);
          expect(v).toBeLessThanOrEqual(hi);
        }
        [batch, out].forEach(disposeBatch);
      }), { numRuns: 15 });
    });
  }

  it('rejects bad batches naming the augmentation, and leaks nothing', async () => {
    const aug = o.make(1, 1);
    const ok = makeBatch([2, 6, 6, 1], 3, o);
    expect(() => aug({ images: tf.zeros([6, 6, 1]) as unknown as tf.Tensor4D })).toThrow(new RegExp(`^${aug.name}: batch.images rank must be 4`));
    expect(() => aug({ images: tf.zeros([2, 6, 6, 1], 'int32') as tf.Tensor4D })).toThrow(new RegExp(`^${aug.name}: batch.images dtype must be "float32"`));
    expect(() => aug({ images: ok.images, labels: tf.zeros([3, 2]) as tf.Tensor2D })).toThrow(new RegExp(`^${aug.name}: batch.labels shape must be \\[2, numClasses\\]`));
    await expectNoLeaks(() => {
      const out = aug(ok);
      return [out.images, ...(out.labels ? [out.labels] : [])];
    });
    disposeBatch(ok);
  });
}
