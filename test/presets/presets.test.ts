import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import {
  mnistAugmented,
  mnistBase,
  mnistBatchNorm,
  mnistDropout,
  mnistExercise,
  mnistL2,
} from '../../src/presets/index.js';
import { loadCheckpoint } from '../../src/callbacks/loadCheckpoint.js';
import { cachedConstantCount } from '../../src/core/constantCache.js';
import { describeBackends } from '../helpers/backends.js';
import { quick } from './helpers.js';

// Smoke runs on the first 600 MNIST training images (480 train / 120 validation).

describeBackends('presets', (backend) => {
  // The tfjs cpu and wasm backends need minutes for 1024-wide layers: there one short run proves the
  // preset path, and the whole matrix of cells runs on tensorflow only. The heavy tests are skipped
  // (so they show in the report) elsewhere, and their titles say so: CI accepts a skip only with the
  // suffix " (tensorflow only)".
  const heavy = it.skipIf(backend !== 'tensorflow');

  it('the BatchNorm cell trains end to end and leaves no tensors behind', async () => {
    const before = tf.memory().numTensors;
    const cachedBefore = cachedConstantCount();
    const r = await mnistBatchNorm().train(quick(backend, { epochs: 1, subset: 300 }));
    expect(r.history).toHaveLength(1);
    expect(Number.isFinite(r.testAccuracy) && Number.isFinite(r.history[0]!.val_loss)).toBe(true);
    // One tensor stays cached by tfjs on first use at most; the library's constant cache is bounded, not a leak.
    const cached = cachedConstantCount() - cachedBefore;
    expect(tf.memory().numTensors - before - cached).toBeLessThanOrEqual(1);
  }, 300_000);

  heavy(
    'every notebook cell builds its model and trains end to end, reporting its numbers (tensorflow only)',
    async () => {
      for (const preset of [mnistBase(), mnistL2(), mnistDropout(), mnistBatchNorm(), mnistAugmented()]) {
        // tf.memory() must stay flat from epoch to epoch (tfjs caches a few constants on first use).
        const counts: number[] = [];
        const probe = new tfl.CustomCallback({ onEpochEnd: async () => void counts.push(tf.memory().numTensors) });
        const r = await preset.train(quick(backend, { epochs: 3, callbacks: [probe] }));
        expect(new Set(counts.slice(1)).size, `${preset.name}: tensors per epoch ${counts}`).toBe(1);
        expect(r.preset).toBe(preset.name);
        expect(r.backend).toBe(backend);
        expect(r.history.map((h) => h.epoch)).toEqual([1, 2, 3]);
        for (const h of r.history) {
          for (const k of ['loss', 'accuracy', 'val_loss', 'val_accuracy', 'learning_rate', 'seconds'] as const)
            expect(Number.isFinite(h[k]), `${preset.name} ${k}`).toBe(true);
        }
        expect(r.bestValAccuracy).toBe(Math.max(...r.history.map((h) => h.val_accuracy)));
        expect(r.testAccuracy).toBeGreaterThan(0.3);
        expect(r.testAccuracy).toBeLessThanOrEqual(1);
      }
    },
    300_000,
  );

  heavy(
    'is reproducible per seed, includes the L2 penalty in val_loss, and writes the checkpoint to checkpointDir (tensorflow only)',
    async () => {
      const dir = await mkdtemp(join(tmpdir(), 'tfjs-reg-preset-'));
      const a = await mnistL2().train(quick(backend, { seed: 7, checkpointDir: join(dir, 'best') }));
      const b = await mnistL2().train(quick(backend, { seed: 7 }));
      expect(b.history.map((h) => h.val_accuracy)).toEqual(a.history.map((h) => h.val_accuracy));
      expect(b.testAccuracy).toBe(a.testAccuracy);
      // With l2(0.01) on ~1.8M weights the penalty dominates: Keras' val_loss is far above the data loss.
      expect(a.history[0]!.val_loss).toBeGreaterThan(3);
      // model.json, the weights it names, and the previous save's weights (kept for a reader in flight).
      const files = (await readdir(join(dir, 'best'))).sort();
      expect(files[0]).toBe('model.json');
      expect(files.slice(1)).toEqual(files.slice(1).filter((f) => /^weights-[0-9a-f]{16}\.bin$/.test(f)));
      expect(files.length).toBeGreaterThanOrEqual(2);
      expect(files.length).toBeLessThanOrEqual(3);
      await rm(dir, { recursive: true, force: true });
      // Nothing is left behind by a whole run once tfjs' own caches are warm.
      const before = tf.memory().numTensors;
      await mnistL2().train(quick(backend, { epochs: 1 }));
      expect(tf.memory().numTensors).toBe(before);
    },
    300_000,
  );

  heavy(
    'with backupDir, a training interrupted in its third epoch and started again ends as the uninterrupted one (tensorflow only)',
    async () => {
      const dir = await mkdtemp(join(tmpdir(), 'tfjs-reg-resume-'));
      const figures = (r: { history: object[]; testAccuracy: number; testLoss: number }) => ({
        history: r.history.map((h) => ({ ...h, seconds: 0 })),
        test: [r.testAccuracy, r.testLoss],
      });
      try {
        for (const preset of [mnistBase(), mnistExercise()]) {
          const whole = await preset.train(quick(backend, { epochs: 4 }));
          const stop = new AbortController();
          let current = 0;
          const abortInThird = new tfl.CustomCallback({
            onEpochBegin: async (epoch) => void (current = epoch),
            onBatchEnd: async (batch) => void (current === 2 && batch === 1 && stop.abort('test')),
          });
          const backupDir = join(dir, preset.name);
          const cut = await preset.train(
            quick(backend, { epochs: 4, backupDir, signal: stop.signal, callbacks: [abortInThird] }),
          );
          expect(cut.interrupted).toBe(true);
          expect(await readdir(backupDir)).toContain('backup.tfrb');
          const resumed = await preset.train(quick(backend, { epochs: 4, backupDir }));
          expect(resumed.resumedFromEpoch).toBe(2);
          expect(figures(resumed)).toEqual(figures(whole));
          await expect(readdir(backupDir)).rejects.toThrow();
        }
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    },
    300_000,
  );

  heavy(
    'an aborted signal stops training after the batch: completed epochs only, untested, the checkpoint kept (tensorflow only)',
    async () => {
      const dir = await mkdtemp(join(tmpdir(), 'tfjs-reg-abort-'));
      try {
        // A first run warms tfjs' caches: the measured runs must leave nothing.
        for (const preset of [mnistBase(), mnistExercise()]) await preset.train(quick(backend, { epochs: 1 }));
        for (const preset of [mnistBase(), mnistExercise()]) {
          const stop = new AbortController();
          let current = 0;
          // Aborted after the first batch of the third epoch: two complete epochs, the third cut short.
          const abortInThird = new tfl.CustomCallback({
            onEpochBegin: async (epoch) => void (current = epoch),
            onBatchEnd: async (batch) => void (current === 2 && batch === 0 && stop.abort('test')),
          });
          const before = tf.memory().numTensors;
          const r = await preset.train(
            quick(backend, {
              epochs: 10,
              signal: stop.signal,
              callbacks: [abortInThird],
              checkpointDir: join(dir, preset.name),
            }),
          );
          expect(r.interrupted).toBe(true);
          expect(r.history.map((h) => h.epoch)).toEqual([1, 2]);
          expect(Number.isNaN(r.testAccuracy) && Number.isNaN(r.testLoss)).toBe(true);
          const saved = await loadCheckpoint(join(dir, preset.name));
          expect(saved.outputs[0]!.shape).toEqual([null, 10]);
          saved.dispose();
          expect(tf.memory().numTensors).toBe(before);
        }
        // An uninterrupted run says nothing of interruption.
        expect(
          (await mnistBase().train(quick(backend, { epochs: 1, signal: new AbortController().signal }))).interrupted,
        ).toBeUndefined();
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    },
    300_000,
  );

  heavy(
    'the exercise trains on every training image under a cosine schedule and tests the final weights (tensorflow only)',
    async () => {
      const dir = await mkdtemp(join(tmpdir(), 'tfjs-reg-exercise-'));
      // A first run warms the caches (sampler constants, tfjs' own) so the second one must leave nothing.
      await mnistExercise().train(quick(backend, { epochs: 1 }));
      const before = tf.memory().numTensors;
      const r = await mnistExercise().train(quick(backend, { epochs: 4, checkpointDir: join(dir, 'final') }));
      expect(r.history.map((h) => h.epoch)).toEqual([1, 2, 3, 4]);
      // No validation split: nothing to select on, so no validation figures and the last epoch is tested.
      expect(r.history.every((h) => Number.isNaN(h.val_accuracy) && Number.isNaN(h.val_loss))).toBe(true);
      expect(r.bestEpoch).toBe(4);
      expect(Number.isNaN(r.bestValAccuracy)).toBe(true);
      // One epoch of warmup from 0.005 (recorded at epoch begin), then a cosine decay towards 0.
      const lrs = r.history.map((h) => h.learning_rate);
      expect(lrs[0]).toBeCloseTo(0.005, 6);
      expect(lrs[1]).toBeCloseTo(0.05, 3);
      expect(lrs[2]!).toBeLessThan(lrs[1]!);
      expect(lrs[3]!).toBeLessThan(lrs[2]!);
      expect(r.testAccuracy).toBeGreaterThan(0.3);
      // The checkpoint is the final model: it scores exactly what the result reports.
      const saved = await loadCheckpoint(join(dir, 'final'));
      saved.compile({ optimizer: 'sgd', loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
      const { normalize, oneHot, loadMnist } = await import('../../src/data/index.js');
      const m = await loadMnist();
      const [xt, yt] = [
        normalize(m.test.images.subarray(0, 100 * 784), [100, 784]),
        oneHot(m.test.labels.subarray(0, 100), 10),
      ];
      const scores = saved.evaluate(xt, yt) as tf.Scalar[];
      expect(scores[1]!.dataSync()[0]).toBeCloseTo(r.testAccuracy, 5);
      tf.dispose([xt, yt, ...scores]);
      saved.dispose();
      await rm(dir, { recursive: true, force: true });
      expect(tf.memory().numTensors).toBe(before);
    },
    300_000,
  );
});

it('rejects bad training options naming the preset, option and value', async () => {
  await expect(mnistBase().train({ epochs: 0 })).rejects.toThrow(
    'mnistBase.train: epochs must be a positive integer, got 0',
  );
  await expect(mnistBase().train({ verbose: 3 as 1 })).rejects.toThrow(
    'mnistBase.train: verbose must be 0, 1 or 2, got 3',
  );
});
