import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { takeRows } from '../../src/core/takeRows.js';
import { describeBackends } from '../helpers/backends.js';
import { expectNoLeaks } from '../helpers/leaks.js';

describeBackends('takeRows', () => {
  it('equals tf.gather along the first axis, repeated and unordered rows included', () => {
    const rows = [4, 0, 4, 2, 1];
    const cases: [number[], 'float32' | 'int32' | 'bool'][] = [
      [[5, 3, 2, 1], 'float32'],
      [[5, 10], 'float32'],
      [[5, 2], 'int32'],
      [[5], 'bool'],
    ];
    for (const [shape, dtype] of cases) {
      const x = tf.cast(
        tf.reshape(
          tf.range(
            0,
            shape.reduce((a, b) => a * b, 1),
          ),
          shape,
        ),
        dtype,
      );
      const got = takeRows(x, rows);
      const expected = tf.gather(x, tf.tensor1d(rows, 'int32'));
      expect(got.shape).toEqual(expected.shape);
      expect(got.dtype).toBe(dtype);
      expect(Array.from(got.dataSync())).toEqual(Array.from(expected.dataSync()));
      tf.dispose([x, got, expected]);
    }
  });

  it('leaks no tensor', async () => {
    const x = tf.ones([6, 4]);
    await expectNoLeaks(() => takeRows(x, [5, 1]));
    x.dispose();
  });
});
