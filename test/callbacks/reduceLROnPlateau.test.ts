import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import fc from 'fast-check';
import { expect, it } from 'vitest';
import { describeBackends } from '../helpers/backends.js';
import { runs } from '../helpers/runs.js';
import { getLearningRate } from '../../src/callbacks/getLearningRate.js';
import { reduceLROnPlateau } from '../../src/callbacks/reduceLROnPlateau.js';
import type { ReduceLROnPlateauOptions } from '../../src/callbacks/reduceLROnPlateau.js';

function tinyModel(optimizer: tf.Optimizer = tf.train.sgd(0.1)): tfl.LayersModel {
  const model = tfl.sequential({ layers: [tfl.layers.dense({ inputShape: [1], units: 1 })] });
  model.compile({ optimizer, loss: 'meanSquaredError' });
  return model;
}

/** Drives the callback with a sequence of monitored values; returns the LR logged after each epoch. */
async function drive(
  values: number[],
  options: ReduceLROnPlateauOptions,
  key = options.monitor ?? 'val_loss',
  lr0 = 0.1,
): Promise<number[]> {
  const model = tinyModel(tf.train.sgd(lr0));
  const cb = reduceLROnPlateau({ log: () => {}, ...options });
  cb.setModel(model);
  await cb.onTrainBegin();
  const lrs: number[] = [];
  for (const [epoch, v] of values.entries()) {
    const logs: Record<string, number> = { [key]: v, loss: 1 };
    await cb.onEpochEnd(epoch, logs);
    expect(logs['learning_rate']).toBe(getLearningRate(model.optimizer));
    lrs.push(logs['learning_rate']!);
  }
  model.dispose();
  return lrs;
}

/**
 * Keras 3.15's ReduceLROnPlateau, written out as a reference: the LR after each epoch end for these
 * monitored values. Keras takes abs(min_delta), compares the LR with min_lr in float32, and ticks the
 * cooldown before the improvement test.
 */
function kerasReduceLROnPlateau(
  values: number[],
  o: { patience: number; cooldown: number; factor: number; minLR: number; minDelta: number; max: boolean },
  lr0: number,
): number[] {
  const minDelta = Math.abs(o.minDelta);
  const isImprovement = (c: number, b: number) => (o.max ? c - minDelta > b : c + minDelta < b);
  let best = o.max ? -Infinity : Infinity;
  let wait = 0;
  let cooldownCounter = 0;
  let lr = lr0;
  return values.map((current) => {
    if (cooldownCounter > 0) {
      cooldownCounter -= 1;
      wait = 0;
    }
    if (isImprovement(current, best)) {
      best = current;
      wait = 0;
    } else if (cooldownCounter <= 0) {
      wait += 1;
      if (wait >= o.patience && lr > Math.fround(o.minLR)) {
        lr = Math.max(lr * o.factor, o.minLR);
        cooldownCounter = o.cooldown;
        wait = 0;
      }
    }
    return lr;
  });
}

describeBackends('reduceLROnPlateau', () => {
  it('reproduces Keras on the notebook settings (factor 0.2, patience 2, minLR 1e-5)', async () => {
    // Keras: wait counts non-improving epochs; at wait == patience the LR is multiplied and wait resets.
    const valLoss = [0.3, 0.2, 0.21, 0.22, 0.19, 0.19, 0.25, 0.18, 0.18, 0.18, 0.18, 0.18, 0.18, 0.18];
    const lrs = await drive(valLoss, { factor: 0.2, patience: 2, minLR: 1e-5 }, 'val_loss', 0.025);
    const expected = [
      0.025, 0.025, 0.025, 0.005, 0.005, 0.005, 0.001, 0.001, 0.001, 0.0002, 0.0002, 0.00004, 0.00004, 0.00001,
    ];
    lrs.forEach((lr, i) => expect(lr).toBeCloseTo(expected[i]!, 10));
  });

  it('honours minDelta, cooldown and mode auto (max for accuracy) with tfjs or Keras names', async () => {
    // Improvements smaller than minDelta do not count.
    expect(await drive([1, 0.99995, 0.9999], { patience: 2, factor: 0.5 })).toEqual([0.1, 0.1, 0.05]);
    // Keras' order (the cooldown counter ticks before the patience check) makes cooldown c hold the LR
    // for c - 1 epochs after a reduction: with patience 1, cooldown 1 changes nothing, cooldown 2 skips one epoch.
    expect(await drive([1, 1, 1, 1, 1], { patience: 1, factor: 0.5, cooldown: 1 })).toEqual([
      0.1, 0.05, 0.025, 0.0125, 0.00625,
    ]);
    expect(await drive([1, 1, 1, 1, 1, 1, 1], { patience: 1, factor: 0.5, cooldown: 2 })).toEqual([
      0.1, 0.05, 0.05, 0.025, 0.025, 0.0125, 0.0125,
    ]);
    expect(await drive([1, 1, 1, 1, 1, 1, 1], { patience: 2, factor: 0.5, cooldown: 2 })).toEqual([
      0.1, 0.1, 0.05, 0.05, 0.05, 0.025, 0.025,
    ]);
    // val_accuracy monitored while the logs say val_acc (tfjs): rising accuracy is an improvement.
    expect(
      await drive([0.9, 0.91, 0.92, 0.92], { monitor: 'val_accuracy', patience: 1, factor: 0.5 }, 'val_acc'),
    ).toEqual([0.1, 0.1, 0.1, 0.05]);
    expect(await drive([0.9, 0.91, 0.92], { monitor: 'val_acc', mode: 'min', patience: 1, factor: 0.5 })).toEqual([
      0.1, 0.05, 0.025,
    ]);
  });

  it('property: LR >= minLR, never increases, only changes after patience non-improving epochs outside cooldown', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.double({ min: 0, max: 2, noNaN: true }), { minLength: 1, maxLength: 30 }),
        fc.integer({ min: 0, max: 4 }),
        fc.integer({ min: 0, max: 3 }),
        fc.double({ min: 0, max: 0.9, noNaN: true }),
        fc.constantFrom(0, 1e-3, 0.02),
        async (values, patience, cooldown, factor, minLR) => {
          const lrs = await drive(values, { patience, cooldown, factor, minLR, minDelta: 0 });
          let best = Infinity;
          let sinceImprovement = 0;
          let lastChange = -Infinity;
          let prev = 0.1;
          lrs.forEach((lr, i) => {
            expect(lr).toBeGreaterThanOrEqual(Math.min(minLR, 0.1) - 1e-12);
            expect(lr).toBeLessThanOrEqual(prev);
            if (values[i]! < best) {
              best = values[i]!;
              sinceImprovement = 0;
            } else sinceImprovement += 1;
            if (lr < prev) {
              // Only on a non-improving epoch, at least `patience` of them since the last improvement,
              // and (Keras' cooldown) at least max(patience, 1) + cooldown - 1 epochs after the last change.
              expect(sinceImprovement).toBeGreaterThanOrEqual(Math.max(patience, 1));
              expect(i - lastChange).toBeGreaterThanOrEqual(Math.max(patience, 1) + Math.max(cooldown - 1, 0));
              lastChange = i;
            }
            prev = lr;
          });
        },
      ),
      { numRuns: runs(60) },
    );
  });

  it("property: gives exactly the LR sequence of Keras' algorithm, for any values, patience, cooldown, factor, minLR, minDelta and mode", async () => {
    // Values on a coarse grid tie and plateau often, so reductions, cooldowns and minDelta all matter.
    const value = fc.oneof(
      fc.integer({ min: 0, max: 8 }).map((k) => k / 4),
      fc.double({ min: 0, max: 2, noNaN: true }),
    );
    const settings = fc.record({
      patience: fc.integer({ min: 0, max: 4 }),
      cooldown: fc.integer({ min: 0, max: 3 }),
      factor: fc.oneof(fc.constantFrom(0, 0.1, 0.5), fc.double({ min: 0, max: 0.99, noNaN: true })),
      minLR: fc.oneof(fc.constantFrom(0, 1e-3, 0.0125, 0.05, 0.1, 0.2), fc.double({ min: 0, max: 0.2, noNaN: true })),
      minDelta: fc.oneof(fc.constantFrom(0, 1e-4, 0.25, -0.25), fc.double({ min: -0.5, max: 0.5, noNaN: true })),
      mode: fc.constantFrom('min' as const, 'max' as const, 'auto' as const),
      monitor: fc.constantFrom('val_loss', 'val_accuracy'),
      lr0: fc.constantFrom(0.1, 0.025, 1),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(value, { minLength: 1, maxLength: 30 }), settings, async (values, { lr0, ...o }) => {
        const lrs = await drive(values, o, o.monitor, lr0);
        const max = o.mode === 'max' || (o.mode === 'auto' && o.monitor === 'val_accuracy');
        const expected = kerasReduceLROnPlateau(values, { ...o, max }, lr0);
        expect(lrs).toHaveLength(expected.length);
        lrs.forEach((lr, i) =>
          expect(Math.abs(lr - expected[i]!), `epoch ${i + 1}: got ${lr}, Keras ${expected[i]}`).toBeLessThanOrEqual(
            1e-12 * expected[i]!,
          ),
        );
      }),
      { numRuns: runs(100) },
    );
  });

  it('changes the LR of every optimizer kind, SGD and Momentum included', async () => {
    for (const make of [
      () => tf.train.sgd(0.1),
      () => tf.train.momentum(0.1, 0.9),
      () => tf.train.adam(0.1),
      () => tf.train.rmsprop(0.1),
      () => tf.train.adagrad(0.1),
      () => tf.train.adadelta(0.1),
      () => tf.train.adamax(0.1),
    ]) {
      const model = tinyModel(make());
      const cb = reduceLROnPlateau({ patience: 0, factor: 0.5 });
      cb.setModel(model);
      await cb.onTrainBegin();
      await cb.onEpochEnd(0, { val_loss: 1 });
      await cb.onEpochEnd(1, { val_loss: 1 });
      expect(getLearningRate(model.optimizer), model.optimizer.getClassName()).toBeCloseTo(0.05, 10);
      model.dispose();
    }
  });

  it('reads scalar-tensor logs, prints Keras lines when verbose, and warns once for an unknown monitor', async () => {
    const lines: string[] = [];
    const model = tinyModel();
    const cb = reduceLROnPlateau({ patience: 0, factor: 0.5, verbose: 1, log: (l) => lines.push(l) });
    cb.setModel(model);
    await cb.onTrainBegin();
    const t = tf.scalar(1);
    await cb.onEpochEnd(0, { val_loss: t as unknown as number });
    await cb.onEpochEnd(1, { val_loss: t as unknown as number });
    expect(lines).toEqual(['Epoch 2: ReduceLROnPlateau reducing learning rate to 0.05.']);
    t.dispose();

    const warnings: string[] = [];
    const orig = console.warn;
    console.warn = (m: string) => void warnings.push(m);
    try {
      const cb2 = reduceLROnPlateau({ monitor: 'val_los' });
      cb2.setModel(model);
      await cb2.onEpochEnd(0, { val_loss: 1, loss: 2 });
      await cb2.onEpochEnd(1, { val_loss: 1, loss: 2 });
    } finally {
      console.warn = orig;
    }
    expect(warnings).toEqual([
      'reduceLROnPlateau: monitor "val_los" is not in the logs; available keys: val_loss, loss. The callback does nothing until it appears.',
    ]);
    model.dispose();
  });

  it('rejects bad options naming the option and value', () => {
    expect(() => reduceLROnPlateau({ factor: 1 })).toThrow(
      'reduceLROnPlateau: factor must be a number in [0, 1) (the LR must decrease), got 1',
    );
    expect(() => reduceLROnPlateau({ factor: -0.1 })).toThrow(
      'reduceLROnPlateau: factor must be a finite number >= 0, got -0.1',
    );
    expect(() => reduceLROnPlateau({ patience: 1.5 })).toThrow(
      'reduceLROnPlateau: patience must be an integer, got 1.5',
    );
    expect(() => reduceLROnPlateau({ mode: 'up' as 'max' })).toThrow(
      'reduceLROnPlateau: mode must be one of "auto", "min", "max", got "up"',
    );
    expect(() => reduceLROnPlateau({ minLR: Number.NaN })).toThrow(
      'reduceLROnPlateau: minLR must be a finite number >= 0, got NaN',
    );
    expect(() => reduceLROnPlateau({ verbose: 2 as 1 })).toThrow('reduceLROnPlateau: verbose must be 0 or 1, got 2');
  });
});
