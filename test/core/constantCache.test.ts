import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { cachedPrefix } from '../../src/core/constantCache.js';
import { describeBackends } from '../helpers/backends.js';

/** Two entries per image along axis 1: image i holds 10·i and 10·i + 1 in both rows. */
const make = (key: string, count: number, calls: number[]) =>
  tf.tidy(() =>
    cachedPrefix(key, count, 1, 2, (n) => {
      calls.push(n);
      const row = Array.from({ length: 2 * n }, (_, k) => 10 * Math.floor(k / 2) + (k % 2));
      return tf.tensor2d([...row, ...row], [2, 2 * n]);
    }).clone(),
  );

describeBackends('cachedPrefix', (backend) => {
  it('gives the first images of the largest count made so far, rebuilding only to grow', () => {
    const calls: number[] = [];
    const key = `test:prefix:${backend}`;
    const three = make(key, 3, calls);
    expect(three.arraySync()).toEqual([
      [0, 1, 10, 11, 20, 21],
      [0, 1, 10, 11, 20, 21],
    ]);
    const two = make(key, 2, calls);
    expect(two.arraySync()).toEqual([
      [0, 1, 10, 11],
      [0, 1, 10, 11],
    ]);
    expect(make(key, 3, calls).shape).toEqual([2, 6]);
    expect(make(key, 4, calls).shape).toEqual([2, 8]);
    expect(calls).toEqual([3, 4]);
  });

  it('keeps one entry per key whatever the counts (groups of a batch change size call to call)', () => {
    const calls: number[] = [];
    const key = `test:entries:${backend}`;
    make(key, 5, calls).dispose();
    const before = tf.memory().numTensors;
    for (const n of [1, 4, 2, 7, 3, 7, 9, 2]) make(key, n, calls).dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
