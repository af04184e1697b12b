import type { io } from '@tensorflow/tfjs-core';
import type { Callback, Logs } from '@tensorflow/tfjs-layers';
import { lookupMonitor, readOnce } from '../core/logs.js';
import type { LogsLike } from '../core/logs.js';
import {
  checkBoolean,
  checkFunction,
  checkOneOf,
  checkOptions,
  optionNames,
  checkVerbose,
  invalidArgument,
} from '../core/validate.js';
import { errorText } from '../core/errorText.js';
import { parseTemplate, renderTemplate } from './_internal/checkpoint/pathTemplate.js';
import type { PathTemplate } from './_internal/checkpoint/pathTemplate.js';
import { describeTarget, modelArtifacts, saveArtifacts } from './_internal/checkpoint/target.js';
import type { CheckpointTarget } from './_internal/checkpoint/target.js';
import { checkMonitorOptions, MonitorCallback } from './_internal/monitor.js';
import { restorePendingState, trackState } from '../core/resumable.js';
import type { SavedState } from '../core/resumable.js';
import type { MonitorSettings } from './_internal/monitor.js';
import { formatNumber, parseSpec } from './_internal/pyFormat.js';
import type { FormatSpec } from './_internal/pyFormat.js';
import { printLine, printWarning } from '../core/console.js';

/** Options of {@link modelCheckpoint}; names and defaults are Keras', camel-cased. */
export interface ModelCheckpointOptions {
  /**
   * Where to save. A string is a directory path (Node; plain or `file://`) or any tfjs IO URL (`indexeddb://`,
   * `localstorage://`, `downloads://`, `http(s)://`), and may hold `{epoch}` (1-based), `{batch}` (1-based, with a
   * numeric `saveFreq`) and `{<log key>}` placeholders with Python format specs: `'ckpt-{epoch:02d}-{val_loss:.4f}'`.
   * An `io.IOHandler` or a function receiving the `io.ModelArtifacts` saves in memory. Required.
   * Keras: `filepath`.
   * @defaultValue none
   */
  filepath: string | io.IOHandler | ((artifacts: io.ModelArtifacts) => unknown);
  /** Quantity compared by `saveBestOnly` (`val_accuracy` ≡ `val_acc`). Keras: `monitor`. @defaultValue 'val_loss' */
  monitor?: string;
  /** Save only when `monitor` strictly improves on the best so far. Keras: `save_best_only`. @defaultValue false */
  saveBestOnly?: boolean;
  /** `'min'`, `'max'` or `'auto'` (max for accuracy-like names, else min). Keras: `mode`. @defaultValue 'auto' */
  mode?: 'auto' | 'min' | 'max';
  /**
   * Save only the weights (`weights.json` + `weights.bin` for a directory). Keras: `save_weights_only`.
   * @defaultValue false
   */
  saveWeightsOnly?: boolean;
  /** `'epoch'`, or save every this many training batches. Keras: `save_freq`. @defaultValue 'epoch' */
  saveFreq?: 'epoch' | number;
  /** 1 prints a Keras line for every save decision. Keras: `verbose`. @defaultValue 0 */
  verbose?: 0 | 1;
  /**
   * Starting best value for `saveBestOnly` (only better values are saved). Keras: `initial_value_threshold`.
   * @defaultValue undefined (±Infinity)
   */
  initialValueThreshold?: number;
  /**
   * What a failed save does: `'throw'` rejects (so `model.fit` rejects, like Keras), `'stop'` sets `model.stopTraining`
   * and warns, `'continue'` warns and trains on.
   * @defaultValue 'throw'
   */
  onSaveError?: 'throw' | 'stop' | 'continue';
  /**
   * Save even when `loss` or `monitor` is NaN or ±Infinity. By default such a save is skipped with a
   * warning, so that a diverging run never overwrites the last good checkpoint with broken weights
   * (Keras saves them when `save_best_only` is false).
   * @defaultValue false
   */
  saveNonFinite?: boolean;
  /** Where verbose lines go. @defaultValue `console.log`, on a new line when a progress bar is live */
  log?: (line: string) => void;
  /**
   * Where warnings go (missing monitor, failed save under `'stop'`/`'continue'`).
   * @defaultValue `console.warn` (on a new line when a progress bar is live, as for `log`)
   */
  warn?: (message: string) => void;
}

const MODEL_CHECKPOINT_OPTIONS = optionNames<ModelCheckpointOptions>()(
  'filepath',
  'monitor',
  'saveBestOnly',
  'mode',
  'saveWeightsOnly',
  'saveFreq',
  'verbose',
  'initialValueThreshold',
  'onSaveError',
  'saveNonFinite',
  'log',
  'warn',
);

/** The callback {@link modelCheckpoint} returns. */
export interface ModelCheckpointCallback extends Callback {
  /**
   * Monitored value of the last checkpoint saved by `saveBestOnly`; before any, the
   * `initialValueThreshold` or ±Infinity. A failed save leaves it unchanged. Kept across `fit` calls, as in Keras.
   */
  readonly best: number;
  /**
   * Rendered filepath of the last successful save (for in-memory targets: `'IOHandler'`, `'function'` or `'function
   * <name>'`).
   */
  readonly lastSavedPath: string | undefined;
}

const OWNER = 'modelCheckpoint';

/** modelCheckpoint's options after validation (the monitor's apart). */
interface CheckpointSettings {
  target: CheckpointTarget;
  /** Parsed filepath for string targets, null for in-memory ones. */
  template: PathTemplate | null;
  saveBestOnly: boolean;
  saveWeightsOnly: boolean;
  saveFreq: 'epoch' | number;
  verbose: 0 | 1;
  /** initialValueThreshold, when given. */
  initial: number | undefined;
  onSaveError: 'throw' | 'stop' | 'continue';
  saveNonFinite: boolean;
  log: (line: string) => void;
  warn: (message: string) => void;
}

// Keras prints values with '.5f' (so the initial best shows as inf / -inf).
const FIVE_DECIMALS = parseSpec('.5f', 'float') as FormatSpec;
const show = (v: number): string => formatNumber(v, FIVE_DECIMALS, 'float');

/** Keras 3's ModelCheckpoint on tfjs-layers' Callback; see {@link modelCheckpoint} for the contract. */
class ModelCheckpoint extends MonitorCallback implements ModelCheckpointCallback {
  private bestValue: number;
  private savedPath: string | undefined;
  private epoch = 0;
  private lastBatch = -1;
  private batchesSinceSave = 0;

  constructor(
    monitor: MonitorSettings,
    private readonly o: CheckpointSettings,
  ) {
    super(OWNER, monitor, o.warn);
    this.bestValue = o.initial ?? this.worst();
  }

  /** Monitored value of the last successful best-only save (the initial threshold or ±Infinity before). */
  get best(): number {
    return this.bestValue;
  }

  /** Path (or target description) of the last successful save. */
  get lastSavedPath(): string | undefined {
    return this.savedPath;
  }

  override setModel(model: Parameters<MonitorCallback['setModel']>[0]): void {
    super.setModel(model);
    trackState(model, this.params, this, 'modelCheckpoint', this);
  }

  // Keras' ModelCheckpoint keeps its best across fit calls; only a backup's state is put back here.
  override async onTrainBegin(): Promise<void> {
    await restorePendingState(this.model, this.params, this);
  }

  saveState(): SavedState {
    const { bestValue, savedPath, lastBatch, batchesSinceSave } = this;
    return { json: { bestValue, savedPath: savedPath ?? null, lastBatch, batchesSinceSave } };
  }

  loadState(state: SavedState): void {
    const s = state.json as {
      bestValue: number;
      savedPath: string | null;
      lastBatch: number;
      batchesSinceSave: number;
    };
    this.bestValue = s.bestValue;
    this.savedPath = s.savedPath ?? undefined;
    this.lastBatch = s.lastBatch;
    this.batchesSinceSave = s.batchesSinceSave;
  }

  override async onEpochBegin(epoch: number): Promise<void> {
    this.epoch = epoch;
  }

  override async onBatchEnd(batch: number, logs?: Logs): Promise<void> {
    if (this.o.saveFreq === 'epoch') return;
    // As Keras: batch indices restart each epoch, the count since the last save does not.
    this.batchesSinceSave += batch <= this.lastBatch ? batch + 1 : batch - this.lastBatch;
    this.lastBatch = batch;
    if (this.batchesSinceSave < this.o.saveFreq) return;
    this.batchesSinceSave = 0;
    await this.checkpoint(this.epoch, batch, logs as LogsLike);
  }

  override async onEpochEnd(epoch: number, logs?: Logs): Promise<void> {
    this.epoch = epoch;
    if (this.o.saveFreq === 'epoch') await this.checkpoint(epoch, undefined, logs as LogsLike);
  }

  private async checkpoint(epoch: number, batch: number | undefined, given: LogsLike): Promise<void> {
    const logs = readOnce(given);
    if (this.model == null)
      throw new Error(`${OWNER}: no model is set; pass the callback to model.fit or call setModel(model) first`);
    let where: string;
    try {
      where =
        this.o.template === null
          ? describeTarget(this.o.target as Exclude<CheckpointTarget, string>)
          : renderTemplate(OWNER, this.o.template, epoch, batch, logs);
    } catch (e) {
      this.fail((e as Error).message, e);
      return;
    }
    const prefix = `Epoch ${epoch + 1}: `;
    if (!this.o.saveNonFinite) {
      const broken = [...new Set(['loss', this.monitor])]
        .map((key) => [key, lookupMonitor(logs, key)] as const)
        .find(([, v]) => v !== undefined && !Number.isFinite(v));
      if (broken !== undefined) {
        this.o.warn(
          `${OWNER}: ${prefix}${broken[0]} is ${show(broken[1]!)}; not saving to ${where}, which keeps the last finite state (saveNonFinite: true saves anyway)`,
        );
        return;
      }
    }
    if (!this.o.saveBestOnly) {
      if (this.o.verbose > 0) this.o.log(`${prefix}saving model to ${where}`);
      await this.write(where);
      return;
    }
    const current = this.monitored(logs);
    if (current === undefined) return;
    // Strictly better, no min_delta (Keras); NaN never improves.
    if (!this.isImprovement(current, this.bestValue)) {
      if (this.o.verbose > 0) this.o.log(`${prefix}${this.monitor} did not improve from ${show(this.bestValue)}`);
      return;
    }
    if (this.o.verbose > 0)
      this.o.log(
        `${prefix}${this.monitor} improved from ${show(this.bestValue)} to ${show(current)}, saving model to ${where}`,
      );
    // best only moves once the checkpoint exists, so it always describes what is on disk.
    if (await this.write(where)) this.bestValue = current;
  }

  private async write(where: string): Promise<boolean> {
    try {
      const artifacts = await modelArtifacts(this.model, this.o.saveWeightsOnly);
      await saveArtifacts(this.o.target, where, artifacts);
      this.savedPath = where;
      return true;
    } catch (e) {
      this.fail(
        `${OWNER}: could not save the ${this.o.saveWeightsOnly ? 'weights' : 'model'} to ${JSON.stringify(where)}: ${errorText(e)}`,
        e,
      );
      return false;
    }
  }

  private fail(message: string, cause: unknown): void {
    const policy = this.o.onSaveError;
    if (policy === 'throw') throw new Error(message, { cause });
    if (policy === 'stop') this.model.stopTraining = true;
    this.o.warn(`${message}. Training ${policy === 'stop' ? 'stops' : 'continues'} (onSaveError: '${policy}').`);
  }
}

/**
 * Keras' `ModelCheckpoint` for tfjs: saves the model (or its weights) during `model.fit`, every
 * epoch, every `saveFreq` batches, or only when `monitor` improves.
 *
 * A directory checkpoint holds `model.json` in tfjs' format and the weights file it names
 * (`weights-<id>.bin`), written by this library (tfjs-node is not needed); read it back with
 * {@link loadCheckpoint} (Node, no tfjs-node) or `tf.loadLayersModel('file://dir/model.json')`
 * under tfjs-node. The replace is atomic for readers: the new weights go to a file of their own,
 * then the new `model.json` replaces the old one in a single rename, so at every moment after the
 * first save the directory holds one complete checkpoint, the previous or the new one, even across
 * a crash at any point (the previous weights file stays until the next save, for a reader that
 * read the previous `model.json` a moment before; the next save removes what a crash left). Two
 * processes saving to one directory get an error naming the other's pid; saves in one process take
 * turns. A directory holding anything but checkpoint files is never written to.
 *
 * With `saveWeightsOnly`, `weights.json` holds `{weightsManifest}` and the weights file the values
 * in `model.weights` order: `loadCheckpoint(dir, { model })` sets them on an identically built model.
 *
 * @param options - Keras' arguments, camel-cased, plus `onSaveError`, `log` and `warn`.
 * @returns A tfjs-layers callback exposing `best` and `lastSavedPath`.
 * @throws Error naming `modelCheckpoint`, the option and the value for bad options. While training,
 *   a failed save or a filepath placeholder naming a key absent from the logs follows `onSaveError`
 *   with a message naming `modelCheckpoint`, the filepath and the cause.
 *
 * @example
 * ```ts
 * import * as tfl from '@tensorflow/tfjs-layers';
 * import { modelCheckpoint } from 'tfjs-regularization/callbacks';
 *
 * const model = tfl.sequential({ layers: [tfl.layers.dense({ inputShape: [1], units: 1 })] });
 * // In Node, a directory: modelCheckpoint({ filepath: 'ckpt/best-{epoch:02d}', ... }).
 * const saved: number[] = [];
 * const cb = modelCheckpoint({
 *   filepath: (artifacts) => saved.push(artifacts.weightSpecs!.length), // in memory
 *   monitor: 'val_accuracy',
 *   saveBestOnly: true,
 * });
 * // Normally: await model.fit(x, y, { validationSplit: 0.2, callbacks: [cb] }). By hand:
 * cb.setModel(model);
 * await cb.onTrainBegin();
 * for (const [epoch, acc] of [0.9, 0.95, 0.94, 0.97].entries()) await cb.onEpochEnd(epoch, { val_acc: acc });
 * console.log(saved.length, cb.best, saved[0]); // 3 0.97 2
 * ```
 */
export function modelCheckpoint(options: ModelCheckpointOptions): ModelCheckpointCallback {
  const fn = 'modelCheckpoint';
  const o = checkOptions<ModelCheckpointOptions>(fn, options, MODEL_CHECKPOINT_OPTIONS);
  const target = o.filepath;
  // Keras' ModelCheckpoint has no min_delta: any strict improvement counts.
  const monitor = checkMonitorOptions(fn, { monitor: o.monitor, mode: o.mode }, 0);
  const saveFreq = o.saveFreq ?? 'epoch';
  if (saveFreq !== 'epoch' && !(typeof saveFreq === 'number' && Number.isInteger(saveFreq) && saveFreq > 0)) {
    throw invalidArgument(fn, 'saveFreq', saveFreq, `'epoch' or a positive integer (batches)`);
  }
  let template = null;
  if (typeof target === 'string') {
    const parsed = target === '' ? 'it is empty' : parseTemplate(target);
    if (typeof parsed === 'string')
      throw invalidArgument(fn, 'filepath', target, `a path or URL with valid {placeholders} (${parsed})`);
    if (saveFreq === 'epoch' && parsed.keys.includes('batch')) {
      throw invalidArgument(fn, 'filepath', target, `free of {batch} when saveFreq is 'epoch'`);
    }
    template = parsed;
  } else if (
    typeof target !== 'function' &&
    (target == null || typeof target !== 'object' || typeof target.save !== 'function')
  ) {
    throw invalidArgument(
      fn,
      'filepath',
      target,
      'a directory path, a tfjs IO URL, an IOHandler with save() or a function',
    );
  }
  const initial = o.initialValueThreshold;
  if (initial !== undefined && (typeof initial !== 'number' || !Number.isFinite(initial))) {
    throw invalidArgument(fn, 'initialValueThreshold', initial, 'a finite number or undefined');
  }
  return new ModelCheckpoint(monitor, {
    target,
    template,
    saveBestOnly: checkBoolean(fn, 'saveBestOnly', o.saveBestOnly ?? false),
    saveWeightsOnly: checkBoolean(fn, 'saveWeightsOnly', o.saveWeightsOnly ?? false),
    saveFreq,
    verbose: checkVerbose(fn, o.verbose ?? 0),
    initial,
    onSaveError: checkOneOf(fn, 'onSaveError', o.onSaveError ?? 'throw', ['throw', 'stop', 'continue'] as const),
    saveNonFinite: checkBoolean(fn, 'saveNonFinite', o.saveNonFinite ?? false),
    log: checkFunction(fn, 'log', o.log ?? printLine),
    warn: checkFunction(fn, 'warn', o.warn ?? printWarning),
  });
}
