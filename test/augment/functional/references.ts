import * as tf from '@tensorflow/tfjs-core';
// The references run on these two whatever BACKENDS selects for the code under test.
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import fc from 'fast-check';

export type Interp = 'nearest' | 'bilinear';
export type Mode = 'constant' | 'reflect' | 'wrap' | 'nearest';
export const INTERPOLATIONS: readonly Interp[] = ['nearest', 'bilinear'];
export const MODES: readonly Mode[] = ['constant', 'reflect', 'wrap', 'nearest'];

export interface Case {
  batch: number;
  height: number;
  width: number;
  channels: number;
  /** Flat NHWC pixels. */
  pixels: number[];
  /** One 8-vector per image. */
  rows: number[][];
  outputShape?: [number, number];
}

/**
 * tfjs' own tf.image.transform, run ONE image at a time (the cpu kernel only transforms the first
 * image of a batch). The reference backend is wasm, except for 'reflect': wasm's kernel reflects
 * negative coordinates wrongly (`-len` on an unsigned length), so 'reflect' is checked against
 * tfjs-cpu, whose kernel is a line-by-line port of TensorFlow's. Switches back to `restore`.
 */
export async function tfjsReference(
  c: Case,
  interp: Interp,
  mode: Mode,
  fill: number,
  restore: string,
): Promise<Float32Array> {
  await tf.setBackend(mode === 'reflect' ? 'cpu' : 'wasm');
  const per = c.height * c.width * c.channels;
  const [oh, ow] = c.outputShape ?? [c.height, c.width];
  const out = new Float32Array(c.batch * oh * ow * c.channels);
  for (let b = 0; b < c.batch; b++) {
    const result = tf.tidy(() => {
      const image = tf.tensor4d(c.pixels.slice(b * per, (b + 1) * per), [1, c.height, c.width, c.channels]);
      return tf.image.transform(image, tf.tensor2d([c.rows[b]!], [1, 8]), interp, mode, fill, c.outputShape);
    });
    out.set(result.dataSync(), b * oh * ow * c.channels);
    result.dispose();
  }
  await tf.setBackend(restore);
  return out;
}

/**
 * Whether an output pixel's source point is within `eps` of a point where the kernel's value jumps,
 * so that float32 rounding (which differs between kernels and our matMul) may pick either side:
 * half-integers for nearest rounding, integers for TensorFlow's 'wrap' (its period arithmetic is
 * discontinuous there). Coordinates are computed here in float64.
 */
export function nearJump(
  row: readonly number[],
  x: number,
  y: number,
  interp: Interp,
  mode: Mode,
  eps = 1e-4,
): boolean {
  const k = row[6]! * x + row[7]! * y + 1;
  const coords = [(row[0]! * x + row[1]! * y + row[2]!) / k, (row[3]! * x + row[4]! * y + row[5]!) / k];
  // Exact hits (whole or half pixels from structured transforms) are computed exactly by every
  // kernel, so only near misses are ambiguous.
  const near = (d: number) => d > 0 && d < eps;
  const fracDistance = (v: number, at: number) => Math.abs(v - Math.floor(v) - at);
  return coords.some(
    (v) =>
      (interp === 'nearest' && near(fracDistance(v, 0.5))) ||
      (mode === 'wrap' && (near(fracDistance(v, 0)) || near(fracDistance(v, 1)))),
  );
}

/**
 * Random transforms of the kinds augmentation uses, about the image centre: rotation, zoom, shear
 * and shift, plus (optionally) small projective terms that keep the depth k within ±10% of 1.
 */
export function transformRow(height: number, width: number, projective: boolean): fc.Arbitrary<number[]> {
  return fc
    .record({
      angle: fc.double({ min: -Math.PI, max: Math.PI, noNaN: true }),
      zoom: fc.double({ min: 0.6, max: 1.6, noNaN: true }),
      shear: fc.double({ min: -0.4, max: 0.4, noNaN: true }),
      dx: fc.double({ min: -0.6, max: 0.6, noNaN: true }),
      dy: fc.double({ min: -0.6, max: 0.6, noNaN: true }),
      c0: fc.double({ min: -1, max: 1, noNaN: true }),
      c1: fc.double({ min: -1, max: 1, noNaN: true }),
    })
    .map(({ angle, zoom, shear, dx, dy, c0, c1 }) => {
      const [cos, sin] = [Math.cos(angle) * zoom, Math.sin(angle) * zoom];
      const [a0, a1, b0, b1] = [cos, -sin + shear, sin, cos];
      const [cx, cy] = [(width - 1) / 2, (height - 1) / 2];
      const depth = projective ? 0.1 / Math.max(width + height, 1) : 0;
      return [
        a0,
        a1,
        cx - a0 * cx - a1 * cy + dx * width,
        b0,
        b1,
        cy - b0 * cx - b1 * cy + dy * height,
        c0 * depth,
        c1 * depth,
      ].map(Math.fround);
    });
}

/** A batch of random images with random transforms (one per image), sometimes a new output size. */
export const caseArbitrary: fc.Arbitrary<Case> = fc
  .record({
    batch: fc.integer({ min: 1, max: 3 }),
    height: fc.integer({ min: 1, max: 9 }),
    width: fc.integer({ min: 1, max: 9 }),
    channels: fc.integer({ min: 1, max: 3 }),
    projective: fc.boolean(),
    resize: fc.option(fc.tuple(fc.integer({ min: 1, max: 11 }), fc.integer({ min: 1, max: 11 })), { nil: undefined }),
  })
  .chain(({ batch, height, width, channels, projective, resize }) =>
    fc.record({
      batch: fc.constant(batch),
      height: fc.constant(height),
      width: fc.constant(width),
      channels: fc.constant(channels),
      pixels: fc.array(fc.double({ min: -1, max: 1, noNaN: true }).map(Math.fround), {
        minLength: batch * height * width * channels,
        maxLength: batch * height * width * channels,
      }),
      rows: fc.array(transformRow(height, width, projective), { minLength: batch, maxLength: batch }),
      outputShape: fc.constant(resize),
    }),
  );
