import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { afterAll, expect, it } from 'vitest';
import { fastNodeKernels, fastNodeKernelsActive } from '../../src/backend/fastNodeKernels.js';
import { mnistBase } from '../../src/presets/mnistBase.js';
import { describeBackends } from '../helpers/backends.js';

afterAll(() => {
  fastNodeKernels(false);
});

// tfjs-node only: fastNodeKernels exists there alone, and a smoke run takes a second there.
describeBackends(
  'preset trainer',
  (backend) => {
    const quick = { epochs: 1, subset: 200, verbose: 0, backend: backend as 'tensorflow' } as const;

    it('turns fastNodeKernels off again when train() returns, unless the user had turned it on', async () => {
      fastNodeKernels(false);
      const seen: boolean[] = [];
      const probe = { onEpochEnd: async () => void seen.push(fastNodeKernelsActive()) };
      const cb = new tfl.CustomCallback(probe);
      await mnistBase().train({ ...quick, callbacks: [cb] });
      // On during training (the preset turns them on), off after: the kernels are global.
      expect(seen).toEqual([true]);
      expect(fastNodeKernelsActive()).toBe(false);
      expect(tf.getKernel('Step', 'tensorflow')).toBeDefined();

      fastNodeKernels(true);
      await mnistBase().train(quick);
      expect(fastNodeKernelsActive()).toBe(true);
      fastNodeKernels(false);
    }, 120_000);

    it('restores the kernels and leaks no tensor when training fails', async () => {
      fastNodeKernels(false);
      const before = tf.memory().numTensors;
      const boom = {
        onEpochEnd: async () => {
          throw new Error('boom');
        },
      };
      const cb = new tfl.CustomCallback(boom);
      await expect(mnistBase().train({ ...quick, callbacks: [cb] })).rejects.toThrow('boom');
      expect(fastNodeKernelsActive()).toBe(false);
      // The run above warmed tfjs' caches: a failed run leaves exactly nothing (it left 14 tensors before).
      expect(tf.memory().numTensors).toBe(before);
    }, 120_000);
  },
  { only: ['tensorflow'] },
);
