import { train } from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { dropout } from '../../layers/dropout.js';
import { l2 as l2Regularizer } from '../../regularizers/l2.js';

export interface NotebookModelOptions {
  seed: number;
  /** Hidden layer widths. @defaultValue [1024, 1024] */
  units?: number[];
  l2?: number;
  dropout?: number;
  batchNorm?: boolean;
  learningRate?: number;
  /** Nesterov momentum (the notebook uses plain momentum). @defaultValue false */
  nesterov?: boolean;
}

/**
 * The notebook's MLP: 784 → hidden ReLU layers → 10 softmax, SGD with momentum 0.9, categorical
 * cross-entropy, accuracy. Every initializer and dropout mask is seeded, so a seed fixes the run.
 */
export function notebookModel(o: NotebookModelOptions): tfl.LayersModel {
  const model = tfl.sequential();
  let seed = o.seed * 16;
  const units = o.units ?? [1024, 1024];
  units.forEach((n, i) => {
    model.add(
      tfl.layers.dense({
        ...(i === 0 ? { inputShape: [784] } : {}),
        units: n,
        activation: 'relu',
        kernelInitializer: tfl.initializers.glorotUniform({ seed: ++seed }),
        ...(o.l2 !== undefined ? { kernelRegularizer: l2Regularizer(o.l2) } : {}),
      }),
    );
    // The notebook puts BatchNormalization after the ReLU and Dropout after each hidden layer.
    if (o.batchNorm) model.add(tfl.layers.batchNormalization());
    // Not tfl.layers.dropout: given a seed it repeats one mask at every step (see layers/dropout.ts).
    if (o.dropout !== undefined) model.add(dropout({ rate: o.dropout, seed: ++seed }));
  });
  model.add(
    tfl.layers.dense({
      units: 10,
      activation: 'softmax',
      kernelInitializer: tfl.initializers.glorotUniform({ seed: ++seed }),
    }),
  );
  model.compile({
    optimizer: train.momentum(o.learningRate ?? 0.025, 0.9, o.nesterov ?? false),
    loss: 'categoricalCrossentropy',
    metrics: ['accuracy'],
  });
  return model;
}
