import * as tf from '@tensorflow/tfjs-core';
import fc from 'fast-check';
import { expect, it } from 'vitest';
import { orthogonal } from '../../src/regularizers/orthogonal.js';
import { describeBackends } from '../helpers/backends.js';
import { close } from '../helpers/arbitraries.js';
import { expectNoLeaks } from '../helpers/leaks.js';

const valueOf = (factor: number, mode: 'rows' | 'columns', m: number[][]): number => {
  const x = tf.tensor2d(m);
  const p = orthogonal({ factor, mode }).apply(x);
  const v = p.dataSync()[0]!;
  tf.dispose([x, p]);
  return v;
};

const matrix = fc.tuple(fc.integer({ min: 2, max: 5 }), fc.integer({ min: 2, max: 5 })).chain(([r, c]) =>
  fc.array(
    fc.array(
      fc.float({ min: -10, max: 10, noNaN: true }).filter((v) => Math.abs(v) > 1e-3),
      { minLength: c, maxLength: c },
    ),
    {
      minLength: r,
      maxLength: r,
    },
  ),
);

describeBackends('orthogonal', () => {
  it('matches the Keras formula on a known matrix', () => {
    // rows (1,0), (1,1), (0,2): |cos| pairs = 1/sqrt2, 0, 1/sqrt2; mean over 3 pairs.
    const expected = 0.5 * (2 / Math.SQRT2 / 3);
    expect(
      valueOf(0.5, 'rows', [
        [1, 0],
        [1, 1],
        [0, 2],
      ]),
    ).toBeCloseTo(expected, 5);
    expect(
      valueOf(1, 'rows', [
        [1, 0],
        [0, 3],
      ]),
    ).toBeCloseTo(0, 6);
    expect(
      valueOf(1, 'rows', [
        [1, 1],
        [-2, -2],
      ]),
    ).toBeCloseTo(1, 5);
  });

  it('lies in [0, factor], ignores row scale, and columns mode is rows mode of the transpose', () => {
    fc.assert(
      fc.property(matrix, fc.double({ min: 0, max: 5, noNaN: true }), (m, f) => {
        const v = valueOf(f, 'rows', m);
        expect(v).toBeGreaterThanOrEqual(-1e-6);
        expect(v).toBeLessThanOrEqual(f * (1 + 1e-4) + 1e-6);
        expect(
          close(
            valueOf(
              f,
              'rows',
              m.map((row, i) => row.map((x) => x * (i + 2))),
            ),
            v,
            1e-3,
            1e-5,
          ),
        ).toBe(true);
        const t = m[0]!.map((_, j) => m.map((row) => row[j]!));
        expect(close(valueOf(f, 'columns', t), v, 1e-3, 1e-5)).toBe(true);
      }),
    );
  });

  it('leaks no tensors', async () => {
    const x = tf.tensor2d([
      [1, 2],
      [3, 4],
      [5, 6],
    ]);
    await expectNoLeaks(() => orthogonal({ factor: 0.1, mode: 'columns' }).apply(x));
    x.dispose();
  });

  it('rejects a weight whose rank is not 2, as Keras does', () => {
    const x = tf.tensor1d([1, 2]);
    expect(() => orthogonal().apply(x)).toThrow('orthogonal: weight rank must be 2');
    x.dispose();
  });
});

it('orthogonal has Keras defaults and rejects bad options', () => {
  expect(orthogonal().getConfig()).toEqual({ factor: 0.01, mode: 'rows' });
  expect(() => orthogonal({ factor: -0.1 })).toThrow('orthogonal: factor must be a finite number >= 0, got -0.1');
  expect(() => orthogonal({ mode: 'diagonal' as 'rows' })).toThrow(
    'orthogonal: mode must be one of "rows", "columns", got "diagonal"',
  );
});
