/**
 * npm run bench:ema [-- --momenta 0.999,0.998,0.995,0.99 --epochs 17 --seed 42 --subset N]
 *
 * Which EMA momentum suits fashionCnnModern's schedule, chosen on held-out training images: one
 * training of the modern recipe without its EMA on the first 50,000 Fashion-MNIST training images
 * (fit validates the raw weights on the last 10,000 after every epoch), on whose optimizer this script
 * stacks one `withEma` per momentum and evaluates each on the same held-out images after every epoch,
 * with the raw weights' BatchNorm statistics, as `swapEmaWeights` does. An EMA does not change the training steps, so
 * every column is the recipe with that momentum, or without an EMA, from a single run. The preset
 * evaluates its final raw weights once on the test set: a disclosed use, not used to choose.
 * Each run is appended to docs/results-ema.json.
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { existsSync, readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { writeFileAtomic } from '../src/core/atomicWrite.js';
import { useBestBackend } from '../src/backend/useBestBackend.js';
import { loadFashionMnist } from '../src/data/loadFashionMnist.js';
import { withEma } from '../src/optimizers/withEma.js';
import type { EmaOptimizer } from '../src/optimizers/withEma.js';
import { convnetSpec, MODERN_DEFAULTS, MODERN_RECIPE } from '../src/presets/_internal/convnet.js';
import { holdoutSizes, makePreset } from '../src/presets/_internal/trainPreset.js';

const JSON_PATH = 'docs/results-ema.json';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i < 0 ? undefined : process.argv[i + 1];
}

/**
 * One `withEma` per momentum, stacked on the preset's optimizer when training begins: each keeps its
 * own averages of the same steps, and each is evaluated between two of its `swapWeights()` calls.
 */
class EmaTracks extends tfl.Callback {
  private emas: EmaOptimizer[] = [];
  readonly heldOut: number[][];

  constructor(
    private readonly momenta: number[],
    private readonly x: tf.Tensor,
    private readonly y: tf.Tensor,
  ) {
    super();
    this.heldOut = momenta.map(() => []);
  }

  override async onTrainBegin(): Promise<void> {
    const model = this.model as tfl.LayersModel;
    let optimizer = model.optimizer;
    // fit reads the optimizer at every step: the stack is the one trained, and the preset disposes it.
    this.emas = this.momenta.map((momentum) => (optimizer = withEma(optimizer, { momentum })));
    model.optimizer = optimizer;
  }

  override async onEpochEnd(): Promise<void> {
    for (const [k, ema] of this.emas.entries()) {
      ema.swapWeights();
      const scores = this.model.evaluate(this.x, this.y, { batchSize: 500 }) as tf.Scalar[];
      ema.swapWeights();
      this.heldOut[k]!.push((await scores[1]!.data())[0]!);
      tf.dispose(scores);
    }
    const line = this.momenta.map((m, k) => `${m}: ${(this.heldOut[k]!.at(-1)! * 100).toFixed(2)}`).join(', ');
    console.log(`  EMA held-out accuracy: ${line}`);
  }
}

async function main(): Promise<void> {
  const momenta = (arg('momenta') ?? '0.999,0.998,0.995,0.99').split(',').map(Number);
  const epochs = Number(arg('epochs') ?? MODERN_DEFAULTS.epochs);
  const seed = Number(arg('seed') ?? 42);
  const subset = arg('subset') === undefined ? undefined : Number(arg('subset'));
  await useBestBackend(['tensorflow']);
  // The held-out images the preset validates on, by the preset's own split.
  const { n, nTrain, nVal } = holdoutSizes(subset);
  const data = await loadFashionMnist();
  const x = tf.tidy(() =>
    tf.div(tf.tensor4d(data.train.images.subarray(nTrain * 784, n * 784), [nVal, 28, 28, 1], 'float32'), 255),
  );
  const y = tf.oneHot(tf.tensor1d(data.train.labels.subarray(nTrain, n), 'int32'), 10);
  const tracks = new EmaTracks(momenta, x, y);
  const { ema: _, ...rawRecipe } = MODERN_RECIPE;
  const preset = makePreset(convnetSpec('ema sweep', 'modern without its EMA', rawRecipe, MODERN_DEFAULTS));
  const load0 = loadavg()[0]!;
  const r = await preset.train({
    holdout: true,
    seed,
    epochs,
    verbose: 2,
    backend: 'tensorflow',
    callbacks: [tracks],
    ...(subset === undefined ? {} : { subset }),
  });
  const run = {
    seed,
    epochs,
    ...(subset === undefined ? {} : { subset }),
    rawHeldOut: r.history.map((h) => h.val_accuracy),
    ema: Object.fromEntries(momenta.map((m, k) => [String(m), tracks.heldOut[k]])),
    rawTestAccuracy: r.testAccuracy,
    seconds: r.history.map((h) => h.seconds),
    load: [load0, loadavg()[0]!],
    date: new Date().toISOString().slice(0, 10),
  };
  tf.dispose([x, y]);
  const runs = existsSync(JSON_PATH) ? (JSON.parse(readFileSync(JSON_PATH, 'utf8')) as unknown[]) : [];
  runs.push(run);
  await writeFileAtomic(JSON_PATH, `${JSON.stringify(runs, null, 1)}\n`);
  console.log(JSON.stringify(run));
}

await main();
