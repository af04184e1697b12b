import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { maxNorm } from '../../src/regularizers/maxNorm.js';
import { nonNeg } from '../../src/regularizers/nonNeg.js';
import { unitNorm } from '../../src/regularizers/unitNorm.js';
import { describeBackends } from '../helpers/backends.js';
import { expectNoLeaks } from '../helpers/leaks.js';

const valuesOf = (t: tf.Tensor): number[] => {
  const v = Array.from(t.dataSync());
  t.dispose();
  return v;
};

describeBackends('constraints', () => {
  it('maxNorm rescales only columns whose norm exceeds maxValue (axis 0)', () => {
    const w = tf.tensor2d([
      [3, 0.3],
      [4, 0.4],
    ]);
    const out = valuesOf(maxNorm({ maxValue: 1 }).apply(w));
    [0.6, 0.3, 0.8, 0.4].forEach((e, i) => expect(out[i]).toBeCloseTo(e, 5));
    w.dispose();
  });

  it('unitNorm normalises along the axis; nonNeg clamps negatives', () => {
    const w = tf.tensor2d([
      [3, 4],
      [0, 0],
    ]);
    const out = valuesOf(unitNorm({ axis: 1 }).apply(w));
    expect(out[0]).toBeCloseTo(0.6, 5);
    expect(out[1]).toBeCloseTo(0.8, 5);
    expect(valuesOf(nonNeg().apply(tf.tensor1d([-1, 0, 2])))).toEqual([0, 0, 2]);
    w.dispose();
  });

  it('use Keras class names and leak nothing', async () => {
    expect(maxNorm().getClassName()).toBe('MaxNorm');
    expect(maxNorm().getConfig()).toEqual({ maxValue: 2, axis: 0 });
    expect(unitNorm().getClassName()).toBe('UnitNorm');
    expect(nonNeg().getClassName()).toBe('NonNeg');
    const w = tf.tensor2d([
      [3, 1],
      [4, 1],
    ]);
    await expectNoLeaks(() => [maxNorm({ maxValue: 1 }).apply(w), unitNorm().apply(w), nonNeg().apply(w)]);
    w.dispose();
  });
});

it('constraints reject bad options', () => {
  expect(() => maxNorm({ maxValue: -2 })).toThrow('maxNorm: maxValue must be a finite number >= 0, got -2');
  expect(() => maxNorm({ axis: 0.5 })).toThrow('maxNorm: axis must be an integer, got 0.5');
  expect(() => unitNorm({ axis: '1' as unknown as number })).toThrow('unitNorm: axis must be an integer, got "1"');
});
