import { Callback } from '@tensorflow/tfjs-layers';
import { restorePendingState, trackState } from '../core/resumable.js';
import type { SavedState } from '../core/resumable.js';
import type { Logs } from '@tensorflow/tfjs-layers';
import { writeFileAtomic } from '../core/atomicWrite.js';
import { reviveNonFinite } from '../core/json.js';
import { errorText } from '../core/errorText.js';
import { kerasLogName, readLogValue } from '../core/logs.js';
import { loadFs } from '../core/node.js';
import { checkBoolean, checkOneOf, checkOptions, optionNames, invalidArgument } from '../core/validate.js';
import { csvField, csvValue, jsonHistory, parseCsvLine } from './_internal/historyFormat.js';

type Fs = typeof import('node:fs/promises');

/** Options of {@link historyLogger}; `path`, `append` and `separator` are Keras' `CSVLogger` arguments. */
export interface HistoryLoggerOptions {
  /** The file to write (Node only). Keras CSVLogger: `filename`. */
  path: string;
  /** `'csv'` (Keras' CSVLogger) or `'json'` (an array of `{epoch, ...logs}`). @defaultValue 'csv' */
  format?: 'csv' | 'json';
  /** Continue an existing file instead of replacing it. Keras CSVLogger: `append`. @defaultValue false */
  append?: boolean;
  /** CSV field separator. Keras CSVLogger: `separator`. @defaultValue ',' */
  separator?: string;
}

const HISTORY_LOGGER_OPTIONS = optionNames<HistoryLoggerOptions>()('path', 'format', 'append', 'separator');

const FN = 'historyLogger';

interface State {
  fs: Fs;
  /** CSV columns after `epoch`, fixed by the header; null until the header is written. */
  keys: string[] | null;
  /** Text to put before the next CSV line (a newline when an appended file lacks its last one). */
  prefix: string;
  rows: object[];
}

class HistoryLogger extends Callback {
  private state: State | undefined;

  constructor(private readonly o: Required<HistoryLoggerOptions>) {
    super();
  }

  override setModel(model: Parameters<Callback['setModel']>[0]): void {
    super.setModel(model);
    trackState(model, this.params, this, 'historyLogger', this);
  }

  // Opening the file here, as Keras does, makes a bad path fail before any training time is spent.
  override async onTrainBegin(): Promise<void> {
    await this.open(this.o.append);
    await restorePendingState(this.model, this.params, this);
  }

  /** The file as the last backup found it: a resumed run goes on from those rows, not from a killed epoch's. */
  async saveState(): Promise<SavedState> {
    const fs = this.state?.fs ?? (await loadFs(FN));
    return { json: { text: (await this.guard(() => readIfExists(fs, this.o.path))) ?? '' } };
  }

  async loadState(saved: SavedState): Promise<void> {
    const { text } = saved.json as { text: string };
    await this.guard(() => writeFileAtomic(this.o.path, text));
    await this.open(true);
  }

  private async open(append: boolean): Promise<void> {
    const fs = await loadFs(FN);
    const { path, format, separator } = this.o;
    const state: State = { fs, keys: null, prefix: '', rows: [] };
    const existing = append ? await this.guard(() => readIfExists(fs, path)) : undefined;
    if (format === 'csv') {
      if (existing !== undefined && existing !== '') {
        const header = existing.split(/\r?\n/, 1)[0]!;
        state.keys = parseCsvLine(header, separator).slice(1);
        if (!existing.endsWith('\n')) state.prefix = '\n';
      }
      await this.guard(() => (append ? fs.appendFile(path, '') : fs.writeFile(path, '')));
    } else {
      if (existing !== undefined && existing.trim() !== '') state.rows = parseJsonHistory(path, existing);
      await this.guard(() => writeFileAtomic(path, jsonHistory(state.rows)));
    }
    this.state = state;
  }

  override async onEpochEnd(epoch: number, logs?: Logs): Promise<void> {
    if (this.state === undefined) await this.open(this.o.append);
    const state = this.state!;
    const values = new Map<string, number | undefined>();
    // Keras 3's names (tfjs' acc, val_acc and lr are written as accuracy, val_accuracy, learning_rate).
    for (const key of Object.keys(logs ?? {})) values.set(kerasLogName(key), readLogValue(logs![key]));
    const sorted = new Map([...values].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
    if (this.o.format === 'json') {
      const row: Record<string, number> = { epoch };
      for (const [key, v] of sorted) if (v !== undefined) row[key] = v;
      state.rows.push(row);
      await this.guard(() => writeFileAtomic(this.o.path, jsonHistory(state.rows)));
      return;
    }
    const sep = this.o.separator;
    let text = state.prefix;
    if (state.keys === null) {
      state.keys = [...sorted.keys()];
      text += `${['epoch', ...state.keys].map((k) => csvField(k, sep)).join(sep)}\n`;
    }
    // As in Keras, the columns are those of the header: a key missing later is written as NA.
    text += `${[String(epoch), ...state.keys.map((k) => csvValue(sorted.get(k) ?? sorted.get(kerasLogName(k))))].join(sep)}\n`;
    state.prefix = '';
    await this.guard(() => state.fs.appendFile(this.o.path, text));
  }

  private async guard<T>(io: () => Promise<T>): Promise<T> {
    try {
      return await io();
    } catch (e) {
      throw new Error(`${invalidArgument(FN, 'path', this.o.path, 'a writable file path').message} (${errorText(e)})`, {
        cause: e,
      });
    }
  }
}

/** The file's text, or undefined when it does not exist. */
async function readIfExists(fs: Fs, path: string): Promise<string | undefined> {
  try {
    return await fs.readFile(path, 'utf8');
  } catch (e) {
    if ((e as { code?: unknown }).code === 'ENOENT') return undefined;
    throw e;
  }
}

function parseJsonHistory(path: string, text: string): object[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text, reviveNonFinite);
  } catch (e) {
    throw new Error(`${FN}: cannot append to ${JSON.stringify(path)}: it is not JSON (${errorText(e)})`, { cause: e });
  }
  if (!Array.isArray(parsed))
    throw new Error(`${FN}: cannot append to ${JSON.stringify(path)}: it holds no JSON array`);
  return parsed as object[];
}

/**
 * Keras' `CSVLogger` for tfjs in Node: writes every epoch's logs to a file as training goes.
 *
 * CSV (Keras' layout): a header `epoch,<log keys, sorted>` at the first epoch end (Keras 3's names:
 * tfjs' `acc`, `val_acc`, `lr` are written `accuracy`, `val_accuracy`, `learning_rate`), then one row per
 * epoch (`epoch` 0-based as in Keras, values as numbers, `NA` for a key that went missing, lines
 * ending in `\n`). With `append`, an existing file is continued under its own header (no second
 * one). JSON: an array of `{epoch, ...logs}`, rewritten each
 * epoch atomically (a new temporary file, fsynced, renamed over the old one), so that it is always
 * complete. JSON has no NaN or Infinity: such values are written as the strings `"NaN"`, `"Infinity"`
 * and `"-Infinity"` (not `null`, which would lose which it was); read them back as numbers with
 * `JSON.parse(text, (k, v) => (v === 'NaN' ? NaN : v === 'Infinity' ? Infinity : v === '-Infinity' ? -Infinity : v))`.
 * Log values may be numbers or scalar tensors. `node:fs/promises` is imported on first use, not at
 * import time.
 *
 * @param options - `path` (required), `format`, `append`, `separator`.
 * @returns A tfjs-layers callback.
 * @throws Error naming `historyLogger`, the option and the value for a bad option; at `onTrainBegin`
 *   (before training starts), Error naming `historyLogger` and `path` when the file cannot be written.
 *
 * @example
 * ```ts
 * import { mkdtemp, readFile } from 'node:fs/promises';
 * import { tmpdir } from 'node:os';
 * import { join } from 'node:path';
 * import { historyLogger } from 'tfjs-regularization/callbacks';
 *
 * const path = join(await mkdtemp(join(tmpdir(), 'history-')), 'training.csv');
 * const cb = historyLogger({ path });
 * await cb.onTrainBegin();
 * await cb.onEpochEnd(0, { loss: 0.5, acc: 0.75, val_loss: 0.625 });
 * await cb.onEpochEnd(1, { loss: 0.25, acc: 0.875, val_loss: 0.5 });
 * const rows = (await readFile(path, 'utf8')).trim().split('\n');
 * console.log(rows); // ["epoch,accuracy,loss,val_loss", "0,0.75,0.5,0.625", "1,0.875,0.25,0.5"]
 * ```
 */
export function historyLogger(options: HistoryLoggerOptions): Callback {
  const o = checkOptions<HistoryLoggerOptions>(FN, options, HISTORY_LOGGER_OPTIONS);
  if (options === undefined) throw invalidArgument(FN, 'options', options, 'an options object with a path');
  const path = o.path;
  if (typeof path !== 'string' || path.trim() === '') throw invalidArgument(FN, 'path', path, 'a non-empty file path');
  const append = checkBoolean(FN, 'append', o.append ?? false);
  const separator = o.separator ?? ',';
  if (typeof separator !== 'string' || separator === '' || /["\r\n]/.test(separator)) {
    throw invalidArgument(FN, 'separator', separator, 'a non-empty string without quotes or line breaks');
  }
  const format = checkOneOf(FN, 'format', o.format ?? 'csv', ['csv', 'json'] as const);
  return new HistoryLogger({ path, format, append, separator });
}
