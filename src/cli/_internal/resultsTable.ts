import type { TrainResult } from '../../presets/preset.js';
import { PRESETS } from '../../presets/registry.js';

/** A fraction as a percentage with two decimals, or a dash when there is none. */
export const pct = (v: number | undefined): string =>
  v === undefined || !Number.isFinite(v) ? '—' : `${(100 * v).toFixed(2)}%`;

/** Mean seconds per epoch of a run. */
export function meanEpochSeconds(r: TrainResult): number {
  return r.history.reduce((s, h) => s + h.seconds, 0) / Math.max(1, r.history.length);
}

/**
 * The final table of a training run, one row per preset, beside the notebook's figure. A smoke run
 * (`subset`) is starred, with a note under the table: its accuracy is not the notebook's kind. An
 * interrupted run was never tested: it says so in place of its accuracy.
 */
export function resultsTable(results: readonly TrainResult[]): string {
  const header = 'preset           | backend    | notebook (Keras) | test accuracy | best epoch | s/epoch | total';
  const rows = results.map((r) => {
    const notebook = PRESETS[r.preset]?.().notebookTestAccuracy;
    const accuracy = `${r.interrupted === true ? 'interrupted' : pct(r.testAccuracy)}${r.subset === undefined ? '' : '*'}`;
    return [
      r.preset.padEnd(16),
      r.backend.padEnd(10),
      pct(notebook).padStart(16),
      accuracy.padStart(13),
      String(r.bestEpoch).padStart(10),
      meanEpochSeconds(r).toFixed(1).padStart(7),
      `${r.seconds.toFixed(0)} s`,
    ].join(' | ');
  });
  const subsets = [...new Set(results.flatMap((r) => (r.subset === undefined ? [] : [r.subset])))];
  const note =
    subsets.length === 0
      ? []
      : [
          `* smoke run on the first ${subsets.map((n) => n.toLocaleString('en-US')).join(' / ')} training images ` +
            "(--subset): not comparable with the notebook's figure",
        ];
  return [header, ...rows, ...note].join('\n');
}
