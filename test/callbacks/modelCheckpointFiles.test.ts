import * as realFs from 'node:fs/promises';
import * as nodePath from 'node:path';
import { tmpdir } from 'node:os';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { afterAll, afterEach, beforeAll, expect, it, vi } from 'vitest';
import { modelCheckpoint } from '../../src/callbacks/modelCheckpoint.js';
import type { ModelCheckpointOptions } from '../../src/callbacks/modelCheckpoint.js';
import { nodeFs } from '../../src/callbacks/_internal/checkpoint/files.js';
import { describeBackends } from '../helpers/backends.js';

const { join } = nodePath;
let root = '';
let n = 0;
beforeAll(async () => {
  root = await realFs.mkdtemp(join(tmpdir(), 'modelCheckpoint-'));
});
afterAll(async () => {
  await realFs.rm(root, { recursive: true, force: true });
});
afterEach(() => {
  vi.restoreAllMocks();
});
/** A fresh empty directory per test, so leftovers are easy to spot. */
const freshDir = async (): Promise<string> => realFs.mkdtemp(join(root, `t${n++}-`));

function tinyModel(): tfl.LayersModel {
  const model = tfl.sequential({
    layers: [
      tfl.layers.dense({ inputShape: [3], units: 4, activation: 'relu' }),
      tfl.layers.dense({ units: 2, activation: 'softmax' }),
    ],
  });
  model.compile({ optimizer: 'sgd', loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  return model;
}

const X = [
  [0.1, -0.4, 0.7],
  [1, 0.5, -0.2],
  [-0.3, 0.8, 0.05],
  [0.6, -0.9, 0.3],
];
function predict(model: tfl.LayersModel): number[] {
  return tf.tidy(() => Array.from((model.predict(tf.tensor2d(X)) as tf.Tensor).dataSync()));
}

/** A directory listing with the weights file's unique name as a pattern. */
async function listing(dir: string): Promise<string[]> {
  return (await realFs.readdir(dir)).map((n) => n.replace(/^weights-[0-9a-f]{16}\.bin$/, 'weights-*.bin')).sort();
}

/** Loads a checkpoint directory from its two files without tfjs-node (tf.io.fromMemory). */
async function loadDir(dir: string): Promise<tfl.LayersModel> {
  const json = JSON.parse(await realFs.readFile(join(dir, 'model.json'), 'utf8'));
  expect(json.weightsManifest[0].paths).toEqual([expect.stringMatching(/^weights-[0-9a-f]{16}\.bin$/)]);
  const bin = await realFs.readFile(join(dir, json.weightsManifest[0].paths[0]));
  expect(json.format).toBe('layers-model');
  const weightData = bin.buffer.slice(bin.byteOffset, bin.byteOffset + bin.byteLength);
  return tfl.loadLayersModel(
    tf.io.fromMemory({ modelTopology: json.modelTopology, weightSpecs: json.weightsManifest[0].weights, weightData }),
  );
}

/** Sets the weights to a ramp scaled by `value`, so a checkpoint's content tells which state it holds. */
function fillWeights(model: tfl.LayersModel, value: number): void {
  tf.tidy(() =>
    model.setWeights(model.getWeights().map((w) => tf.reshape(tf.linspace(-value, 2 * value, w.size), w.shape))),
  );
}

async function saveAt(
  options: ModelCheckpointOptions,
  model: tfl.LayersModel,
  epoch: number,
  logs: Record<string, number>,
) {
  const cb = modelCheckpoint({ warn: () => {}, log: () => {}, ...options });
  cb.setModel(model);
  await cb.onEpochEnd(epoch, logs);
  return cb;
}

/** fs whose `open(...).writeFile` of weights.bin writes half the bytes then fails, or whose n-th rename fails. */
function failingFs(failure: { halfWrite?: boolean; renameNumber?: number }): typeof realFs {
  let renames = 0;
  return new Proxy(realFs, {
    get(target, key) {
      if (key === 'rename') {
        return async (from: string, to: string) => {
          if (++renames === failure.renameNumber) throw new Error('injected rename failure');
          return target.rename(from, to);
        };
      }
      if (key === 'open' && failure.halfWrite) {
        return async (p: string, flags: string) => {
          const h = await target.open(p, flags);
          if (!/weights.*\.bin$/.test(p)) return h;
          return {
            writeFile: async (data: Uint8Array) => {
              await h.writeFile(data.subarray(0, data.length >> 1));
              throw new Error('injected: no space left on device');
            },
            sync: () => h.sync(),
            close: () => h.close(),
          };
        };
      }
      return Reflect.get(target, key);
    },
  });
}

async function fit(model: tfl.LayersModel, x: tf.Tensor, y: tf.Tensor, args: tfl.ModelFitArgs): Promise<tfl.History> {
  return model.fit(x, y, { verbose: 0, ...args });
}

describeBackends('modelCheckpoint to a directory', (backend) => {
  it('writes model.json + a weights file it names, that load back (tf.io.fromMemory) with identical predictions', async () => {
    const dir = await freshDir();
    const model = tinyModel();
    const cb = await saveAt({ filepath: join(dir, 'ckpt-{epoch:02d}-{val_loss:.4f}') }, model, 2, {
      val_loss: 0.56789,
    });
    expect(cb.lastSavedPath).toBe(join(dir, 'ckpt-03-0.5679'));
    expect((await realFs.readdir(dir)).sort()).toEqual(['ckpt-03-0.5679']);
    expect(await listing(cb.lastSavedPath!)).toEqual(['model.json', 'weights-*.bin']);
    const loaded = await loadDir(cb.lastSavedPath!);
    expect(predict(loaded)).toEqual(predict(model));
    if (backend === 'tensorflow') {
      // tfjs-node's own file:// loader reads the same layout.
      const viaNode = await tfl.loadLayersModel(`file://${cb.lastSavedPath}/model.json`);
      expect(predict(viaNode)).toEqual(predict(model));
      viaNode.dispose();
    }
    loaded.dispose();
    model.dispose();
  });

  it('file:// targets are written by the library too, and a newer best replaces the old checkpoint', async () => {
    const dir = await freshDir();
    const model = tinyModel();
    const cb = modelCheckpoint({ filepath: `file://${join(dir, 'best')}`, saveBestOnly: true });
    cb.setModel(model);
    fillWeights(model, 0.1);
    await cb.onEpochEnd(0, { val_loss: 1 });
    const first = predict(model);
    fillWeights(model, 0.2);
    await cb.onEpochEnd(1, { val_loss: 2 }); // worse: the checkpoint keeps epoch 1
    const stillFirst = await loadDir(join(dir, 'best'));
    expect(predict(stillFirst)).toEqual(first);
    await cb.onEpochEnd(2, { val_loss: 0.5 });
    const second = await loadDir(join(dir, 'best'));
    expect(predict(second)).toEqual(predict(model));
    expect(predict(second)).not.toEqual(first);
    expect(await realFs.readdir(dir)).toEqual(['best']);
    stillFirst.dispose();
    second.dispose();
    model.dispose();
  });

  it('saveWeightsOnly writes weights.json + the weights file it names, loadable into an identically built model', async () => {
    const dir = await freshDir();
    const model = tinyModel();
    await saveAt({ filepath: join(dir, 'w'), saveWeightsOnly: true }, model, 0, {});
    expect(await listing(join(dir, 'w'))).toEqual(['weights-*.bin', 'weights.json']);
    // The loading recipe of the TSDoc.
    const json = JSON.parse(await realFs.readFile(join(dir, 'w', 'weights.json'), 'utf8'));
    const bin = await realFs.readFile(join(dir, 'w', json.weightsManifest[0].paths[0]));
    const specs: tf.io.WeightsManifestEntry[] = json.weightsManifest[0].weights;
    const map = tf.io.decodeWeights(bin.buffer.slice(bin.byteOffset, bin.byteOffset + bin.byteLength), specs);
    const twin = tinyModel();
    expect(predict(twin)).not.toEqual(predict(model));
    twin.setWeights(specs.map((s) => map[s.name]!));
    expect(predict(twin)).toEqual(predict(model));
    tf.dispose(Object.values(map));
    twin.dispose();
    model.dispose();
  });

  it('a save that fails mid-write leaves the previous checkpoint intact and no temporary directory', async () => {
    const dir = await freshDir();
    const model = tinyModel();
    const target = join(dir, 'best');
    const cb = modelCheckpoint({ filepath: target, saveBestOnly: true });
    cb.setModel(model);
    await cb.onEpochEnd(0, { val_loss: 1 });
    const first = predict(model);
    fillWeights(model, 0.3);
    vi.spyOn(nodeFs, 'load').mockResolvedValue({ fs: failingFs({ halfWrite: true }), path: nodePath });
    await expect(cb.onEpochEnd(1, { val_loss: 0.5 })).rejects.toThrow(
      `modelCheckpoint: could not save the model to ${JSON.stringify(target)}: injected: no space left on device`,
    );
    expect(cb.best).toBe(1);
    expect(await realFs.readdir(dir)).toEqual(['best']);
    // The half-written weights file is gone: only the previous checkpoint remains.
    expect(await listing(target)).toEqual(['model.json', 'weights-*.bin']);
    const loaded = await loadDir(target);
    expect(predict(loaded)).toEqual(first);
    loaded.dispose();
    model.dispose();
  });

  it('a failed rename of the new manifest into place leaves the previous checkpoint, and nothing else', async () => {
    const dir = await freshDir();
    const model = tinyModel();
    const target = join(dir, 'best');
    await saveAt({ filepath: target }, model, 0, {});
    const first = predict(model);
    fillWeights(model, 0.4);
    // The one rename of a save puts the new manifest (naming the new weights) over the old one.
    vi.spyOn(nodeFs, 'load').mockResolvedValue({ fs: failingFs({ renameNumber: 1 }), path: nodePath });
    const warn = vi.fn();
    const cb2 = await saveAt({ filepath: target, onSaveError: 'continue', warn }, model, 1, {});
    expect(warn).toHaveBeenCalledWith(
      `modelCheckpoint: could not save the model to ${JSON.stringify(target)}: injected rename failure. Training continues (onSaveError: 'continue').`,
    );
    expect(cb2.lastSavedPath).toBeUndefined();
    expect(model.stopTraining).toBeFalsy();
    expect(await realFs.readdir(dir)).toEqual(['best']);
    expect(await listing(target)).toEqual(['model.json', 'weights-*.bin']);
    const loaded = await loadDir(target);
    expect(predict(loaded)).toEqual(first);
    loaded.dispose();
    model.dispose();
  });

  it("refuses to write into a directory holding other files, or a path under a file ('stop' sets stopTraining)", async () => {
    const dir = await freshDir();
    const model = tinyModel();
    await realFs.writeFile(join(dir, 'notes.txt'), 'mine');
    await expect(saveAt({ filepath: dir }, model, 0, {})).rejects.toThrow(
      /modelCheckpoint: could not save the model to ".*": .* holds files that are not part of a checkpoint \(notes\.txt\); refusing to write into it/,
    );
    expect(await realFs.readdir(dir)).toEqual(['notes.txt']);
    const warn = vi.fn();
    const blocked = join(dir, 'notes.txt', 'ckpt');
    await saveAt({ filepath: blocked, onSaveError: 'stop', warn }, model, 0, {});
    expect(model.stopTraining).toBe(true);
    expect(warn).toHaveBeenCalledTimes(1);
    expect(warn.mock.calls[0]![0]).toMatch(
      new RegExp(
        `^modelCheckpoint: could not save the model to "${blocked}": .*(ENOTDIR|EEXIST).*Training stops \\(onSaveError: 'stop'\\)\\.$`,
      ),
    );
    expect(await realFs.readdir(dir)).toEqual(['notes.txt']);
    model.dispose();
  });

  it('in a real model.fit: one checkpoint per epoch named from the logs, the last equal to the trained model', async () => {
    const dir = await freshDir();
    const model = tinyModel();
    const x = tf.tensor2d([...X, ...X]);
    const y = tf.oneHot(tf.tensor1d([0, 1, 0, 1, 1, 0, 1, 0], 'int32'), 2);
    const lines: string[] = [];
    const cb = modelCheckpoint({
      filepath: join(dir, 'e{epoch:02d}-{val_accuracy:.2f}'),
      verbose: 1,
      log: (l) => lines.push(l),
    });
    const history = await fit(model, x, y, { epochs: 3, batchSize: 4, validationData: [x, y], callbacks: [cb] });
    // Accuracies over 8 samples are multiples of 1/8: Python's '.2f' rounds their ties half to even.
    const py2f: Record<number, string> = {
      0: '0.00',
      0.125: '0.12',
      0.25: '0.25',
      0.375: '0.38',
      0.5: '0.50',
      0.625: '0.62',
      0.75: '0.75',
      0.875: '0.88',
      1: '1.00',
    };
    const names = history.history.val_acc!.map((a, i) => `e${String(i + 1).padStart(2, '0')}-${py2f[a as number]}`);
    expect((await realFs.readdir(dir)).sort()).toEqual(names);
    expect(lines).toEqual(names.map((name, i) => `Epoch ${i + 1}: saving model to ${join(dir, name)}`));
    const last = await loadDir(join(dir, names[2]!));
    expect(predict(last)).toEqual(predict(model));
    last.dispose();
    tf.dispose([x, y]);
    model.dispose();
  });

  it('in a real model.fit: saveFreq in batches reads tensor batch logs; a failing save rejects fit or stops it', async () => {
    const dir = await freshDir();
    const model = tinyModel();
    const x = tf.tensor2d([...X, ...X]);
    const y = tf.oneHot(tf.tensor1d([0, 1, 0, 1, 1, 0, 1, 0], 'int32'), 2);
    const cb = modelCheckpoint({ filepath: join(dir, 'b{epoch}-{batch}-{loss:.3f}'), saveFreq: 3 });
    await fit(model, x, y, { epochs: 2, batchSize: 2, callbacks: [cb] });
    const saved = (await realFs.readdir(dir)).sort();
    expect(saved.map((s) => s.replace(/-[\d.]+$/, ''))).toEqual(['b1-3', 'b2-2']);
    expect(saved.every((s) => /-\d\.\d{3}$/.test(s))).toBe(true);

    await realFs.writeFile(join(dir, 'file'), '');
    const bad = join(dir, 'file', 'ckpt');
    await expect(fit(model, x, y, { epochs: 3, callbacks: [modelCheckpoint({ filepath: bad })] })).rejects.toThrow(
      `modelCheckpoint: could not save the model to ${JSON.stringify(bad)}`,
    );
    const warn = vi.fn();
    const h = await fit(model, x, y, {
      epochs: 3,
      callbacks: [modelCheckpoint({ filepath: bad, onSaveError: 'stop', warn })],
    });
    expect([h.epoch.length, warn.mock.calls.length]).toEqual([1, 1]);
    const h2 = await fit(model, x, y, {
      epochs: 3,
      callbacks: [modelCheckpoint({ filepath: bad, onSaveError: 'continue', warn })],
    });
    expect([h2.epoch.length, warn.mock.calls.length]).toEqual([3, 4]);
    const leftovers = (await realFs.readdir(dir)).filter((f) => f.startsWith('.'));
    expect(leftovers).toEqual([]);
    tf.dispose([x, y]);
    model.dispose();
  });
});
