import type { Callback } from '@tensorflow/tfjs-layers';

type Params = Callback['params'];

function positiveInteger(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isInteger(value) && value > 0 ? value : undefined;
}

/**
 * Batches per epoch from the params tfjs gives callbacks: `steps` when fitDataset knows it,
 * otherwise ceil(samples / batchSize) for model.fit on tensors; undefined when neither is known.
 */
export function stepsPerEpoch(params: Params | undefined): number | undefined {
  const steps = positiveInteger(params?.['steps']);
  if (steps !== undefined) return steps;
  const samples = positiveInteger(params?.['samples']);
  const batchSize = positiveInteger(params?.['batchSize']);
  return samples !== undefined && batchSize !== undefined ? Math.ceil(samples / batchSize) : undefined;
}

/** The `epochs` param, when tfjs provided a usable one. */
export function totalEpochs(params: Params | undefined): number | undefined {
  return positiveInteger(params?.['epochs']);
}
