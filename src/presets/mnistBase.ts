import { makePreset } from './_internal/trainPreset.js';
import { notebookModel } from './_internal/notebookModel.js';
import type { Preset } from './preset.js';

/**
 * The notebook cell "base model": no regularization.
 * 784-1024-1024-10 MLP (ReLU, softmax), SGD lr 0.025 momentum 0.9, batch 128, 25 epochs on the
 * 48,000/12,000 split (seed 42), ReduceLROnPlateau(val_loss, factor 0.2, patience 2, min 1e-5), the
 * checkpoint of the best val_accuracy evaluated once on the 10,000 test images.
 *
 * @returns The {@link Preset}: `model()` builds the compiled model, `train(options)` runs the cell.
 *
 * @example
 * ```ts
 * import { mnistBase } from 'tfjs-regularization/presets';
 *
 * const preset = mnistBase();
 * const model = preset.model();
 * console.log(preset.name, model.countParams()); // mnistBase 1863690
 * model.dispose();
 * // const result = await preset.train(); // 25 epochs on MNIST: see docs/presets.md
 * ```
 */
export function mnistBase(): Preset {
  return makePreset({
    name: 'mnistBase',
    description: 'base model',
    notebookTestAccuracy: 0.981,
    build: (seed) => notebookModel({ seed }),
  });
}
