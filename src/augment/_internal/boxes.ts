import type { RandomGenerator } from '../../core/random.js';
import { invalidArgument } from '../../core/validate.js';

/** `[y0, x0, y1, x1)` in pixels, already clipped to the image (possibly empty). */
export type Box = [number, number, number, number];

/** How box sizes are chosen: a fixed size per side (pixels, or a fraction < 1 of the side), or an area range. */
export type BoxSpec =
  { kind: 'size'; height: number; width: number } | { kind: 'scale'; scale: [number, number]; ratio: [number, number] };

// As torchvision's RandomErasing: a drawn box that does not fit is redrawn this many times, then skipped.
const ATTEMPTS = 10;

/** Validates `size`: pixels (integer >= 1) or a fraction in (0, 1), for a square or as [height, width]. */
export function checkSize(fn: string, value: unknown): { height: number; width: number } {
  const side = (v: unknown) => typeof v === 'number' && Number.isFinite(v) && v > 0 && (v < 1 || Number.isInteger(v));
  const pair = Array.isArray(value) ? value : [value, value];
  if (pair.length !== 2 || !pair.every(side)) {
    throw invalidArgument(
      fn,
      'size',
      value,
      'pixels (an integer >= 1) or a fraction of the side in (0, 1), or [height, width] of those',
    );
  }
  return { height: pair[0] as number, width: pair[1] as number };
}

/** Validates a `[min, max]` range with `0 < min <= max <= upper`. */
export function checkRange(fn: string, arg: string, value: unknown, upper: number): [number, number] {
  const ok =
    Array.isArray(value) && value.length === 2 && value.every((v) => Number.isFinite(v) && v > 0 && v <= upper);
  const bound = upper === Infinity ? 'finite' : `<= ${upper}`;
  if (!ok || value[0] > value[1]) throw invalidArgument(fn, arg, value, `[min, max] with 0 < min <= max ${bound}`);
  return [value[0], value[1]];
}

/**
 * Draws one box. Centred boxes (`inside` false, DeVries & Taylor's cutout) have their centre
 * uniform over the image and are clipped by the border, so border pixels are erased as often as
 * inner ones; `inside` boxes (random erasing) are placed wholly within the image.
 */
export function sampleBox(spec: BoxSpec, inside: boolean, height: number, width: number, rng: RandomGenerator): Box {
  if (spec.kind === 'size') {
    return place(pixels(spec.height, height), pixels(spec.width, width), inside, height, width, rng);
  }
  const area = height * width;
  const [logLow, logHigh] = [Math.log(spec.ratio[0]), Math.log(spec.ratio[1])];
  for (let i = 0; i < ATTEMPTS; i++) {
    const target = area * rng.uniform(spec.scale[0], spec.scale[1]);
    // Log-uniform aspect ratio (height / width), so that r and 1 / r are equally likely.
    const aspect = Math.exp(rng.uniform(logLow, logHigh));
    const h = Math.round(Math.sqrt(target * aspect));
    const w = Math.round(Math.sqrt(target / aspect));
    if (h <= height && w <= width) return place(h, w, inside, height, width, rng);
  }
  return [0, 0, 0, 0];
}

function pixels(size: number, side: number): number {
  return size < 1 ? Math.max(1, Math.round(size * side)) : size;
}

function place(h: number, w: number, inside: boolean, height: number, width: number, rng: RandomGenerator): Box {
  if (inside) {
    const bh = Math.min(h, height);
    const bw = Math.min(w, width);
    const y0 = rng.integer(height - bh + 1);
    const x0 = rng.integer(width - bw + 1);
    return [y0, x0, y0 + bh, x0 + bw];
  }
  const y0 = rng.integer(height) - Math.floor(h / 2);
  const x0 = rng.integer(width) - Math.floor(w / 2);
  return [Math.max(0, y0), Math.max(0, x0), Math.min(height, y0 + h), Math.min(width, x0 + w)];
}

/** Whether `b` is a box `[y0, x0, y1, x1)` of integers within a height × width image (it may be empty). */
export function isBoxWithin(b: unknown, height: number, width: number): b is Box {
  return (
    Array.isArray(b) &&
    b.length === 4 &&
    b.every(Number.isInteger) &&
    0 <= b[0] &&
    b[0] <= b[2] &&
    b[2] <= height &&
    0 <= b[1] &&
    b[1] <= b[3] &&
    b[3] <= width
  );
}

/** Checks replayed boxes: one list per image, each box integer and within the image. */
export function checkBoxes(fn: string, boxes: unknown, batchSize: number, height: number, width: number): void {
  const valid = (b: unknown) => isBoxWithin(b, height, width);
  if (
    !Array.isArray(boxes) ||
    boxes.length !== batchSize ||
    !boxes.every((list) => Array.isArray(list) && list.every(valid))
  ) {
    throw invalidArgument(
      fn,
      'params.boxes',
      boxes,
      `${batchSize} lists (one per image) of [y0, x0, y1, x1] boxes within ${height}x${width}`,
    );
  }
}

/**
 * timm's CutMix box for λ (its `rand_bbox`): sides trunc(side · sqrt(1 - λ)), an integer centre
 * (cy, cx) uniform over the pixels, half-sides floor(cut / 2) on both sides (so an odd cut loses a
 * pixel, as in timm), clipped to the image.
 */
export function lambdaBox(height: number, width: number, lambda: number, cy: number, cx: number): Box {
  const ratio = Math.sqrt(1 - lambda);
  const halfH = Math.floor(Math.trunc(height * ratio) / 2);
  const halfW = Math.floor(Math.trunc(width * ratio) / 2);
  const clip = (v: number, hi: number) => Math.min(hi, Math.max(0, v));
  return [clip(cy - halfH, height), clip(cx - halfW, width), clip(cy + halfH, height), clip(cx + halfW, width)];
}

/**
 * timm's min-max CutMix box (`rand_bbox_minmax`): each side an integer in [trunc(side · min),
 * trunc(side · max)), the box wholly inside the image. `integer(n)` draws uniformly from [0, n). Where
 * the range is empty (a small image; numpy would raise) the side is trunc(side · min).
 */
export function minMaxBox(
  height: number,
  width: number,
  [min, max]: readonly [number, number],
  integer: (n: number) => number,
): Box {
  const side = (n: number) => {
    const lo = Math.trunc(n * min);
    return lo + integer(Math.max(1, Math.trunc(n * max) - lo));
  };
  const h = side(height);
  const w = side(width);
  const y0 = integer(height - h);
  const x0 = integer(width - w);
  return [y0, x0, y0 + h, x0 + w];
}
