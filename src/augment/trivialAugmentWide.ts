import { checkFloat32, checkOptions, checkProbability, invalidArgument, optionNames } from '../core/validate.js';
import { checkParamsObject, passLabels } from './_internal/batch.js';
import { defineAugmentation } from './_internal/defineAugmentation.js';
import { applyPolicyLayer } from './_internal/policy.js';
import { torchLinspace, torchvisionFlavour, torchvisionStep } from './_internal/torchvisionOps.js';
import type { Augmentation } from './augmentation.js';
import { roundHalfEven } from './_internal/crops.js';

/** torchvision v2 TrivialAugmentWide's operations (`_AUGMENTATION_SPACE`), by torchvision's names. */
export type TrivialAugmentOp =
  | 'Identity'
  | 'ShearX'
  | 'ShearY'
  | 'TranslateX'
  | 'TranslateY'
  | 'Rotate'
  | 'Brightness'
  | 'Color'
  | 'Contrast'
  | 'Sharpness'
  | 'Posterize'
  | 'Solarize'
  | 'AutoContrast'
  | 'Equalize';

/** Every TrivialAugmentOp, in torchvision's order (the draw indexes this list). */
const TRIVIAL_AUGMENT_OPS: readonly TrivialAugmentOp[] = [
  'Identity',
  'ShearX',
  'ShearY',
  'TranslateX',
  'TranslateY',
  'Rotate',
  'Brightness',
  'Color',
  'Contrast',
  'Sharpness',
  'Posterize',
  'Solarize',
  'AutoContrast',
  'Equalize',
];

/** Options of {@link trivialAugmentWide}: torchvision v2 `TrivialAugmentWide`'s, camel-cased. */
export interface TrivialAugmentWideOptions {
  /**
   * Number of magnitude bins, each drawn with the same probability; an integer >= 2.
   * torchvision: `num_magnitude_bins`. @defaultValue 31
   */
  numMagnitudeBins?: number;
  /** Value of pixels the geometric operations bring in from outside. torchvision: `fill`. @defaultValue 0 */
  fillValue?: number;
  /** Resampling of the geometric operations. torchvision: `interpolation`. @defaultValue 'nearest' */
  interpolation?: 'nearest' | 'bilinear';
  /** Probability that an image goes through the policy at all (torchvision has none: 1). @defaultValue 1 */
  p?: number;
  /** Seed of the parameters drawn when none are given. @defaultValue a fresh random seed */
  seed?: number;
}

const TRIVIAL_AUGMENT_WIDE_OPTIONS = optionNames<TrivialAugmentWideOptions>()(
  'numMagnitudeBins',
  'fillValue',
  'interpolation',
  'p',
  'seed',
);

/** The draw of one image: the operation, its magnitude bin, the sign of a signed operation, and `p`. */
export interface TrivialAugmentStep {
  op: TrivialAugmentOp;
  /** Index of the magnitude bin, from 0 to `numMagnitudeBins − 1` (drawn for every op, used by those with one). */
  bin: number;
  /** Whether a signed operation goes the negative way (torchvision's `torch.rand(()) <= 0.5`). */
  negate: boolean;
  /** Whether the image goes through the policy (`p`). */
  applied: boolean;
}

/** Parameters of one {@link trivialAugmentWide} call: one step per image. */
export interface TrivialAugmentWideParams {
  samples: TrivialAugmentStep[];
}

const f32 = Math.fround;

/**
 * The magnitude of an operation at bin k of n, signed, as torchvision's `_AUGMENTATION_SPACE` and
 * `forward` give it (float32 bins, then a Python float).
 */
function trivialAugmentMagnitude(op: TrivialAugmentOp, bin: number, n: number, negate: boolean): number {
  const sign = negate ? -1 : 1;
  switch (op) {
    case 'ShearX':
    case 'ShearY':
    case 'Brightness':
    case 'Color':
    case 'Contrast':
    case 'Sharpness':
      return sign * torchLinspace(0, 0.99, n, bin);
    case 'TranslateX':
    case 'TranslateY':
      return sign * torchLinspace(0, 32, n, bin);
    case 'Rotate':
      return sign * torchLinspace(0, 135, n, bin);
    case 'Posterize':
      return roundHalfEven(f32(8 - f32(bin / f32((n - 1) / 6))));
    case 'Solarize':
      return torchLinspace(1, 0, n, bin);
    default:
      return 0;
  }
}

/**
 * TrivialAugment Wide (Müller & Hutter 2021) as torchvision v2 implements it
 * (`torchvision.transforms.v2.TrivialAugmentWide`): each image goes through one operation drawn
 * uniformly from fourteen (identity, shear up to 0.99, translate up to 32 pixels, rotate up to 135°,
 * brightness, colour, contrast and sharpness factors 1 ± up to 0.99, posterize from 8 down to 2 bits,
 * solarize threshold from 1 down to 0, autocontrast, equalize), at a magnitude bin drawn uniformly from
 * `numMagnitudeBins` (torchvision's float32 `linspace` bins), the signed operations negated with
 * probability 1/2. The defaults and names are torchvision's, camel-cased (`fill` is `fillValue`).
 *
 * The draws are made in JS per image (plain JSON params, replayable); on the device the geometric
 * operations of all images cost one resampling pass and each photometric operation some image drew
 * one batched pass, masked per image: no data-dependent shape, no read back.
 *
 * Images are float32 in [0, 1] and follow torchvision's float-tensor kernels: a shear by
 * `degrees(atan(m))` about `center=[0, 0]` (the image's top-left corner, so row y moves by `m·(y + ½)`),
 * a translation by `int(m)` pixels, a rotation about the image centre, counter-clockwise for positive
 * angles, all with torchvision's constant fill (a ones mask resampled alongside, the output
 * `warped · mask + (1 − mask) · fill`, which differs from TensorFlow's per-tap fill in bilinear mode at
 * the border); colour and contrast with torchvision's luma (0.2989, 0.587, 0.114);
 * posterize as `floor(x · 2^bits) / 2^bits` (at most `(2^bits − 1) / 2^bits`); solarize inverting
 * pixels at or above the threshold. Two come from the Keras-semantics functional ops instead:
 * `Equalize` is {@link equalize} (torchvision equalizes 8-bit levels with its own lookup table) and
 * `AutoContrast` is {@link autoContrast}; bicubic resampling is not offered (neither does torchvision
 * on tensors).
 *
 * @param options - torchvision's knobs, plus `p` and `seed`; see {@link TrivialAugmentWideOptions}.
 * @returns An {@link Augmentation} with {@link TrivialAugmentWideParams}; labels pass through unchanged
 *   (cloned); masks are refused.
 * @throws Error naming `trivialAugmentWide`, the option and the value for bad options.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { trivialAugmentWide } from 'tfjs-regularization/augment';
 *
 * const aug = trivialAugmentWide({ seed: 3 });
 * const out = aug({ images: tf.randomUniform([4, 8, 8, 3], 0, 1, 'float32', 1) as tf.Tensor4D });
 * console.log(out.images.shape.join('x')); // 4x8x8x3
 * const steps = aug.lastParams!.samples;
 * console.log(steps.length, steps.every((s) => s.bin >= 0 && s.bin < 31)); // 4 true
 * // Replaying a chosen draw: posterize at bin 30 keeps 2 bits, so 0.9 becomes floor(0.9 · 4) / 4.
 * const image = tf.fill([1, 1, 1, 1], 0.9) as tf.Tensor4D;
 * const step = { op: 'Posterize' as const, bin: 30, negate: false, applied: true };
 * console.log(aug.apply({ images: image }, { samples: [step] }).images.dataSync()[0]); // 0.75
 * ```
 */
export function trivialAugmentWide(options?: TrivialAugmentWideOptions): Augmentation<TrivialAugmentWideParams> {
  const fn = 'trivialAugmentWide';
  const o = checkOptions<TrivialAugmentWideOptions>(fn, options, TRIVIAL_AUGMENT_WIDE_OPTIONS);
  const bins = o.numMagnitudeBins ?? 31;
  if (!Number.isSafeInteger(bins) || bins < 2) throw invalidArgument(fn, 'numMagnitudeBins', bins, 'an integer >= 2');
  const fillValue = checkFloat32(fn, 'fillValue', o.fillValue ?? 0);
  const interpolation = o.interpolation ?? 'nearest';
  if (interpolation !== 'nearest' && interpolation !== 'bilinear')
    throw invalidArgument(fn, 'interpolation', interpolation, '"nearest" or "bilinear"');
  const p = checkProbability(fn, o.p ?? 1);
  const flavour = torchvisionFlavour(interpolation, fillValue);

  return defineAugmentation<TrivialAugmentWideParams>({
    name: fn,
    seed: o.seed,
    // Its geometric operations would have to move masks too: not done yet, so masks are refused, never left behind.
    masks: 'reject',
    sample: (info, rng) => ({
      samples: Array.from({ length: info.batchSize }, () => {
        // Every draw is made whatever the op, so p and the op do not shift the stream.
        const applied = rng.bernoulli(p);
        const op = TRIVIAL_AUGMENT_OPS[rng.integer(TRIVIAL_AUGMENT_OPS.length)]!;
        const bin = rng.integer(bins);
        const negate = rng.bernoulli(0.5);
        return { op, bin, negate, applied };
      }),
    }),
    checkParams: (params, info) => {
      const samples = checkParamsObject(fn, params, '{samples}')['samples'];
      if (!Array.isArray(samples) || samples.length !== info.batchSize) {
        throw invalidArgument(
          fn,
          'params.samples',
          Array.isArray(samples) ? samples.length : samples,
          `${info.batchSize} entries (one step per image)`,
        );
      }
      samples.forEach((s: unknown, i) => {
        const r = s as Partial<Record<keyof TrivialAugmentStep, unknown>> | null;
        const ok =
          r !== null &&
          typeof r === 'object' &&
          (TRIVIAL_AUGMENT_OPS as readonly unknown[]).includes(r.op) &&
          Number.isInteger(r.bin) &&
          (r.bin as number) >= 0 &&
          (r.bin as number) < bins &&
          typeof r.negate === 'boolean' &&
          typeof r.applied === 'boolean';
        if (!ok)
          throw invalidArgument(
            fn,
            `params.samples[${i}]`,
            s,
            `{op, bin, negate, applied}: a TrivialAugmentOp, an integer bin from 0 to ${bins - 1}, two booleans`,
          );
      });
    },
    apply: (batch, params, info) => {
      const steps = params.samples.map((s) =>
        !s.applied || s.op === 'Identity'
          ? null
          : torchvisionStep(s.op, trivialAugmentMagnitude(s.op, s.bin, bins, s.negate)),
      );
      const images = applyPolicyLayer(batch.images, steps, info, flavour);
      return { images: images === batch.images ? batch.images.clone() : images, ...passLabels(batch) };
    },
  });
}
