// Measures what tfjs-layers leaves out of val_loss: trains the notebook's L2 model (784-1024-1024-10,
// l2(0.01) on both hidden kernels, SGD 0.025 momentum 0.9, batch 128) on real MNIST and prints, per
// epoch, tfjs' val_loss, penalty(model), and their sum, which is the val_loss Keras reports.
// Usage: npm run demo:penalty -- [--epochs N] [--backend tensorflow|wasm|cpu]
import * as tf from '@tensorflow/tfjs-core';
import { notebookModel } from '../src/presets/_internal/notebookModel.js';
import { useBestBackend } from '../src/backend/useBestBackend.js';
import { loadMnist } from '../src/data/loadMnist.js';
import { normalize } from '../src/data/normalize.js';
import { oneHot } from '../src/data/oneHot.js';
import type { BackendName } from '../src/backend/useBestBackend.js';
import { penalty } from '../src/regularizers/penalty.js';

const args = process.argv.slice(2);
const flag = (name: string): string | undefined => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
};
const epochs = Number(flag('epochs') ?? 2);

const backend = await useBestBackend(flag('backend') as BackendName | undefined);
// 48k/12k split as in the notebook, but by position rather than shuffled.
const { train } = await loadMnist();
const x = normalize(train.images, [60000, 784]);
const y = oneHot(train.labels, 10);
const [xTrain, xVal] = tf.split(x, [48000, 12000]);
const [yTrain, yVal] = tf.split(y, [48000, 12000]);

const model = notebookModel({ seed: 42, l2: 0.01 });

console.log(
  `backend ${backend}; epoch | loss (train, incl. penalty) | val_loss (tfjs) | penalty | val_loss + penalty (Keras) | val_acc`,
);
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
      console.log(
        `${epoch + 1} | ${f(logs?.loss)} | ${f(logs?.val_loss)} | ${f(pv)} | ${f((logs?.val_loss ?? NaN) + pv)} | ${f(logs?.val_acc)}`,
      );
    },
  },
});
console.log(`${epochs} epochs in ${((Date.now() - started) / 1000).toFixed(1)} s`);
