import { makePreset } from './_internal/trainPreset.js';
import { notebookModel } from './_internal/notebookModel.js';
import { randomAffine } from '../augment/randomAffine.js';
import type { Preset } from './preset.js';

/**
 * The notebook cell "data augmentation": the BatchNorm model trained through flow() with ImageDataGenerator(rotation
 * 30, shift 0.1, zoom 0.2, fill nearest).
 * 784-1024-1024-10 MLP (ReLU, softmax), SGD lr 0.025 momentum 0.9, batch 128, 25 epochs on the
 * 48,000/12,000 split (seed 42), ReduceLROnPlateau(val_loss, factor 0.2, patience 2, min 1e-5), the
 * checkpoint of the best val_accuracy evaluated once on the 10,000 test images.
 *
 * @returns The {@link Preset}: `model()` builds the compiled model, `train(options)` runs the cell.
 *
 * @example
 * ```ts
 * import { mnistAugmented } from 'tfjs-regularization/presets';
 *
 * const preset = mnistAugmented();
 * const model = preset.model();
 * console.log(preset.name, model.countParams()); // mnistAugmented 1871882
 * model.dispose();
 * // const result = await preset.train(); // 25 epochs on MNIST: see docs/presets.md
 * ```
 */
export function mnistAugmented(): Preset {
  return makePreset({
    name: 'mnistAugmented',
    description: 'data augmentation',
    notebookTestAccuracy: undefined,
    build: (seed) => notebookModel({ seed, batchNorm: true }),
    augment: (seed) =>
      randomAffine({
        rotationRange: 30,
        widthShiftRange: 0.1,
        heightShiftRange: 0.1,
        zoomRange: 0.2,
        fillMode: 'nearest',
        seed,
      }),
  });
}
