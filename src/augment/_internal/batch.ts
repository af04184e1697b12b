import { clone } from '@tensorflow/tfjs-core';
import type { Tensor, Tensor2D } from '@tensorflow/tfjs-core';
import { checkFloat32, FLOAT32_MAX, invalidArgument } from '../../core/validate.js';
import type { Batch, BatchInfo } from '../augmentation.js';

/**
 * An image needs a pixel and a channel; an empty batch is fine (it comes back empty). The one rule
 * of the augmentations, the layers and flow, said the same way by each.
 */
export function checkImageShape(fn: string, arg: string, shape: readonly number[]): void {
  if (shape.slice(1).some((d) => d < 1)) {
    throw invalidArgument(
      fn,
      arg,
      shape,
      '[batch, height, width, channels] with height, width and channels at least 1',
    );
  }
}

/** Validates a batch at the boundary of every augmentation and returns its shape facts. */
export function checkBatch(fn: string, batch: Batch): BatchInfo {
  if (batch == null || typeof batch !== 'object')
    throw invalidArgument(fn, 'batch', batch, 'an object {images, labels?, masks?}');
  const images = batch.images as Tensor | undefined;
  if (images == null || typeof (images as Tensor).rank !== 'number') {
    throw invalidArgument(fn, 'batch.images', images, 'a Tensor4D [batch, height, width, channels]');
  }
  if (images.rank !== 4)
    throw invalidArgument(fn, 'batch.images rank', images.rank, '4 ([batch, height, width, channels])');
  if (images.dtype !== 'float32')
    throw invalidArgument(fn, 'batch.images dtype', images.dtype, '"float32" (convert with tf.cast / divide by 255)');
  checkImageShape(fn, 'batch.images shape', images.shape);
  const [batchSize, height, width, channels] = images.shape as [number, number, number, number];
  const labels = batch.labels as Tensor | undefined;
  if (labels != null) {
    if (typeof labels.rank !== 'number' || labels.rank !== 2) {
      throw invalidArgument(fn, 'batch.labels shape', labels.shape ?? labels, '[batch, numClasses]');
    }
    if (labels.shape[0] !== batchSize) {
      throw invalidArgument(fn, 'batch.labels shape', labels.shape, `[${batchSize}, numClasses] (one row per image)`);
    }
  }
  checkMasks(fn, batch.masks, [batchSize, height, width]);
  return { batchSize, height, width, channels };
}

/** Masks: rank 4, the images' batch, height and width, any channel count, float32 or int32 class ids. */
function checkMasks(fn: string, masks: unknown, [n, h, w]: readonly number[]): void {
  if (masks == null) return;
  const m = masks as Partial<Tensor>;
  if (typeof m.rank !== 'number' || !Array.isArray(m.shape))
    throw invalidArgument(fn, 'batch.masks', masks, 'a Tensor4D [batch, height, width, maskChannels]');
  const shape = m.shape;
  if (m.rank !== 4 || shape[0] !== n || shape[1] !== h || shape[2] !== w || !((shape[3] as number) >= 1)) {
    throw invalidArgument(
      fn,
      'batch.masks shape',
      shape,
      `[${n}, ${h}, ${w}, maskChannels] (the images' batch, height and width, at least one channel)`,
    );
  }
  if (m.dtype !== 'float32' && m.dtype !== 'int32')
    throw invalidArgument(fn, 'batch.masks dtype', m.dtype, '"float32" or "int32" (class ids)');
}

/**
 * The labels of an augmentation that leaves them alone, as a fresh copy to spread into its result:
 * the caller owns every returned tensor and may dispose it without touching the input.
 */
export function passLabels(batch: Batch): { labels?: Tensor2D } {
  return batch.labels ? { labels: clone(batch.labels) } : {};
}

/** The params object of a replayed call, or an error naming the augmentation and what it expects. */
export function checkParamsObject(fn: string, params: unknown, expected: string): Record<string, unknown> {
  if (params == null || typeof params !== 'object' || Array.isArray(params))
    throw invalidArgument(fn, 'params', params, expected);
  return params as Record<string, unknown>;
}

/**
 * A noise level: float32's largest value / 8 at most, since tfjs' normals reach about 6.7 standard
 * deviations and a larger noise would put ±Infinity in the pixels.
 */
export function checkNoiseStddev(fn: string, value: unknown): number {
  return checkFloat32(fn, 'stddev', value, 0, FLOAT32_MAX / 8);
}

/** `params.seed` of an augmentation that seeds a tensor op: a 32-bit word, as `sample` draws it. */
export function checkParamsSeed(fn: string, seed: unknown, what = ''): void {
  if (typeof seed !== 'number' || !Number.isInteger(seed) || seed < 0 || seed >= 2 ** 32) {
    throw invalidArgument(fn, 'params.seed', seed, `an integer in [0, 2^32)${what}`);
  }
}

/** `params.applied`: one boolean per image (the `p` gate of the augmentations that draw one). */
export function checkApplied(fn: string, applied: unknown, info: BatchInfo): void {
  if (!Array.isArray(applied) || applied.length !== info.batchSize || !applied.every((a) => typeof a === 'boolean')) {
    throw invalidArgument(fn, 'params.applied', applied, `${info.batchSize} booleans (one per image)`);
  }
}
