// npm run train -- <preset|all> [--epochs N] [--batch-size N] [--backend tensorflow|wasm|cpu] [--seed N] [--out results.json]
// Trains notebook presets end to end on MNIST and prints their numbers beside the notebook's.
import { writeFileSync } from 'node:fs';
import * as presets from '../src/presets/index.js';
import type { Preset, TrainOptions, TrainResult } from '../src/presets/index.js';

const all: Record<string, () => Preset> = {
  mnistBase: presets.mnistBase,
  mnistL2: presets.mnistL2,
  mnistDropout: presets.mnistDropout,
  mnistBatchNorm: presets.mnistBatchNorm,
  mnistAugmented: presets.mnistAugmented,
};
const args = process.argv.slice(2);
const flag = (name: string): string | undefined => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
};
const which = args[0];
if (which === undefined || which.startsWith('--') || (which !== 'all' && !(which in all))) {
  console.error(`usage: npm run train -- <${Object.keys(all).join('|')}|all> [--epochs N] [--batch-size N] [--backend B] [--seed N] [--out file.json]`);
  process.exit(2);
}
const num = (name: string) => (flag(name) === undefined ? undefined : Number(flag(name)));
const options: TrainOptions = {
  epochs: num('epochs'),
  batchSize: num('batch-size'),
  seed: num('seed'),
  backend: flag('backend') as TrainOptions['backend'],
  verbose: process.stdout.isTTY ? 1 : 2,
};
const results: TrainResult[] = [];
for (const name of which === 'all' ? Object.keys(all) : [which]) {
  const preset = all[name]!();
  console.log(`\n${preset.name}: ${preset.description}`);
  results.push(await preset.train(options));
}
const pct = (v: number | undefined) => (v === undefined ? '—' : `${(100 * v).toFixed(2)}%`);
console.log('\npreset         | backend    | notebook (Keras) | test accuracy | best epoch | s/epoch | total');
for (const r of results) {
  const perEpoch = r.history.reduce((s, h) => s + h.seconds, 0) / r.history.length;
  console.log(`${r.preset.padEnd(14)} | ${r.backend.padEnd(10)} | ${pct(all[r.preset]!().notebookTestAccuracy).padStart(16)} | ${pct(r.testAccuracy).padStart(13)} | ${String(r.bestEpoch).padStart(10)} | ${perEpoch.toFixed(1).padStart(7)} | ${r.seconds.toFixed(0)} s`);
}
const out = flag('out');
if (out !== undefined) writeFileSync(out, JSON.stringify(results, null, 2));
