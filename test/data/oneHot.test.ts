import * as tf from '@tensorflow/tfjs-core';
import fc from 'fast-check';
import { expect, it } from 'vitest';
import { oneHot } from '../../src/data/oneHot.js';
import { describeBackends } from '../helpers/backends.js';
import { expectNoLeaks } from '../helpers/leaks.js';

describeBackends('oneHot', () => {
  it('puts a single 1 at each label column, as float32', () => {
    const y = oneHot(new Uint8Array([5, 0, 9]), 10);
    expect(y.dtype).toBe('float32');
    expect(y.shape).toEqual([3, 10]);
    expect(y.arraySync()).toEqual([
      [0, 0, 0, 0, 0, 1, 0, 0, 0, 0],
      [1, 0, 0, 0, 0, 0, 0, 0, 0, 0],
      [0, 0, 0, 0, 0, 0, 0, 0, 0, 1],
    ]);
    y.dispose();
  });

  it('agrees with tf.oneHot for any labels, from a Uint8Array or a number[]', () => {
    fc.assert(
      fc.property(
        fc
          .integer({ min: 2, max: 12 })
          .chain((k) => fc.tuple(fc.constant(k), fc.array(fc.nat(k - 1), { maxLength: 20 }))),
        ([k, labels]) => {
          const a = oneHot(labels, k);
          const b = oneHot(Uint8Array.from(labels), k);
          expect(a.shape).toEqual([labels.length, k]);
          if (labels.length > 0) {
            const ref = tf.tidy(() => tf.oneHot(tf.tensor1d(labels, 'int32'), k));
            expect(a.arraySync()).toEqual(ref.arraySync());
            ref.dispose();
          }
          expect(b.arraySync()).toEqual(a.arraySync());
          tf.dispose([a, b]);
        },
      ),
    );
  });

  it('accepts a single class (every row [1]) and no labels at all', () => {
    const one = oneHot([0, 0], 1);
    expect(one.arraySync()).toEqual([[1], [1]]);
    const none = oneHot(new Uint8Array(0), 10);
    expect(none.shape).toEqual([0, 10]);
    tf.dispose([one, none]);
  });

  it('leaks no tensors', async () => {
    await expectNoLeaks(() => oneHot([1, 2, 3], 4));
  });
});

it('oneHot rejects bad arguments naming the function, argument and value', () => {
  expect(() => oneHot([1, 10], 10)).toThrow(
    'oneHot: labels[1] must be an integer in [0, 10) (numClasses is 10), got 10',
  );
  expect(() => oneHot([-1], 3)).toThrow('oneHot: labels[0] must be an integer in [0, 3) (numClasses is 3), got -1');
  expect(() => oneHot([0, 0.5], 3)).toThrow(/^oneHot: labels\[1\] .* got 0\.5$/);
  expect(() => oneHot(['1'] as never, 3)).toThrow(/^oneHot: labels\[0\] .* got "1"$/);
  expect(() => oneHot(new Uint8Array([0, 3]), 3)).toThrow(/^oneHot: labels\[1\] .* got 3$/);
  expect(() => oneHot('012' as never, 3)).toThrow(
    'oneHot: labels must be a Uint8Array or an array of class indices, got "012"',
  );
  expect(() => oneHot([0], 0)).toThrow('oneHot: numClasses must be an integer in [1, 2147483647], got 0');
  expect(() => oneHot([0], 2.5)).toThrow('oneHot: numClasses must be an integer in [1, 2147483647], got 2.5');
  expect(() => oneHot([0], '10' as never)).toThrow(
    'oneHot: numClasses must be an integer in [1, 2147483647], got "10"',
  );
  expect(() => oneHot([0, 1], 1e39)).toThrow('oneHot: numClasses must be an integer in [1, 1073741823], got 1e+39');
});
