import * as tf from '@tensorflow/tfjs-core';
import fc from 'fast-check';
import { expect, it } from 'vitest';
import { nativeResample } from '../../../../src/augment/_internal/resample/native.js';
import { wholePixelResample } from '../../../../src/augment/_internal/resample/wholePixels.js';
import type { ResampleSettings } from '../../../../src/augment/_internal/resample/options.js';
import { describeBackends } from '../../../helpers/backends.js';
import { runs } from '../../../helpers/runs.js';

const row = fc
  .tuple(fc.boolean(), fc.boolean(), fc.integer({ min: -12, max: 12 }), fc.integer({ min: -12, max: 12 }))
  .map(([flipX, flipY, c, f]) => [flipX ? -1 : 1, 0, c, 0, flipY ? -1 : 1, f, 0, 0]);

type Mode = 'constant' | 'nearest' | 'reflect';

/** Where one axis' output index reads, from the fill modes' definitions (Keras' fill_mode docs); -1 is the fill. */
function readsFrom(c: number, len: number, mode: Mode): number {
  if (c >= 0 && c < len) return c;
  if (mode === 'constant') return -1;
  if (mode === 'nearest') return c < 0 ? 0 : len - 1;
  // reflect (d c b a | a b c d | d c b a): the pattern repeats every 2·len.
  const u = ((c % (2 * len)) + 2 * len) % (2 * len);
  return u < len ? u : 2 * len - 1 - u;
}

/** The expected pixels, [batch][y][x][channel], with zeros unsigned (kernels differ on the fill's sign). */
function expected(
  data: Float32Array,
  shape: [number, number, number, number],
  rows: number[][],
  s: ResampleSettings,
): number[][][][] {
  const [n, h, w, ch] = shape;
  return Array.from({ length: n }, (_, b) => {
    const t = rows.length === 1 ? rows[0]! : rows[b]!;
    return Array.from({ length: s.outHeight }, (_, i) => {
      const y = readsFrom(t[4]! * i + t[5]!, h, s.fillMode as Mode);
      return Array.from({ length: s.outWidth }, (_, j) => {
        const x = readsFrom(t[0]! * j + t[2]!, w, s.fillMode as Mode);
        return Array.from({ length: ch }, (_, k) => {
          const v = y < 0 || x < 0 ? Math.fround(s.fillValue) : data[((b * h + y) * w + x) * ch + k]!;
          return v === 0 ? 0 : v;
        });
      });
    });
  });
}

const unsigned = (a: number[][][][]) => a.map((b) => b.map((r) => r.map((p) => p.map((v) => (v === 0 ? 0 : v)))));

// On every backend the fast paths (one crop-and-resize in constant mode, gathers otherwise) give the
// pixels the fill modes define, at sizes and offsets where float32 box coordinates could round an
// edge pixel into the fill.
describeBackends('wholePixelResample (every backend)', () => {
  it('reads exactly the pixels the fill mode defines, for crops, flips and shifts far outside', () => {
    const wide = fc
      .tuple(fc.boolean(), fc.boolean(), fc.integer({ min: -60, max: 60 }), fc.integer({ min: -60, max: 60 }))
      .map(([flipX, flipY, c, f]) => [flipX ? -1 : 1, 0, c, 0, flipY ? -1 : 1, f, 0, 0]);
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 3 }).chain((n) =>
          fc.record({
            n: fc.constant(n),
            rows: fc.oneof(
              fc.array(wide, { minLength: n, maxLength: n }),
              fc.array(wide, { minLength: 1, maxLength: 1 }),
            ),
            size: fc.tuple(fc.integer({ min: 1, max: 41 }), fc.integer({ min: 1, max: 41 })),
            out: fc.tuple(fc.integer({ min: 1, max: 41 }), fc.integer({ min: 1, max: 41 })),
            channels: fc.constantFrom(1, 3),
            fillMode: fc.constantFrom('constant' as const, 'nearest' as const, 'reflect' as const),
            interpolation: fc.constantFrom('nearest' as const, 'bilinear' as const),
            fillValue: fc.constantFrom(0, 0.25, -3, -0),
            seed: fc.integer({ min: 1, max: 1000 }),
          }),
        ),
        ({ n, rows, size, out, channels, fillMode, interpolation, fillValue, seed }) => {
          const s: ResampleSettings = { fillMode, interpolation, fillValue, outHeight: out[0], outWidth: out[1] };
          const shape: [number, number, number, number] = [n, size[0], size[1], channels];
          const data = new Float32Array(shape.reduce((a, b) => a * b));
          let state = seed;
          for (let i = 0; i < data.length; i++) {
            state = (state * 48271) % 2147483647;
            data[i] = state / 2147483647 - 0.5;
          }
          const got = tf.tidy(() => {
            const r = wholePixelResample(tf.tensor4d(data, shape), rows, s);
            return r === undefined ? undefined : (r.arraySync() as number[][][][]);
          });
          const cropPath = fillMode === 'constant' && !Object.is(fillValue, -0) && Math.min(...size, ...out) >= 2;
          // The crop path has no backend exception: it must have run.
          if (cropPath) expect(got).toBeDefined();
          if (got !== undefined) expect(unsigned(got)).toEqual(expected(data, shape, rows, s));
        },
      ),
      { numRuns: runs(120) },
    );
  });
});

// TensorFlow's own ImageProjectiveTransformV3 is the reference: the gathers must give its values bit for bit.
describeBackends(
  'wholePixelResample',
  () => {
    it('equals TensorFlow’s kernel on flips and whole-pixel shifts, every fill mode it takes × interpolation', () => {
      fc.assert(
        fc.property(
          fc.integer({ min: 1, max: 4 }).chain((n) =>
            fc.record({
              n: fc.constant(n),
              rows: fc.oneof(
                fc.array(row, { minLength: n, maxLength: n }),
                fc.array(row, { minLength: 1, maxLength: 1 }),
              ),
              size: fc.tuple(fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 6 })),
              out: fc.tuple(fc.integer({ min: 1, max: 7 }), fc.integer({ min: 1, max: 7 })),
              fillMode: fc.constantFrom('constant' as const, 'nearest' as const, 'reflect' as const),
              interpolation: fc.constantFrom('nearest' as const, 'bilinear' as const),
              fillValue: fc.constantFrom(0, 0.25, -3),
            }),
          ),
          ({ n, rows, size, out, fillMode, interpolation, fillValue }) => {
            const s: ResampleSettings = { fillMode, interpolation, fillValue, outHeight: out[0], outWidth: out[1] };
            const [fast, reference] = tf.tidy(() => {
              const images = tf.randomUniform([n, size[0], size[1], 2], 0, 1, 'float32', 5) as tf.Tensor4D;
              return [wholePixelResample(images, rows, s)!.arraySync(), nativeResample(images, rows, s)!.arraySync()];
            });
            expect(fast).toEqual(reference);
          },
        ),
        { numRuns: runs(150) },
      );
    });

    it('leaves other rows, wrap and a tensor of rows to the general sampler', () => {
      const images = tf.ones([1, 3, 3, 1]) as tf.Tensor4D;
      const s: ResampleSettings = {
        fillMode: 'constant',
        interpolation: 'nearest',
        fillValue: 0,
        outHeight: 3,
        outWidth: 3,
      };
      expect(wholePixelResample(images, [[1, 0, 0.5, 0, 1, 0, 0, 0]], s)).toBeUndefined();
      expect(wholePixelResample(images, [[0, 1, 0, 1, 0, 0, 0, 0]], s)).toBeUndefined();
      expect(wholePixelResample(images, [[1, 0, 1, 0, 1, 0, 0, 0]], { ...s, fillMode: 'wrap' })).toBeUndefined();
      const rows = tf.tensor2d([[1, 0, 1, 0, 1, 0, 0, 0]]);
      expect(wholePixelResample(images, rows, s)).toBeUndefined();
      tf.dispose([images, rows]);
    });
  },
  { only: ['tensorflow'] },
);
