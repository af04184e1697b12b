import * as tf from '@tensorflow/tfjs-core';
// tfjs-core's gradients are registered by tfjs-layers when another test file loaded it: load them here, so that
// the gradient test below means the same run alone as in the whole suite.
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import fc from 'fast-check';
import { expect, it } from 'vitest';
import { affineTransform } from '../../../src/augment/functional/affineTransform.js';
import type { AffineTransformOptions } from '../../../src/augment/functional/affineTransform.js';
import { setNativeTransform } from '../../../src/augment/_internal/resample/native.js';
import { describeBackends } from '../../helpers/backends.js';
import { expectNoLeaks } from '../../helpers/leaks.js';
import { runs } from '../../helpers/runs.js';
import { caseArbitrary, INTERPOLATIONS, MODES, nearJump, tfjsReference } from './references.js';
import type { Case } from './references.js';

const image4d = (c: Case): tf.Tensor4D => tf.tensor4d(c.pixels, [c.batch, c.height, c.width, c.channels]);

/** Runs affineTransform and returns its values, disposing everything it made. */
function run(
  images: tf.Tensor4D,
  transforms: Parameters<typeof affineTransform>[1],
  options?: AffineTransformOptions,
): Float32Array {
  const out = affineTransform(images, transforms, options);
  const values = out.dataSync() as Float32Array;
  out.dispose();
  return values;
}

function ramp(batch: number, height: number, width: number, channels = 1): tf.Tensor4D {
  return tf.tensor4d(
    Array.from({ length: batch * height * width * channels }, (_, i) => (i * 7) % 23),
    [batch, height, width, channels],
  );
}

describeBackends('affineTransform', (backend) => {
  // On tfjs-node TensorFlow's own kernel runs outside gradient tapes; the portable ops are held to the same reference.
  const paths = backend === 'tensorflow' ? ['native kernel', 'portable ops'] : ['portable ops'];
  for (const path of paths) {
    it(`agrees with tf.image.transform (one image at a time) on every fill mode × interpolation (${path})`, async () => {
      setNativeTransform(path === 'native kernel');
      try {
        let compared = 0;
        let skipped = 0;
        await fc.assert(
          fc.asyncProperty(
            caseArbitrary,
            fc.double({ min: -2, max: 2, noNaN: true }),
            fc.nat(3),
            async (c, fillValue, form) => {
              for (const interpolation of INTERPOLATIONS) {
                for (const fillMode of MODES) {
                  // The four accepted transform forms; forms 2 and 3 share the first row across the batch.
                  const rows = form >= 2 ? c.rows.map(() => c.rows[0]!) : c.rows;
                  const reference = await tfjsReference({ ...c, rows }, interpolation, fillMode, fillValue, backend);
                  const images = image4d(c);
                  const transforms = [
                    () => rows,
                    () => tf.tensor2d(rows),
                    () => rows[0]!,
                    () => tf.tensor2d([rows[0]!]),
                  ][form]!();
                  const got = run(images, transforms, {
                    interpolation,
                    fillMode,
                    fillValue,
                    outputShape: c.outputShape,
                  });
                  tf.dispose([images, transforms as tf.Tensor]);
                  const [oh, ow] = c.outputShape ?? [c.height, c.width];
                  expect(got.length).toBe(reference.length);
                  for (let i = 0; i < got.length; i++) {
                    const pixel = Math.floor(i / c.channels);
                    const [b, y, x] = [Math.floor(pixel / (oh * ow)), Math.floor((pixel % (oh * ow)) / ow), pixel % ow];
                    if (nearJump(rows[b]!, x, y, interpolation, fillMode)) {
                      skipped++;
                      continue;
                    }
                    compared++;
                    if (Math.abs(got[i]! - reference[i]!) > 1e-5) {
                      expect.fail(
                        `${interpolation}/${fillMode} image ${b} (x ${x}, y ${y}) channel ${i % c.channels}: ${got[i]} vs tf.image.transform ${reference[i]}`,
                      );
                    }
                  }
                }
              }
            },
          ),
          { numRuns: runs(25) },
        );
        // Points a float32 rounding away from a tie or a wrap seam are skipped. fast-check favours
        // structured transforms (zero angles, round zooms), which land there more often than chance,
        // but the skipped points must stay a minority.
        expect(skipped).toBeLessThan(0.15 * compared);
      } finally {
        setNativeTransform(true);
      }
    });
  }

  it('under a gradient tape gives the same values, and a gradient through the images fails loudly instead of being zero', () => {
    const images = ramp(2, 3, 4);
    const shift = [1, 0, 1, 0, 1, 0, 0, 0];
    const plain = run(images, shift);
    let taped: Float32Array | undefined;
    const loss = (x: tf.Tensor) => {
      const out = affineTransform(x as tf.Tensor4D, shift);
      taped = out.dataSync() as Float32Array;
      return tf.sum(out);
    };
    // tfjs registers no gradient for GatherNd; TensorFlow's kernel would not be on the tape at all.
    expect(() => tf.grad(loss)(images)).toThrow(/GatherNd/);
    // The same values; only the sign of a zero fill may differ between the two samplers (wasm's -0).
    const unsigned = (a: Float32Array | undefined) => Array.from(a ?? []).map((v) => v + 0);
    expect(taped).toBeDefined();
    expect(unsigned(taped)).toEqual(unsigned(plain));
    images.dispose();
  });

  // TensorFlow's kernel reads the fill from a cached scalar; the portable ops pad, and the sign of their
  // zeros is the backend's.
  it.skipIf(backend !== 'tensorflow')('fills with +0 for fillValue 0 even after a -0 fill (tensorflow only)', () => {
    const images = ramp(1, 2, 3);
    const shift = [1, 0, 1, 0, 1, 0, 0, 0];
    const negative = run(images, shift, { fillMode: 'constant', fillValue: -0, interpolation: 'nearest' });
    const positive = run(images, shift, { fillMode: 'constant', fillValue: 0, interpolation: 'nearest' });
    // The last column reads past the image: the fill (-0 there may come back as either zero).
    expect([negative[2]!, negative[5]!].map(Math.abs)).toEqual([0, 0]);
    expect([positive[2], positive[5]].map((v) => Object.is(v, 0))).toEqual([true, true]);
    images.dispose();
  });

  it('is the identity for the identity transform', () => {
    const images = tf.randomUniform([2, 5, 4, 3], -1, 1, 'float32', 3) as tf.Tensor4D;
    const expected = images.dataSync();
    for (const interpolation of INTERPOLATIONS) {
      for (const fillMode of MODES) {
        expect(run(images, [1, 0, 0, 0, 1, 0, 0, 0], { interpolation, fillMode })).toEqual(expected);
      }
    }
    images.dispose();
  });

  it('shifts by whole pixels like a roll with fill (constant) or a roll (wrap)', () => {
    const [h, w] = [5, 7];
    const images = ramp(2, h, w);
    const src = images.arraySync();
    // TensorFlow's wrap is an exact roll only for shifts shorter than len − 1 (see fillModes.ts).
    for (const [dx, dy] of [
      [2, 1],
      [-3, 2],
      [1, -3],
      [-5, 3],
      [0, 0],
    ] as const) {
      for (const interpolation of INTERPOLATIONS) {
        const shifted = run(images, [[1, 0, dx, 0, 1, dy, 0, 0]], {
          interpolation,
          fillMode: 'constant',
          fillValue: -9,
        });
        const rolled = run(images, [[1, 0, dx, 0, 1, dy, 0, 0]], { interpolation, fillMode: 'wrap' });
        for (let b = 0; b < 2; b++) {
          for (let y = 0; y < h; y++) {
            for (let x = 0; x < w; x++) {
              const i = (b * h + y) * w + x;
              const [sy, sx] = [y + dy, x + dx];
              expect(shifted[i]).toBe(sy >= 0 && sy < h && sx >= 0 && sx < w ? src[b]![sy]![sx]![0] : -9);
              expect(rolled[i]).toBe(src[b]![(sy + h) % h]![(sx + w) % w]![0]);
            }
          }
        }
      }
    }
    images.dispose();
  });

  it('returns the input after four quarter turns about the centre of a square image', () => {
    for (const n of [4, 5]) {
      const turn = [0, -1, n - 1, 1, 0, 0, 0, 0];
      for (const interpolation of INTERPOLATIONS) {
        let current = ramp(2, n, n, 2);
        const original = current.dataSync();
        for (let k = 0; k < 4; k++) {
          const next = affineTransform(current, turn, { interpolation });
          if (k === 0) expect(next.dataSync()).not.toEqual(original);
          current.dispose();
          current = next;
        }
        expect(current.dataSync()).toEqual(original);
        current.dispose();
      }
    }
  });

  it('stays within the range of the input and the fill value', () => {
    fc.assert(
      fc.property(caseArbitrary, fc.double({ min: -3, max: 3, noNaN: true }), (c, fillValue) => {
        const images = image4d(c);
        const lo = Math.min(...c.pixels, fillValue) - 1e-5;
        const hi = Math.max(...c.pixels, fillValue) + 1e-5;
        for (const interpolation of INTERPOLATIONS) {
          for (const fillMode of MODES) {
            for (const v of run(images, c.rows, { interpolation, fillMode, fillValue, outputShape: c.outputShape })) {
              expect(v).toBeGreaterThanOrEqual(lo);
              expect(v).toBeLessThanOrEqual(hi);
            }
          }
        }
        images.dispose();
      }),
      { numRuns: runs(20) },
    );
  });

  it('fills where the projective depth is zero, and rounds halves away from zero like TensorFlow', async () => {
    const images = ramp(1, 3, 4);
    // k = 1 − x vanishes at x = 1; the shift by −0.5 puts x = 0 exactly on a rounding tie.
    for (const row of [
      [1, 0, 0, 0, 1, 0, -1, 0],
      [1, 0, -0.5, 0, 1, 0.5, 0, 0],
    ]) {
      for (const interpolation of INTERPOLATIONS) {
        const c: Case = {
          batch: 1,
          height: 3,
          width: 4,
          channels: 1,
          pixels: Array.from(images.dataSync()),
          rows: [row],
        };
        const expected = await tfjsReference(c, interpolation, 'constant', 7, backend);
        const got = run(images, [row], { interpolation, fillValue: 7 });
        expected.forEach((v, i) => expect(got[i]).toBeCloseTo(v, 5));
      }
    }
    images.dispose();
  });

  it("reflects points left of the image like TensorFlow's kernel ([dcba|abcd])", () => {
    const images = tf.tensor4d([10, 20, 30, 40], [1, 1, 4, 1]);
    // Input x = output x − 2: x = 0 and 1 read the mirrored −2 → 1 and −1 → 0.
    expect(
      Array.from(run(images, [1, 0, -2, 0, 1, 0, 0, 0], { interpolation: 'nearest', fillMode: 'reflect' })),
    ).toEqual([20, 10, 10, 20]);
    expect(Array.from(run(images, [1, 0, -0.5, 0, 1, 0, 0, 0], { fillMode: 'reflect' }))).toEqual([10, 15, 25, 35]);
    images.dispose();
  });

  it('leaks no tensors on any path', async () => {
    const images = ramp(3, 6, 5, 2);
    const perImage = tf.tensor2d([
      [1, 0, 0.5, 0, 1, -0.5, 0, 0],
      [0.9, 0.1, 0, -0.1, 0.9, 1, 0.01, 0],
      [1, 0, 0, 0, 1, 0, 0, 0],
    ]);
    for (const fillMode of MODES) {
      for (const interpolation of INTERPOLATIONS) {
        await expectNoLeaks(() =>
          affineTransform(images, [[1, 0, 0.5, 0, 1, -0.5, 0, 0]], { fillMode, interpolation }),
        );
        await expectNoLeaks(() => affineTransform(images, perImage, { fillMode, interpolation, outputShape: [4, 7] }));
      }
    }
    await expectNoLeaks(() => affineTransform(images, [[1, 0, 0, 0, 1, 0, 0.02, -0.01]]));
    tf.dispose([images, perImage]);
  });
});

it('affineTransform rejects bad input naming the function, argument and value', () => {
  const images = tf.zeros([2, 3, 3, 1]) as tf.Tensor4D;
  const id = [1, 0, 0, 0, 1, 0, 0, 0];
  const bad = (f: () => unknown, message: RegExp) => expect(f).toThrow(message);
  bad(
    () => affineTransform(tf.zeros([3, 3, 1]) as unknown as tf.Tensor4D, id),
    /^affineTransform: images must be a rank-4 tensor .*got a float32 tensor of shape \[3, 3, 1\]/,
  );
  bad(
    () => affineTransform(tf.zeros([1, 3, 3, 1], 'int32') as tf.Tensor4D, id),
    /^affineTransform: images must be a float32 tensor, got a int32 tensor/,
  );
  bad(
    () => affineTransform([[1]] as unknown as tf.Tensor4D, id),
    /^affineTransform: images must be a Tensor4D .*got \[\[1\]\]/,
  );
  bad(
    () => affineTransform(images, [1, 0, 0, 0, 1, 0, 0]),
    /^affineTransform: transforms\[0\] must be an array of 8 numbers, got \[1,0,0,0,1,0,0\]/,
  );
  bad(
    () => affineTransform(images, [id, id, id]),
    /^affineTransform: transforms must have shape \[1, 8\] or \[2, 8\].*got 3 rows for 2 images/,
  );
  bad(
    () => affineTransform(images, tf.zeros([3, 8]) as tf.Tensor2D),
    /^affineTransform: transforms must be a tensor of shape \[1, 8\] or \[2, 8\].*got a float32 tensor of shape \[3, 8\]/,
  );
  bad(
    () => affineTransform(images, tf.zeros([2, 7]) as tf.Tensor2D),
    /transforms must be a tensor of shape .*\[2, 7\]/,
  );
  bad(
    () => affineTransform(images, [1, 0, Number.NaN, 0, 1, 0, 0, 0]),
    /^affineTransform: transforms\[0\]\[2\] must be a finite float32 number, got NaN/,
  );
  bad(
    () => affineTransform(images, [1, 0, 1e39, 0, 1, 0, 0, 0]),
    /transforms\[0\]\[2\] must be a finite float32 number, got 1e\+39/,
  );
  bad(
    () => affineTransform(images, 'id' as unknown as number[]),
    /^affineTransform: transforms must be an 8-vector .*got "id"/,
  );
  bad(
    () => affineTransform(images, id, { interpolation: 'bicubic' as 'nearest' }),
    /^affineTransform: options.interpolation must be one of "nearest", "bilinear", got "bicubic"/,
  );
  bad(
    () => affineTransform(images, id, { fillMode: 'mirror' as 'wrap' }),
    /^affineTransform: options.fillMode must be one of .*got "mirror"/,
  );
  bad(
    () => affineTransform(images, id, { fillValue: Number.POSITIVE_INFINITY }),
    /^affineTransform: options.fillValue must be a finite float32 number \(\|x\| <= 3\.4e38\), got Infinity/,
  );
  bad(
    () => affineTransform(images, id, { outputShape: [0, 3] }),
    /^affineTransform: options.outputShape must be \[height, width\], two positive integers, got \[0,3\]/,
  );
  bad(
    () => affineTransform(images, id, { outputShape: [2.5, 3] as [number, number] }),
    /outputShape must be .*got \[2.5,3\]/,
  );
  bad(
    () => affineTransform(images, id, 'bilinear' as unknown as AffineTransformOptions),
    /^affineTransform: options must be an options object, got "bilinear"/,
  );
  images.dispose();
});
