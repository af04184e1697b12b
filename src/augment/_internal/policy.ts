import * as tf from '@tensorflow/tfjs-core';
import type { Tensor, Tensor4D } from '@tensorflow/tfjs-core';
import { clip } from '../../core/clip.js';
import { cachedConstant, cachedScalar } from '../../core/constantCache.js';
import type { BatchInfo } from '../augmentation.js';
import { adjustSharpness } from '../functional/adjustSharpness.js';
import { affineTransform } from '../functional/affineTransform.js';
import { autoContrast } from '../functional/autoContrast.js';
import { equalize } from '../functional/equalize.js';
import { invert } from '../functional/invert.js';
import { posterize } from '../functional/posterize.js';
import { solarize } from '../functional/solarize.js';
import { toTransformRow } from './affineFusion.js';
import { perGroup } from './groups.js';

/**
 * The operations of the augmentation policies (randAugment, trivialAugmentWide), each with one
 * concrete argument: degrees, shear factor, pixels, enhancement factor, bits, or a value in [0, 1].
 */
export type PolicyKind =
  | 'identity'
  | 'rotate'
  | 'shearX'
  | 'shearY'
  | 'translateX'
  | 'translateY'
  | 'brightness'
  | 'color'
  | 'contrast'
  | 'sharpness'
  | 'posterize'
  | 'solarize'
  | 'solarizeAdd'
  | 'autoContrast'
  | 'equalize'
  | 'invert';

/** One image's operation in one layer of a policy; `null` leaves the image as it is. */
export type PolicyStep = { kind: PolicyKind; arg: number } | null;

/** How the two policies differ where their references (PIL for timm, torchvision's tensor ops) differ. */
export interface PolicyFlavour {
  /** Luma weights of the colour and contrast blends: PIL's 299/587/114 ‰, torchvision's 0.2989/0.587/0.114. */
  luma: readonly [number, number, number];
  /**
   * Shear about the centre of the top-left pixel or about the top edge of the image (PIL's affine, whose
   * coordinates are pixel corners, and torchvision's `center=[0, 0]`, which is the image's corner in its
   * grid of pixel corners): half a pixel of shift apart.
   */
  shearOrigin: 'corner' | 'edge';
  interpolation: 'nearest' | 'bilinear';
  fillValue: number;
  /**
   * Posterize on 8-bit levels (PIL's, and timm's identity at 8 bits) or torchvision's float-tensor rule
   * `floor(x · 2^bits)` clamped to `2^bits − 1`, over `2^bits`, which moves even an 8-bit image.
   * @defaultValue 'uint8'
   */
  posterize?: 'uint8' | 'float';
  /**
   * How the fill enters a bilinear sample near the border: each out-of-image tap reads the fill (TensorFlow's
   * and PIL's constant mode), or torchvision's tensor rule, which resamples a ones channel with zero padding
   * and returns `warped · mask + (1 − mask) · fill` (its image taps are weighted by the mask twice). Nearest
   * sampling gives the same either way.
   * @defaultValue 'taps'
   */
  fillRule?: 'taps' | 'mask';
}

const GEOMETRIC: ReadonlySet<PolicyKind> = new Set([
  'identity',
  'rotate',
  'shearX',
  'shearY',
  'translateX',
  'translateY',
]);

/**
 * The 3×3 output→input matrix of a geometric step, in pixel-centre coordinates (affineTransform's),
 * from the reference's own: PIL reads input `A·(x + ½) + b − ½` for output pixel x, so an affine tuple
 * `(a, b, c, d, e, f)` becomes the row `(a, b, c + (a + b − 1)/2, d, e, f + (d + e − 1)/2)`.
 */
export function policyMatrix(kind: PolicyKind, arg: number, info: BatchInfo, flavour: PolicyFlavour): number[] {
  const half = flavour.shearOrigin === 'edge' ? arg / 2 : 0;
  switch (kind) {
    case 'rotate': {
      // Counter-clockwise on screen by arg degrees, about the image centre (PIL's and torchvision's rotate).
      const t = (arg * Math.PI) / 180;
      const [c, s] = [Math.cos(t), Math.sin(t)];
      const [cx, cy] = [(info.width - 1) / 2, (info.height - 1) / 2];
      return [c, -s, cx - c * cx + s * cy, s, c, cy - s * cx - c * cy, 0, 0, 1];
    }
    case 'shearX':
      return [1, arg, half, 0, 1, 0, 0, 0, 1];
    case 'shearY':
      return [1, 0, 0, arg, 1, half, 0, 0, 1];
    case 'translateX':
      return [1, 0, arg, 0, 1, 0, 0, 0, 1];
    case 'translateY':
      return [1, 0, 0, 0, 1, arg, 0, 0, 1];
    default:
      return [1, 0, 0, 0, 1, 0, 0, 0, 1];
  }
}

/**
 * One layer of a policy on the whole batch: the images are split by the kind they drew (every
 * geometric kind in one group, resampled in one pass with each image's matrix), and each kind runs
 * once, on its own images only; images that drew nothing, or `identity`, are left exactly as they
 * were (so an image that did not draw posterize is not rounded to 1/255 steps, and an input outside
 * [0, 1] is not clipped). The split is a decision on the JSON params, never on pixel values. Every
 * kind acts on each image alone, so the result is each image's own op, whatever the others drew.
 */
export function applyPolicyLayer(
  images: Tensor4D,
  steps: readonly PolicyStep[],
  info: BatchInfo,
  flavour: PolicyFlavour,
): Tensor4D {
  const groupOf = steps.map((s) =>
    s === null || s.kind === 'identity' ? 'identity' : GEOMETRIC.has(s.kind) ? 'geometric' : s.kind,
  );
  return perGroup(images, groupOf, (group, x, members) => {
    if (group === 'identity') return x;
    if (group === 'geometric') {
      const rows = members.map((i) => toTransformRow(policyMatrix(steps[i]!.kind, steps[i]!.arg, info, flavour)));
      return flavour.fillRule === 'mask'
        ? maskedWarp(x, rows, flavour)
        : affineTransform(x, rows, {
            interpolation: flavour.interpolation,
            fillMode: 'constant',
            fillValue: flavour.fillValue,
          });
    }
    return photometric(
      group,
      x,
      members.map((i) => steps[i]!.arg),
      flavour,
    );
  });
}

/** torchvision's `_apply_grid_transform` fill: the ones channel rides along in the same resampling pass. */
function maskedWarp(x: Tensor4D, rows: number[][], flavour: PolicyFlavour): Tensor4D {
  const [n, h, w, c] = x.shape;
  const ones = tf.ones([n, h, w, 1]);
  const warped = affineTransform(tf.concat([x, ones], 3) as Tensor4D, rows, {
    interpolation: flavour.interpolation,
    fillMode: 'constant',
    fillValue: 0,
  });
  const [image, mask] = tf.split(warped, [c, 1], 3) as [Tensor, Tensor];
  const fill = tf.mul(tf.sub(cachedScalar(1), mask), cachedScalar(flavour.fillValue));
  return tf.add(tf.mul(image, mask), fill) as Tensor4D;
}

function sampleMask(mask: readonly boolean[]): Tensor {
  return tf.tensor4d(
    mask.map((m) => (m ? 1 : 0)),
    [mask.length, 1, 1, 1],
    'bool',
  );
}

function perImage(args: readonly number[]): Tensor {
  return tf.tensor4d(args as number[], [args.length, 1, 1, 1], 'float32');
}

/** The image's luma, `[batch, h, w, 1]`; any channel count other than 3 uses the channel mean (one channel: itself). */
function luma(x: Tensor4D, weights: readonly [number, number, number]): Tensor {
  if (x.shape[3] !== 3) return tf.mean(x, -1, true);
  const w = cachedConstant(`policy:luma:${weights.join(',')}`, () => tf.tensor4d([...weights], [1, 1, 1, 3]));
  return tf.sum(tf.mul(x, w), -1, true);
}

/** PIL's and torchvision's enhancement blend `degenerate + f · (x − degenerate)`, clipped to [0, 1]. */
function blend(x: Tensor4D, degenerate: Tensor, f: Tensor): Tensor4D {
  return clip(tf.add(degenerate, tf.mul(f, tf.sub(x, degenerate))), 0, 1) as Tensor4D;
}

function photometric(kind: PolicyKind, x: Tensor4D, args: readonly number[], flavour: PolicyFlavour): Tensor4D {
  const s = cachedScalar;
  switch (kind) {
    case 'brightness':
      return blend(x, s(0), perImage(args));
    case 'color':
      return blend(x, luma(x, flavour.luma), perImage(args));
    case 'contrast':
      return blend(x, tf.mean(luma(x, flavour.luma), [1, 2, 3], true), perImage(args));
    case 'sharpness': {
      // PIL and torchvision leave the outermost pixels unsmoothed, so a sharpened border is the input's.
      const [, h, w] = x.shape;
      const border = cachedConstant(`policy:border:${h}:${w}`, () =>
        tf.tidy(() => {
          const inner = tf.pad(tf.ones([1, Math.max(h - 2, 0), Math.max(w - 2, 0), 1]), [
            [0, 0],
            [1, 1],
            [1, 1],
            [0, 0],
          ]);
          return tf.equal(tf.slice(inner, [0, 0, 0, 0], [1, h, w, 1]), 0);
        }),
      );
      return tf.where(border, x, adjustSharpness(x, args as number[])) as Tensor4D;
    }
    case 'posterize': {
      if (flavour.posterize === 'float') {
        const levels = perImage(args.map((b) => 2 ** b));
        const level = tf.minimum(tf.maximum(tf.floor(tf.mul(x, levels)), s(0)), tf.sub(levels, s(1)));
        return tf.div(level, levels) as Tensor4D;
      }
      // timm keeps an image for 8 bits or more (PIL would map 8 bits to itself on uint8) and blacks it for 0.
      const kept = posterize(
        x,
        args.map((b) => Math.min(8, Math.max(1, b))),
      );
      // Each mask is a decision on the params; one no image needs is skipped (a where broadcasts in two kernels).
      const zero = args.map((b) => b < 1);
      const out = zero.some(Boolean) ? tf.where(sampleMask(zero), s(0), kept) : kept;
      const keep = args.map((b) => b >= 8);
      return (keep.some(Boolean) ? tf.where(sampleMask(keep), x, out) : out) as Tensor4D;
    }
    case 'solarize':
      return solarize(x, args as number[]);
    case 'solarizeAdd': {
      // timm's lookup table: pixels below 128/255 gain the addition (clipped at white), the others stay.
      const added = tf.minimum(tf.add(x, perImage(args)), s(1));
      return tf.where(tf.less(x, s(128 / 255)), added, x) as Tensor4D;
    }
    case 'autoContrast':
      return autoContrast(x);
    case 'equalize':
      return equalize(x);
    case 'invert':
      return invert(x);
    default:
      return x;
  }
}
