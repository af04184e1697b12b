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
