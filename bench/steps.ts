/**
 * npm run bench:steps [-- --backends cpu,wasm,tensorflow --steps 4]
 *
 * An epoch estimate of each notebook cell's model on each backend, for what full training cannot
 * measure on the slow ones: `--steps` `trainOnBatch` calls (ten times as many on tensorflow) on
 * batches of 128 random MNIST-shaped inputs after 2 warm-up calls, times the 375 steps of an epoch
 * (validation left out). The dropout
 * cell is also timed with tfjs-layers' own seeded dropout, the layer its preset used before
 * `layers.dropout` (the same model otherwise), as the before/after of that change.
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { importBackendPackage } from '../src/backend/_internal/packages.js';
import { fastNodeKernels } from '../src/backend/fastNodeKernels.js';
import { PRESETS } from '../src/presets/registry.js';

const argv = process.argv.slice(2);
const flag = (name: string, fallback: string) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 && argv[i + 1] !== undefined ? argv[i + 1]! : fallback;
};
const backends = flag('backends', 'cpu,wasm,tensorflow').split(',');
const steps = Number(flag('steps', '4'));
const CELLS = ['mnistBase', 'mnistL2', 'mnistDropout', 'mnistBatchNorm'];

/** The dropout cell as it was built before: tfjs-layers' seeded dropout, which repeats one mask. */
function tfjsDropoutModel(): tfl.LayersModel {
  const model = tfl.sequential();
  let seed = 42 * 16;
  for (let i = 0; i < 2; i++) {
    model.add(
      tfl.layers.dense({
        ...(i === 0 ? { inputShape: [784] } : {}),
        units: 1024,
        activation: 'relu',
        kernelInitializer: tfl.initializers.glorotUniform({ seed: ++seed }),
      }),
    );
    model.add(tfl.layers.dropout({ rate: 0.5, seed: ++seed }));
  }
  model.add(tfl.layers.dense({ units: 10, activation: 'softmax' }));
  model.compile({ optimizer: tf.train.momentum(0.025, 0.9), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  return model;
}

async function epochSeconds(model: tfl.LayersModel, steps: number): Promise<number> {
  const x = tf.randomUniform([128, 784], 0, 1, 'float32', 1);
  const y = tf.oneHot(
    tf.tensor1d(
      Array.from({ length: 128 }, (_, i) => i % 10),
      'int32',
    ),
    10,
  );
  for (let i = 0; i < 2; i++) await model.trainOnBatch(x, y);
  const start = performance.now();
  for (let i = 0; i < steps; i++) await model.trainOnBatch(x, y);
  const perStep = (performance.now() - start) / 1000 / steps;
  tf.dispose([x, y]);
  model.optimizer.dispose();
  model.dispose();
  return perStep * 375;
}

console.log(
  `epoch estimates: ${steps} trainOnBatch steps of 128 (${10 * steps} on tensorflow) after 2 warm-up ones, × 375 (validation left out)`,
);
console.log('| backend | ' + [...CELLS, 'mnistDropout with tfjs-layers dropout (before)'].join(' | ') + ' |');
console.log('|---|' + CELLS.map(() => '--:|').join('') + '--:|');
for (const name of backends) {
  const missing = await importBackendPackage(name as 'cpu');
  if (missing !== null || !(await tf.setBackend(name))) {
    console.log(`| ${name} | not available: ${missing ?? 'setBackend failed'} |`);
    continue;
  }
  if (name === 'tensorflow') fastNodeKernels();
  const row: string[] = [];
  // tfjs-node's steps take milliseconds: ten times as many for a steadier figure.
  const n = name === 'tensorflow' ? 10 * steps : steps;
  for (const cell of CELLS) row.push(`${(await epochSeconds(PRESETS[cell]!().model(), n)).toFixed(1)} s`);
  row.push(`${(await epochSeconds(tfjsDropoutModel(), n)).toFixed(1)} s`);
  if (name === 'tensorflow') fastNodeKernels(false);
  console.log(`| ${name} | ${row.join(' | ')} |`);
}
