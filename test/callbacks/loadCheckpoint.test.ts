import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { randomRotation } from '../../src/augment/layers/randomRotation.js';
import { loadCheckpoint } from '../../src/callbacks/loadCheckpoint.js';
import { modelCheckpoint } from '../../src/callbacks/modelCheckpoint.js';
import { l2 } from '../../src/regularizers/l2.js';
import { describeBackends } from '../helpers/backends.js';

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'tfjs-reg-load-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

const build = () =>
  tfl.sequential({
    layers: [
      randomRotation({ factor: 0.1, inputShape: [3, 3, 1], seed: 1 }),
      tfl.layers.flatten(),
      tfl.layers.dense({
        units: 2,
        kernelRegularizer: l2(0.01),
        kernelInitializer: tfl.initializers.glorotUniform({ seed: 3 }),
      }),
    ],
  });

async function save(model: tfl.LayersModel, dir: string, weightsOnly = false): Promise<void> {
  const cb = modelCheckpoint({ filepath: dir, saveWeightsOnly: weightsOnly });
  cb.setModel(model);
  await cb.onEpochEnd(0, {});
}

describeBackends(
  'loadCheckpoint',
  () => {
    it('reads a directory modelCheckpoint wrote (no tfjs-node needed), full or weights-only', async () => {
      const model = build();
      const x = tf.randomUniform([2, 3, 3, 1], 0, 1, 'float32', 5);
      const expected = Array.from((model.predict(x) as tf.Tensor).dataSync());
      await save(model, join(root, 'full'));
      const loaded = await loadCheckpoint(join(root, 'full'));
      expect(loaded.layers.map((l) => l.getClassName())).toEqual(['RandomRotation', 'Flatten', 'Dense']);
      expect(Array.from((loaded.predict(x) as tf.Tensor).dataSync())).toEqual(expected);
      expect(
        Array.from(((await loadCheckpoint(`file://${join(root, 'full')}`)).predict(x) as tf.Tensor).dataSync()),
      ).toEqual(expected);

      await save(model, join(root, 'weights'), true);
      const twin = build();
      expect(await loadCheckpoint(join(root, 'weights'), { model: twin })).toBe(twin);
      expect(Array.from((twin.predict(x) as tf.Tensor).dataSync())).toEqual(expected);
      tf.dispose([x]);
      [model, loaded, twin].forEach((m) => m.dispose());
    });

    it('names the function and the problem: no checkpoint, no model for weights, an unregistered class', async () => {
      await expect(loadCheckpoint(join(root, 'nothing-here'))).rejects.toThrow(
        /^loadCheckpoint: .*nothing-here holds no checkpoint/,
      );
      await expect(loadCheckpoint(join(root, 'weights'))).rejects.toThrow(
        /^loadCheckpoint: options.model must be the model to load the weights-only checkpoint/,
      );
      await expect(loadCheckpoint('')).rejects.toThrow(
        'loadCheckpoint: source must be a directory or a tfjs IO URL, got ""',
      );
      await expect(loadCheckpoint(join(root, 'full'), { modle: 1 } as never)).rejects.toThrow(
        'loadCheckpoint: unknown option "modle"; did you mean "model"?',
      );
      const file = join(root, 'full', 'model.json');
      await writeFile(file, (await readFile(file, 'utf8')).replace('"RandomRotation"', '"NotRegisteredAnywhere"'));
      await expect(loadCheckpoint(join(root, 'full'))).rejects.toThrow(
        /call registerSerializables\(\) from tfjs-regularization first/,
      );
    });
  },
  { only: ['cpu'] },
);
