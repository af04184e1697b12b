/**
 * npm run bench:augment — the notebook's augmentation (rotation 30°, shift 0.1, zoom 0.2, fill
 * nearest, bilinear) on batches of 128 28×28×1 images, measured in one run on every backend that
 * loads, beside (a) a single-threaded per-image JavaScript loop doing ImageDataGenerator's work and
 * (b) one training step of the notebook's BatchNorm MLP on the same backend.
 * Then the RGB rows (32×32×3, batch 128, tfjs-node): pad-and-crop + flip, colorJitter, randAugment,
 * beside Keras 3's layers timed in the same run (bench/keras/augment_rgb.py), and randAugment against
 * a small CNN's training step on the same batch.
 * Optional arguments restrict the backends: `npm run bench:augment -- tensorflow`.
 */
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import type { Augmentation } from '../src/augment/augmentation.js';
import { colorJitter } from '../src/augment/colorJitter.js';
import { pipeline } from '../src/augment/pipeline.js';
import { randAugment } from '../src/augment/randAugment.js';
import { randomCrop } from '../src/augment/randomCrop.js';
import { randomFlip } from '../src/augment/randomFlip.js';
import { setNativeTransform } from '../src/augment/_internal/resample/native.js';
import { notebookModel } from '../src/presets/_internal/notebookModel.js';
import { kerasTransformMatrix } from '../src/augment/functional/kerasTransformMatrix.js';
import { randomAffine } from '../src/augment/randomAffine.js';
import { randomGenerator } from '../src/core/random.js';
import { importBackendPackage } from '../src/backend/_internal/packages.js';
import { referenceAugment } from './referenceAugment.js';

const BATCH = 128;
const SIZE = 28;
const NOTEBOOK = {
  rotationRange: 30,
  widthShiftRange: 0.1,
  heightShiftRange: 0.1,
  zoomRange: 0.2,
  fillMode: 'nearest' as const,
};

/**
 * Runs `step` repeatedly (after `warmup` runs) for at least `seconds` and `minRuns`, then `finish` once
 * inside the timed window; returns seconds per run.
 */
async function timePerRun(
  step: () => Promise<void>,
  warmup: number,
  minRuns: number,
  seconds: number,
  finish: () => void = () => {},
): Promise<number> {
  for (let i = 0; i < warmup; i++) await step();
  let runs = 0;
  const start = performance.now();
  while (runs < minRuns || performance.now() - start < seconds * 1000) {
    await step();
    runs++;
  }
  finish();
  return (performance.now() - start) / 1000 / runs;
}

async function measureBackend(name: string, quick: boolean) {
  const images = tf.tidy(() => tf.randomUniform([BATCH, SIZE, SIZE, 1], 0, 1, 'float32', 7) as tf.Tensor4D);
  const aug = randomAffine({ ...NOTEBOOK, seed: 1 });
  const augSeconds = await timePerRun(
    async () => {
      const out = aug({ images });
      await out.images.data();
      out.images.dispose();
    },
    5,
    10,
    quick ? 1 : 3,
  );

  const model = notebookModel({ seed: 1, batchNorm: true });
  const x = tf.tidy(() => tf.reshape(images, [BATCH, 784]));
  const y = tf.tidy(() =>
    tf.cast(
      tf.oneHot(
        tf.tensor1d(
          Array.from({ length: BATCH }, (_, i) => i % 10),
          'int32',
        ),
        10,
      ),
      'float32',
    ),
  );
  const stepSeconds = await timePerRun(
    async () => {
      await model.trainOnBatch(x, y);
    },
    quick ? 1 : 3,
    quick ? 2 : 10,
    quick ? 1 : 3,
  );
  tf.dispose([images, x, y]);
  model.optimizer.dispose();
  model.dispose();
  return { augSeconds, stepSeconds };
}

// (a) What ImageDataGenerator does per image, in plain single-threaded JavaScript.
const pixels = new Float32Array(BATCH * SIZE * SIZE).map((_, i) => ((i * 2654435761) % 256) / 255);
const rng = randomGenerator(3);
const jsSeconds = await timePerRun(
  async () => {
    for (let i = 0; i < BATCH; i++) {
      const m = kerasTransformMatrix(
        {
          theta: rng.uniform(-30, 30),
          tx: rng.uniform(-2.8, 2.8),
          ty: rng.uniform(-2.8, 2.8),
          zx: rng.uniform(0.8, 1.2),
          zy: rng.uniform(0.8, 1.2),
        },
        SIZE,
        SIZE,
      );
      referenceAugment(pixels.subarray(i * SIZE * SIZE, (i + 1) * SIZE * SIZE), SIZE, SIZE, m);
    }
  },
  3,
  10,
  2,
);
const jsRate = BATCH / jsSeconds;

const wanted = process.argv.slice(2);
const names = wanted.length > 0 ? wanted : ['tensorflow', 'wasm', 'cpu'];
console.log(
  `notebook augmentation, batches of ${BATCH} ${SIZE}x${SIZE}x1 (rotation 30, shift 0.1, zoom 0.2, fill nearest, bilinear)`,
);
console.log(
  `(a) per-image JS loop (ImageDataGenerator's work, 1 thread): ${Math.round(jsRate).toLocaleString('en-US')} images/s`,
);
console.log(
  'backend                  | augment images/s | vs JS loop | train step (BatchNorm MLP) | augment / step | augmented epoch / plain',
);
for (const name of names) {
  try {
    const missing = await importBackendPackage(name);
    if (missing !== null) throw new Error(missing);
    if (!(await tf.setBackend(name))) throw new Error('setBackend returned false');
  } catch (e) {
    console.log(`${name.padEnd(24)} | not available (${e instanceof Error ? e.message.split('\n')[0] : String(e)})`);
    continue;
  }
  // On tfjs-node the sampler runs TensorFlow's own kernel; the portable ops (what other backends run) are measured too.
  const variants =
    name === 'tensorflow'
      ? ([
          ['tensorflow', true],
          ['tensorflow, portable ops', false],
        ] as const)
      : ([[name, true]] as const);
  for (const [label, native] of variants) {
    setNativeTransform(native);
    const { augSeconds, stepSeconds } = await measureBackend(name, name !== 'tensorflow');
    const rate = BATCH / augSeconds;
    console.log(
      `${label.padEnd(24)} | ${Math.round(rate).toLocaleString('en-US').padStart(16)} | ${(rate / jsRate).toFixed(1).padStart(9)}x | ${(stepSeconds * 1000).toFixed(1).padStart(23)} ms | ${((100 * augSeconds) / stepSeconds).toFixed(1).padStart(13)}% | ${((stepSeconds + augSeconds) / stepSeconds).toFixed(3).padStart(6)}x`,
    );
  }
  setNativeTransform(true);
}

// ---- RGB rows (issue 16): 32×32×3 batches of 128 on tfjs-node, beside Keras 3's layers timed in the same run.
const RGB_BATCH = 128;
if ((wanted.length === 0 || wanted.includes('tensorflow')) && (await importBackendPackage('tensorflow')) === null) {
  await tf.setBackend('tensorflow');
  const rgb = tf.tidy(() => tf.randomUniform([RGB_BATCH, 32, 32, 3], 0, 1, 'float32', 11) as tf.Tensor4D);
  const rows: [string, Augmentation][] = [
    [
      'randomCrop(pad 4) + randomFlip',
      pipeline([
        randomCrop({ height: 32, width: 32, padding: 4, seed: 1 }),
        randomFlip({ mode: 'horizontal', seed: 2 }),
      ]),
    ],
    [
      'colorJitter(0.4, 0.4, 0.4, 0.1)',
      colorJitter({ brightness: 0.4, contrast: 0.4, saturation: 0.4, hue: 0.1, seed: 3 }),
    ],
    ['randAugment(2, 9)', randAugment({ numOps: 2, magnitude: 9, seed: 4 })],
  ];
  // tfjs-node runs each kernel to the end before the op returns, as eager TensorFlow does on the CPU:
  // both sides read only their last batch (a per-batch copy to JS would time tfjs-node's dataSync,
  // which training never calls).
  const secondsPerCall = async (aug: Augmentation, warmup: number, seconds: number): Promise<number> => {
    let last: tf.Tensor | undefined;
    const perCall = await timePerRun(
      async () => {
        last?.dispose();
        last = aug({ images: rgb }).images;
      },
      warmup,
      10,
      seconds,
      () => void last?.dataSync(),
    );
    last?.dispose();
    return perCall;
  };
  const ours = new Map<string, number>();
  for (const [label, aug] of rows) ours.set(label, RGB_BATCH / (await secondsPerCall(aug, 5, 3)));
  // A small CNN's training step on the same batch: what randAugment's cost is set against.
  const cnn = tfl.sequential({
    layers: [
      tfl.layers.conv2d({ inputShape: [32, 32, 3], filters: 32, kernelSize: 3, padding: 'same', activation: 'relu' }),
      tfl.layers.maxPooling2d({ poolSize: 2 }),
      tfl.layers.conv2d({ filters: 64, kernelSize: 3, padding: 'same', activation: 'relu' }),
      tfl.layers.maxPooling2d({ poolSize: 2 }),
      tfl.layers.flatten(),
      tfl.layers.dense({ units: 128, activation: 'relu' }),
      tfl.layers.dense({ units: 10, activation: 'softmax' }),
    ],
  });
  cnn.compile({ optimizer: tf.train.adam(0.001), loss: 'categoricalCrossentropy' });
  const labels = tf.tidy(() =>
    tf.oneHot(
      tf.tensor1d(
        Array.from({ length: RGB_BATCH }, (_, i) => i % 10),
        'int32',
      ),
      10,
    ),
  );
  // The machine is shared: randAugment and the step are timed in alternating rounds and the median of
  // the rounds' ratios is reported, so that a busy stretch slows both sides of a ratio alike.
  const policy = rows.find(([label]) => label === 'randAugment(2, 9)')![1];
  const rounds: { step: number; policy: number }[] = [];
  for (let r = 0; r < 5; r++) {
    const step = await timePerRun(async () => void (await cnn.trainOnBatch(rgb, labels)), r === 0 ? 3 : 1, 5, 1);
    rounds.push({ step, policy: await secondsPerCall(policy, 1, 1) });
  }
  const median = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)]!;
  const cnnStep = median(rounds.map((r) => r.step));
  const policyShare = median(rounds.map((r) => r.policy / r.step));
  const python =
    process.env['KERAS_PYTHON'] ?? (existsSync('.venv-keras/bin/python') ? '.venv-keras/bin/python' : 'python3');
  const run = spawnSync(python, ['bench/keras/augment_rgb.py', '--seconds', '3'], { encoding: 'utf8' });
  const keras =
    run.status === 0
      ? (JSON.parse(run.stdout.trim().split('\n').at(-1)!) as {
          keras: string;
          imagesPerSecond: Record<string, number>;
        })
      : undefined;
  console.log(
    `\nRGB augmentation, batches of ${RGB_BATCH} 32x32x3 on tfjs-node, beside Keras ${keras?.keras ?? '(not run: ' + python + ' failed)'} layers inside tf.function`,
  );
  console.log('row                              | images/s here | Keras 3 images/s | here / Keras (target >= 3x)');
  for (const [label] of rows) {
    const here = ours.get(label)!;
    const k = keras?.imagesPerSecond[label];
    console.log(
      `${label.padEnd(32)} | ${Math.round(here).toLocaleString('en-US').padStart(13)} | ${k === undefined ? '-'.padStart(16) : Math.round(k).toLocaleString('en-US').padStart(16)} | ${k === undefined ? '-' : `${(here / k).toFixed(2)}x`}`,
    );
  }
  console.log(
    `small CNN (conv 32-64, dense 128) training step on the same batch: ${(cnnStep * 1000).toFixed(1)} ms (median of 5 rounds); ` +
      `randAugment(2, 9) is ${(100 * policyShare).toFixed(1)}% of it (median of the rounds' ratios, ` +
      `${rounds.map((r) => ((100 * r.policy) / r.step).toFixed(1)).join(', ')}%; target < 10%)`,
  );
  tf.dispose([rgb, labels]);
  cnn.optimizer.dispose();
  cnn.dispose();
}
