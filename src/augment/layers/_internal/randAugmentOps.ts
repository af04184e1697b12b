import { add, mul, reshape, sub, tensor4d } from '@tensorflow/tfjs-core';
import type { Tensor4D } from '@tensorflow/tfjs-core';
import { clip } from '../../../core/clip.js';
import type { RandomGenerator } from '../../../core/random.js';
import { uniformIn } from '../../_internal/photometricRandom.js';
import type { BatchInfo } from '../../augmentation.js';
import { autoContrast } from '../../functional/autoContrast.js';
import { equalize } from '../../functional/equalize.js';
import { posterize } from '../../functional/posterize.js';
import { rgbToGrayscale } from '../../functional/rgbToGrayscale.js';
import { solarize } from '../../functional/solarize.js';
import type { ImageLayer } from './ImageLayer.js';

/**
 * One of Keras' RandAugment sub-ops: its draw (one call's per-image parameters) apart from its transform of an NHWC
 * batch, since Keras draws every op on the input before running the chosen ones. Transforms run inside the
 * layer's tidy.
 */
export interface RandAugmentOp<P = unknown> {
  draw(info: BatchInfo, rng: RandomGenerator): P;
  apply(images: Tensor4D, params: P): Tensor4D;
}

/** A Keras 3 image layer of this library as a sub-op: its own draw and transform. */
export function layerOp<P>(layer: ImageLayer<P>): RandAugmentOp<P> {
  return {
    draw: (info, rng) => layer.drawWith(info, rng),
    apply: (images, params) => layer.transformWith(images, params),
  };
}

const perImage = (info: BatchInfo, draw: () => number): number[] => Array.from({ length: info.batchSize }, draw);

/**
 * Keras 3 RandomColorDegeneration: per image a factor `f` uniform in the range, the image blended towards its
 * grayscale (Keras' rgb_to_grayscale, the identity for one channel) as `x + f · (gray − x)`, clipped to the value
 * range.
 */
export function colorDegeneration(range: [number, number], valueRange: [number, number]): RandAugmentOp<number[]> {
  const factor = uniformIn(range);
  return {
    draw: (info, rng) => perImage(info, () => factor(rng)),
    apply(images, factors) {
      const gray = images.shape[3] === 3 ? rgbToGrayscale(images) : images;
      const f = tensor4d(factors, [factors.length, 1, 1, 1]);
      return clip(add(images, mul(f, sub(gray, images))), valueRange[0], valueRange[1]) as Tensor4D;
    },
  };
}

/**
 * Keras 3 RandomPosterization as RandAugment builds it: `factor = max(1, int(8 · upper))`, read by Keras'
 * `_set_factor` with bounds (1, 8) as [1, factor]; per image the bits kept are an integer uniform in [1, factor)
 * (Keras' randint excludes its maximum), or 1 when factor is 1.
 */
export function posterization(upper: number, valueRange: [number, number]): RandAugmentOp<number[]> {
  const most = Math.max(1, Math.trunc(8 * upper));
  return {
    draw: (info, rng) => perImage(info, () => (most === 1 ? 1 : 1 + rng.integer(most - 1))),
    apply: (images, bits) => posterize(images, bits, { valueRange }),
  };
}

/** One call's Solarization draw, per image, in Keras' [0, 255] working units. */
export interface SolarizationDraw {
  additions: number[];
  thresholds: number[];
}

/**
 * Keras 3 Solarization: per image an addition and a threshold uniform in `[lower, upper · 255]` (Keras scales only
 * the upper end), in its [0, 255] working range: `r = clip(x + addition, 0, 255)`, kept below the threshold,
 * `255 − r` from it on. Applied by {@link solarize} in the images' units (the same map, shifted and scaled).
 */
export function solarization(range: [number, number], valueRange: [number, number]): RandAugmentOp<SolarizationDraw> {
  const value = uniformIn([range[0], range[1] * 255]);
  const [low, high] = valueRange;
  const unit = (high - low) / 255;
  return {
    draw: (info, rng) => ({
      additions: perImage(info, () => value(rng)),
      thresholds: perImage(info, () => value(rng)),
    }),
    apply: (images, { additions, thresholds }) =>
      solarize(
        images,
        thresholds.map((t) => low + t * unit),
        { valueRange, addition: additions.map((a) => a * unit) },
      ),
  };
}

/**
 * Keras 3 AutoContrast: per image and channel, the values stretched to the value range ({@link autoContrast}); a
 * constant channel is kept. Nothing to draw.
 */
export function autoContrastOp(valueRange: [number, number]): RandAugmentOp<null> {
  return { draw: () => null, apply: (images) => autoContrast(images, { valueRange }) };
}

/**
 * Keras 3 Equalization: per channel, one histogram of 256 bins over the whole batch (Keras takes `images[..., i]`,
 * every image at once), so the batch is equalized as one tall image by {@link equalize}. Nothing to draw.
 */
export function equalization(valueRange: [number, number]): RandAugmentOp<null> {
  return {
    draw: () => null,
    apply(images) {
      const [n, h, w, c] = images.shape;
      return reshape(equalize(reshape(images, [1, n * h, w, c]) as Tensor4D, { valueRange }), [n, h, w, c]) as Tensor4D;
    },
  };
}
