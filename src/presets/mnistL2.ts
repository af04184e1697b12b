import { makePreset } from './_internal/trainPreset.js';
import { notebookModel } from './_internal/notebookModel.js';
import type { Preset } from './preset.js';

/**
 * The notebook cell "L2 regularization": l2(0.01) on both hidden kernels; val_loss and the test loss include the
 * penalty, as in Keras.
 * 784-1024-1024-10 MLP (ReLU, softmax), SGD lr 0.025 momentum 0.9, batch 128, 25 epochs on the
 * 48,000/12,000 split (seed 42), ReduceLROnPlateau(val_loss, factor 0.2, patience 2, min 1e-5), the
 * checkpoint of the best val_accuracy evaluated once on the 10,000 test images.
 *
 * @returns The {@link Preset}: `model()` builds the compiled model, `train(options)` runs the cell.
 *
 * @example
 * ```ts
 * import { mnistL2 } from 'tfjs-regularization/presets';
 *
 * const preset = mnistL2();
 * const model = preset.model();
 * console.log(preset.name, model.countParams()); // mnistL2 1863690
 * model.dispose();
 * // const result = await preset.train(); // 25 epochs on MNIST: see docs/presets.md
 * ```
 */
export function mnistL2(): Preset {
  return makePreset({
    name: 'mnistL2',
    description: 'L2 regularization',
    notebookTestAccuracy: 0.965,
    build: (seed) => notebookModel({ seed, l2: 0.01 }),
  });
}
