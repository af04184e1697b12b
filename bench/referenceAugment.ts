/**
 * A plain-JavaScript, one-image-at-a-time affine warp (bilinear, fill 'nearest'): the work Keras'
 * ImageDataGenerator does per image with scipy, used as the baseline of bench/augment.ts.
 */
export function referenceAugment(src: Float32Array, h: number, w: number, m: readonly number[]): Float32Array {
  const out = new Float32Array(h * w);
  const at = (x: number, y: number) => src[Math.min(h - 1, Math.max(0, y)) * w + Math.min(w - 1, Math.max(0, x))]!;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const sx = m[0]! * x + m[1]! * y + m[2]!;
      const sy = m[3]! * x + m[4]! * y + m[5]!;
      const x0 = Math.floor(sx);
      const y0 = Math.floor(sy);
      const fx = sx - x0;
      const fy = sy - y0;
      out[y * w + x] =
        (1 - fy) * ((1 - fx) * at(x0, y0) + fx * at(x0 + 1, y0)) +
        fy * ((1 - fx) * at(x0, y0 + 1) + fx * at(x0 + 1, y0 + 1));
    }
  }
  return out;
}
