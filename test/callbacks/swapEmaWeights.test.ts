import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import * as tfd from '@tensorflow/tfjs-data';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { EMA_WEIGHTS } from '../../src/core/optimizerStack.js';
import type { EmaWeights } from '../../src/core/optimizerStack.js';
import { swapEmaWeights } from '../../src/callbacks/swapEmaWeights.js';
import { describeBackends } from '../helpers/backends.js';
import { expectNoLeaks } from '../helpers/leaks.js';

type Label = 'raw' | 'ema' | 'neither';
interface EpochRow {
  before: Label;
  after: Label;
  valLoss: Label;
  nextEpochTrainsFrom?: Label;
}
interface Case {
  swapOnEpoch: boolean;
  epochs: number;
  stopAt: number | null;
  perEpoch: EpochRow[];
  afterFit: Label;
}

/** Keras 3.15's SwapEMAWeights with SGD(use_ema=True) (scripts/keras/swap_ema_weights.py). */
const REFERENCE = JSON.parse(readFileSync(join(import.meta.dirname, 'keras-swap-ema-weights.json'), 'utf8')) as {
  cases: Case[];
};

/**
 * A stand-in for `withEma`: the EMA (momentum 0.5) is updated inside every optimizer step, as
 * Keras' `use_ema` does, and `swapWeights` really exchanges the model's variables with stored
 * variables. `raw` and `ema` are host copies of both at the end of the latest step.
 */
function fakeEma(model: tfl.LayersModel) {
  const optimizer = model.optimizer;
  const vars = () => model.trainableWeights.map((w) => (w as unknown as { val: tf.Variable }).val);
  let averages: tf.Variable[] | null = null;
  const copies = { raw: [] as number[][], ema: [] as number[][], swaps: 0 };
  const ema: EmaWeights = {
    hasAverages: () => averages !== null,
    swapWeights: () =>
      tf.tidy(() => {
        copies.swaps += 1;
        vars().forEach((v, i) => {
          const held = v.clone();
          v.assign(averages![i]!);
          averages![i]!.assign(held);
        });
      }),
    finalizeWeights: () => vars().forEach((v, i) => v.assign(averages![i]!)),
    averages: () => Object.fromEntries(model.trainableWeights.map((w, i) => [w.name, averages![i]!])),
  };
  const apply = optimizer.applyGradients.bind(optimizer);
  (optimizer as unknown as Record<symbol, unknown>)[EMA_WEIGHTS] = ema;
  optimizer.applyGradients = (grads) => {
    apply(grads);
    tf.tidy(() => {
      if (averages === null) averages = vars().map((v) => tf.variable(v.clone(), false));
      else averages.forEach((a, i) => a.assign(tf.add(tf.mul(a, 0.5), tf.mul(vars()[i]!, 0.5))));
    });
    copies.raw = vars().map((v) => Array.from(v.dataSync()));
    copies.ema = averages!.map((a) => Array.from(a.dataSync()));
  };
  return { copies, dispose: () => tf.dispose(averages ?? []) };
}

function problem() {
  const x = tf.randomNormal([16, 3], 0, 1, 'float32', 1);
  const y = tf.matMul(x, tf.tensor2d([[1], [-2], [0.5]]));
  const vx = tf.add(tf.slice(x, 0, 8), 0.1);
  const vy = tf.slice(y, 0, 8);
  return { x, y, vx, vy, dispose: () => tf.dispose([x, y, vx, vy]) };
}

function compiled(): tfl.LayersModel {
  const model = tfl.sequential({ layers: [tfl.layers.dense({ inputShape: [3], units: 1 })] });
  model.compile({ optimizer: tf.train.sgd(0.05), loss: 'meanSquaredError' });
  return model;
}

const close = (a: number[][], b: number[][]) =>
  a.length === b.length && a.every((w, i) => w.every((v, j) => Math.abs(v - b[i]![j]!) <= 1e-6 * (1 + Math.abs(v))));

type Mode = 'fit' | 'fitDataset' | 'fitDataset+datasetValidation';

async function train(c: Pick<Case, 'swapOnEpoch' | 'epochs' | 'stopAt'>, mode: Mode) {
  const data = problem();
  const model = compiled();
  const fake = fakeEma(model);
  const weights = () => model.getWeights().map((w) => Array.from(w.dataSync()));
  const label = (w: number[][]): Label =>
    close(w, fake.copies.raw) ? 'raw' : close(w, fake.copies.ema) ? 'ema' : 'neither';
  const twin = compiled();
  const evaluateWith = (w: number[][]) => {
    const ts = w.map((v, i) => tf.tensor(v, model.getWeights()[i]!.shape));
    twin.setWeights(ts);
    tf.dispose(ts);
    const loss = twin.evaluate(data.vx, data.vy, { batchSize: 32 }) as tf.Scalar;
    const value = loss.dataSync()[0]!;
    loss.dispose();
    return value;
  };
  const rows: EpochRow[] = [];
  const before = new tfl.CustomCallback({
    onEpochEnd: async () => void rows.push({ before: label(weights()) } as EpochRow),
  });
  const after = new tfl.CustomCallback({
    onEpochEnd: async (epoch, logs) => {
      const row = rows.at(-1)!;
      row.after = label(weights());
      const val = logs!['val_loss']!;
      const near = (a: number) => Math.abs(val - a) <= 1e-5 * (1 + Math.abs(a));
      row.valLoss = near(evaluateWith(fake.copies.ema))
        ? 'ema'
        : near(evaluateWith(fake.copies.raw))
          ? 'raw'
          : 'neither';
      if (epoch === c.stopAt) model.stopTraining = true;
    },
    onEpochBegin: async (epoch) => {
      if (epoch > 0) rows.at(-1)!.nextEpochTrainsFrom = label(weights());
    },
  });
  const callbacks = [before, swapEmaWeights({ swapOnEpoch: c.swapOnEpoch }), after];
  const rowsOf = (t: tf.Tensor) => tf.tidy(() => tf.unstack(t).map((r) => Array.from(r.dataSync())));
  const ds = (a: tf.Tensor, b: tf.Tensor, n: number) =>
    tfd.array(rowsOf(a).map((xs, i) => ({ xs, ys: rowsOf(b)[i]! }))).batch(n);
  if (mode === 'fit') {
    await model.fit(data.x, data.y, {
      batchSize: 4,
      epochs: c.epochs,
      shuffle: false,
      verbose: 0,
      validationData: [data.vx, data.vy],
      callbacks,
    });
  } else {
    await model.fitDataset(ds(data.x, data.y, 4), {
      epochs: c.epochs,
      verbose: 0,
      validationData: mode === 'fitDataset' ? [data.vx, data.vy] : ds(data.vx, data.vy, 8),
      callbacks,
    });
  }
  const afterFit = label(weights());
  fake.dispose();
  data.dispose();
  model.dispose();
  twin.dispose();
  return { perEpoch: rows, afterFit };
}

describeBackends('swapEmaWeights', () => {
  for (const mode of ['fit', 'fitDataset', 'fitDataset+datasetValidation'] as const) {
    it(`puts the EMA and raw weights where Keras 3 does (${mode})`, async () => {
      for (const c of REFERENCE.cases) {
        const r = await train(c, mode);
        expect(r.perEpoch, JSON.stringify(c)).toEqual(c.perEpoch);
        // Keras 3.15 ends with the raw weights after an early stop under swap_on_epoch (its
        // bookkeeping only runs at epochs - 1); swapEmaWeights ends with the averages, always.
        const stoppedEarlyWithSwap = c.swapOnEpoch && c.stopAt !== null && c.stopAt < c.epochs - 1;
        expect(r.afterFit).toBe(stoppedEarlyWithSwap ? 'ema' : c.afterFit);
        if (stoppedEarlyWithSwap) expect(c.afterFit).toBe('raw');
      }
    });
  }

  it('without validation, trains on the raw weights and ends with the averages', async () => {
    const data = problem();
    const model = compiled();
    const fake = fakeEma(model);
    const seen: boolean[] = [];
    const cb = swapEmaWeights();
    await model.fit(data.x, data.y, {
      batchSize: 4,
      epochs: 2,
      verbose: 0,
      callbacks: [cb, new tfl.CustomCallback({ onEpochEnd: async () => void seen.push(cb.emaInModel) })],
    });
    expect(seen).toEqual([false, false]);
    expect(
      close(
        model.getWeights().map((w) => Array.from(w.dataSync())),
        fake.copies.ema,
      ),
    ).toBe(true);
    fake.dispose();
    data.dispose();
    model.dispose();
  });

  it('does nothing before the first step, and its hook is gone after fit (also after a failed fit)', async () => {
    const data = problem();
    const model = compiled();
    const fake = fakeEma(model);
    const cb = swapEmaWeights({ swapOnEpoch: true });
    cb.setModel(model);
    await cb.onTrainBegin();
    await cb.onEpochEnd(0);
    expect(cb.emaInModel).toBe(false);
    await cb.onTrainEnd();
    expect(Object.hasOwn(model, 'testLoop') || Object.hasOwn(model, 'evaluateDataset')).toBe(false);
    const failing = model.fit(data.x, data.y, {
      epochs: 2,
      verbose: 0,
      validationData: [data.vx, data.vy],
      callbacks: [
        cb,
        new tfl.CustomCallback({
          onEpochEnd: async () => {
            throw new Error('boom');
          },
        }),
      ],
    });
    await expect(failing).rejects.toThrow('boom');
    expect(cb.emaInModel).toBe(true);
    // The next fit starts from the raw weights, the averages back in the EMA's keeping.
    await cb.onTrainBegin();
    expect(cb.emaInModel).toBe(false);
    expect(
      close(
        model.getWeights().map((t) => Array.from(t.dataSync())),
        fake.copies.raw,
      ),
    ).toBe(true);
    await cb.onTrainEnd();
    expect(
      close(
        model.getWeights().map((t) => Array.from(t.dataSync())),
        fake.copies.ema,
      ),
    ).toBe(true);
    // A later evaluation outside any fit is not swapped by the hook the failed fit left.
    const plain = swapEmaWeights();
    const failingPlain = model.fit(data.x, data.y, {
      epochs: 1,
      verbose: 0,
      validationData: [data.vx, data.vy],
      callbacks: [plain, new tfl.CustomCallback({ onEpochEnd: () => Promise.reject(new Error('boom')) })],
    });
    await expect(failingPlain).rejects.toThrow('boom');
    expect(plain.emaInModel).toBe(false);
    const swaps = fake.copies.swaps;
    tf.dispose(model.evaluate(data.vx, data.vy) as tf.Scalar);
    expect(fake.copies.swaps).toBe(swaps);
    fake.dispose();
    data.dispose();
    model.dispose();
  });

  it('refuses an optimizer without an EMA when training begins, naming swapEmaWeights', async () => {
    const model = compiled();
    const x = tf.ones([2, 3]);
    const y = tf.ones([2, 1]);
    await expect(model.fit(x, y, { verbose: 0, callbacks: [swapEmaWeights()] })).rejects.toThrow(
      'swapEmaWeights: model.optimizer must be an optimizer keeping an EMA (withEma), got "SGD"',
    );
    expect(() => swapEmaWeights({ swapOnEpoch: 1 as never })).toThrow(
      'swapEmaWeights: swapOnEpoch must be a boolean, got 1',
    );
    tf.dispose([x, y]);
    model.dispose();
  });

  it('leaves no tensor behind across a multi-epoch fit with validation', async () => {
    const data = problem();
    const model = compiled();
    const fake = fakeEma(model);
    await expectNoLeaks(() =>
      model.fit(data.x, data.y, {
        batchSize: 4,
        epochs: 3,
        verbose: 0,
        validationData: [data.vx, data.vy],
        callbacks: [swapEmaWeights({ swapOnEpoch: true })],
      }),
    );
    fake.dispose();
    data.dispose();
    model.dispose();
  });
});

describeBackends('swapEmaWeights with the real withEma', () => {
  it('validation sees the averages: the last val_loss is the finalized (averaged) model’s loss, not the raw one’s', async () => {
    const { withEma } = await import('../../src/optimizers/withEma.js');
    const x = tf.tidy(() => tf.reshape(tf.sin(tf.linspace(0, 9, 24)), [12, 2]));
    const y = tf.tidy(() => tf.reshape(tf.cos(tf.linspace(0, 5, 12)), [12, 1]));
    const fitted = async (swap: boolean) => {
      const model = tfl.sequential({
        layers: [tfl.layers.dense({ inputShape: [2], units: 1, kernelInitializer: tfl.initializers.ones() })],
      });
      model.compile({ optimizer: withEma(tf.train.sgd(0.2), { momentum: 0.5 }), loss: 'meanSquaredError' });
      const h = await model.fit(x, y, {
        epochs: 3,
        batchSize: 4,
        shuffle: false,
        validationData: [x, y],
        verbose: 0,
        callbacks: swap ? [swapEmaWeights()] : [],
      });
      const evaluated = model.evaluate(x, y) as tf.Scalar;
      const last = h.history['val_loss']!.at(-1) as number;
      const value = evaluated.dataSync()[0]!;
      evaluated.dispose();
      model.optimizer.dispose();
      model.dispose();
      return { last, value };
    };
    const swapped = await fitted(true);
    // swapEmaWeights finalizes: the model holds the averages the last validation used.
    expect(swapped.last).toBeCloseTo(swapped.value, 6);
    const raw = await fitted(false);
    expect(Math.abs(raw.last - swapped.last)).toBeGreaterThan(1e-4);
    tf.dispose([x, y]);
  });
});
