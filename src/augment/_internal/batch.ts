import { clone } from '@tensorflow/tfjs-core';
import type { Tensor, Tensor2D } from '@tensorflow/tfjs-core';
import type { Batch, BatchInfo } from '../augmentation.js';
import { invalidArgument } from '../../core/validate.js';

/** Validates a batch at the boundary of every augmentation and returns its shape facts. */
export function checkBatch(fn: string, batch: Batch): BatchInfo {
  if (batch == null || typeof batch !== 'object') throw invalidArgument(fn, 'batch', batch, 'an object {images, labels?}');
  const images = batch.images as Tensor | undefined;
  if (images == null || typeof (images as Tensor).rank !== 'number') {
    throw invalidArgument(fn, 'batch.images', images, 'a Tensor4D [batch, height, width, channels]');
  }
  if (images.rank !== 4) throw invalidArgument(fn, 'batch.images rank', images.rank, '4 ([batch, height, width, channels])');
  if (images.dtype !== 'float32') throw invalidArgument(fn, 'batch.images dtype', images.dtype, '"float32" (convert with tf.cast / divide by 255)');
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
  return { batchSize, height, width, channels };
}

/** Validates a probability. */
export function checkProbability(fn: string, value: unknown): number {
  if (typeof value !== 'number' || !(value >= 0 && value <= 1)) throw invalidArgument(fn, 'p', value, 'a probability in [0, 1]');
  return value;
}

/**
 * The labels of an augmentation that leaves them alone, as a fresh copy to spread into its result:
 * the caller owns every returned tensor and may dispose it without touching the input.
 */
export function passLabels(batch: Batch): { labels?: Tensor2D } {
  return batch.labels ? { labels: clone(batch.labels) } : {};
}
