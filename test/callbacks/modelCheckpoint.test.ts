import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import fc from 'fast-check';
import { expect, it, vi } from 'vitest';
import { modelCheckpoint } from '../../src/callbacks/modelCheckpoint.js';
import type { ModelCheckpointOptions } from '../../src/callbacks/modelCheckpoint.js';
import { describeBackends } from '../helpers/backends.js';
import { expectNoLeaks } from '../helpers/leaks.js';
import { runs } from '../helpers/runs.js';

function tinyModel(): tfl.LayersModel {
  const model = tfl.sequential({ layers: [tfl.layers.dense({ inputShape: [2], units: 1 })] });
  model.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
  return model;
}

// URLs under this scheme are "saved" by recording the URL, so rendered filepaths can be checked.
const urls: string[] = [];
const artifactsByUrl = new Map<string, tf.io.ModelArtifacts>();
tf.io.registerSaveRouter((url): tf.io.IOHandler => {
  const u = Array.isArray(url) ? url[0]! : url;
  // tfjs' IORouter type says IOHandler, but routers answer null for URLs they do not handle.
  if (!u.startsWith('mctest://')) return null as unknown as tf.io.IOHandler;
  return {
    save: async (a: tf.io.ModelArtifacts) => {
      urls.push(u);
      artifactsByUrl.set(u, a);
      return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(a) };
    },
  };
});

/** Drives epoch ends with `values` under `key`; returns the 0-based epochs at which a save happened. */
async function drive(
  values: number[],
  options: Omit<ModelCheckpointOptions, 'filepath'>,
  key = options.monitor ?? 'val_loss',
) {
  const model = tinyModel();
  const saved: number[] = [];
  let epochNow = -1;
  const cb = modelCheckpoint({ filepath: () => saved.push(epochNow), log: () => {}, warn: () => {}, ...options });
  cb.setModel(model);
  await cb.onTrainBegin();
  for (const [epoch, v] of values.entries()) {
    epochNow = epoch;
    await cb.onEpochEnd(epoch, { [key]: v });
  }
  model.dispose();
  return { saved, best: cb.best };
}

function strictImprovements(values: number[], max: boolean, start = max ? -Infinity : Infinity): number[] {
  const out: number[] = [];
  let best = start;
  values.forEach((v, i) => {
    if (max ? v > best : v < best) {
      best = v;
      out.push(i);
    }
  });
  return out;
}

describeBackends('modelCheckpoint', () => {
  it('property: with saveBestOnly the saved epochs are exactly the strict running-best improvements', async () => {
    const cases = fc.constantFrom(
      { mode: 'min' as const, monitor: 'val_loss', max: false },
      { mode: 'max' as const, monitor: 'val_loss', max: true },
      { mode: 'auto' as const, monitor: 'val_loss', max: false },
      { mode: 'auto' as const, monitor: 'val_accuracy', max: true },
      { mode: 'auto' as const, monitor: 'acc', max: true },
    );
    // Small integers make ties (which must not save) frequent.
    const values = fc.array(fc.oneof(fc.integer({ min: 0, max: 6 }), fc.double({ min: -1, max: 1, noNaN: true })), {
      maxLength: 10,
    });
    await fc.assert(
      fc.asyncProperty(cases, values, async (c, vals) => {
        const r = await drive(vals, { monitor: c.monitor, mode: c.mode, saveBestOnly: true });
        const expected = strictImprovements(vals, c.max);
        expect(r.saved).toEqual(expected);
        expect(r.best).toBe(expected.length > 0 ? vals[expected.at(-1)!] : c.max ? -Infinity : Infinity);
      }),
      { numRuns: runs(25) },
    );
  });

  it('saves every epoch without saveBestOnly; initialValueThreshold; NaN never improves', async () => {
    expect((await drive([3, 2, 5, 1], {})).saved).toEqual([0, 1, 2, 3]);
    expect((await drive([0.5, 0.3, 0.2, 0.25], { saveBestOnly: true, initialValueThreshold: 0.3 })).saved).toEqual([2]);
    expect((await drive([Number.NaN, 1, Number.NaN, 0.5], { saveBestOnly: true })).saved).toEqual([1, 3]);
  });

  it('never saves over a checkpoint when loss or the monitor is NaN or infinite, unless saveNonFinite', async () => {
    const warnings: string[] = [];
    const model = tinyModel();
    const saved: number[] = [];
    let now = -1;
    const cb = modelCheckpoint({ filepath: () => saved.push(now), warn: (w) => warnings.push(w) });
    cb.setModel(model);
    const epochs: Record<string, number>[] = [
      { loss: 1, val_loss: 1 },
      { loss: 0.5, val_loss: 0.6 },
      { loss: Number.NaN, val_loss: Number.NaN },
      { loss: Infinity, val_loss: 2 },
      { loss: 0.4, val_loss: -Infinity },
      { loss: 0.3, val_loss: 0.5 },
    ];
    for (const [epoch, logs] of epochs.entries()) {
      now = epoch;
      await cb.onEpochEnd(epoch, logs);
    }
    expect(saved).toEqual([0, 1, 5]);
    expect(warnings).toEqual([
      'modelCheckpoint: Epoch 3: loss is nan; not saving to function, which keeps the last finite state (saveNonFinite: true saves anyway)',
      'modelCheckpoint: Epoch 4: loss is inf; not saving to function, which keeps the last finite state (saveNonFinite: true saves anyway)',
      'modelCheckpoint: Epoch 5: val_loss is -inf; not saving to function, which keeps the last finite state (saveNonFinite: true saves anyway)',
    ]);
    // Asked for: every epoch is saved, as Keras does.
    const all: number[] = [];
    const keras = modelCheckpoint({
      filepath: () => all.push(now),
      saveNonFinite: true,
      warn: (w) => warnings.push(w),
    });
    keras.setModel(model);
    for (const [epoch, logs] of epochs.entries()) {
      now = epoch;
      await keras.onEpochEnd(epoch, logs);
    }
    expect(all).toEqual([0, 1, 2, 3, 4, 5]);
    expect(warnings).toHaveLength(3);
    // saveBestOnly: a better monitored value with a NaN loss is not saved either, and does not become the best.
    const bestSaves: number[] = [];
    const bestOnly = modelCheckpoint({
      filepath: () => bestSaves.push(now),
      saveBestOnly: true,
      monitor: 'val_accuracy',
      warn: () => undefined,
    });
    bestOnly.setModel(model);
    for (const [epoch, logs] of [
      { val_accuracy: 0.5, loss: 1 },
      { val_accuracy: 0.6, loss: Number.NaN },
      { val_accuracy: 0.55, loss: 0.8 },
    ].entries()) {
      now = epoch;
      await bestOnly.onEpochEnd(epoch, logs);
    }
    expect(bestSaves).toEqual([0, 2]);
    expect(bestOnly.best).toBe(0.55);
    model.dispose();
  });

  it('a diverging fit keeps its last finite checkpoint', async () => {
    const model = tfl.sequential({ layers: [tfl.layers.dense({ inputShape: [2], units: 1 })] });
    model.compile({ optimizer: tf.train.sgd(1e6), loss: 'meanSquaredError' });
    const x = tf.tensor2d([1, 2, 3, 4, 5, 6, 7, 8], [4, 2]);
    const y = tf.tensor2d([1, 2, 3, 4], [4, 1]);
    let last: tf.io.ModelArtifacts | undefined;
    const warnings: string[] = [];
    const history = await model.fit(x, y, {
      epochs: 8,
      batchSize: 4,
      verbose: 0,
      callbacks: [
        modelCheckpoint({ filepath: (a) => void (last = a), monitor: 'loss', warn: (w) => warnings.push(w) }),
      ],
    });
    expect(history.history['loss']!.some((l) => !Number.isFinite(l as number))).toBe(true);
    expect(warnings.length).toBeGreaterThan(0);
    const weights = new Float32Array(last!.weightData as ArrayBuffer);
    expect(weights.every((w) => Number.isFinite(w))).toBe(true);
    tf.dispose([x, y]);
    model.dispose();
  });

  it('monitors Keras and tfjs names interchangeably, and scalar tensor log values', async () => {
    expect((await drive([0.9, 0.95, 0.94], { monitor: 'val_accuracy', saveBestOnly: true }, 'val_acc')).saved).toEqual([
      0, 1,
    ]);
    expect((await drive([0.9, 0.95, 0.94], { monitor: 'val_acc', saveBestOnly: true }, 'val_accuracy')).saved).toEqual([
      0, 1,
    ]);
    const model = tinyModel();
    const saved: number[] = [];
    const cb = modelCheckpoint({ filepath: () => saved.push(1), saveBestOnly: true });
    cb.setModel(model);
    const logs = [tf.scalar(2), tf.scalar(1), tf.scalar(3)];
    for (const [epoch, t] of logs.entries()) await cb.onEpochEnd(epoch, { val_loss: t as unknown as number });
    expect([saved.length, cb.best]).toEqual([2, 1]);
    tf.dispose(logs);
    model.dispose();
  });

  it('warns once, listing the available keys, when the monitor is missing, and skips saving', async () => {
    const warn = vi.fn();
    const r = await drive([1, 0.5], { monitor: 'val_auc', saveBestOnly: true, warn }, 'loss');
    expect(r.saved).toEqual([]);
    expect(warn).toHaveBeenCalledTimes(1);
    expect(warn.mock.calls[0]![0]).toMatch(
      /^modelCheckpoint: monitor "val_auc" is not in the logs; available keys: loss/,
    );
  });

  it('prints Keras lines when verbose', async () => {
    const lines: string[] = [];
    await drive(
      [0.97683, 0.9795, 0.97],
      { monitor: 'val_accuracy', saveBestOnly: true, verbose: 1, log: (l) => lines.push(l) },
      'val_acc',
    );
    expect(lines).toEqual([
      'Epoch 1: val_accuracy improved from -inf to 0.97683, saving model to function',
      'Epoch 2: val_accuracy improved from 0.97683 to 0.97950, saving model to function',
      'Epoch 3: val_accuracy did not improve from 0.97950',
    ]);
    const model = tinyModel();
    const plain: string[] = [];
    const cb = modelCheckpoint({
      filepath: 'mctest://run/ckpt-{epoch:02d}-{val_loss:.4f}',
      verbose: 1,
      log: (l) => plain.push(l),
    });
    cb.setModel(model);
    await cb.onEpochEnd(2, { val_loss: 0.123456 });
    expect(plain).toEqual(['Epoch 3: saving model to mctest://run/ckpt-03-0.1235']);
    expect(cb.lastSavedPath).toBe('mctest://run/ckpt-03-0.1235');
    model.dispose();
  });

  it('renders {epoch} 1-based and {key:fmt} with aliases into tfjs IO URLs, passed to their save handler', async () => {
    const model = tinyModel();
    urls.length = 0;
    const cb = modelCheckpoint({ filepath: 'mctest://m/e{epoch:03d}-{val_accuracy:.3f}-{loss:.2e}-{acc:.1%}' });
    cb.setModel(model);
    await cb.onTrainBegin();
    await cb.onEpochEnd(0, { loss: 0.00123, acc: 0.5, val_acc: 0.97683 });
    await cb.onEpochEnd(9, { loss: 12, accuracy: 0.125, val_accuracy: 1 });
    expect(urls).toEqual(['mctest://m/e001-0.977-1.23e-03-50.0%', 'mctest://m/e010-1.000-1.20e+01-12.5%']);
    // The handler got tfjs' own artifacts: topology plus the two weight tensors.
    const a = artifactsByUrl.get(urls[0]!)!;
    expect(a.format).toBe('layers-model');
    expect(a.weightSpecs!.map((s) => s.shape)).toEqual([[2, 1], [1]]);
    model.dispose();
  });

  it('saveFreq N saves every N training batches, counting across epochs like Keras', async () => {
    const model = tinyModel();
    urls.length = 0;
    const cb = modelCheckpoint({ filepath: 'mctest://b/{epoch}-{batch}-{loss:.1f}', saveFreq: 3 });
    cb.setModel(model);
    await cb.onTrainBegin();
    for (let epoch = 0; epoch < 3; epoch++) {
      await cb.onEpochBegin(epoch);
      for (let batch = 0; batch < 2; batch++) await cb.onBatchEnd(batch, { batch, size: 4, loss: epoch + batch / 2 });
      await cb.onEpochEnd(epoch, { loss: 9 });
    }
    expect(urls).toEqual(['mctest://b/2-1-1.0', 'mctest://b/3-2-2.5']);
    model.dispose();
  });

  it('on a saveFreq batch, each scalar tensor of the logs is read from the backend once', async () => {
    const model = tinyModel();
    urls.length = 0;
    const cb = modelCheckpoint({
      filepath: 'mctest://r/{batch}-{loss:.2f}',
      saveFreq: 1,
      saveBestOnly: true,
      monitor: 'loss',
    });
    cb.setModel(model);
    await cb.onTrainBegin();
    await cb.onEpochBegin(0);
    const loss = tf.scalar(0.5);
    const acc = tf.scalar(0.25);
    const reads = [vi.spyOn(loss, 'dataSync'), vi.spyOn(acc, 'dataSync')];
    // The template, the finiteness check and the improvement test all need the loss.
    await cb.onBatchEnd(0, { batch: 0, size: 4, loss, acc } as unknown as tfl.Logs);
    expect(urls).toEqual(['mctest://r/1-0.50']);
    expect(reads.map((r) => r.mock.calls.length)).toEqual([1, 0]);
    tf.dispose([loss, acc]);
    model.dispose();
  });

  it('saves weights only to in-memory targets (IOHandler object and function)', async () => {
    const model = tinyModel();
    const got: tf.io.ModelArtifacts[] = [];
    const handler: tf.io.IOHandler = {
      save: async (a) => (got.push(a), { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(a) }),
    };
    const cb = modelCheckpoint({ filepath: handler, saveWeightsOnly: true });
    cb.setModel(model);
    await cb.onEpochEnd(0, {});
    expect(got).toHaveLength(1);
    expect(got[0]!.modelTopology).toBeUndefined();
    expect(cb.lastSavedPath).toBe('IOHandler');
    // The saved bytes decode to the model's current weights, in model.weights order.
    const decoded = tf.io.decodeWeights(got[0]!.weightData!, got[0]!.weightSpecs!);
    const restored = got[0]!.weightSpecs!.map((s) => decoded[s.name]!);
    model.getWeights().forEach((w, i) => expect(Array.from(restored[i]!.dataSync())).toEqual(Array.from(w.dataSync())));
    tf.dispose(Object.values(decoded));
    model.dispose();
  });

  it("after a failed save under 'continue', best still describes the saved checkpoint, so the next improvement over it saves", async () => {
    const model = tinyModel();
    const saved: number[] = [];
    const warn = vi.fn();
    let epochNow = 0;
    const flaky = () => {
      if (epochNow === 1) throw new Error('network down');
      saved.push(epochNow);
    };
    const cb = modelCheckpoint({ filepath: flaky, saveBestOnly: true, onSaveError: 'continue', warn });
    cb.setModel(model);
    for (const [epoch, v] of [1, 0.5, 0.8, 0.9].entries()) {
      epochNow = epoch;
      await cb.onEpochEnd(epoch, { val_loss: v });
    }
    expect(saved).toEqual([0, 2]);
    expect([cb.best, cb.lastSavedPath]).toEqual([0.8, 'function flaky']);
    expect(warn).toHaveBeenCalledWith(
      `modelCheckpoint: could not save the model to "function flaky": network down. Training continues (onSaveError: 'continue').`,
    );
    expect(model.stopTraining).toBeFalsy();
    model.dispose();
  });

  it('leaks no tensors across saves', async () => {
    const model = tinyModel();
    const cb = modelCheckpoint({ filepath: async () => {}, saveBestOnly: true, mode: 'max' });
    cb.setModel(model);
    let v = 0;
    await expectNoLeaks(() => cb.onEpochEnd(0, { val_loss: (v += 1) }));
    expect(cb.best).toBe(2);
    model.dispose();
  });

  it('reports handler errors and unknown URL schemes naming modelCheckpoint, the filepath and the cause', async () => {
    const model = tinyModel();
    const bad = modelCheckpoint({
      filepath: {
        save: async () => ({
          modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' },
          errors: ['quota exceeded'],
        }),
      },
    });
    bad.setModel(model);
    await expect(bad.onEpochEnd(0, {})).rejects.toThrow(
      'modelCheckpoint: could not save the model to "IOHandler": the IOHandler reported quota exceeded',
    );
    const unknown = modelCheckpoint({ filepath: 'nosuch://m-{epoch}' });
    unknown.setModel(model);
    await expect(unknown.onEpochEnd(4, {})).rejects.toThrow(
      'modelCheckpoint: could not save the model to "nosuch://m-5": no tfjs save handler is registered for this URL scheme',
    );
    const missing = modelCheckpoint({ filepath: 'mctest://x-{val_loss:.2f}' });
    missing.setModel(model);
    await expect(missing.onEpochEnd(0, { loss: 1 })).rejects.toThrow(
      'modelCheckpoint: filepath "mctest://x-{val_loss:.2f}" names {val_loss}, which is not in the logs (available keys: loss)',
    );
    expect(missing.lastSavedPath).toBeUndefined();
    model.dispose();
  });
});

it('modelCheckpoint rejects bad options naming the function, option and value', () => {
  const f = () => {};
  const bad = (o: unknown) => () => modelCheckpoint(o as ModelCheckpointOptions);
  expect(bad(undefined)).toThrow(
    'modelCheckpoint: filepath must be a directory path, a tfjs IO URL, an IOHandler with save() or a function, got undefined',
  );
  expect(bad({ filepath: 3 })).toThrow(
    'modelCheckpoint: filepath must be a directory path, a tfjs IO URL, an IOHandler with save() or a function, got 3',
  );
  expect(bad({ filepath: { load: f } })).toThrow(/modelCheckpoint: filepath must be .* got \{\}/);
  expect(bad({ filepath: '' })).toThrow(
    'modelCheckpoint: filepath must be a path or URL with valid {placeholders} (it is empty), got ""',
  );
  expect(bad({ filepath: 'c-{val_loss:d}' })).toThrow(
    `modelCheckpoint: filepath must be a path or URL with valid {placeholders} (placeholder {val_loss:d}: format code 'd' needs an integer, log values are floats), got "c-{val_loss:d}"`,
  );
  expect(bad({ filepath: 'c-{batch}' })).toThrow(
    `modelCheckpoint: filepath must be free of {batch} when saveFreq is 'epoch', got "c-{batch}"`,
  );
  expect(bad({ filepath: 'c', mode: 'maximum' })).toThrow(
    'modelCheckpoint: mode must be one of "auto", "min", "max", got "maximum"',
  );
  expect(bad({ filepath: 'c', saveFreq: 0 })).toThrow(
    `modelCheckpoint: saveFreq must be 'epoch' or a positive integer (batches), got 0`,
  );
  expect(bad({ filepath: 'c', saveFreq: 2.5 })).toThrow(/saveFreq must be .* got 2.5$/);
  expect(bad({ filepath: 'c', saveFreq: 'batch' })).toThrow(/saveFreq must be .* got "batch"$/);
  expect(bad({ filepath: 'c', monitor: '' })).toThrow('modelCheckpoint: monitor must be a non-empty log key, got ""');
  expect(bad({ filepath: 'c', saveBestOnly: 1 })).toThrow('modelCheckpoint: saveBestOnly must be a boolean, got 1');
  expect(bad({ filepath: 'c', saveWeightsOnly: 'yes' })).toThrow(
    'modelCheckpoint: saveWeightsOnly must be a boolean, got "yes"',
  );
  expect(bad({ filepath: 'c', verbose: 2 })).toThrow('modelCheckpoint: verbose must be 0 or 1, got 2');
  expect(bad({ filepath: 'c', initialValueThreshold: Number.NaN })).toThrow(
    'modelCheckpoint: initialValueThreshold must be a finite number or undefined, got NaN',
  );
  expect(bad({ filepath: 'c', onSaveError: 'ignore' })).toThrow(
    'modelCheckpoint: onSaveError must be one of "throw", "stop", "continue", got "ignore"',
  );
  expect(bad({ filepath: 'c', log: 'console' })).toThrow('modelCheckpoint: log must be a function, got "console"');
  expect(bad({ filepath: 'c', warn: 42 })).toThrow('modelCheckpoint: warn must be a function, got 42');
  expect(bad([])).toThrow('modelCheckpoint: options must be an options object, got []');
  expect(() => modelCheckpoint({ filepath: 'c-{batch:03d}', saveFreq: 10 })).not.toThrow();
});
