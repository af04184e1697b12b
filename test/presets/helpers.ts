import type { TrainOptions } from '../../src/presets/index.js';

/**
 * A preset smoke run's options: 2 epochs on the first 600 training images (a proportional slice of the
 * test set), silent, on `backend`; the full-length runs are `npm run bench:presets`, not unit tests.
 */
export const quick = (backend: string, extra: TrainOptions = {}): TrainOptions => ({
  epochs: 2,
  subset: 600,
  verbose: 0,
  backend: backend as 'cpu',
  ...extra,
});
