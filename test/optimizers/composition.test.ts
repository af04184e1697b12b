import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { expect, it } from 'vitest';
import { cosineDecay } from '../../src/callbacks/cosineDecay.js';
import { getLearningRate } from '../../src/callbacks/getLearningRate.js';
import { learningRateScheduler } from '../../src/callbacks/learningRateScheduler.js';
import { reduceLROnPlateau } from '../../src/callbacks/reduceLROnPlateau.js';
import { setLearningRate } from '../../src/callbacks/setLearningRate.js';
import { findEma, INNER_OPTIMIZER, optimizerStack } from '../../src/core/optimizerStack.js';
import { adamw } from '../../src/optimizers/adamw.js';
import { withEma } from '../../src/optimizers/withEma.js';
import { withGradientClipping } from '../../src/optimizers/withGradientClipping.js';
import { withWeightDecay } from '../../src/optimizers/withWeightDecay.js';
import { describeBackends } from '../helpers/backends.js';
import { expectClose, KERAS, NAMES, runCase } from '../helpers/kerasOptimizers.js';
import { expectNoLeaks } from '../helpers/leaks.js';

type Wrap = (o: tf.Optimizer) => tf.Optimizer;
const WRAPS: Record<string, Wrap> = {
  decay: (o) => withWeightDecay(o, { weightDecay: 0.05 }),
  clip: (o) => withGradientClipping(o, { globalClipNorm: 1 }),
  ema: (o) => withEma(o, { momentum: 0.7, overwriteFrequency: 4 }),
};
const ORDERS = [
  ['decay', 'clip', 'ema'],
  ['decay', 'ema', 'clip'],
  ['clip', 'decay', 'ema'],
  ['clip', 'ema', 'decay'],
  ['ema', 'decay', 'clip'],
  ['ema', 'clip', 'decay'],
];
/** The stack `order` (innermost first) around Keras' Adam step without decay. */
const stacked = (order: string[]) =>
  order.reduce((o, w) => WRAPS[w]!(o), adamw({ learningRate: 0.01, weightDecay: 0 }));

describeBackends('optimizer stacks', () => {
  it('all 6 nestings of decay, clipping and EMA match Keras AdamW(weight_decay, global_clipnorm, use_ema), and each other', () => {
    const runs = ORDERS.map((order) => {
      const o = stacked(order);
      const ema = findEma(o)!;
      // runCase reads `averages()` from the outermost; expose the stack's EMA there for every order.
      const run = runCase('stacked', 'averages' in o ? o : Object.assign(o, { averages: () => ema.averages() }));
      return { order: order.join(' < '), ...run };
    });
    for (const r of runs) {
      expectClose(r.variables, KERAS.cases.stacked!.variables);
      expectClose(r.averages, KERAS.cases.stacked!.averages!);
      expect({ order: r.order, v: r.variables, a: r.averages }).toEqual({
        order: r.order,
        v: runs[0]!.variables,
        a: runs[0]!.averages,
      });
    }
  });

  it("adamw's own decay under clipping and EMA matches the same Keras AdamW", () => {
    const o = withEma(withGradientClipping(adamw({ learningRate: 0.01, weightDecay: 0.05 }), { globalClipNorm: 1 }), {
      momentum: 0.7,
      overwriteFrequency: 4,
    });
    const run = runCase('stacked', o);
    expectClose(run.variables, KERAS.cases.stacked!.variables);
    expectClose(run.averages, KERAS.cases.stacked!.averages!);
  });

  it.each([
    ['sgd', () => tf.train.sgd(0.1)],
    ['momentum', () => tf.train.momentum(0.1, 0.9)],
    ['adam', () => tf.train.adam(0.1)],
    ['rmsprop', () => tf.train.rmsprop(0.1)],
    ['adamw', () => adamw({ learningRate: 0.1, weightDecay: 0 })],
  ] as const)('getLearningRate / setLearningRate reach %s through every wrapper, and its step follows', (_n, make) => {
    const inner = make();
    const o = withEma(withGradientClipping(withWeightDecay(inner, { weightDecay: 0.5 }), { clipValue: 10 }));
    expect(getLearningRate(o)).toBe(0.1);
    expect(optimizerStack(o).at(-1)).toBe(inner);
    setLearningRate(o, 0.02);
    expect(getLearningRate(o)).toBe(0.02);
    expect((inner as unknown as { learningRate: number }).learningRate).toBe(0.02);
    // A zero gradient leaves only the decay, which must use the new rate: factor 1 - 0.02 * 0.5.
    const v = tf.variable(tf.scalar(1));
    tf.tidy(() => o.applyGradients({ [v.name]: tf.scalar(0) }));
    expect(v.dataSync()[0]).toBeCloseTo(0.99, 6);
    if (_n === 'sgd') {
      tf.tidy(() => o.applyGradients({ [v.name]: tf.scalar(1) }));
      // SGD caches -lr in a tensor: only its own setLearningRate updates it.
      expect(v.dataSync()[0]).toBeCloseTo(0.99 * 0.99 - 0.02, 6);
    }
    o.dispose();
    v.dispose();
  });

  it('reduceLROnPlateau and cosineDecay drive the learning rate through a stack in fit', async () => {
    const model = tfl.sequential({ layers: [tfl.layers.dense({ inputShape: [2], units: 1 })] });
    const inner = tf.train.sgd(0.1) as unknown as tf.Optimizer & { learningRate: number };
    model.compile({ optimizer: withEma(withWeightDecay(inner, { weightDecay: 0.01 })), loss: 'meanSquaredError' });
    const x = tf.ones([4, 2]);
    const y = tf.zeros([4, 1]);
    const schedule = cosineDecay({ initialLearningRate: 0.1, decaySteps: 2 });
    await model.fit(x, y, { epochs: 3, batchSize: 4, verbose: 0, callbacks: [learningRateScheduler(schedule)] });
    expect(inner.learningRate).toBeCloseTo(schedule(2), 12);
    const plateau = reduceLROnPlateau({ patience: 0, factor: 0.5, log: () => undefined });
    plateau.setModel(model);
    await plateau.onTrainBegin();
    await plateau.onEpochEnd(0, { val_loss: 1 });
    await plateau.onEpochEnd(1, { val_loss: 2 });
    expect(inner.learningRate).toBeCloseTo(schedule(2) / 2, 12);
    expect(getLearningRate(model.optimizer)).toBe(inner.learningRate);
    model.dispose();
    tf.dispose([x, y]);
  });

  it('leaks nothing across a multi-epoch fit with every wrapper stacked (also around tfjs Adam)', async () => {
    for (const base of [() => adamw(), () => tf.train.adam(0.01)]) {
      const model = tfl.sequential({
        layers: [tfl.layers.dense({ inputShape: [3], units: 4, activation: 'relu' }), tfl.layers.dense({ units: 2 })],
      });
      const o = withEma(
        withGradientClipping(withWeightDecay(base(), { weightDecay: 0.01, exclude: /bias/ }), { clipNorm: 1 }),
        {
          overwriteFrequency: 3,
        },
      );
      model.compile({ optimizer: o, loss: 'meanSquaredError' });
      const x = tf.randomUniform([12, 3], -1, 1, 'float32', 1);
      const y = tf.randomUniform([12, 2], -1, 1, 'float32', 2);
      await expectNoLeaks(async () => {
        await model.fit(x, y, { epochs: 3, batchSize: 4, verbose: 0 });
        (o as ReturnType<typeof withEma>).swapWeights();
        (o as ReturnType<typeof withEma>).swapWeights();
      });
      expect(o.iterations).toBe(18);
      model.dispose();
      tf.dispose([x, y]);
    }
  });

  it('getConfig is JSON, getClassName names the wrapper, and each wrapper exposes the one it wraps', () => {
    const inner = tf.train.adam(0.01);
    const o = withEma(
      withGradientClipping(withWeightDecay(inner, { weightDecay: 0.1, exclude: (n) => n.includes('b') }), {
        clipNorm: 2,
      }),
    );
    expect(o.getClassName()).toBe('WithEma');
    expect(JSON.parse(JSON.stringify(o.getConfig()))).toEqual({
      momentum: 0.99,
      overwriteFrequency: null,
      optimizer: {
        className: 'WithGradientClipping',
        config: {
          clipNorm: 2,
          optimizer: {
            className: 'WithWeightDecay',
            config: {
              weightDecay: 0.1,
              exclude: 'predicate',
              optimizer: { className: 'Adam', config: inner.getConfig() },
            },
          },
        },
      },
    });
    expect(optimizerStack(o).map((s) => (s as tf.Optimizer).getClassName())).toEqual([
      'WithEma',
      'WithGradientClipping',
      'WithWeightDecay',
      'Adam',
    ]);
    expect((o as unknown as Record<symbol, unknown>)[INNER_OPTIMIZER]).toBeInstanceOf(tf.Optimizer);
    expect(o).toBeInstanceOf(tf.Optimizer);
    o.dispose();
  });
});

describeBackends(
  'optimizer state',
  () => {
    it.each([
      ['momentum', () => tf.train.momentum(0.05, 0.9)],
      ['rmsprop', () => tf.train.rmsprop(0.01, 0.9, 0.5)],
      ['adamw', () => adamw({ learningRate: 0.01, amsgrad: true })],
    ] as const)(
      'a stack over %s saves and restores through getWeights/setWeights: 3 + 3 steps equal 6, bit for bit',
      async (_n, make) => {
        const stack = () =>
          withEma(withGradientClipping(withWeightDecay(make(), { weightDecay: 0.1 }), { globalClipNorm: 1 }), {
            momentum: 0.8,
            overwriteFrequency: 5,
          });
        const step = (o: tf.Optimizer, vars: tf.Variable[], s: number) =>
          tf.tidy(() =>
            o.applyGradients(
              NAMES.map((n, i) => ({
                name: vars[i]!.name,
                tensor: tf.tensor(KERAS.gradients[s]![n]!, KERAS.shapes[n]),
              })),
            ),
          );
        const read = (o: ReturnType<typeof withEma>, vars: tf.Variable[]) => ({
          vars: vars.map((v) => Array.from(v.dataSync())),
          averages: vars.map((v) => Array.from(o.averages()[v.name]!.dataSync())),
        });
        const fresh = () => NAMES.map((n) => tf.variable(tf.tensor(KERAS.initial[n]!, KERAS.shapes[n])));

        const whole = stack();
        const wv = fresh();
        for (let s = 0; s < 6; s++) step(whole, wv, s);

        const first = stack();
        const rv = fresh();
        for (let s = 0; s < 3; s++) step(first, rv, s);
        const saved = await first.getWeights();
        const names = saved.map((w) => w.name);
        expect(new Set(names).size).toBe(names.length);
        expect(names.filter((n) => n.startsWith('tfjs-regularization/WithEma[2]/average/'))).toHaveLength(3);
        const second = stack();
        await second.setWeights(saved);
        first.dispose();
        expect(second.iterations).toBe(3);
        for (let s = 3; s < 6; s++) step(second, rv, s);
        expect(read(second, rv)).toEqual(read(whole, wv));
        whole.dispose();
        second.dispose();
        tf.dispose([...wv, ...rv]);
      },
    );
  },
  { only: ['cpu'] },
);
