import { convnetSpec, MODERN_DEFAULTS, MODERN_RECIPE } from './_internal/convnet.js';
import { makePreset } from './_internal/trainPreset.js';
import type { Preset } from './preset.js';

/**
 * {@link fashionCnn}'s convnet with the modern recipe, every piece from this library:
 * - augmentation on the device: horizontal flips (`randomFlip`) and random erasing on half the images
 *   (`cutout` with Zhong et al.'s Fashion-MNIST setting: 2–40 % of the area, aspect 0.3–3.3, random
 *   values); no pad-and-crop, which cost held-out accuracy here (Fashion-MNIST's items are centred);
 * - cross-entropy with label smoothing 0.1 (`categoricalCrossentropy`);
 * - AdamW, weight decay 0.05 on the convolution and dense kernels (`adamw`), peak rate 0.002 with one
 *   epoch of linear warmup from 0.0002, then cosine decay to 0 per batch (`cosineDecay`);
 * - an EMA of the weights (momentum 0.995, `withEma`), which every evaluation uses
 *   (`swapEmaWeights`) and which the model keeps at the end.
 *
 * Batch 128, 17 epochs on all 60,000 training images, the final (EMA) weights evaluated once on the
 * test set with test-time flips: each test image's probabilities averaged with its mirror image's
 * (`predictWithFlips`; validation during training stays plain). docs/recipes.md explains the recipe;
 * `npm run bench:ablation` measures each piece.
 *
 * @returns The {@link Preset}: `model()` builds the compiled model, `train(options)` trains it on Fashion-MNIST.
 *
 * @example
 * ```ts
 * import { fashionCnnModern } from 'tfjs-regularization/presets';
 *
 * const preset = fashionCnnModern();
 * const model = preset.model();
 * console.log(preset.name, model.countParams()); // fashionCnnModern 289066
 * model.dispose();
 * // const result = await preset.train(); // 17 epochs on Fashion-MNIST: see docs/results.md
 * ```
 */
export function fashionCnnModern(): Preset {
  return makePreset(
    convnetSpec(
      'fashionCnnModern',
      'the same convnet with the modern recipe (flip, erasing, smoothing, AdamW, EMA, cosine), tested with flips',
      MODERN_RECIPE,
      MODERN_DEFAULTS,
      { testFlips: true },
    ),
  );
}
