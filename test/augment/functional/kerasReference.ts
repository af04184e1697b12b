/**
 * A JavaScript re-enactment of Keras' `apply_affine_transform` (Keras 2.x
 * keras/preprocessing/image.py, identical in Keras 3's keras/src/legacy/preprocessing/image.py),
 * including its call to `scipy.ndimage.affine_transform(order=1)`.
 *
 * There is no Python, Keras or SciPy on this machine, so this is NOT their output: it is a test
 * reference written from (1) Keras' source, step by step and in float64 (matrices built and
 * multiplied as numpy does, offset about (h/2 − 0.5, w/2 − 0.5), then rows and columns swapped,
 * M' = P·M·P), and (2) SciPy's documented semantics of affine_transform: the output index o =
 * (row, col) reads the input at M'[:2, :2]·o + M'[:2, 2]; order 1 interpolates linearly between the
 * two neighbouring samples per axis, no prefilter; samples beyond the edge come from the extended
 * input: mode 'nearest' repeats the edge (a a a | a b c d | d d d), mode 'reflect' mirrors about
 * the edge, half-sample symmetric (d c b a | a b c d | d c b a).
 * It shares no code with src/, so agreeing with it checks kerasTransformMatrix's algebra, its axis
 * swap and centre, and that tf's fill modes of the same names mean SciPy's.
 */
export interface KerasParams {
  theta?: number;
  tx?: number;
  ty?: number;
  shear?: number;
  zx?: number;
  zy?: number;
}

type M3 = number[][];

const dot = (a: M3, b: M3): M3 => a.map((row) => b[0]!.map((_, j) => row.reduce((s, v, k) => s + v * b[k]![j]!, 0)));

/** The 3×3 matrix Keras hands to SciPy (in SciPy's (row, col) index order), or null for "no transform". */
export function kerasScipyMatrix(p: KerasParams, h: number, w: number): M3 | null {
  const { theta = 0, tx = 0, ty = 0, shear = 0, zx = 1, zy = 1 } = p;
  let m: M3 | null = null;
  const chain = (next: M3) => (m = m === null ? next : dot(m, next));
  if (theta !== 0) {
    const t = (theta * Math.PI) / 180;
    chain([
      [Math.cos(t), -Math.sin(t), 0],
      [Math.sin(t), Math.cos(t), 0],
      [0, 0, 1],
    ]);
  }
  if (tx !== 0 || ty !== 0)
    chain([
      [1, 0, tx],
      [0, 1, ty],
      [0, 0, 1],
    ]);
  if (shear !== 0) {
    const s = (shear * Math.PI) / 180;
    chain([
      [1, -Math.sin(s), 0],
      [0, Math.cos(s), 0],
      [0, 0, 1],
    ]);
  }
  if (zx !== 1 || zy !== 1)
    chain([
      [zx, 0, 0],
      [0, zy, 0],
      [0, 0, 1],
    ]);
  if (m === null) return null;
  // transform_matrix_offset_center(m, h, w): o_x = h / 2 − 0.5, o_y = w / 2 − 0.5.
  const [ox, oy] = [h / 2 - 0.5, w / 2 - 0.5];
  let centred = dot(
    dot(
      [
        [1, 0, ox],
        [0, 1, oy],
        [0, 0, 1],
      ],
      m,
    ),
    [
      [1, 0, -ox],
      [0, 1, -oy],
      [0, 0, 1],
    ],
  );
  // channels_last single image: col_axis (1) > row_axis (0), so Keras swaps columns, then rows.
  centred = centred.map((r) => [r[1]!, r[0]!, r[2]!]);
  return [centred[1]!, centred[0]!, centred[2]!];
}

function extend(i: number, n: number, mode: 'nearest' | 'reflect'): number {
  if (mode === 'nearest') return Math.min(Math.max(i, 0), n - 1);
  const m = ((i % (2 * n)) + 2 * n) % (2 * n);
  return m < n ? m : 2 * n - 1 - m;
}

/**
 * Keras' apply_affine_transform(x, **params, fill_mode, order=1) for an image given as
 * [h][w][channels]; returns the same layout.
 */
export function kerasApplyAffine(image: number[][][], p: KerasParams, fillMode: 'nearest' | 'reflect'): number[][][] {
  const h = image.length;
  const w = image[0]!.length;
  const m = kerasScipyMatrix(p, h, w);
  if (m === null) return image;
  const read = (r: number, c: number, k: number) => image[extend(r, h, fillMode)]![extend(c, w, fillMode)]![k]!;
  return image.map((rowPixels, r) =>
    rowPixels.map((pixel, c) => {
      const ir = m[0]![0]! * r + m[0]![1]! * c + m[0]![2]!;
      const ic = m[1]![0]! * r + m[1]![1]! * c + m[1]![2]!;
      const [r0, c0] = [Math.floor(ir), Math.floor(ic)];
      const [fr, fc] = [ir - r0, ic - c0];
      return pixel.map(
        (_, k) =>
          (1 - fr) * ((1 - fc) * read(r0, c0, k) + fc * read(r0, c0 + 1, k)) +
          fr * ((1 - fc) * read(r0 + 1, c0, k) + fc * read(r0 + 1, c0 + 1, k)),
      );
    }),
  );
}
