/**
 * npm run bench:presets [-- name ...] — trains presets at full length on the best backend and
 * writes docs/results.md (with docs/img/results-curves.svg). Without names it trains every preset;
 * with names it trains those and keeps the other rows of docs/results.json, so the page always
 * shows the latest measured run of each preset (its date is in the table).
 * Then it measures the library's own overhead: epochs of a bare `model.fit` of the base cell's
 * model on the same data, alternated with epochs of the preset's training, in the same process.
 */
import { existsSync, readFileSync } from 'node:fs';
import { writeFileAtomic } from '../src/core/atomicWrite.js';
import * as tf from '@tensorflow/tfjs-core';
import { writeCurves } from '../src/cli/_internal/curves.js';
import { PRESETS } from '../src/presets/registry.js';
import { meanEpochSeconds, pct } from '../src/cli/_internal/resultsTable.js';
import { useBestBackend } from '../src/backend/useBestBackend.js';
import type { BackendName } from '../src/backend/useBestBackend.js';
import type { TrainResult } from '../src/presets/preset.js';
import { CELLS, KERAS_PATH, warm } from './kerasResults.js';
import type { KerasStore } from './kerasResults.js';
import { measureOverhead } from './overhead.js';

interface Row extends TrainResult {
  date: string;
  /** How the row was measured, when not by this script. */
  how?: string;
}

const JSON_PATH = 'docs/results.json';
const names = process.argv.slice(2).filter((a) => !a.startsWith('--'));
// --render-only rewrites docs/results.md from the stored measurements without training anything.
const renderOnly = process.argv.includes('--render-only');
const skipOverhead = renderOnly || process.argv.includes('--no-overhead');
const OVERHEAD_PATH = 'docs/results-overhead.json';
for (const n of names)
  if (!(n in PRESETS))
    throw new Error(`bench:presets: unknown preset ${JSON.stringify(n)}; known: ${Object.keys(PRESETS).join(', ')}`);
const backend = renderOnly ? 'none' : await useBestBackend();
const kept: Row[] = existsSync(JSON_PATH) ? (JSON.parse(readFileSync(JSON_PATH, 'utf8')) as Row[]) : [];
const rows = new Map(kept.map((r) => [r.preset, r]));
for (const name of renderOnly ? [] : names.length > 0 ? names : Object.keys(PRESETS)) {
  const preset = PRESETS[name]!();
  console.log(`\n${preset.name}: ${preset.description}`);
  const result = await preset.train({ verbose: 2, backend: backend as BackendName });
  rows.set(name, { ...result, date: new Date().toISOString().slice(0, 10) });
  // Written after every preset, so an interrupted run keeps what it measured.
  await writeFileAtomic(JSON_PATH, `${JSON.stringify([...rows.values()], null, 2)}\n`);
}
const ordered = Object.keys(PRESETS).flatMap((n) => (rows.has(n) ? [rows.get(n)!] : []));
await writeCurves('docs/img/results-curves.svg', ordered, 'Presets: training curves');
type Overhead = Awaited<ReturnType<typeof measureOverhead>> & { backend: string; date: string };
let overhead: Overhead | undefined = existsSync(OVERHEAD_PATH)
  ? (JSON.parse(readFileSync(OVERHEAD_PATH, 'utf8')) as Overhead)
  : undefined;
if (!skipOverhead) {
  overhead = { ...(await measureOverhead(backend)), backend, date: new Date().toISOString().slice(0, 10) };
  await writeFileAtomic(OVERHEAD_PATH, `${JSON.stringify(overhead, null, 2)}\n`);
}

/** Keras measured on this machine by `npm run bench:keras`: epoch time and test-accuracy spread. */
/**
 * Hand-written sections of docs/results.md (an analysis with its own benchmark, such as bench:fidelity's),
 * each between KEEP_BEGIN and KEEP_END: a render keeps them, after the Keras section, as they are.
 */
const KEEP_BEGIN = '<!-- written by hand: kept by bench:presets -->';
const KEEP_END = '<!-- end of the hand-written section -->';
function keptSections(): string[] {
  if (!existsSync('docs/results.md')) return [];
  const text = readFileSync('docs/results.md', 'utf8');
  const out: string[] = [];
  for (let at = text.indexOf(KEEP_BEGIN); at >= 0; at = text.indexOf(KEEP_BEGIN, at + 1)) {
    const end = text.indexOf(KEEP_END, at);
    if (end < 0) throw new Error(`bench:presets: docs/results.md has ${KEEP_BEGIN} without ${KEEP_END}`);
    out.push(...text.slice(at, end + KEEP_END.length).split('\n'), '');
  }
  return out;
}

function kerasSection(): string[] {
  if (!existsSync(KERAS_PATH)) return [];
  const k = JSON.parse(readFileSync(KERAS_PATH, 'utf8')) as KerasStore;
  const out = ['## Against Keras, on the same machine', ''];
  if (k.timing.length > 0) {
    out.push(
      'Written by `npm run bench:keras`: the notebook cell run by Keras (bench/keras/notebook_cell.py, same model, optimizer,',
      'batch, split sizes, callbacks) and the preset on tfjs-node, one after the other in one run; median of the warm epochs (the',
      'first of each is left out), validation included.',
      '',
      "GEMM limit: the seconds the epoch's dense-layer products alone take at the matMul rate measured in the same run",
      "(bench/kerasResults.ts' epochGemmFlops); the multiples beside it are each epoch's distance from that floor. Load: the",
      'one-minute load average before and after the cell (2 cores; older rows did not record it).',
      '',
      '| cell | epochs | Keras s/epoch | this library s/epoch | ratio | GEMM limit s | Keras / limit | ours / limit | load | Keras | measured |',
      '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
      ...k.timing.map((t) => {
        const limit = (v: number) => (t.gemmLimit === undefined ? '—' : `${(v / t.gemmLimit).toFixed(2)}×`);
        return `| ${t.cell} | ${t.epochs} | ${warm(t.keras).toFixed(2)} | ${warm(t.ours).toFixed(2)} | ${(warm(t.ours) / warm(t.keras)).toFixed(2)}× | ${t.gemmLimit?.toFixed(2) ?? '—'} | ${limit(warm(t.keras))} | ${limit(warm(t.ours))} | ${t.load === undefined ? '—' : `${t.load[0].toFixed(1)} → ${t.load[1].toFixed(1)}`} | ${t.kerasVersion} | ${t.date} |`;
      }),
      '',
    );
  }
  // Epoch by epoch: the newest day's seeded runs of each cell, Keras' spread beside the preset's.
  const seeded = k.timing.filter((t) => t.kerasValAccuracy !== undefined && t.oursValAccuracy !== undefined);
  if (seeded.length > 0) {
    const acc = (v: number) => (100 * v).toFixed(2);
    const range = (v: number[]) => `${acc(Math.min(...v))}–${acc(Math.max(...v))}`;
    out.push(
      '### Validation accuracy epoch by epoch',
      '',
      'From the same `bench:keras` runs, one per seed: validation accuracy (%) after each epoch, the lowest and highest',
      "over the seeds for Keras and for the preset, and how many of the preset's runs lie inside Keras' range at that epoch.",
      "Where a cell has runs with the preset's own split passed to Keras (`split: preset` in docs/results-keras.json), only",
      'those are shown: both sides then validate on the same 12,000 images.',
      '',
      '| cell | seeds | epoch | Keras | this library | inside Keras’ range | measured |',
      '| --- | --- | --- | --- | --- | --- | --- |',
    );
    for (const cell of [...new Set(seeded.map((t) => t.cell))]) {
      // Runs on the same validation images as the preset's, where there are any.
      const all = seeded.filter((t) => t.cell === cell);
      const mine = all.some((t) => t.split === 'preset') ? all.filter((t) => t.split === 'preset') : all;
      const date = mine
        .map((t) => t.date)
        .sort()
        .at(-1)!;
      const runs = mine.filter((t) => t.date === date);
      const epochs = Math.min(...runs.map((t) => Math.min(t.kerasValAccuracy!.length, t.oursValAccuracy!.length)));
      for (let e = 0; e < epochs; e++) {
        const ks = runs.map((t) => t.kerasValAccuracy![e]!);
        const os = runs.map((t) => t.oursValAccuracy![e]!);
        const inside = os.filter((v) => v >= Math.min(...ks) && v <= Math.max(...ks)).length;
        out.push(
          `| ${cell} | ${runs.map((t) => t.seed ?? 42).join(', ')} | ${e + 1} | ${range(ks)} | ${range(os)} | ${inside} of ${os.length} | ${date} |`,
        );
      }
    }
    out.push('');
  }
  if (k.accuracy.length > 0) {
    const cells = [...new Set(k.accuracy.map((a) => a.cell))];
    out.push(
      "Keras' own test accuracy varies from run to run; the notebook's figure is one run. Full-length (25-epoch) runs of the",
      'Keras cell on this machine, one per seed, and of the preset with the same seeds (`npm run bench:keras -- --accuracy`):',
      '',
      '| cell | | seeds | test accuracy per run | mean |',
      '| --- | --- | --- | --- | --- |',
      ...cells.flatMap((c) => {
        const mean = (runs: { testAccuracy: number }[]) => runs.reduce((s, r) => s + r.testAccuracy, 0) / runs.length;
        const line = (who: string, runs: { seed: number; testAccuracy: number }[]) =>
          `| ${c} | ${who} | ${runs.map((r) => r.seed).join(', ')} | ${runs.map((r) => pct(r.testAccuracy)).join(', ')} | ${pct(mean(runs))} |`;
        const preset = CELLS[c]!;
        // The seed-42 run is the table's row above (bench:presets), unless bench:keras trained one itself.
        const seeded = (k.ours ?? []).filter((o) => o.cell === c);
        const row = rows.get(preset);
        const ours =
          row !== undefined && !seeded.some((o) => o.seed === 42)
            ? [{ seed: 42, testAccuracy: row.testAccuracy }, ...seeded]
            : seeded;
        return [
          line(
            'Keras',
            k.accuracy.filter((a) => a.cell === c),
          ),
          ...(ours.length > 0 ? [line('this library', ours)] : []),
        ];
      }),
      '',
    );
  }
  return out;
}

const minutes = (s: number) => `${Math.floor(s / 60)} min ${Math.round(s % 60)} s`;
const lines = [
  '# Results: the notebook reproduced, and beyond it on Fashion-MNIST',
  '',
  'Written by `npm run bench:presets` (bench/presets.ts): every preset trained at full length on the',
  'best backend of the machine, then its best checkpoint (the final weights for the exercise and the convnets)',
  'evaluated once on the 10,000 test images of its dataset (MNIST, or Fashion-MNIST for the `fashion` presets). Seed 42. Epoch seconds include the validation pass. The machine is a 2-core VM;',
  'its CPU steal time (vmstat) varied between about 2% and 18% during these runs, so epoch times vary by ±20% between',
  'runs.',
  '',
  '| preset | notebook (Keras) test accuracy | this library | epochs | epoch seconds (mean) | total time | backend | measured |',
  '| --- | --- | --- | --- | --- | --- | --- | --- |',
  ...ordered.map((r) => {
    const notebook = PRESETS[r.preset]!().notebookTestAccuracy;
    return `| \`${r.preset}\` | ${pct(notebook)} | ${pct(r.testAccuracy)} | ${r.history.length} | ${meanEpochSeconds(r).toFixed(1)} | ${minutes(r.seconds)} | ${r.backend} | ${r.date}${r.how === undefined ? '' : `, ${r.how}`} |`;
  }),
  '',
  '![training curves](img/results-curves.svg)',
  '',
  ...kerasSection(),
  ...keptSections(),
];
if (overhead !== undefined) {
  lines.push(
    '## Overhead of the preset machinery',
    '',
    `The base cell's model on the same 48,000 training and 12,000 validation images, batch 128, in one`,
    `process on ${overhead.backend} (${overhead.date}): ${overhead.rounds} rounds, each a bare \`model.fit\` of 2 epochs (shuffled tensors) then`,
    '`mnistBase().train({ epochs: 2 })` (flow, fitDataset, the callbacks, the penalty, the recorder, the checkpoint); the second',
    'epoch of each is timed, from epoch begin to epoch end, validation included. Both run with `fastNodeKernels()` on (the',
    'preset turns it on), so the difference is the machinery only. A negative overhead means the preset is faster.',
    '',
    `| bare model.fit | preset | overhead |`,
    '| --- | --- | --- |',
    `| ${overhead.bare.toFixed(2)} s/epoch | ${overhead.preset.toFixed(2)} s/epoch | ${(100 * (overhead.preset / overhead.bare - 1)).toFixed(1)}% |`,
    '',
  );
}
await writeFileAtomic('docs/results.md', lines.join('\n'));
console.log(`\ndocs/results.md written (${ordered.length} presets)`);
tf.disposeVariables();
