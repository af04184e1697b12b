import { expect, it, vi } from 'vitest';
import type { FlowOptions } from '../../src/augment/flow.js';
import { mnistAugmented, mnistExercise } from '../../src/presets/index.js';
import { describeBackends } from '../helpers/backends.js';

// Records the options every preset hands to flow; the real flow still runs.
const seen: FlowOptions[] = [];
vi.mock('../../src/augment/flow.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../src/augment/flow.js')>();
  return { ...real, flow: (...args: Parameters<typeof real.flow>) => (seen.push(args[2] ?? {}), real.flow(...args)) };
});

describeBackends(
  'preset augmentation schedule',
  (backend) => {
    it('the exercise trains its last 7 of 60 epochs (the same share of others) on unaugmented images; the notebook cell augments every epoch', async () => {
      seen.length = 0;
      await mnistExercise().train({ subset: 300, verbose: 0, backend: backend as 'tensorflow' });
      await mnistExercise().train({ epochs: 10, subset: 300, verbose: 0, backend: backend as 'tensorflow' });
      await mnistExercise().train({ epochs: 3, subset: 300, verbose: 0, backend: backend as 'tensorflow' });
      await mnistAugmented().train({ epochs: 1, subset: 300, verbose: 0, backend: backend as 'tensorflow' });
      expect(seen.map((o) => [o.pipeline !== undefined, o.augmentEpochs])).toEqual([
        [true, 53],
        [true, 9],
        [true, 3],
        [true, undefined],
      ]);
    }, 120_000);
  },
  { only: ['tensorflow'] },
);
