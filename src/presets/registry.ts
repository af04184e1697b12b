import { fashionCnn } from './fashionCnn.js';
import { fashionCnnModern } from './fashionCnnModern.js';
import { fashionMlp } from './fashionMlp.js';
import { mnistAugmented } from './mnistAugmented.js';
import { mnistBase } from './mnistBase.js';
import { mnistBatchNorm } from './mnistBatchNorm.js';
import { mnistDropout } from './mnistDropout.js';
import { mnistExercise } from './mnistExercise.js';
import { mnistL2 } from './mnistL2.js';
import type { Preset } from './preset.js';

/**
 * Every preset by name: the notebook's cells in its order, the exercise, then the Fashion-MNIST presets (the CLI,
 * `all` and the benchmarks use it).
 */
export const PRESETS: Readonly<Record<string, () => Preset>> = {
  mnistBase,
  mnistL2,
  mnistDropout,
  mnistBatchNorm,
  mnistAugmented,
  mnistExercise,
  fashionMlp,
  fashionCnn,
  fashionCnnModern,
};
