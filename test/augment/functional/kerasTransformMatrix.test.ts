import * as tf from '@tensorflow/tfjs-core';
import fc from 'fast-check';
import { expect, it } from 'vitest';
import { affineTransform } from '../../../src/augment/functional/affineTransform.js';
import { kerasTransformMatrix } from '../../../src/augment/functional/kerasTransformMatrix.js';
import type { KerasTransformParams } from '../../../src/augment/functional/kerasTransformMatrix.js';
import { describeBackends } from '../../helpers/backends.js';
import { runs } from '../../helpers/runs.js';
import { kerasApplyAffine } from './kerasReference.js';

const [c30, s30] = [Math.cos(Math.PI / 6), 0.5];

function expectMatrix(got: number[], expected: number[]): void {
  expect(got).toHaveLength(8);
  got.forEach((v, i) => expect(v).toBeCloseTo(expected[i]!, 12));
}

it('kerasTransformMatrix gives the hand-computed matrices of each factor', () => {
  expect(kerasTransformMatrix({}, 4, 6)).toEqual([1, 0, 0, 0, 1, 0, 0, 0]);
  // Rotation about the grid centre (1, 1) of a 3×3 image: input (x, y) = (2 − y, x).
  expectMatrix(kerasTransformMatrix({ theta: 90 }, 3, 3), [0, -1, 2, 1, 0, 0, 0, 0]);
  // 30° about (2, 2): translation = o − R·o.
  expectMatrix(kerasTransformMatrix({ theta: 30 }, 5, 5), [
    c30,
    -s30,
    2 - 2 * c30 + 2 * s30,
    s30,
    c30,
    2 - 2 * s30 - 2 * c30,
    0,
    0,
  ]);
  // A shift commutes with the centring: input = output + (tx, ty).
  expectMatrix(kerasTransformMatrix({ tx: 3, ty: -2 }, 5, 7), [1, 0, 3, 0, 1, -2, 0, 0]);
  // Zoom on h = 5, w = 7: Keras centres x at h/2 − 0.5 = 2 and y at w/2 − 0.5 = 3.
  expectMatrix(kerasTransformMatrix({ zx: 2, zy: 0.5 }, 5, 7), [2, 0, -2, 0, 0.5, 1.5, 0, 0]);
  // Shear 30°: x reads x − sin(30°)·y, y reads cos(30°)·y, about (2, 2).
  expectMatrix(kerasTransformMatrix({ shear: 30 }, 5, 5), [1, -s30, 1, 0, c30, 2 - 2 * c30, 0, 0]);
});

it('kerasTransformMatrix composes rotation · shift · shear · zoom in that order', () => {
  // R·T: the shift is rotated (T·R would leave it as (1, 0)).
  expectMatrix(kerasTransformMatrix({ theta: 90, tx: 1 }, 3, 3), [0, -1, 2, 1, 0, 1, 0, 0]);
  // R·Z: zx scales the first column (Z·R would scale the first row: [0, -2, …]).
  expectMatrix(kerasTransformMatrix({ theta: 90, zx: 2 }, 3, 3), [0, -1, 2, 2, 0, -1, 0, 0]);
  // Shear before zoom: zy scales the sheared column.
  expectMatrix(kerasTransformMatrix({ shear: 30, zy: 2 }, 5, 5), [
    1,
    -2 * s30,
    2 - 2 + 4 * s30,
    0,
    2 * c30,
    2 - 4 * c30,
    0,
    0,
  ]);
  // Non-square: Keras' centre is (x, y) = (h/2 − 0.5, w/2 − 0.5) = (1.5, 2.5) for h = 4, w = 6.
  expectMatrix(kerasTransformMatrix({ theta: 180 }, 4, 6), [-1, 0, 3, 0, -1, 5, 0, 0]);
});

it('kerasTransformMatrix rejects bad arguments naming the function, argument and value', () => {
  expect(() => kerasTransformMatrix({ rotation: 30 } as KerasTransformParams, 4, 4)).toThrow(
    /^kerasTransformMatrix: params key must be one of theta, tx, ty, shear, zx, zy, got "rotation"/,
  );
  expect(() => kerasTransformMatrix({ theta: Number.NaN }, 4, 4)).toThrow(
    /^kerasTransformMatrix: params.theta must be a finite number, got NaN/,
  );
  expect(() => kerasTransformMatrix({ zx: '2' as unknown as number }, 4, 4)).toThrow(
    /params.zx must be a finite number, got "2"/,
  );
  expect(() => kerasTransformMatrix({ ty: Number.NEGATIVE_INFINITY }, 4, 4)).toThrow(
    /params.ty must be a finite number, got -Infinity/,
  );
  expect(() => kerasTransformMatrix(null as unknown as KerasTransformParams, 4, 4)).toThrow(
    /^kerasTransformMatrix: params must be an object \{theta\?, tx\?, ty\?, shear\?, zx\?, zy\?\}, got null/,
  );
  expect(() => kerasTransformMatrix({}, 0, 4)).toThrow(
    /^kerasTransformMatrix: height must be a positive integer, got 0/,
  );
  expect(() => kerasTransformMatrix({}, 4, 2.5)).toThrow(
    /^kerasTransformMatrix: width must be a positive integer, got 2.5/,
  );
});

/** np.rot90 (a counter-clockwise quarter turn) of an [n][n] single-channel image. */
const rot90 = (a: number[][]): number[][] => a.map((row, i) => row.map((_, j) => a[j]![a.length - 1 - i]!));

describeBackends('kerasTransformMatrix with affineTransform', () => {
  it('turns by exactly one pixel rotation at 90°, for odd and even sizes', () => {
    // Keras' centre (n − 1)/2 is the centre of the pixel grid, so the turn maps pixels onto pixels
    // (older Keras releases' n/2 + 0.5 was one pixel off).
    for (const n of [5, 6]) {
      const pixels = Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => i * n + j));
      const image = tf.tensor4d(pixels.flat(), [1, n, n, 1]);
      for (const interpolation of ['nearest', 'bilinear'] as const) {
        const out = affineTransform(image, kerasTransformMatrix({ theta: 90 }, n, n), {
          interpolation,
          fillMode: 'constant',
          fillValue: -1,
        });
        const got = out.dataSync();
        rot90(pixels)
          .flat()
          .forEach((v, i) => expect(got[i]).toBeCloseTo(v, 4));
        out.dispose();
      }
      image.dispose();
    }
  });

  it("matches Keras' apply_affine_transform (scipy order 1) for fill modes 'nearest' and 'reflect'", () => {
    const params = fc.record({
      theta: fc.double({ min: -30, max: 30, noNaN: true }),
      tx: fc.double({ min: -3, max: 3, noNaN: true }),
      ty: fc.double({ min: -3, max: 3, noNaN: true }),
      shear: fc.double({ min: -20, max: 20, noNaN: true }),
      zx: fc.double({ min: 0.8, max: 1.2, noNaN: true }),
      zy: fc.double({ min: 0.8, max: 1.2, noNaN: true }),
    });
    const shape = fc.tuple(
      fc.integer({ min: 2, max: 12 }),
      fc.integer({ min: 2, max: 12 }),
      fc.integer({ min: 1, max: 2 }),
    );
    fc.assert(
      fc.property(params, shape, fc.integer({ min: 0, max: 1000 }), (p, [h, w, ch], salt) => {
        const image = Array.from({ length: h }, (_, y) =>
          Array.from({ length: w }, (_, x) =>
            Array.from({ length: ch }, (_, k) => Math.sin(salt + 3 * y + 5 * x + 7 * k)),
          ),
        );
        const input = tf.tensor4d(image.flat(2), [1, h, w, ch]);
        for (const fillMode of ['nearest', 'reflect'] as const) {
          const expected = kerasApplyAffine(image, p, fillMode).flat(2);
          const out = affineTransform(input, kerasTransformMatrix(p, h, w), { interpolation: 'bilinear', fillMode });
          const got = out.dataSync();
          out.dispose();
          expected.forEach((v, i) => {
            if (Math.abs(got[i]! - v) > 1e-4)
              expect.fail(
                `${fillMode} ${h}×${w}×${ch} ${JSON.stringify(p)}: element ${i} is ${got[i]}, Keras/scipy reference ${v}`,
              );
          });
        }
        input.dispose();
      }),
      { numRuns: runs(30) },
    );
  });
});
