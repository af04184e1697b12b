/**
 * npm run bench:fidelity [-- --path fit|fit-logits|generator|flow --seeds 42,43 --epochs 1]
 *
 * The BatchNorm cell's validation accuracy per epoch along one training path, to tell the order of the
 * batches from the loss or the data pipeline as the cause of a first-epoch difference (docs/results.md,
 * "Fidelity after one epoch"). Needs tfjs-node.
 */
import '@tensorflow/tfjs-node';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { flow } from '../src/augment/flow.js';
import { fastNodeKernels } from '../src/backend/fastNodeKernels.js';
import { loadMnist } from '../src/data/loadMnist.js';
import { normalize } from '../src/data/normalize.js';
import { oneHot } from '../src/data/oneHot.js';
import { trainTestSplit } from '../src/data/trainTestSplit.js';
import { categoricalCrossentropy } from '../src/losses/categoricalCrossentropy.js';

const argv = process.argv.slice(2);
const flag = (name: string, fallback: string): string => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 && argv[i + 1] !== undefined ? argv[i + 1]! : fallback;
};
const path = flag('path', 'flow');
const PATHS = ['fit', 'fit-logits', 'generator', 'flow'];
if (!PATHS.includes(path)) throw new Error(`bench:fidelity: unknown --path ${path}; known: ${PATHS.join(', ')}`);
const seeds = flag('seeds', '42').split(',').map(Number);
const epochs = Number(flag('epochs', '1'));

fastNodeKernels();
const { train } = await loadMnist();
const x = normalize(train.images, [60000, 784]);
const y = oneHot(train.labels, 10);
const split = trainTestSplit(x, y, { testSize: 0.2, seed: 42 });
const n = split.xTrain.shape[0];

function model(seed: number): tfl.LayersModel {
  const logits = path === 'fit-logits';
  const m = tfl.sequential();
  let k = seed * 16;
  for (let i = 0; i < 2; i++) {
    m.add(
      tfl.layers.dense({
        ...(i === 0 ? { inputShape: [784] } : {}),
        units: 1024,
        activation: 'relu',
        kernelInitializer: tfl.initializers.glorotUniform({ seed: ++k }),
      }),
    );
    m.add(tfl.layers.batchNormalization());
  }
  m.add(
    tfl.layers.dense({
      units: 10,
      activation: logits ? 'linear' : 'softmax',
      kernelInitializer: tfl.initializers.glorotUniform({ seed: ++k }),
    }),
  );
  m.compile({
    optimizer: tf.train.momentum(0.025, 0.9),
    loss: logits ? categoricalCrossentropy({ fromLogits: true }) : 'categoricalCrossentropy',
    metrics: ['accuracy'],
  });
  return m;
}

/** Batches in a fresh `Math.random` order each epoch, the way a plain tf.data pipeline would give them. */
function shuffledBatches() {
  return {
    size: Math.ceil(n / 128),
    iterator: async () => {
      const order = tf.util.createShuffledIndices(n);
      let i = 0;
      return {
        next: async () => {
          if (i >= n) return { done: true, value: undefined };
          const rows = tf.tensor1d(Array.from(order.subarray(i, i + 128)), 'int32');
          i += 128;
          const value = { xs: tf.gather(split.xTrain, rows), ys: tf.gather(split.yTrain, rows) };
          rows.dispose();
          return { done: false, value };
        },
      };
    },
  };
}

for (const seed of seeds) {
  const m = model(seed);
  const valAccuracy: number[] = [];
  const callbacks = { onEpochEnd: async (_: number, logs?: tfl.Logs) => void valAccuracy.push(logs!['val_acc']!) };
  const validationData: [tf.Tensor, tf.Tensor] = [split.xTest, split.yTest];
  const start = Date.now();
  if (path === 'fit' || path === 'fit-logits') {
    await m.fit(split.xTrain, split.yTrain, {
      batchSize: 128,
      epochs,
      shuffle: true,
      validationData,
      verbose: 0,
      callbacks,
    });
  } else {
    const data =
      path === 'flow'
        ? flow(tf.reshape(split.xTrain, [-1, 28, 28, 1]) as tf.Tensor4D, split.yTrain as tf.Tensor2D, {
            batchSize: 128,
            seed,
            flatten: true,
          })
        : shuffledBatches();
    await m.fitDataset(data as never, { epochs, validationData, verbose: 0, callbacks });
  }
  console.log(
    JSON.stringify({
      path,
      seed,
      valAccuracy: valAccuracy.map((v) => +v.toFixed(4)),
      seconds: (Date.now() - start) / 1000,
    }),
  );
  m.dispose();
}
