import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { afterAll, describe, expect, it } from 'vitest';
import { historyLogger } from '../../src/callbacks/historyLogger.js';
import type { HistoryLoggerOptions } from '../../src/callbacks/historyLogger.js';
import { learningRateScheduler } from '../../src/callbacks/learningRateScheduler.js';
import { describeBackends } from '../helpers/backends.js';

async function fitting<T>(run: () => Promise<T>): Promise<T> {
  return run();
}

const dir = mkdtempSync(join(tmpdir(), 'historyLogger-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
const fresh = (ext: string): string => join(dir, `run${n++}.${ext}`);

/** Runs one "fit": train begin, then one epoch end per logs entry (epochs counted from `first`). */
async function run(options: HistoryLoggerOptions, epochs: Array<Record<string, number>>, first = 0): Promise<string> {
  const cb = historyLogger(options);
  await cb.onTrainBegin();
  for (const [i, logs] of epochs.entries()) await cb.onEpochEnd(first + i, logs);
  await cb.onTrainEnd();
  return readFileSync(options.path, 'utf8');
}

describe('historyLogger, CSV', () => {
  it("writes Keras' header (epoch, then sorted keys) at the first epoch end and one row per epoch", async () => {
    const path = fresh('csv');
    const cb = historyLogger({ path });
    await cb.onTrainBegin();
    expect(readFileSync(path, 'utf8')).toBe(''); // created (and checked) before training
    await cb.onEpochEnd(0, { val_loss: 0.625, loss: 0.5, acc: 0.75, lr: 0.1 });
    expect(readFileSync(path, 'utf8')).toBe('epoch,accuracy,learning_rate,loss,val_loss\n0,0.75,0.1,0.5,0.625\n');
    // Scalar tensors are read; a key that went missing is NA; a new key is ignored (the header is fixed).
    const t = tf.scalar(0.25);
    await cb.onEpochEnd(1, { loss: t as unknown as number, acc: 0.875, lr: 0.05, extra: 3 });
    t.dispose();
    expect(readFileSync(path, 'utf8')).toBe(
      'epoch,accuracy,learning_rate,loss,val_loss\n0,0.75,0.1,0.5,0.625\n1,0.875,0.05,0.25,NA\n',
    );
  });

  it('replaces an existing file unless append, and append continues it without a second header', async () => {
    const path = fresh('csv');
    await run({ path }, [{ loss: 1 }, { loss: 0.5 }]);
    expect(await run({ path }, [{ loss: 0.25 }])).toBe('epoch,loss\n0,0.25\n');
    const more = await run({ path, append: true }, [{ loss: 0.125 }, { loss: 0.0625 }], 1);
    expect(more).toBe('epoch,loss\n0,0.25\n1,0.125\n2,0.0625\n');
    // Appending to a missing file writes the header; to a file without a final newline, adds one.
    const missing = fresh('csv');
    expect(await run({ path: missing, append: true }, [{ loss: 1 }])).toBe('epoch,loss\n0,1\n');
    writeFileSync(missing, 'epoch,loss\r\n0,1');
    expect(await run({ path: missing, append: true }, [{ loss: 2 }], 1)).toBe('epoch,loss\r\n0,1\n1,2\n');
  });

  it("appends under the existing file's columns, with its separator and quoted names", async () => {
    const path = fresh('csv');
    expect(await run({ path, separator: ';' }, [{ 'a;b': 1, loss: Number.NaN }])).toBe('epoch;"a;b";loss\n0;1;nan\n');
    expect(await run({ path, separator: ';', append: true }, [{ loss: 2, 'a;b': 3 }], 1)).toBe(
      'epoch;"a;b";loss\n0;1;nan\n1;3;2\n',
    );
  });
});

describe('historyLogger, JSON', () => {
  it('rewrites an array of {epoch, ...logs} atomically each epoch, and append continues it', async () => {
    const path = fresh('json');
    const cb = historyLogger({ path, format: 'json' });
    await cb.onTrainBegin();
    expect(JSON.parse(readFileSync(path, 'utf8'))).toEqual([]);
    await cb.onEpochEnd(0, { loss: 0.5, acc: 0.75 });
    expect(JSON.parse(readFileSync(path, 'utf8'))).toEqual([{ epoch: 0, accuracy: 0.75, loss: 0.5 }]);
    const t = tf.scalar(0.25);
    await cb.onEpochEnd(1, { loss: t as unknown as number, acc: Number.POSITIVE_INFINITY });
    t.dispose();
    expect(JSON.parse(readFileSync(path, 'utf8'))).toEqual([
      { epoch: 0, accuracy: 0.75, loss: 0.5 },
      { epoch: 1, accuracy: 'Infinity', loss: 0.25 },
    ]);
    const appended = await run({ path, format: 'json', append: true }, [{ loss: Number.NaN, acc: -Infinity }], 2);
    // Non-finite values survive the round trip (the documented reviver), and appending keeps them.
    const revive = (_k: string, v: unknown) =>
      v === 'NaN' ? Number.NaN : v === 'Infinity' ? Infinity : v === '-Infinity' ? -Infinity : v;
    expect(JSON.parse(appended, revive)).toEqual([
      { epoch: 0, accuracy: 0.75, loss: 0.5 },
      { epoch: 1, accuracy: Infinity, loss: 0.25 },
      { epoch: 2, accuracy: -Infinity, loss: Number.NaN },
    ]);
    expect(appended).toContain('{"epoch":2,"accuracy":"-Infinity","loss":"NaN"}');
    expect(JSON.parse(await run({ path, format: 'json' }, [{ loss: 1 }]))).toEqual([{ epoch: 0, loss: 1 }]);
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('refuses to append to a file that is not a JSON array', async () => {
    const path = fresh('json');
    writeFileSync(path, '{"epoch": 0}');
    await expect(historyLogger({ path, format: 'json', append: true }).onTrainBegin()).rejects.toThrow(
      `historyLogger: cannot append to ${JSON.stringify(path)}: it holds no JSON array`,
    );
    writeFileSync(path, 'epoch,loss\n');
    await expect(historyLogger({ path, format: 'json', append: true }).onTrainBegin()).rejects.toThrow(
      /^historyLogger: cannot append to .*: it is not JSON/,
    );
  });
});

describe('historyLogger errors', () => {
  it('fails at onTrainBegin, naming historyLogger and the path, when the file cannot be written', async () => {
    const missingDir = join(dir, 'no-such-dir', 'h.csv');
    for (const format of ['csv', 'json'] as const) {
      for (const append of [false, true]) {
        await expect(historyLogger({ path: missingDir, format, append }).onTrainBegin()).rejects.toThrow(
          `historyLogger: path must be a writable file path, got ${JSON.stringify(missingDir)} (ENOENT`,
        );
        await expect(historyLogger({ path: dir, format, append }).onTrainBegin()).rejects.toThrow(
          `historyLogger: path must be a writable file path, got ${JSON.stringify(dir)} (`,
        );
      }
    }
  });

  it('rejects bad options naming the option and value', () => {
    expect(() => historyLogger(undefined as never)).toThrow(
      'historyLogger: options must be an options object with a path, got undefined',
    );
    expect(() => historyLogger({} as never)).toThrow(
      'historyLogger: path must be a non-empty file path, got undefined',
    );
    expect(() => historyLogger({ path: ' ' })).toThrow('historyLogger: path must be a non-empty file path, got " "');
    expect(() => historyLogger({ path: 'h.csv', format: 'xml' as never })).toThrow(
      'historyLogger: format must be one of "csv", "json", got "xml"',
    );
    expect(() => historyLogger({ path: 'h.csv', append: 1 as never })).toThrow(
      'historyLogger: append must be a boolean, got 1',
    );
    expect(() => historyLogger({ path: 'h.csv', separator: '' })).toThrow(
      'historyLogger: separator must be a non-empty string without quotes or line breaks, got ""',
    );
    expect(() => historyLogger({ path: 'h.csv', separator: '\n' })).toThrow(/^historyLogger: separator must be/);
  });
});

describeBackends('historyLogger', () => {
  it("records a real model.fit under Keras 3's names, the learning rate included, with tfjs-layers tensor logs", async () => {
    const path = fresh('csv');
    const model = tfl.sequential({ layers: [tfl.layers.dense({ inputShape: [1], units: 1 })] });
    model.compile({ optimizer: tf.train.sgd(0.1), loss: 'meanSquaredError', metrics: ['accuracy'] });
    const x = tf.ones([4, 1]);
    const h = await fitting(() =>
      model.fit(x, x, {
        epochs: 2,
        batchSize: 2,
        verbose: 0,
        validationData: [x, x],
        callbacks: [learningRateScheduler((e) => 0.1 / (e + 1)), historyLogger({ path })],
      }),
    );
    const [header, ...rows] = readFileSync(path, 'utf8').trim().split('\n');
    expect(header).toBe('epoch,accuracy,learning_rate,loss,val_accuracy,val_loss');
    expect(rows.map((r) => r.split(',').map(Number))).toEqual(
      [0, 1].map((e) => [
        e,
        h.history['acc']![e],
        0.1 / (e + 1),
        h.history['loss']![e],
        h.history['val_acc']![e],
        h.history['val_loss']![e],
      ]),
    );
    model.dispose();
    x.dispose();
  });
});
