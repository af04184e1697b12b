/**
 * npm run bench:ablation [-- --rows plain,modern,+flip,-ema --seeds 1,2 --epochs 5 --keras --render-only]
 *
 * What each technique of fashionCnnModern's recipe buys, on held-out training images: every run
 * trains the presets' convnet on the first 50,000 Fashion-MNIST training images for `--epochs`
 * epochs (a shorter schedule than the presets' 14 and 17, so that the table fits the machine), validates on
 * the last 10,000 after every epoch, and evaluates its final weights once on the test set.
 * Rows:
 * - `plain`: fashionCnn's training; `modern`: fashionCnnModern's;
 * - `+technique`: plain with that one technique of the modern recipe added (`+dropout` adds dropout 0.2);
 * - `-technique`: modern with that one technique removed (leave-one-out); `modern+technique` adds one that
 *   modern leaves out (pad-and-crop 2 px, dropout 0.2);
 * - with `--keras`, `keras:plain` and `keras:modern`: the same convnet and recipes in Keras 3
 *   (bench/keras/fashion_cnn.py), on the same images, seeds and epochs, in the same run.
 * Each (row, seed, epochs, recipe) is run once: results accumulate in docs/results-ablation.json,
 * written after every run, so the benchmark can be run in parts and resumed; the table in
 * docs/results.md and the chart docs/img/ablation.svg are rendered from what was measured, with dates
 * and load. A run records the recipe it trained, so that runs of an earlier recipe stay apart from
 * the current one's (their own lines, marked with what differed) instead of averaging with them.
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { writeFileAtomic } from '../src/core/atomicWrite.js';
import { predictWithFlips } from '../src/augment/predictWithFlips.js';
import { writeChart } from '../src/cli/_internal/curves.js';
import { loadFashionMnist } from '../src/data/loadFashionMnist.js';
import { useBestBackend } from '../src/backend/useBestBackend.js';
import { convnetSpec, MODERN_RECIPE, PLAIN_RECIPE, TECHNIQUES } from '../src/presets/_internal/convnet.js';
import type { ConvnetRecipe, Technique } from '../src/presets/_internal/convnet.js';
import { holdoutSizes, makePreset } from '../src/presets/_internal/trainPreset.js';
import { warm } from './kerasResults.js';

const JSON_PATH = 'docs/results-ablation.json';
const CHART_PATH = 'docs/img/ablation.svg';
const RESULTS_PATH = 'docs/results.md';
// bench:presets keeps sections between these markers as they are; the inner marker says the section is this script's.
const KEEP_BEGIN = '<!-- written by hand: kept by bench:presets -->';
const KEEP_END = '<!-- end of the hand-written section -->';
const MINE = '<!-- rendered by bench:ablation from docs/results-ablation.json -->';
const DROPOUT = 0.2;
const CROP_PADDING = 2;
/** What a technique the modern recipe leaves out is set to where a row adds it. */
const ADDED: Partial<Record<Technique, number>> = { cropPadding: CROP_PADDING, dropout: DROPOUT };
const FASHION_DIR = process.env['FASHION_MNIST_DIR'] ?? '/usr/share/datasets/fashion-mnist';

interface Run {
  row: string;
  seed: number;
  epochs: number;
  /** `tfjs-node` or `keras <version>`. */
  engine: string;
  /** The recipe trained (for a Keras row, the recipe the Keras script was given). */
  recipe: ConvnetRecipe;
  testAccuracy: number;
  /** Held-out accuracy after each epoch. */
  heldOut: number[];
  /**
   * Held-out accuracy of the final weights with test-time flips: each image's prediction averaged with
   * its left-right mirror's (`predictWithFlips`). Runs before it was measured lack it.
   */
  heldOutFlips?: number;
  /** Seconds of each epoch, validation included. */
  seconds: number[];
  /** One-minute load average before and after the run (2 cores). */
  load: [number, number];
  /** What else happened during the run, written by hand into the JSON when something did. */
  note?: string;
  date: string;
}

/** The recipe of every tfjs row, by name. */
function recipes(): Map<string, ConvnetRecipe> {
  const m = new Map<string, ConvnetRecipe>([
    ['plain', PLAIN_RECIPE],
    ['modern', MODERN_RECIPE],
  ]);
  const value = (t: Technique) => MODERN_RECIPE[t] ?? ADDED[t]!;
  for (const t of TECHNIQUES) m.set(`+${t}`, { ...PLAIN_RECIPE, [t]: value(t) });
  for (const t of TECHNIQUES) {
    if (MODERN_RECIPE[t] === undefined) continue;
    const { [t]: _removed, ...rest } = MODERN_RECIPE;
    m.set(`-${t}`, rest as ConvnetRecipe);
  }
  for (const t of TECHNIQUES)
    if (MODERN_RECIPE[t] === undefined) m.set(`modern+${t}`, { ...MODERN_RECIPE, [t]: ADDED[t]! });
  return m;
}

const DESCRIPTIONS: Record<string, string> = {
  plain: 'fashionCnn: Adam 0.001, nothing else',
  modern: 'fashionCnnModern: every technique below but pad-and-crop and dropout',
  cropPadding: `pad-and-crop, ${CROP_PADDING} px`,
  flip: 'horizontal flips',
  erasing: 'random erasing, p 0.5',
  labelSmoothing: 'label smoothing 0.1',
  weightDecay: 'AdamW decay 0.05',
  ema: `EMA of the weights, ${MODERN_RECIPE.ema}`,
  cosine: 'warmup + cosine decay',
  dropout: `dropout ${DROPOUT} before the classifier`,
};

function describe(row: string): string {
  if (row.startsWith('keras:')) return `Keras 3: ${describe(row.slice(6))}`;
  if (row.startsWith('modern+')) return `modern + ${DESCRIPTIONS[row.slice(7)]}`;
  if (row in DESCRIPTIONS) return DESCRIPTIONS[row]!;
  const t = row.slice(1);
  return `${row[0] === '+' ? 'plain +' : 'modern −'} ${DESCRIPTIONS[t] ?? t}`;
}

const argv = process.argv.slice(2);
const flag = (name: string, fallback: string) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 && argv[i + 1] !== undefined ? argv[i + 1]! : fallback;
};
const known = recipes();
const renderOnly = argv.includes('--render-only');
const withKeras = argv.includes('--keras');
const epochs = Number(flag('epochs', '5'));
const seeds = flag('seeds', '1,2').split(',').map(Number);
const rows = flag('rows', [...known.keys()].join(',')).split(',');
for (const r of rows) {
  if (!known.has(r))
    throw new Error(`bench:ablation: unknown row ${JSON.stringify(r)}; known: ${[...known.keys()].join(', ')}`);
}
if (!Number.isInteger(epochs) || epochs < 1) throw new Error(`bench:ablation: --epochs must be a positive integer`);
const python = flag(
  'python',
  process.env['KERAS_PYTHON'] ?? (existsSync('.venv-keras/bin/python') ? '.venv-keras/bin/python' : 'python3'),
);

const store: Run[] = existsSync(JSON_PATH) ? (JSON.parse(readFileSync(JSON_PATH, 'utf8')) as Run[]) : [];
const save = () => writeFileAtomic(JSON_PATH, `${JSON.stringify(store, null, 2)}\n`);
/** A recipe as a key: its fields in a fixed order. */
const keyOf = (recipe: ConvnetRecipe) =>
  JSON.stringify(Object.fromEntries(Object.entries(recipe).sort(([a], [b]) => a.localeCompare(b))));
/** The recipe a row trains today (a Keras row: the recipe of the same name). */
const recipeOf = (row: string) => known.get(row.startsWith('keras:') ? row.slice(6) : row)!;
const has = (row: string, seed: number) =>
  store.some(
    (r) => r.row === row && r.seed === seed && r.epochs === epochs && keyOf(r.recipe) === keyOf(recipeOf(row)),
  );
const today = () => new Date().toISOString().slice(0, 10);

/**
 * At the end of training (after swapEmaWeights has put the averages in), the final weights' held-out
 * accuracy with and without flips.
 */
class HeldOutFlips extends tfl.Callback {
  plain = Number.NaN;
  flips = Number.NaN;

  override async onTrainEnd(): Promise<void> {
    const { x, y } = await heldOut();
    const model = this.model as tfl.LayersModel;
    const accuracy = (p: tf.Tensor) => tf.tidy(() => tf.mean(tf.cast(tf.equal(tf.argMax(p, -1), y), 'float32')));
    const plain = tf.tidy(() => accuracy(model.predict(x, { batchSize: 500 }) as tf.Tensor));
    const flips = tf.tidy(() => accuracy(predictWithFlips(model, x, { batchSize: 500 })));
    [this.plain, this.flips] = [(await plain.data())[0]!, (await flips.data())[0]!];
    tf.dispose([plain, flips]);
  }
}

let heldOutImages: { x: tf.Tensor4D; y: tf.Tensor1D } | undefined;
/** The held-out images the preset validates on, by the preset's own split. */
async function heldOut(): Promise<{ x: tf.Tensor4D; y: tf.Tensor1D }> {
  if (heldOutImages !== undefined) return heldOutImages;
  const { n, nTrain, nVal } = holdoutSizes(undefined);
  const data = await loadFashionMnist();
  const x = tf.tidy(() =>
    tf.div<tf.Tensor4D>(
      tf.tensor4d(data.train.images.subarray(nTrain * 784, n * 784), [nVal, 28, 28, 1], 'float32'),
      255,
    ),
  );
  return (heldOutImages = { x, y: tf.tensor1d(data.train.labels.subarray(nTrain, n), 'int32') });
}

async function runOurs(row: string, seed: number): Promise<Run> {
  const preset = makePreset(convnetSpec(`ablation ${row}`, describe(row), known.get(row)!, { epochs, batchSize: 128 }));
  const load0 = loadavg()[0]!;
  const flips = new HeldOutFlips();
  const r = await preset.train({ holdout: true, seed, epochs, verbose: 2, backend: 'tensorflow', callbacks: [flips] });
  // The final weights' plain held-out accuracy is fit's last validation: the two must agree.
  const last = r.history.at(-1)!.val_accuracy;
  if (Math.abs(flips.plain - last) > 1.5e-4)
    console.warn(`bench:ablation: WARNING: the final weights give ${flips.plain} held-out, fit's last epoch ${last}`);
  console.log(`held-out with flips: ${(100 * flips.flips).toFixed(2)}% (without: ${(100 * last).toFixed(2)}%)`);
  return {
    row,
    seed,
    epochs,
    engine: r.backend === 'tensorflow' ? 'tfjs-node' : r.backend,
    recipe: recipeOf(row),
    testAccuracy: r.testAccuracy,
    heldOut: r.history.map((h) => h.val_accuracy),
    heldOutFlips: flips.flips,
    seconds: r.history.map((h) => h.seconds),
    load: [load0, loadavg()[0]!],
    date: today(),
  };
}

function runKeras(recipe: 'plain' | 'modern', seed: number): Run {
  const load0 = loadavg()[0]!;
  const args = ['bench/keras/fashion_cnn.py', '--recipe', recipe, '--epochs', String(epochs), '--seed', String(seed)];
  if (recipe === 'modern')
    args.push('--ema-momentum', String(MODERN_RECIPE.ema), '--crop-padding', String(MODERN_RECIPE.cropPadding ?? 0));
  const p = spawnSync(python, [...args, '--data', FASHION_DIR, '--holdout'], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    maxBuffer: 1 << 26,
  });
  if (p.status !== 0) throw new Error(`bench:ablation: ${python} ${args.join(' ')} exited with ${p.status}`);
  const out = JSON.parse(p.stdout.trim().split('\n').at(-1)!) as {
    keras: string;
    testAccuracy: number;
    history: { seconds: number; val_accuracy: number }[];
  };
  return {
    row: `keras:${recipe}`,
    seed,
    epochs,
    engine: `keras ${out.keras}`,
    recipe: recipeOf(`keras:${recipe}`),
    testAccuracy: out.testAccuracy,
    heldOut: out.history.map((h) => h.val_accuracy),
    seconds: out.history.map((h) => h.seconds),
    load: [load0, loadavg()[0]!],
    date: today(),
  };
}

if (!renderOnly) {
  await useBestBackend('tensorflow');
  const todo = [...rows, ...(withKeras ? ['keras:plain', 'keras:modern'] : [])];
  for (const seed of seeds) {
    for (const row of todo) {
      if (has(row, seed)) continue;
      console.log(`\n${row} (${describe(row)}), seed ${seed}, ${epochs} epochs`);
      // Keras right after ours on the same seed: both measured under the same conditions.
      const run = row.startsWith('keras:')
        ? runKeras(row.slice(6) as 'plain' | 'modern', seed)
        : await runOurs(row, seed);
      console.log(
        `${row} seed ${seed}: test ${(100 * run.testAccuracy).toFixed(2)}%, held-out ${run.heldOut.map((v) => (100 * v).toFixed(2)).join(' ')}`,
      );
      store.push(run);
      await save();
    }
  }
}

// Rendering: one line per (row, epochs, recipe), mean and spread over its seeds.
const pctOf = (v: number) => (100 * v).toFixed(2);
const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;
const spread = (v: number[]) => (v.length < 2 ? '' : ` (${pctOf(Math.min(...v))}–${pctOf(Math.max(...v))})`);
const order = [...known.keys(), 'keras:plain', 'keras:modern'];
interface Line {
  row: string;
  epochs: number;
  runs: Run[];
  /** What an earlier recipe's line differs in from today's row, or '' for today's recipe. */
  earlier: string;
}
/** The fields in which `recipe` differs from today's recipe of `row`, as `ema 0.999`. */
function differences(row: string, recipe: ConvnetRecipe): string {
  const now: Record<string, unknown> = { ...recipeOf(row) };
  const then: Record<string, unknown> = { ...recipe };
  const fields = [...new Set([...Object.keys(now), ...Object.keys(then)])].sort();
  return fields
    .filter((f) => now[f] !== then[f])
    .map((f) => `${f} ${then[f] ?? 'none'}`)
    .join(', ');
}
const lines: Line[] = [];
for (const row of order) {
  const ofRow = store.filter((r) => r.row === row);
  for (const e of [...new Set(ofRow.map((r) => r.epochs))].sort((a, b) => a - b)) {
    const ofEpochs = ofRow.filter((r) => r.epochs === e);
    // Today's recipe first, then each earlier one in the order first measured.
    const keys = [...new Set(ofEpochs.map((r) => keyOf(r.recipe)))].sort(
      (a, b) => Number(b === keyOf(recipeOf(row))) - Number(a === keyOf(recipeOf(row))),
    );
    for (const key of keys) {
      const runs = ofEpochs.filter((r) => keyOf(r.recipe) === key);
      lines.push({ row, epochs: e, runs, earlier: differences(row, runs[0]!.recipe) });
    }
  }
}
const what = (l: Line) => (l.earlier === '' ? describe(l.row) : `${describe(l.row)}; earlier recipe: ${l.earlier}`);
const section = [
  KEEP_BEGIN,
  MINE,
  '## Ablation: what each technique buys (Fashion-MNIST convnet)',
  '',
  "Written by `npm run bench:ablation` (bench/ablation.ts): the presets' convnet trained on the first 50,000 Fashion-MNIST",
  'training images, held-out accuracy on the last 10,000 after every epoch, the final weights evaluated once on the test',
  'set (each of these test evaluations is one disclosed use of the test set; the recipe is chosen on held-out figures).',
  `A shorter schedule than the presets' 14 and 17 epochs; \`+\` rows add one technique to the plain convnet, \`−\` rows remove one from`,
  'the full recipe. Mean over the seeds, lowest–highest in brackets; s/epoch is the median of warm epochs (validation',
  'included); load is the one-minute load average before → after (2 cores; a run loads ~2 by itself). Runs of an earlier',
  'recipe have lines of their own, which say what differed. "flips" is the final weights\' held-out accuracy with',
  "each image's output averaged with its mirror image's (`predictWithFlips`), recorded since 2026-12-04 (the seeds",
  'that have it in brackets when not all do).',
  '',
  '| row | what | epochs | seeds | test accuracy % | best held-out % | final held-out % | final held-out, flips % | s/epoch | engine | load | measured |',
  '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
  ...lines.map((l) => {
    const { row, epochs: e, runs } = l;
    const test = runs.map((r) => r.testAccuracy);
    const best = runs.map((r) => Math.max(...r.heldOut));
    const last = runs.map((r) => r.heldOut.at(-1)!);
    // Only the runs that measured it, with their seeds when some did not.
    const withFlips = runs.filter((r) => r.heldOutFlips !== undefined);
    const flips = withFlips.map((r) => r.heldOutFlips!);
    const flipsCell =
      flips.length === 0
        ? '—'
        : `${pctOf(mean(flips))}${spread(flips)}${withFlips.length < runs.length ? ` (seed ${withFlips.map((r) => r.seed).join(', ')})` : ''}`;
    const seconds = mean(runs.map((r) => warm(r.seconds)));
    const load = `${Math.min(...runs.map((r) => r.load[0])).toFixed(1)}–${Math.max(...runs.map((r) => r.load[1])).toFixed(1)}`;
    const dates = [...new Set(runs.map((r) => r.date))].sort().join(', ');
    return `| \`${row}\` | ${what(l)} | ${e} | ${runs.map((r) => r.seed).join(', ')} | ${pctOf(mean(test))}${spread(test)} | ${pctOf(mean(best))}${spread(best)} | ${pctOf(mean(last))}${spread(last)} | ${flipsCell} | ${seconds.toFixed(1)} | ${runs[0]!.engine} | ${load} | ${dates} |`;
  }),
  '',
  ...store
    .filter((r) => r.note !== undefined)
    .map((r) => `- \`${r.row}\`, seed ${r.seed}, ${r.epochs} epochs: ${r.note}`),
  '',
  '![test accuracy of each ablation row, mean and spread over seeds](img/ablation.svg)',
  KEEP_END,
];

/** The bar chart: one bar per row (mean test accuracy), a rule from the lowest to the highest seed. */
function chartSpec(): Record<string, unknown> {
  const values = lines.map(({ row, epochs: e, runs, earlier }) => {
    const test = runs.map((r) => 100 * r.testAccuracy);
    return {
      row: `${row} (${e} ep.${earlier === '' ? '' : `, ${earlier}`})`,
      mean: mean(test),
      low: Math.min(...test),
      high: Math.max(...test),
    };
  });
  const low = Math.floor(Math.min(...values.map((v) => v.low)) - 1);
  const high = Math.ceil(Math.max(...values.map((v) => v.high)) + 1);
  const y = { field: 'row', type: 'nominal', sort: null, title: null };
  const x = (field: string) => ({
    field,
    type: 'quantitative',
    scale: { domain: [low, high] },
    title: 'test accuracy %',
  });
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: 'Fashion-MNIST convnet ablation: test accuracy %',
    background: 'white',
    width: 420,
    data: { values },
    // The bars start at the axis' left end, not at 0: the rows differ by a few points near 90%.
    layer: [
      { mark: { type: 'bar', clip: true }, encoding: { y, x: x('mean') } },
      { mark: { type: 'rule', color: 'black' }, encoding: { y, x: x('low'), x2: { field: 'high' } } },
      {
        mark: { type: 'text', align: 'left', dx: 4 },
        encoding: { y, x: x('high'), text: { field: 'mean', type: 'quantitative', format: '.2f' } },
      },
    ],
  };
}

if (lines.length > 0) {
  await writeChart(CHART_PATH, chartSpec());
  const text = existsSync(RESULTS_PATH) ? readFileSync(RESULTS_PATH, 'utf8') : '';
  const at = text.indexOf(MINE);
  let next: string;
  if (at < 0) next = `${text.trimEnd()}\n\n${section.join('\n')}\n`;
  else {
    const begin = text.lastIndexOf(KEEP_BEGIN, at);
    const end = text.indexOf(KEEP_END, at) + KEEP_END.length;
    next = `${text.slice(0, begin)}${section.join('\n')}${text.slice(end)}`;
  }
  await writeFileAtomic(RESULTS_PATH, next);
  console.log(`\n${RESULTS_PATH} and ${CHART_PATH} written (${lines.length} rows)`);
}
