import * as tf from '@tensorflow/tfjs-core';
import fc from 'fast-check';
import { expect, it } from 'vitest';
import { normalize } from '../../src/data/normalize.js';
import { describeBackends } from '../helpers/backends.js';
import { expectNoLeaks } from '../helpers/leaks.js';

const allBytes = Uint8Array.from({ length: 256 }, (_, i) => i);

describeBackends('normalize', () => {
  it('maps every byte v to float32(v / 255), 0 to 0 and 255 to 1', () => {
    const x = normalize(allBytes, [256]);
    expect(x.dtype).toBe('float32');
    const v = x.dataSync();
    for (let i = 0; i < 256; i++) expect(v[i]).toBe(Math.fround(i / 255));
    expect([v[0], v[255]]).toEqual([0, 1]);
    // The backend's own float32 division (NumPy's astype('float32') / 255) gives the same 256 values.
    const ref = tf.tidy(() => tf.div(tf.tensor1d(Array.from(allBytes)), tf.scalar(255)));
    expect(Array.from(v)).toEqual(Array.from(ref.dataSync()));
    tf.dispose([x, ref]);
  });

  it('gives [n, 28, 28, 1] and [n, 784] tensors with the bytes in row-major order', () => {
    const images = Uint8Array.from({ length: 3 * 784 }, (_, i) => (i * 7) % 256);
    const x4 = normalize(images, [3, 28, 28, 1]);
    const x2 = normalize(images, [3, 784]);
    expect(x4.shape).toEqual([3, 28, 28, 1]);
    expect(x2.shape).toEqual([3, 784]);
    // Image 2, row 5, column 9 is byte 2 * 784 + 5 * 28 + 9.
    const at = ((2 * 784 + 5 * 28 + 9) * 7) % 256;
    expect((x4.arraySync() as number[][][][])[2]![5]![9]![0]).toBe(Math.fround(at / 255));
    expect((x2.arraySync() as number[][])[2]![5 * 28 + 9]).toBe(Math.fround(at / 255));
    tf.dispose([x4, x2]);
  });

  it('matches tf.div(tensor, 255) for any bytes and shape, inferring one -1', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 60 }), fc.integer({ min: 1, max: 4 }), (bytes, k) => {
        const data = bytes.subarray(0, bytes.length - (bytes.length % k));
        fc.pre(data.length > 0);
        const x = normalize(data, [-1, k]);
        expect(x.shape).toEqual([data.length / k, k]);
        const ref = tf.tidy(() => tf.div(tf.tensor(Array.from(data), [data.length / k, k], 'float32'), 255));
        expect(Array.from(x.dataSync())).toEqual(Array.from(ref.dataSync()));
        tf.dispose([x, ref]);
      }),
    );
  });

  it('leaks no tensors', async () => {
    await expectNoLeaks(() => normalize(allBytes, [4, 8, 8, 1]));
  });
});

it('normalize rejects bad arguments naming the function, argument and value', () => {
  expect(() => normalize([0, 1] as never, [2])).toThrow(
    'normalize: images must be a Uint8Array of pixel values, got [0,1]',
  );
  expect(() => normalize(new Float32Array(2) as never, [2])).toThrow(/^normalize: images must be a Uint8Array/);
  expect(() => normalize(allBytes, [2, 784])).toThrow(
    'normalize: shape must be sizes whose product is the number of values (images.length is 256), got [2,784]',
  );
  expect(() => normalize(allBytes, [-1, -1])).toThrow(
    /^normalize: shape must be positive integers, at most one -1 .* got \[-1,-1\]/,
  );
  expect(() => normalize(allBytes, [0, 256] as never)).toThrow(/^normalize: shape must be positive integers/);
  expect(() => normalize(allBytes, [2.5, 2] as never)).toThrow(/^normalize: shape .* got \[2\.5,2\]/);
  expect(() => normalize(allBytes, [-1, 3])).toThrow(
    /^normalize: shape must be sizes whose known part \(3\) divides the number of values .* got \[-1,3\]/,
  );
  expect(() => normalize(allBytes, [] as never)).toThrow(
    'normalize: shape must be a non-empty array of sizes (images.length is 256), got []',
  );
  expect(() => normalize(allBytes, 256 as never)).toThrow(/^normalize: shape must be a non-empty array .* got 256/);
});
