import { makePreset } from './_internal/trainPreset.js';
import { notebookModel } from './_internal/notebookModel.js';
import type { Preset } from './preset.js';

/**
 * The notebook cell "batch normalization": BatchNormalization after each hidden ReLU.
 * 784-1024-1024-10 MLP (ReLU, softmax), SGD lr 0.025 momentum 0.9, batch 128, 25 epochs on the
 * 48,000/12,000 split (seed 42), ReduceLROnPlateau(val_loss, factor 0.2, patience 2, min 1e-5), the
 * checkpoint of the best val_accuracy evaluated once on the 10,000 test images.
 *
 * @returns The {@link Preset}: `model()` builds the compiled model, `train(options)` runs the cell.
 *
 * @example
 * ```ts
 * import { mnistBatchNorm } from 'tfjs-regularization/presets';
 *
 * const preset = mnistBatchNorm();
 * const model = preset.model();
 * console.log(preset.name, model.countParams()); // mnistBatchNorm 1871882
 * model.dispose();
 * // const result = await preset.train(); // 25 epochs on MNIST: see docs/presets.md
 * ```
 */
export function mnistBatchNorm(): Preset {
  return makePreset({
    name: 'mnistBatchNorm',
    description: 'batch normalization',
    notebookTestAccuracy: 0.9845,
    build: (seed) => notebookModel({ seed, batchNorm: true }),
  });
}
