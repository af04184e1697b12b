import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { afterAll, expect, it } from 'vitest';
import { fastNodeKernels } from '../../../src/backend/fastNodeKernels.js';
import { installFusedBatchNorm, restoreBatchNorm } from '../../../src/backend/_internal/fusedBatchNorm.js';
import { describeBackends } from '../../helpers/backends.js';
import { expectNoLeaks } from '../../helpers/leaks.js';

afterAll(() => {
  fastNodeKernels(false);
});

const prototypeCall = () =>
  (Object.getPrototypeOf(tfl.layers.batchNormalization({ name: 'probe' })) as { call: unknown }).call;

function maxDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!) / Math.max(1, Math.abs(a[i]!)));
  return m;
}

interface Step {
  y: Float32Array;
  grads: Float32Array[];
  moving: Float32Array[];
}

/**
 * Three training steps of one BatchNormalization layer (a loss that weighs every output
 * differently, so that every gradient term counts), with the fused path on or off: the last
 * step's output and gradients w.r.t. the input, gamma and beta, and the moving statistics.
 */
function steps(
  fused: boolean,
  shape: number[],
  options: Parameters<typeof tfl.layers.batchNormalization>[0] = {},
): Step {
  if (fused) installFusedBatchNorm();
  else restoreBatchNorm();
  const layer = tfl.layers.batchNormalization({ momentum: 0.9, ...options });
  layer.build(shape);
  const weights = tf.randomNormal(shape, 0, 1, 'float32', 7);
  let out: Step | undefined;
  for (let s = 0; s < 3; s++) {
    const x = tf.add(tf.mul(tf.randomNormal(shape, 0, 1, 'float32', 10 + s), 3), 1.5);
    const trainable = layer.trainableWeights.map((w) => w.read() as tf.Variable);
    let y: tf.Tensor | undefined;
    const { value, grads } = tf.variableGrads(() => {
      y = tf.keep(layer.apply(x, { training: true }) as tf.Tensor);
      return tf.sum(tf.mul(tf.square(y), weights));
    }, trainable);
    const dx = tf.grad((v: tf.Tensor) => tf.sum(tf.mul(layer.apply(v, { training: true }) as tf.Tensor, weights)))(x);
    out = {
      y: y!.dataSync() as Float32Array,
      grads: [dx, ...trainable.map((v) => grads[v.name]!)].map((g) => g.dataSync() as Float32Array),
      moving: [],
    };
    tf.dispose([x, value, y!, dx, ...Object.values(grads)]);
  }
  out!.moving = layer.getWeights().map((w) => w.dataSync() as Float32Array);
  weights.dispose();
  return out!;
}

describeBackends(
  'fused BatchNormalization',
  () => {
    for (const shape of [
      [16, 6],
      [4, 3, 5, 6],
    ]) {
      it(`equals tfjs-layers' own path for a ${shape.length}D input: output, gradients, moving statistics`, () => {
        const stock = steps(false, shape);
        const fused = steps(true, shape);
        expect(maxDiff(stock.y, fused.y)).toBeLessThan(1e-5);
        // dx, dgamma, dbeta
        expect(fused.grads).toHaveLength(3);
        fused.grads.forEach((g, i) => expect(maxDiff(stock.grads[i]!, g)).toBeLessThan(1e-4));
        // gamma, beta, moving mean, moving variance (the biased batch variance, as tfjs-layers)
        expect(fused.moving).toHaveLength(4);
        fused.moving.forEach((w, i) => expect(maxDiff(stock.moving[i]!, w)).toBeLessThan(1e-5));
        restoreBatchNorm();
      });
    }

    it('keeps epsilon and momentum', () => {
      const options = { epsilon: 0.5, momentum: 0.3 };
      const stock = steps(false, [8, 4], options);
      const fused = steps(true, [8, 4], options);
      expect(maxDiff(stock.y, fused.y)).toBeLessThan(1e-5);
      fused.moving.forEach((w, i) => expect(maxDiff(stock.moving[i]!, w)).toBeLessThan(1e-5));
      restoreBatchNorm();
    });

    it('runs FusedBatchNormV3 in training only, and leaves inference and uncovered layers to tfjs-layers', () => {
      installFusedBatchNorm();
      const seen: string[] = [];
      const b = tf.backend() as unknown as { executeMultipleOutputs: (name: string, ...rest: unknown[]) => unknown };
      const execute = b.executeMultipleOutputs;
      b.executeMultipleOutputs = function (name: string, ...rest: unknown[]) {
        seen.push(name);
        return execute.call(this, name, ...rest);
      };
      try {
        const x = tf.randomNormal([8, 4], 0, 1, 'float32', 3);
        const x3 = tf.randomNormal([2, 4, 4], 0, 1, 'float32', 4);
        const run = (layer: tfl.layers.Layer, training: boolean, input = x) => {
          seen.length = 0;
          tf.dispose(layer.apply(input, { training }) as tf.Tensor);
          return [...seen];
        };
        expect(run(tfl.layers.batchNormalization(), true)).toEqual(['FusedBatchNormV3']);
        // tfjs-node's inference kernel is FusedBatchNorm (with the moving statistics).
        expect(run(tfl.layers.batchNormalization(), false)).not.toContain('FusedBatchNormV3');
        expect(run(tfl.layers.batchNormalization({ axis: 0 }), true)).not.toContain('FusedBatchNormV3');
        expect(run(tfl.layers.batchNormalization(), true, x3)).not.toContain('FusedBatchNormV3');
        tf.dispose([x, x3]);
      } finally {
        b.executeMultipleOutputs = execute;
        restoreBatchNorm();
      }
    });

    it('fastNodeKernels installs it and false puts the very same call back; a model saves and loads as before', async () => {
      fastNodeKernels(false);
      const stock = prototypeCall();
      fastNodeKernels(true);
      expect(prototypeCall()).not.toBe(stock);
      const model = tfl.sequential({
        layers: [tfl.layers.dense({ inputShape: [3], units: 4 }), tfl.layers.batchNormalization()],
      });
      let saved: tf.io.ModelArtifacts | undefined;
      await model.save(tf.io.withSaveHandler(async (a) => ((saved = a), { modelArtifactsInfo: {} as never })));
      const topology = JSON.stringify(saved!.modelTopology);
      expect(topology).toContain('"class_name":"BatchNormalization"');
      const loaded = await tfl.loadLayersModel(tf.io.fromMemory(saved!));
      expect(loaded.getWeights().map((w) => w.shape)).toEqual(model.getWeights().map((w) => w.shape));
      fastNodeKernels(false);
      expect(prototypeCall()).toBe(stock);
      model.dispose();
      loaded.dispose();
    });

    it('a small model trained a few steps gives the same weights with and without', async () => {
      const build = () => {
        const m = tfl.sequential({
          layers: [
            tfl.layers.dense({
              inputShape: [12],
              units: 16,
              activation: 'relu',
              kernelInitializer: tfl.initializers.glorotUniform({ seed: 1 }),
            }),
            tfl.layers.batchNormalization(),
            tfl.layers.reshape({ targetShape: [4, 4, 1] }),
            tfl.layers.conv2d({
              filters: 3,
              kernelSize: 2,
              activation: 'relu',
              kernelInitializer: tfl.initializers.glorotUniform({ seed: 2 }),
            }),
            tfl.layers.batchNormalization(),
            tfl.layers.flatten(),
            tfl.layers.dense({
              units: 4,
              activation: 'softmax',
              kernelInitializer: tfl.initializers.glorotUniform({ seed: 3 }),
            }),
          ],
        });
        m.compile({ optimizer: tf.train.momentum(0.1, 0.9), loss: 'categoricalCrossentropy' });
        return m;
      };
      const x = tf.randomUniform([32, 12], 0, 1, 'float32', 5);
      const y = tf.cast(
        tf.oneHot(
          tf.tensor1d(
            [...Array(32).keys()].map((i) => i % 4),
            'int32',
          ),
          4,
        ),
        'float32',
      );
      const weights: Float32Array[][] = [];
      for (const on of [false, true]) {
        fastNodeKernels(on);
        const m = build();
        for (let i = 0; i < 4; i++) await m.trainOnBatch(x, y);
        weights.push(m.getWeights().map((w) => w.dataSync() as Float32Array));
        m.optimizer.dispose();
        m.dispose();
      }
      fastNodeKernels(false);
      expect(weights[1]).toHaveLength(weights[0]!.length);
      weights[0]!.forEach((w, i) => expect(maxDiff(w, weights[1]![i]!)).toBeLessThan(1e-4));
      tf.dispose([x, y]);
    });

    it('leaks no tensor, in the forward pass and the gradients', async () => {
      installFusedBatchNorm();
      const layer = tfl.layers.batchNormalization();
      const x = tf.randomNormal([8, 5], 0, 1, 'float32', 1);
      layer.build(x.shape);
      await expectNoLeaks(() => layer.apply(x, { training: true }));
      await expectNoLeaks(() => {
        const vars = layer.trainableWeights.map((w) => w.read() as tf.Variable);
        const { value, grads } = tf.variableGrads(() => tf.sum(layer.apply(x, { training: true }) as tf.Tensor), vars);
        return [value, ...Object.values(grads)];
      });
      await expectNoLeaks(() => tf.grad((v: tf.Tensor) => tf.sum(layer.apply(v, { training: true }) as tf.Tensor))(x));
      x.dispose();
      restoreBatchNorm();
    });
  },
  { only: ['tensorflow'] },
);

describeBackends(
  'fused BatchNormalization on other backends',
  (backend) => {
    it(`keeps tfjs-layers' path on ${backend}`, () => {
      installFusedBatchNorm();
      try {
        const layer = tfl.layers.batchNormalization();
        const x = tf.randomNormal([8, 4], 0, 1, 'float32', 3);
        const y = layer.apply(x, { training: true }) as tf.Tensor;
        const { mean, variance } = tf.moments(x, 0);
        const expected = tf.div(tf.sub(x, mean), tf.sqrt(tf.add(variance, 1e-3)));
        expect(maxDiff(expected.dataSync(), y.dataSync())).toBeLessThan(1e-5);
        tf.dispose([x, y, mean, variance, expected]);
      } finally {
        restoreBatchNorm();
      }
    });
  },
  { only: ['cpu', 'wasm'] },
);
