import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { progressLogger } from '../../src/callbacks/progressLogger.js';
import type { ProgressLoggerOptions } from '../../src/callbacks/progressLogger.js';
import { formatCounter, formatEta, formatMetric, formatPerStep } from '../../src/callbacks/_internal/progressFormat.js';
import { modelCheckpoint } from '../../src/callbacks/modelCheckpoint.js';
import { reduceLROnPlateau } from '../../src/callbacks/reduceLROnPlateau.js';
import { describeBackends } from '../helpers/backends.js';

class FakeStream {
  chunks: string[] = [];
  constructor(
    readonly isTTY: boolean,
    readonly columns?: number,
  ) {}
  write(text: string): boolean {
    this.chunks.push(text);
    return true;
  }
  get text(): string {
    return this.chunks.join('');
  }
}

let clock = 0;
beforeEach(() => {
  clock = 0;
  vi.spyOn(Date, 'now').mockImplementation(() => clock);
  vi.stubEnv('CI', '');
});
afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
});

function logger(
  options: ProgressLoggerOptions,
  params: Record<string, number> = { epochs: 2, samples: 100, batchSize: 10 },
) {
  const cb = progressLogger(options);
  cb.setParams(params);
  return cb;
}

const batch = (i: number, loss: number, acc: number) => ({ batch: i, size: 10, loss, acc });
const EPOCH_LOGS = { val_loss: 0.0654, val_acc: 0.98021, loss: 0.07123, acc: 0.97811, lr: 0.025 };
const METRICS = ' - loss: 0.0712 - accuracy: 0.9781 - val_loss: 0.0654 - val_accuracy: 0.9802 - learning_rate: 0.0250';

describe('progressLogger on a TTY', () => {
  it("keeps Keras' line discipline: a callback's message during a live bar starts on a new line", async () => {
    const out = new FakeStream(true, 200);
    const printed: string[] = [];
    vi.spyOn(console, 'log').mockImplementation((line: string) => void out.write(`${line}\n`));
    vi.spyOn(console, 'warn').mockImplementation((line: string) => void printed.push(line));
    const model = tfl.sequential({ layers: [tfl.layers.dense({ inputShape: [1], units: 1 })] });
    model.compile({ optimizer: tf.train.sgd(0.1), loss: 'meanSquaredError' });
    const cb = logger({ stream: out });
    const save = modelCheckpoint({ filepath: () => undefined, monitor: 'val_loss', saveBestOnly: true, verbose: 1 });
    const reduce = reduceLROnPlateau({ patience: 0, factor: 0.5, verbose: 1 });
    for (const c of [cb, save, reduce]) c.setModel(model);
    await cb.onEpochBegin(0);
    await cb.onBatchEnd(0, batch(0, 0.5, 0.8));
    // Keras' order: the checkpoint's message comes before the epoch's final line, each on its own line.
    await save.onEpochEnd(0, { val_loss: 0.5 });
    await cb.onEpochEnd(0, { loss: 0.5, val_loss: 0.5 });
    await cb.onEpochBegin(1);
    await cb.onBatchEnd(0, batch(0, 0.6, 0.8));
    await reduce.onEpochEnd(1, { val_loss: 0.6 });
    await reduce.onEpochEnd(1, { val_loss: 0.7 });
    await save.onEpochEnd(1, { loss: 0.6 }); // a missing monitor: the warning also starts a new line
    const lines = out.text.split('\n');
    expect(lines[1]).toMatch(/^\r 1\/10 \[.*\] - ETA: 0s - loss: 0\.5000 - acc(uracy)?: 0\.8000 *$/);
    expect(lines[2]).toBe('Epoch 1: val_loss improved from inf to 0.50000, saving model to function');
    expect(lines[3]).toMatch(
      /^\r 1\/10 \[=*>?\.*\] - 0s 0s\/step - loss: 0\.5000 - val_loss: 0\.5000 - learning_rate: 0\.1000$/,
    );
    expect(lines[5]).toMatch(/^\r 1\/10 \[/);
    expect(lines[6]).toBe('Epoch 2: ReduceLROnPlateau reducing learning rate to 0.05.');
    expect(printed.filter((l) => l.startsWith('modelCheckpoint'))).toEqual([
      expect.stringMatching(/^modelCheckpoint: monitor "val_loss" is not in the logs/),
    ]);
    expect(lines.at(-1)).toBe('');
    model.dispose();
  });

  it('shows a header, a throttled live bar with running means and ETA, and a final Keras line', async () => {
    const out = new FakeStream(true, 200);
    const cb = logger({ stream: out });
    await cb.onEpochBegin(0);
    expect(out.chunks).toEqual(['Epoch 1/2\n']);
    clock = 1000;
    await cb.onBatchEnd(0, batch(0, 0.5, 0.8));
    const first = ' 1/10 [==>...........................] - ETA: 9s - loss: 0.5000 - accuracy: 0.8000';
    expect(out.chunks[1]).toBe(`\r${first}`);
    clock = 1050; // within 100 ms: no redraw
    await cb.onBatchEnd(1, batch(1, 0.4, 0.9));
    expect(out.chunks).toHaveLength(2);
    clock = 3000;
    await cb.onBatchEnd(2, batch(2, 0.3, 1));
    // Running means over the three batches: loss 0.4, accuracy 0.9; ETA 1 s/step * 7 steps.
    expect(out.chunks[2]).toBe('\r 3/10 [========>.....................] - ETA: 7s - loss: 0.4000 - accuracy: 0.9000');
    clock = 10_000;
    await cb.onBatchEnd(9, batch(9, 0.3, 1));
    const t = tf.scalar(0.0654);
    await cb.onEpochEnd(0, { ...EPOCH_LOGS, val_loss: t as unknown as number });
    t.dispose();
    const final = `10/10 [==============================] - 10s 1s/step${METRICS}`;
    expect(out.chunks.at(-2)).toBe(`\r${final}`);
    expect(out.chunks.at(-1)).toBe('\n');
    expect(out.text.split('\n')).toEqual(['Epoch 1/2', expect.stringContaining(final), '']);
  });

  it('clears a longer previous bar, cuts the live bar to the terminal width, and handles an unknown step count', async () => {
    const out = new FakeStream(true, 60);
    const cb = logger({ stream: out }, { epochs: 1 });
    await cb.onEpochBegin(0);
    clock = 2500;
    await cb.onBatchEnd(4, batch(4, 0.5, 0.8));
    const live = '      5/Unknown - 3s 500ms/step - loss: 0.5000 - accuracy: 0.8000';
    expect(live.length).toBeGreaterThan(60);
    expect(out.chunks[1]).toBe(`\r${live.slice(0, 59)}`);
    clock = 2600;
    await cb.onEpochEnd(0, { loss: 0.5 });
    // The final line is shorter than the drawn bar (59 characters): spaces erase the rest.
    const final = '      5/Unknown - 3s 520ms/step - loss: 0.5000';
    expect(out.chunks[2]).toBe(`\r${final}${' '.repeat(59 - final.length)}`);
  });

  it('property: live redraws are at least 100 ms apart, and the first batch is always drawn', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.integer({ min: 0, max: 250 }), { minLength: 1, maxLength: 40 }), async (gaps) => {
        clock = 0;
        const out = new FakeStream(true);
        const cb = logger({ stream: out }, { epochs: 1, steps: 50 });
        await cb.onEpochBegin(0);
        const drawnAt: number[] = [];
        for (const [i, gap] of gaps.entries()) {
          clock += gap;
          const before = out.chunks.length;
          await cb.onBatchEnd(i, batch(i, 1, 0.5));
          if (out.chunks.length > before) drawnAt.push(clock);
        }
        expect(drawnAt[0]).toBe(gaps[0]);
        drawnAt.slice(1).forEach((at, i) => expect(at - drawnAt[i]!).toBeGreaterThanOrEqual(100));
        // And no gap of 100 ms or more goes without a redraw.
        let last = drawnAt[0]!;
        let now = 0;
        for (const gap of gaps) {
          now += gap;
          if (drawnAt.includes(now)) last = now;
          else expect(now - last).toBeLessThan(100);
        }
      }),
    );
  });

  it('verbose 2 prints one line per epoch even on a TTY', async () => {
    const out = new FakeStream(true);
    const cb = logger({ stream: out, verbose: 2 });
    await cb.onEpochBegin(0);
    clock = 4000;
    await cb.onBatchEnd(0, batch(0, 0.5, 0.8));
    await cb.onEpochEnd(0, EPOCH_LOGS);
    expect(out.text).toBe(`Epoch 1/2 - 4s${METRICS}\n`);
  });
});

describe('progressLogger elsewhere', () => {
  it('writes exactly one line per epoch to a non-TTY stream, with every metric and the learning rate', async () => {
    const out = new FakeStream(false);
    const cb = logger({ stream: out }, { epochs: 25, samples: 100, batchSize: 10 });
    for (const epoch of [2, 3]) {
      clock = epoch * 10_000;
      await cb.onEpochBegin(epoch);
      for (let b = 0; b < 10; b++) {
        clock += 400;
        await cb.onBatchEnd(b, batch(b, 0.1, 0.9));
      }
      await cb.onEpochEnd(epoch, EPOCH_LOGS);
    }
    expect(out.text).toBe(`Epoch 3/25 - 4s${METRICS}\nEpoch 4/25 - 4s${METRICS}\n`);
    expect(out.text).not.toContain('\r');
  });

  it("sends lines to log, takes lr from the optimizer when the logs lack it, and prints Keras' number formats", async () => {
    const lines: string[] = [];
    const model = tfl.sequential({ layers: [tfl.layers.dense({ inputShape: [1], units: 1 })] });
    model.compile({ optimizer: tf.train.sgd(0.000025), loss: 'meanSquaredError' });
    const cb = logger({ log: (l) => lines.push(l) }, {});
    cb.setModel(model);
    await cb.onEpochBegin(0);
    await cb.onEpochEnd(0, { loss: 0.0005, acc: Number.NaN, val_loss: 12.345678 });
    expect(lines).toEqual([
      'Epoch 1 - 0s - loss: 5.0000e-04 - accuracy: nan - val_loss: 12.3457 - learning_rate: 2.5000e-05',
    ]);
    model.dispose();
  });

  it('off a terminal, prints a progress line every `interval` seconds of a long epoch (verbose 1 only)', async () => {
    const run = async (options: ProgressLoggerOptions): Promise<string[]> => {
      const out = new FakeStream(false);
      const cb = logger({ stream: out, ...options }, { epochs: 3, samples: 1000, batchSize: 10 });
      await cb.onEpochBegin(1);
      for (let b = 0; b < 100; b++) {
        clock += 1500; // 150 s for the epoch
        await cb.onBatchEnd(b, batch(b, 0.1, 0.9));
      }
      await cb.onEpochEnd(1, { loss: 0.1 });
      return out.text.trimEnd().split('\n');
    };
    const lines = await run({});
    expect(lines).toEqual([
      'Epoch 2/3 - 40/100 [===========>..................] - 60s - ETA: 1:30',
      'Epoch 2/3 - 80/100 [=======================>......] - 120s - ETA: 30s',
      'Epoch 2/3 - 150s - loss: 0.1000',
    ]);
    expect(await run({ interval: 100 })).toHaveLength(2);
    expect(await run({ interval: 0 })).toEqual(['Epoch 2/3 - 150s - loss: 0.1000']);
    expect(await run({ verbose: 2 })).toEqual(['Epoch 2/3 - 150s - loss: 0.1000']);
    expect(() => progressLogger({ interval: -1 })).toThrow(
      'progressLogger: interval must be a number of seconds in [0, 86400], got -1',
    );
  });

  it('prints by default under CI (one line per epoch, as for any pipe), and nothing with verbose 0', async () => {
    const run = async (options: ProgressLoggerOptions): Promise<string> => {
      const out = new FakeStream(true);
      const cb = logger({ stream: out, ...options });
      await cb.onEpochBegin(0);
      await cb.onBatchEnd(0, batch(0, 1, 1));
      await cb.onEpochEnd(0, { loss: 1 });
      return out.text;
    };
    expect(await run({ verbose: 0 })).toBe('');
    expect(await run({})).toContain('Epoch 1/2\n');
    vi.stubEnv('CI', 'true');
    expect(await run({})).toContain('Epoch 1/2\n');
  });

  it('rejects bad options naming the option and value', () => {
    expect(() => progressLogger({ verbose: 3 as never })).toThrow('progressLogger: verbose must be 0, 1 or 2, got 3');
    expect(() => progressLogger({ log: 1 as never })).toThrow('progressLogger: log must be a function, got 1');
    expect(() => progressLogger({ stream: {} as never })).toThrow(
      'progressLogger: stream must be an object with a write(text) method, got {}',
    );
    expect(() => progressLogger({ stream: new FakeStream(false), log: () => {} })).toThrow(
      'progressLogger: pass either the stream or the log option, not both',
    );
    expect(() => progressLogger('quiet' as never)).toThrow(
      'progressLogger: options must be an options object, got "quiet"',
    );
  });
});

describe('progressLogger formats', () => {
  it("match Keras' Progbar", () => {
    expect(formatCounter(9, 375)).toBe('  9/375 [..............................]');
    expect(formatCounter(25, 375)).toBe(' 25/375 [=>............................]');
    expect(formatCounter(375, 375)).toBe('375/375 [==============================]');
    expect(formatEta(59.9)).toBe('59s');
    expect(formatEta(75)).toBe('1:15');
    expect(formatEta(3725)).toBe('1:02:05');
    expect(formatPerStep(2.4)).toBe('2s/step');
    expect(formatPerStep(0.008)).toBe('8ms/step');
    expect(formatPerStep(0.00035)).toBe('350us/step');
    expect(formatMetric(0.14281)).toBe('0.1428');
    expect(formatMetric(-2)).toBe('-2.0000');
    expect(formatMetric(0)).toBe('0.0000e+00');
    expect(formatMetric(Number.POSITIVE_INFINITY)).toBe('inf');
  });
});

describeBackends('progressLogger', () => {
  it('follows a real model.fit with the default stream settings of a pipe', async () => {
    const out = new FakeStream(false);
    const model = tfl.sequential({ layers: [tfl.layers.dense({ inputShape: [1], units: 1 })] });
    model.compile({ optimizer: tf.train.sgd(0.01), loss: 'meanSquaredError', metrics: ['accuracy'] });
    const x = tf.ones([8, 1]);
    await model.fit(x, x, {
      epochs: 2,
      batchSize: 4,
      verbose: 0,
      validationData: [x, x],
      callbacks: [progressLogger({ stream: out })],
    });
    const lines = out.text.split('\n');
    expect(lines).toHaveLength(3);
    lines
      .slice(0, 2)
      .forEach((line, i) =>
        expect(line).toMatch(
          new RegExp(
            `^Epoch ${i + 1}/2 - 0s - loss: \\S+ - accuracy: \\S+ - val_loss: \\S+ - val_accuracy: \\S+ - learning_rate: 0.0100$`,
          ),
        ),
      );
    model.dispose();
    x.dispose();
  });
});
