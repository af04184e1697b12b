import type { Tensor2D, Tensor4D } from '@tensorflow/tfjs-core';
import type { RandomGenerator } from '../core/random.js';

/**
 * What augmentations transform: NHWC float images and, optionally, one-hot (or soft) labels and
 * segmentation masks.
 */
export interface Batch {
  /**
   * `[batch, height, width, channels]`, float32; height, width and channels at least 1. A batch of
   * no images is fine: it comes back as no images of the output's shape.
   */
  images: Tensor4D;
  /** `[batch, numClasses]`, one row per image. */
  labels?: Tensor2D;
  /**
   * `[batch, height, width, maskChannels]`, float32 or int32 (class ids), the images' batch, height and width with any
   * channel count. Geometric augmentations move them with the images (same parameters, nearest sampling, 0 where a
   * point falls outside the mask); photometric ones pass them through; `mixup` rejects them (a blended mask has no
   * meaning) and `cutmix` pastes the same box of the partner's mask.
   */
  masks?: Tensor4D;
}

/** The shape facts that sampling needs: parameters are drawn per sample, without touching pixels. */
export interface BatchInfo {
  batchSize: number;
  height: number;
  width: number;
  channels: number;
}

/**
 * A batched, seeded augmentation. Calling it on a batch samples fresh per-sample parameters from its
 * generator, applies them and returns a new batch (the caller owns the returned tensors; the input
 * is not disposed). `sample` and `apply` expose the two halves: `apply` is deterministic, so applying
 * the same parameters twice gives the same output, and `lastParams` replays the previous call.
 */
export interface Augmentation<P = unknown> {
  (batch: Batch): Batch;
  /** Name used in messages and by `pipeline`. */
  readonly name: string;
  /** Draws plain per-sample parameters (JSON-friendly numbers) for a batch of this shape. */
  sample(info: BatchInfo, rng?: RandomGenerator): P;
  /** Applies the parameters; deterministic and leak-free. */
  apply(batch: Batch, params: P): Batch;
  /** Parameters of the last call (undefined before the first). */
  readonly lastParams: P | undefined;
  /** The generator used when `sample` is called without one. */
  readonly rng: RandomGenerator;
}
