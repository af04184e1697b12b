import type { PolicyFlavour, PolicyKind, PolicyStep } from './policy.js';

/** The operations torchvision v2's `_AutoAugmentBase._apply_image_or_video_transform` knows, bar identity. */
export type TorchvisionOp =
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

/** The operations whose magnitude torchvision negates half the time (`signed` in its augmentation spaces). */
export const SIGNED_OPS: ReadonlySet<TorchvisionOp> = new Set<TorchvisionOp>([
  'ShearX',
  'ShearY',
  'TranslateX',
  'TranslateY',
  'Rotate',
  'Brightness',
  'Color',
  'Contrast',
  'Sharpness',
]);

const f32 = Math.fround;

/** Bin k of `torch.linspace(start, end, n)` in float32, as torch computes it (from both ends towards the middle). */
export function torchLinspace(start: number, end: number, n: number, k: number): number {
  const step = f32(f32(end - start) / (n - 1));
  return k < Math.floor(n / 2) ? f32(start + f32(step * k)) : f32(end - f32(step * (n - 1 - k)));
}

/** torchvision's float-tensor kernels, as the policy engine's flavour. */
export function torchvisionFlavour(interpolation: 'nearest' | 'bilinear', fillValue: number): PolicyFlavour {
  return {
    luma: [0.2989, 0.587, 0.114],
    shearOrigin: 'edge',
    interpolation,
    fillValue,
    posterize: 'float',
    fillRule: 'mask',
  };
}

/** torchvision's `_apply_image_or_video_transform` for one float image at magnitude m (signed already), as a step. */
export function torchvisionStep(op: TorchvisionOp, m: number): PolicyStep {
  const kinds: Record<TorchvisionOp, [PolicyKind, number]> = {
    // shear = degrees(atan(m)) about center [0, 0]: the inverse matrix's off-diagonal is tan(atan(m)) = m.
    ShearX: ['shearX', m],
    ShearY: ['shearY', m],
    // torchvision moves the content right (down) by int(m) pixels; the policy's argument is the source offset.
    TranslateX: ['translateX', -Math.trunc(m)],
    TranslateY: ['translateY', -Math.trunc(m)],
    Rotate: ['rotate', m],
    Brightness: ['brightness', 1 + m],
    Color: ['color', 1 + m],
    Contrast: ['contrast', 1 + m],
    Sharpness: ['sharpness', 1 + m],
    Posterize: ['posterize', m],
    // The bound of a float image is 1, so the threshold is the magnitude itself.
    Solarize: ['solarize', m],
    AutoContrast: ['autoContrast', 0],
    Equalize: ['equalize', 0],
  };
  const [kind, arg] = kinds[op];
  return { kind, arg };
}
