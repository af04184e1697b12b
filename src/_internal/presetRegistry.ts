import { mnistAugmented } from '../presets/mnistAugmented.js';
import { mnistBase } from '../presets/mnistBase.js';
import { mnistBatchNorm } from '../presets/mnistBatchNorm.js';
import { mnistDropout } from '../presets/mnistDropout.js';
import { mnistExercise } from '../presets/mnistExercise.js';
import { mnistL2 } from '../presets/mnistL2.js';
import type { Preset } from '../presets/preset.js';

/** Every preset by name, in the notebook's order, the exercise last (the CLI, `all` and the benchmarks use it). */
export const PRESETS: Readonly<Record<string, () => Preset>> = {
  mnistBase,
  mnistL2,
  mnistDropout,
  mnistBatchNorm,
  mnistAugmented,
  mnistExercise,
};
