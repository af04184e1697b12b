import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { expect, it } from 'vitest';
import { clip } from '../../src/core/clip.js';
import { describeBackends } from '../helpers/backends.js';
import { expectNoLeaks } from '../helpers/leaks.js';

const VALUES = [-Infinity, -1e30, Infinity, -0, 0, 0.5, -0.25, 1, 1.0000001, 3.4e38, -3.4e38, 254.6, 300, -7, 1e-7];
const BOUNDS: [number, number][] = [
  [0, 1],
  [0, 255],
  [-1, 1],
  [0.25, 0.25],
];

const bits = (t: tf.Tensor) => Array.from(new Uint32Array(Float32Array.from(t.dataSync() as Float32Array).buffer));
// NaN is left out: tfjs' own backends already disagree on it (cpu gives the bound, wasm 0, tfjs-node NaN).
const expected = (min: number, max: number) =>
  VALUES.map((v) => Math.fround(Math.min(Math.max(Math.fround(v), min), max)));
const isZero = (v: number) => v === 0;

describeBackends('clip', (backend) => {
  it('clips every value (infinities, signed zeros, equal bounds) as tf.clipByValue does', () => {
    const x = tf.tensor2d(VALUES, [3, 5]);
    for (const [min, max] of BOUNDS) {
      const [ours, theirs] = tf.tidy(() => [clip(x, min, max), tf.clipByValue(x, min, max)]);
      expect(ours!.shape).toEqual([3, 5]);
      // Zeros compare by value: tfjs-node's Minimum/Maximum and TensorFlow's ClipByValue can give a zero
      // of the other sign.
      const got = Array.from(ours!.dataSync()).map((v) => (isZero(v) ? 0 : v));
      expect(got, `[${min}, ${max}]`).toEqual(expected(min, max).map((v) => (isZero(v) ? 0 : v)));
      // Every value that is neither a zero nor NaN is tf.clipByValue's bit for bit.
      const plain = (t: tf.Tensor) =>
        bits(t).filter((_, i) => !isZero(expected(min, max)[i]!) && !Number.isNaN(VALUES[i]!));
      expect(plain(ours!), `[${min}, ${max}]`).toEqual(plain(theirs!));
      tf.dispose([ours!, theirs!]);
    }
    x.dispose();
  });

  it('takes one call into TensorFlow on tfjs-node, no tfjs kernel; tf.clipByValue elsewhere', async () => {
    const x = tf.tensor1d([-1, 0.5, 2]);
    const info = await tf.profile(() => tf.tidy(() => clip(x, 0, 1)));
    // tfjs-node's ClipByValue kernel shows up as ClipByValue, Minimum and Maximum; the native path as none.
    const names = info.kernels.map((k) => k.name);
    expect(names).toEqual(backend === 'tensorflow' ? [] : ['ClipByValue']);
    tf.dispose([x, info.result as tf.Tensor]);
  });

  it('keeps int32 tensors and recorded gradients on tf.clipByValue', () => {
    const ints = tf.tensor1d([-3, 2, 9], 'int32');
    const [out, theirs] = tf.tidy(() => [clip(ints, 0, 5), tf.clipByValue(ints, 0, 5)]);
    expect(out!.dtype).toBe('int32');
    expect(Array.from(out!.dataSync())).toEqual(Array.from(theirs!.dataSync()));
    const x = tf.tensor1d([-1, 0.5, 2]);
    const g = tf.grad((v: tf.Tensor) => tf.sum(clip(v, 0, 1)))(x);
    expect(Array.from(g.dataSync())).toEqual([0, 1, 0]);
    tf.dispose([ints, out!, theirs!, x, g]);
  });

  it('leaks nothing', async () => {
    const x = tf.tensor1d([-1, 0.5, 2]);
    await expectNoLeaks(() => tf.tidy(() => clip(x, 0, 1)));
    x.dispose();
  });
});
