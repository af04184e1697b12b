import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import * as tfd from '@tensorflow/tfjs-data';
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { terminateOnNaN } from '../../src/callbacks/terminateOnNaN.js';
import { describeBackends } from '../helpers/backends.js';
import { expectNoLeaks } from '../helpers/leaks.js';
import { runs } from '../helpers/runs.js';

interface Case {
  samples: number;
  nanIndex: number;
  batchSize: number;
  epochs: number;
  printed: string;
  batchesRun: number;
  lastBatch: number;
  epochsRun: number;
}

/** Keras 3.15's TerminateOnNaN on the same data (scripts/keras/terminate_on_nan.py). */
const REFERENCE = JSON.parse(readFileSync(join(import.meta.dirname, 'keras-terminate-on-nan.json'), 'utf8')) as {
  cases: Case[];
};

/** x = 1..samples, y = x but for a NaN target at nanIndex (none when it is -1). */
function rows(samples: number, nanIndex: number): { xs: number[]; ys: number[] }[] {
  return Array.from({ length: samples }, (_, i) => ({ xs: [i + 1], ys: [i === nanIndex ? Number.NaN : i + 1] }));
}

function data(samples: number, nanIndex: number): { x: tf.Tensor2D; y: tf.Tensor2D } {
  const r = rows(samples, nanIndex);
  return { x: tf.tensor2d(r.map((e) => e.xs)), y: tf.tensor2d(r.map((e) => e.ys)) };
}

function model(): tfl.LayersModel {
  const m = tfl.sequential({ layers: [tfl.layers.dense({ inputShape: [1], units: 1 })] });
  m.compile({ optimizer: tf.train.sgd(0.01), loss: 'meanSquaredError' });
  return m;
}

/** Trains with terminateOnNaN, counting the batches run by a callback placed after it. */
async function train(c: Omit<Case, 'printed' | 'batchesRun' | 'lastBatch' | 'epochsRun'>, dataset: boolean) {
  const { x, y } = data(c.samples, c.nanIndex);
  const m = model();
  const printed: string[] = [];
  const seen: number[] = [];
  const cb = terminateOnNaN({ log: (l) => printed.push(l) });
  const counter = new tfl.CustomCallback({ onBatchEnd: async (batch) => void seen.push(batch) });
  const history = dataset
    ? await m.fitDataset(tfd.array(rows(c.samples, c.nanIndex)).batch(c.batchSize), {
        epochs: c.epochs,
        verbose: 0,
        callbacks: [cb, counter],
      })
    : await m.fit(x, y, {
        batchSize: c.batchSize,
        epochs: c.epochs,
        shuffle: false,
        verbose: 0,
        callbacks: [cb, counter],
      });
  tf.dispose([x, y]);
  m.dispose();
  return {
    printed: printed.join('\n'),
    batchesRun: seen.length,
    lastBatch: seen.at(-1),
    epochsRun: history.epoch.length,
    cb,
  };
}

describeBackends('terminateOnNaN', () => {
  for (const dataset of [false, true]) {
    it(`stops after the NaN batch where Keras does, printing its line (${dataset ? 'fitDataset' : 'fit'})`, async () => {
      for (const c of REFERENCE.cases) {
        const r = await train(c, dataset);
        expect({
          printed: r.printed,
          batchesRun: r.batchesRun,
          lastBatch: r.lastBatch,
          epochsRun: r.epochsRun,
        }).toEqual({
          printed: c.printed,
          batchesRun: c.batchesRun,
          lastBatch: c.lastBatch,
          epochsRun: c.epochsRun,
        });
        expect([r.cb.stoppedEpoch, r.cb.stoppedBatch]).toEqual([0, c.lastBatch]);
      }
    });
  }

  it('property: training stops exactly after the first batch holding the NaN, never before', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 8 }).chain((samples) =>
          fc.record({
            samples: fc.constant(samples),
            nanIndex: fc.integer({ min: -1, max: samples - 1 }),
            batchSize: fc.integer({ min: 1, max: samples }),
            epochs: fc.integer({ min: 1, max: 2 }),
          }),
        ),
        async (c) => {
          const r = await train(c, false);
          const perEpoch = Math.ceil(c.samples / c.batchSize);
          if (c.nanIndex < 0) {
            // No NaN: every batch of every epoch runs and nothing is printed.
            expect([r.batchesRun, r.printed, r.cb.stoppedBatch]).toEqual([perEpoch * c.epochs, '', undefined]);
          } else {
            const bad = Math.floor(c.nanIndex / c.batchSize);
            expect([r.batchesRun, r.lastBatch, r.epochsRun, r.cb.stoppedBatch]).toEqual([bad + 1, bad, 1, bad]);
          }
        },
      ),
      { numRuns: runs(10) },
    );
  });

  it('reads a number, a tensor (written back as a number) or ±Infinity; ignores logs without a loss', async () => {
    const m = model();
    const cb = terminateOnNaN({ log: () => undefined });
    cb.setModel(m);
    await cb.onTrainBegin();
    await cb.onBatchEnd(0, { loss: 1 });
    await cb.onBatchEnd(1, {});
    await cb.onBatchEnd(2, undefined);
    const logs = { loss: tf.scalar(2) as unknown as number };
    await cb.onBatchEnd(3, logs);
    expect(logs.loss).toBe(2);
    expect(m.stopTraining).toBeFalsy();
    await cb.onBatchEnd(4, { loss: -Infinity });
    expect([m.stopTraining, cb.stoppedBatch]).toEqual([true, 4]);
    m.dispose();
  });

  it('leaves no tensor behind across a multi-epoch fit, stopped or not', async () => {
    const m = model();
    const clean = data(6, -1);
    const bad = data(6, 4);
    await expectNoLeaks(async () => {
      await m.fit(clean.x, clean.y, { batchSize: 2, epochs: 3, verbose: 0, callbacks: [terminateOnNaN()] });
      await m.fit(bad.x, bad.y, {
        batchSize: 2,
        epochs: 3,
        verbose: 0,
        callbacks: [terminateOnNaN({ log: () => {} })],
      });
    });
    tf.dispose([clean.x, clean.y, bad.x, bad.y]);
    m.dispose();
  });

  it('rejects bad options naming terminateOnNaN', () => {
    expect(() => terminateOnNaN({ log: 1 as never })).toThrow('terminateOnNaN: log must be a function, got 1');
    expect(() => terminateOnNaN({ raise_error: true } as never)).toThrow(
      'terminateOnNaN: unknown option "raise_error"',
    );
  });
});
