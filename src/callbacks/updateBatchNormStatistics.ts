import { add, dispose, div, moments, mul, scalar, slice, tidy } from '@tensorflow/tfjs-core';
import type { Tensor } from '@tensorflow/tfjs-core';
import { model as functionalModel } from '@tensorflow/tfjs-layers';
import type { LayersModel, SymbolicTensor } from '@tensorflow/tfjs-layers';
import { checkInteger, checkOptions, checkPositive, invalidArgument, optionNames } from '../core/validate.js';

/** Options of {@link updateBatchNormStatistics}. */
export interface UpdateBatchNormStatisticsOptions {
  /** Batch size when the data is a tensor (or one tensor per input); a dataset is batched already. @defaultValue 32 */
  batchSize?: number;
}

const UPDATE_BN_OPTIONS = optionNames<UpdateBatchNormStatisticsOptions>()('batchSize');

/** A `tf.data.Dataset`, structurally (tfjs-data is not a dependency of this library). */
interface DatasetLike {
  iterator(): Promise<{ next(): Promise<{ value: unknown; done?: boolean }> }>;
}

/** What the data may be: a dataset of `{ xs, ys }` or of inputs, a tensor, or one tensor per model input. */
export type BatchNormData = DatasetLike | Tensor | Tensor[];

interface BatchNormLayer {
  name: string;
  axis: number;
  inboundNodes: unknown[];
  input: SymbolicTensor | SymbolicTensor[];
  movingMean: { read(): Tensor; write(t: Tensor): void };
  movingVariance: { read(): Tensor; write(t: Tensor): void };
}

const FN = 'updateBatchNormStatistics';

function isTensor(value: unknown): value is Tensor {
  return (
    value != null &&
    typeof value === 'object' &&
    Array.isArray((value as Tensor).shape) &&
    typeof (value as Tensor).dataSync === 'function'
  );
}

function isLayersModel(value: unknown): value is LayersModel {
  const m = value as LayersModel | null;
  return m != null && typeof m === 'object' && Array.isArray(m.layers) && typeof m.apply === 'function';
}

function className(layer: unknown): string | undefined {
  const l = layer as { getClassName?: () => string };
  return typeof l.getClassName === 'function' ? l.getClassName() : undefined;
}

/** The model's BatchNormalization layers; those of a nested model cannot be reached by one pass of this model. */
function batchNormLayers(model: LayersModel): BatchNormLayer[] {
  const found: BatchNormLayer[] = [];
  for (const layer of model.layers) {
    if (className(layer) === 'BatchNormalization') {
      const bn = layer as unknown as BatchNormLayer;
      if (bn.inboundNodes.length !== 1) {
        throw invalidArgument(FN, 'model', model.name, `a model applying BatchNormalization "${bn.name}" once`);
      }
      found.push(bn);
    } else if (Array.isArray((layer as { layers?: unknown }).layers)) {
      const nested = layer as unknown as LayersModel;
      if (nested.layers.some((l) => className(l) === 'BatchNormalization')) {
        throw invalidArgument(FN, 'model', model.name, `a model without BatchNormalization in nested "${nested.name}"`);
      }
    }
  }
  return found;
}

/** The model's inputs in one batch: a tensor, a tensor per input, or a dataset element. */
function inputsOf(model: LayersModel, element: unknown): Tensor[] {
  const xs =
    element != null && typeof element === 'object' && 'xs' in element ? (element as { xs: unknown }).xs : element;
  const list = isTensor(xs)
    ? [xs]
    : Array.isArray(xs)
      ? xs
      : xs != null && typeof xs === 'object'
        ? model.inputNames.map((n) => (xs as Record<string, unknown>)[n])
        : [xs];
  if (list.length !== model.inputs.length || !list.every(isTensor)) {
    throw invalidArgument(FN, 'data', element, `batches of ${model.inputs.length} input tensor(s)`);
  }
  return list;
}

async function* batchesOf(model: LayersModel, data: BatchNormData, batchSize: number): AsyncGenerator<Tensor[]> {
  if (typeof (data as DatasetLike).iterator === 'function') {
    const iterator = await (data as DatasetLike).iterator();
    for (let r = await iterator.next(); !r.done; r = await iterator.next()) {
      try {
        yield inputsOf(model, r.value);
      } finally {
        dispose(r.value as Tensor[]);
      }
    }
    return;
  }
  const inputs = inputsOf(model, data);
  const n = inputs[0]!.shape[0] ?? 0;
  if (inputs.some((t) => t.shape[0] !== n)) throw invalidArgument(FN, 'data', data, 'inputs with one batch dimension');
  for (let start = 0; start < n; start += batchSize) {
    const size = Math.min(batchSize, n - start);
    const batch = inputs.map((t) => slice(t, start, size));
    try {
      yield batch;
    } finally {
      dispose(batch);
    }
  }
}

/**
 * torch's `torch.optim.swa_utils.update_bn` for tfjs-layers: recomputes the moving mean and
 * variance of every BatchNormalization layer of `model` in one pass over `data`, for the weights
 * the model holds now (typically after {@link stochasticWeightAveraging} set them to an average,
 * whose BatchNorm statistics belong to none of the averaged models).
 *
 * The pass runs the model in training mode, as `update_bn` does: each BatchNormalization layer
 * normalizes its batch with the batch's own statistics, so a layer further down sees exactly what
 * it sees in training (one functional model whose outputs are every BN layer's input, applied with
 * `training: true`; dropout is active too, as in torch). Each moving statistic is then set to the
 * average of the batch statistics, weighted by batch size: the mean is exactly the mean of the
 * layer's inputs over the data. The batch variance is the biased one (divided by the batch count),
 * which is what tfjs-layers' BatchNormalization itself feeds its moving variance (and Keras'); torch
 * uses the unbiased one, and weights batches equally (the two agree when all batches have one size).
 * With the whole data in one batch, the moving variance is exactly the data's variance.
 *
 * Nothing else changes: no weight but the BN layers' moving statistics is written, and those are
 * left as they were when the pass fails.
 *
 * @param model - A tfjs-layers model; its BatchNormalization layers must be its own (not inside a
 * nested model) and applied once.
 * @param data - A `tf.data.Dataset` of `{ xs, ys }` (ys ignored; xs a tensor, an array or a map by
 * input name) or of inputs; or a tensor (one per model input, as an array), cut in `batchSize` batches.
 * @param options - `batchSize` for tensor data.
 * @throws Error naming `updateBatchNormStatistics` and the argument for a bad model, data or
 * options, or data with no batch.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import * as tfl from '@tensorflow/tfjs-layers';
 * import { updateBatchNormStatistics } from 'tfjs-regularization/callbacks';
 *
 * const model = tfl.sequential({ layers: [tfl.layers.batchNormalization({ inputShape: [1] })] });
 * await updateBatchNormStatistics(model, tf.tensor2d([[1], [2], [3], [6]]), { batchSize: 4 });
 * const [, , movingMean, movingVariance] = model.getWeights();
 * console.log(movingMean!.dataSync()[0], movingVariance!.dataSync()[0]); // 3 3.5
 * ```
 */
export async function updateBatchNormStatistics(
  model: LayersModel,
  data: BatchNormData,
  options?: UpdateBatchNormStatisticsOptions,
): Promise<void> {
  if (!isLayersModel(model)) throw invalidArgument(FN, 'model', model, 'a tfjs-layers model');
  const o = checkOptions<UpdateBatchNormStatisticsOptions>(FN, options, UPDATE_BN_OPTIONS);
  const isDataset = data != null && typeof (data as DatasetLike).iterator === 'function';
  if (isDataset && o.batchSize !== undefined) {
    throw invalidArgument(FN, 'batchSize', o.batchSize, 'undefined for a dataset (it is batched already)');
  }
  const batchSize = checkPositive(FN, 'batchSize', checkInteger(FN, 'batchSize', o.batchSize ?? 32));
  if (!isDataset) inputsOf(model, data);
  const layers = batchNormLayers(model);
  if (layers.length === 0) return;

  const inputs = layers.map((l) => l.input as SymbolicTensor);
  const outputs = [...new Set(inputs)];
  const probe = functionalModel({ inputs: model.inputs, outputs });
  const saved = layers.map((l) => [l.movingMean.read().clone(), l.movingVariance.read().clone()]);
  let sums: { mean: Tensor; variance: Tensor }[] | null = null;
  let count = 0;
  try {
    for await (const batch of batchesOf(model, data, batchSize)) {
      const size = batch[0]!.shape[0] ?? 0;
      const next = tidy(() => {
        const out = probe.apply(batch, { training: true }) as Tensor | Tensor[];
        const seen = Array.isArray(out) ? out : [out];
        return layers.map((layer, i) => {
          const x = seen[outputs.indexOf(inputs[i]!)]!;
          const axis = layer.axis < 0 ? layer.axis + x.rank : layer.axis;
          const axes = x.shape.map((_, d) => d).filter((d) => d !== axis);
          const m = moments(x, axes);
          const weighted = { mean: mul(m.mean, size), variance: mul(m.variance, size) };
          return sums === null
            ? weighted
            : { mean: add(sums[i]!.mean, weighted.mean), variance: add(sums[i]!.variance, weighted.variance) };
        });
      });
      dispose(sums?.flatMap((s) => [s.mean, s.variance]) ?? []);
      sums = next;
      count += size;
    }
    if (sums === null || count === 0) throw invalidArgument(FN, 'data', data, 'data with at least one sample');
    const total = sums;
    tidy(() => {
      const n = scalar(count);
      layers.forEach((layer, i) => {
        layer.movingMean.write(div(total[i]!.mean, n));
        layer.movingVariance.write(div(total[i]!.variance, n));
      });
    });
  } catch (e) {
    layers.forEach((layer, i) => {
      layer.movingMean.write(saved[i]![0]!);
      layer.movingVariance.write(saved[i]![1]!);
    });
    throw e;
  } finally {
    dispose(saved.flat());
    dispose((sums as { mean: Tensor; variance: Tensor }[] | null)?.flatMap((s) => [s.mean, s.variance]) ?? []);
  }
}
