/**
 * The cost of the optimizer wrappers: one training step of the notebook's MLP (784-1024-1024-10,
 * batch 128, random data) with bare `tf.train.adam` and with `withEma(withGradientClipping(adamw()))`,
 * interleaved (one step of each, in alternating order) so that a noisy machine slows both alike.
 * Prints the median step of each and their ratio. Run: npm run bench:optimizers [-- --steps 60]
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { fastNodeKernels } from '../src/backend/fastNodeKernels.js';
import { useBestBackend } from '../src/backend/useBestBackend.js';
import { adamw } from '../src/optimizers/adamw.js';
import { withEma } from '../src/optimizers/withEma.js';
import { withGradientClipping } from '../src/optimizers/withGradientClipping.js';
import { mnistBase } from '../src/presets/mnistBase.js';

const argv = process.argv.slice(2);
const flag = (name: string, fallback: number) => {
  const i = argv.indexOf(name);
  return i >= 0 ? Number(argv[i + 1]) : fallback;
};
const STEPS = flag('--steps', 40);
const WARMUP = flag('--warmup', 5);

const backend = await useBestBackend('tensorflow');
fastNodeKernels();

const x = tf.randomUniform([128, 784], 0, 1, 'float32', 1);
const y = tf.cast(tf.oneHot(tf.randomUniform([128], 0, 10, 'int32', 2), 10), 'float32');

function model(optimizer: tf.Optimizer): tfl.LayersModel {
  const m = mnistBase().model(42);
  m.compile({ optimizer, loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  return m;
}
const contenders = {
  bare: model(tf.train.adam(0.001)),
  stacked: model(withEma(withGradientClipping(adamw({ learningRate: 0.001 }), { globalClipNorm: 1 }))),
};
type Name = keyof typeof contenders;

/** One trainOnBatch, timed until its loss is on the CPU (which waits for the whole step). */
async function step(name: Name): Promise<number> {
  const start = performance.now();
  const out = await contenders[name].trainOnBatch(x, y);
  void out;
  return performance.now() - start;
}

const times: Record<Name, number[]> = { bare: [], stacked: [] };
for (let i = 0; i < WARMUP + STEPS; i++) {
  const order: Name[] = i % 2 === 0 ? ['bare', 'stacked'] : ['stacked', 'bare'];
  for (const name of order) {
    const ms = await step(name);
    if (i >= WARMUP) times[name].push(ms);
  }
}
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
const bare = median(times.bare);
const stacked = median(times.stacked);
console.log(`backend ${backend}, ${STEPS} steps each after ${WARMUP} warm-up, batch 128, MLP 784-1024-1024-10`);
console.log(`bare tf.train.adam:                         median ${bare.toFixed(2)} ms/step`);
console.log(`withEma(withGradientClipping(adamw())):     median ${stacked.toFixed(2)} ms/step`);
console.log(`ratio ${(stacked / bare).toFixed(3)} (target <= 1.10)`);
for (const m of Object.values(contenders)) {
  m.optimizer.dispose();
  m.dispose();
}
tf.dispose([x, y]);
