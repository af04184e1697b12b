import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { flow } from '../../src/augment/flow.js';
import { gaussianNoise } from '../../src/augment/gaussianNoise.js';
import { backupAndRestore } from '../../src/callbacks/backupAndRestore.js';
import type { BackupAndRestoreOptions } from '../../src/callbacks/backupAndRestore.js';
import { earlyStopping } from '../../src/callbacks/earlyStopping.js';
import { getLearningRate } from '../../src/callbacks/getLearningRate.js';
import { historyLogger } from '../../src/callbacks/historyLogger.js';
import { modelCheckpoint } from '../../src/callbacks/modelCheckpoint.js';
import { reduceLROnPlateau } from '../../src/callbacks/reduceLROnPlateau.js';
import { decodeBackup } from '../../src/callbacks/_internal/backupFile.js';
import { describeBackends } from '../helpers/backends.js';
import { stochasticWeightAveraging } from '../../src/callbacks/stochasticWeightAveraging.js';
import { swapEmaWeights } from '../../src/callbacks/swapEmaWeights.js';
import { adamw } from '../../src/optimizers/adamw.js';
import { withEma } from '../../src/optimizers/withEma.js';
import { withGradientClipping } from '../../src/optimizers/withGradientClipping.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'backup-test-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const EPOCHS = 6;

type Variant = 'adam' | 'stack';

function makeModel(variant: Variant = 'adam'): tfl.Sequential {
  const init = (seed: number) => tfl.initializers.glorotUniform({ seed });
  const model = tfl.sequential({
    layers: [
      tfl.layers.flatten({ inputShape: [4, 4, 1] }),
      tfl.layers.dense({ units: 8, activation: 'relu', kernelInitializer: init(1) }),
      tfl.layers.dense({ units: 2, activation: 'softmax', kernelInitializer: init(2) }),
    ],
  });
  const optimizer =
    variant === 'adam'
      ? tf.train.adam(0.05)
      : withEma(withGradientClipping(adamw({ learningRate: 0.05 }), { globalClipNorm: 1 }), { momentum: 0.8 });
  model.compile({ optimizer, loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  return model;
}

function data(): { x: tf.Tensor4D; y: tf.Tensor2D } {
  const x = tf.tidy(() => tf.reshape(tf.sin(tf.linspace(0, 20, 16 * 16)), [16, 4, 4, 1]) as tf.Tensor4D);
  const y = tf.tidy(() =>
    tf.oneHot(tf.tensor1d([0, 1, 1, 0, 1, 0, 0, 1, 1, 1, 0, 0, 1, 0, 1, 0], 'int32'), 2),
  ) as tf.Tensor2D;
  return { x, y };
}

class CrashAt extends tfl.Callback {
  constructor(private readonly epoch: number) {
    super();
  }
  override async onEpochEnd(epoch: number): Promise<void> {
    if (epoch === this.epoch) throw new Error(`crash after epoch ${epoch}`);
  }
}

interface Run {
  weights: Float32Array[];
  lr: number;
  history: string;
  epochs: number[];
}

/** One training process as a script would run it; `crashAt` ends it by an error after that epoch. */
async function run(
  crashAt?: number,
  extra: Partial<BackupAndRestoreOptions> = {},
  variant: Variant = 'adam',
): Promise<Run> {
  const { x, y } = data();
  const model = makeModel(variant);
  const stack = variant === 'stack';
  const batches = flow(x, y, { batchSize: 4, seed: 7, flatten: false, pipeline: gaussianNoise({ stddev: 0.3 }) });
  const backup = backupAndRestore({ backupDir: join(dir, 'backup'), data: [batches], ...extra });
  try {
    const history = await model.fitDataset(batches, {
      epochs: EPOCHS,
      initialEpoch: await backup.initialEpoch(),
      verbose: 0,
      ...(stack ? { validationData: [x, y] } : {}),
      callbacks: [
        ...(stack ? [swapEmaWeights(), stochasticWeightAveraging({ startEpoch: 1 })] : []),
        reduceLROnPlateau({ monitor: 'loss', patience: 1, factor: 0.5, minDelta: 0.05 }),
        earlyStopping({ monitor: 'loss', patience: 100, restoreBestWeights: true }),
        modelCheckpoint({ filepath: () => undefined, monitor: 'loss', saveBestOnly: true }),
        historyLogger({ path: join(dir, 'history.csv') }),
        backup,
        ...(crashAt === undefined ? [] : [new CrashAt(crashAt)]),
      ] as tfl.Callback[],
    });
    return {
      weights: model.getWeights().map((w) => w.dataSync() as Float32Array),
      lr: getLearningRate(model.optimizer),
      history: await readFile(join(dir, 'history.csv'), 'utf8'),
      epochs: history.epoch,
    };
  } finally {
    model.optimizer.dispose();
    model.dispose();
    tf.dispose([x, y]);
  }
}

describeBackends('backupAndRestore', () => {
  it('a run crashed after an epoch and started again ends with the uninterrupted run’s weights, LR and history', async () => {
    const whole = await run();
    await rm(join(dir, 'history.csv'));
    await expect(run(2)).rejects.toThrow('crash after epoch 2');
    expect(await readdir(join(dir, 'backup'))).toEqual(['backup.tfrb']);
    const resumed = await run();
    expect(resumed.epochs).toEqual([3, 4, 5]);
    expect(resumed.lr).toBe(whole.lr);
    expect(resumed.history).toBe(whole.history);
    expect(resumed.weights).toEqual(whole.weights);
    // Done: the backup is deleted, with its directory.
    await expect(readdir(join(dir, 'backup'))).rejects.toThrow();
  });

  it('resumes a stack of optimizer wrappers (EMA averages, adamw moments), SWA and swapEmaWeights exactly', async () => {
    const whole = await run(undefined, {}, 'stack');
    await rm(join(dir, 'history.csv'));
    await expect(run(3, {}, 'stack')).rejects.toThrow('crash after epoch 3');
    const resumed = await run(undefined, {}, 'stack');
    expect(resumed.epochs).toEqual([4, 5]);
    expect(resumed.history).toBe(whole.history);
    expect(resumed.weights).toEqual(whole.weights);
  });

  it('is not silently ignored: a backup without initialEpoch is an error, and so is a wrong initialEpoch', async () => {
    await expect(run(1)).rejects.toThrow('crash after epoch 1');
    const { x, y } = data();
    const model = makeModel();
    try {
      await expect(backupAndRestore({ backupDir: join(dir, 'backup') }).initialEpoch()).rejects.toThrow(
        'backupAndRestore: data must be 1 (the backup\'s), got "0 datasets"',
      );
      const backup = backupAndRestore({ backupDir: join(dir, 'backup'), data: [flow(x, y, { batchSize: 4 })] });
      const fit = (initialEpoch?: number) =>
        model.fit(x, y, {
          epochs: 3,
          verbose: 0,
          callbacks: [backup],
          ...(initialEpoch === undefined ? {} : { initialEpoch }),
        });
      await expect(fit()).rejects.toThrow(
        /backupAndRestore: .*backup\.tfrb holds a backup; pass `initialEpoch: await backup\.initialEpoch\(\)`/,
      );
      expect(await backup.initialEpoch()).toBe(2);
      await expect(fit(0)).rejects.toThrow(
        'backupAndRestore: the backup resumes at epoch 2, but fit started at epoch 0',
      );
    } finally {
      model.dispose();
      tf.dispose([x, y]);
    }
  });

  it('must come after the stateful callbacks, and refuses a backup of another model', async () => {
    const { x, y } = data();
    const model = makeModel();
    try {
      const backup = backupAndRestore({ backupDir: join(dir, 'backup') });
      await backup.initialEpoch();
      const early = earlyStopping({ monitor: 'loss' }) as tfl.Callback;
      await expect(model.fit(x, y, { epochs: 1, verbose: 0, callbacks: [backup, early] })).rejects.toThrow(
        'backupAndRestore: put it after earlyStopping in the callbacks list',
      );
      // A backup is no stateful callback of another one: two, each after the stateful ones, both run.
      const twice = [
        earlyStopping({ monitor: 'loss' }) as tfl.Callback,
        ...['b3', 'b4'].map((d) => backupAndRestore({ backupDir: join(dir, d) })),
      ];
      await model.fit(x, y, { epochs: 1, verbose: 0, callbacks: twice });
      await model.fit(x, y, {
        epochs: 1,
        verbose: 0,
        callbacks: [backupAndRestore({ backupDir: join(dir, 'b2'), deleteCheckpoint: false })],
      });
      const other = tfl.sequential({
        layers: [tfl.layers.flatten({ inputShape: [4, 4, 1] }), tfl.layers.dense({ units: 2 })],
      });
      other.compile({ optimizer: tf.train.adam(0.05), loss: 'meanSquaredError' });
      const b2 = backupAndRestore({ backupDir: join(dir, 'b2') });
      await expect(
        other.fit(x, y, { epochs: 2, initialEpoch: await b2.initialEpoch(), verbose: 0, callbacks: [b2] }),
      ).rejects.toThrow(
        /backupAndRestore: the backup in .* is of another model \(weights \[16,8\] \[8\] \[8,2\] \[2\], this model \[16,2\] \[2\]\)/,
      );
      other.dispose();
    } finally {
      model.dispose();
      tf.dispose([x, y]);
    }
  });

  it('saveFreq in batches backs up mid-epoch, and resuming starts that epoch again, as Keras does', async () => {
    await expect(run(1, { saveFreq: 3, deleteCheckpoint: false })).rejects.toThrow('crash after epoch 1');
    // 4 batches per epoch: saves after batches 3 and 6 (epoch 1, batch 1) and 9 (epoch 2, batch 0, not reached).
    const b = decodeBackup(new Uint8Array(await readFile(join(dir, 'backup', 'backup.tfrb'))), 'x');
    expect([b.epoch, b.batch]).toEqual([1, 1]);
  });

  it('removes the temporary file a killed backup write left', async () => {
    await run(undefined, { deleteCheckpoint: false });
    const stale = join(dir, 'backup', '.backup.tfrb.0123456789abcdef.tmp');
    await writeFile(stale, 'partial');
    const { x, y } = data();
    await backupAndRestore({ backupDir: join(dir, 'backup'), data: [flow(x, y, { batchSize: 4 })] }).initialEpoch();
    tf.dispose([x, y]);
    expect(await readdir(join(dir, 'backup'))).toEqual(['backup.tfrb']);
  });

  it('leaves no tensor behind across a resumed fit', async () => {
    await run(undefined, { deleteCheckpoint: false });
    await rm(join(dir, 'backup'), { recursive: true });
    await expect(run(1)).rejects.toThrow('crash');
    const before = tf.memory().numTensors;
    await run();
    expect(tf.memory().numTensors).toBe(before);
  });
});

it('rejects bad options, naming backupAndRestore', () => {
  expect(() => backupAndRestore({ backupDir: '' })).toThrow('backupAndRestore: backupDir');
  expect(() => backupAndRestore({ backupDir: 'd', saveFreq: 0 })).toThrow('backupAndRestore: saveFreq');
  expect(() => backupAndRestore({ backupDir: 'd', data: [{}] })).toThrow('backupAndRestore: data[0]');
  expect(() => backupAndRestore({ backupDir: 'd', savefreq: 1 } as never)).toThrow(/backupAndRestore.*savefreq/);
});
