import { makePreset } from './_internal/trainPreset.js';
import { notebookModel } from './_internal/notebookModel.js';
import type { Preset } from './preset.js';

/**
 * The notebook's BatchNorm cell, unchanged, on Fashion-MNIST: does the notebook's recipe transfer?
 * 784-1024-1024-10 MLP with BatchNormalization after each hidden ReLU, SGD lr 0.025 momentum 0.9,
 * batch 128, 25 epochs on the 48,000/12,000 split (seed 42), ReduceLROnPlateau(val_loss, factor 0.2,
 * patience 2, min 1e-5), the checkpoint of the best val_accuracy evaluated once on the 10,000 test images.
 *
 * @returns The {@link Preset}: `model()` builds the compiled model, `train(options)` trains it on Fashion-MNIST.
 *
 * @example
 * ```ts
 * import { fashionMlp } from 'tfjs-regularization/presets';
 *
 * const preset = fashionMlp();
 * const model = preset.model();
 * console.log(preset.name, model.countParams()); // fashionMlp 1871882
 * model.dispose();
 * // const result = await preset.train(); // 25 epochs on Fashion-MNIST: see docs/results.md
 * ```
 */
export function fashionMlp(): Preset {
  return makePreset({
    name: 'fashionMlp',
    description: "the notebook's BatchNorm cell on Fashion-MNIST",
    dataset: 'fashionMnist',
    build: (seed) => notebookModel({ seed, batchNorm: true }),
  });
}
