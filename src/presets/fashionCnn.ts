import { convnetSpec, CONVNET_DEFAULTS, PLAIN_RECIPE } from './_internal/convnet.js';
import { makePreset } from './_internal/trainPreset.js';
import type { Preset } from './preset.js';

/**
 * A small convnet on Fashion-MNIST, trained plainly: the baseline of {@link fashionCnnModern}.
 * Three stages of two 3×3 convolutions (32, 64, 128 filters, no bias), each followed by
 * BatchNormalization and ReLU, 2×2 max-pooling between stages, global average pooling and a 10-way
 * softmax: 288,170 trainable parameters (289,066 with the moving statistics), 29.1 M multiply-adds
 * per image. Adam at 0.001 (Keras' Adam: AdamW without decay), cross-entropy, batch 128, 14 epochs
 * (as many as fit 30 minutes on this 2-core CPU with tfjs-node) on all 60,000 training images, no
 * augmentation, no weight decay, no label smoothing, no EMA, no schedule. Nothing is selected: the
 * final weights are evaluated once on the 10,000 test images (`holdout: true` validates on the last
 * 10,000 training images instead of training on them).
 *
 * @returns The {@link Preset}: `model()` builds the compiled model, `train(options)` trains it on Fashion-MNIST.
 *
 * @example
 * ```ts
 * import { fashionCnn } from 'tfjs-regularization/presets';
 *
 * const preset = fashionCnn();
 * const model = preset.model();
 * console.log(preset.name, model.countParams()); // fashionCnn 289066
 * model.dispose();
 * // const result = await preset.train(); // 14 epochs on Fashion-MNIST: see docs/results.md
 * ```
 */
export function fashionCnn(): Preset {
  return makePreset(
    convnetSpec('fashionCnn', 'a small convnet on Fashion-MNIST, trained plainly', PLAIN_RECIPE, CONVNET_DEFAULTS),
  );
}
