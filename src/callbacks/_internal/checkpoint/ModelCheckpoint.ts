import { Callback } from '@tensorflow/tfjs-layers';
import type { Logs } from '@tensorflow/tfjs-layers';
import { renderTemplate } from './pathTemplate.js';
import type { PathTemplate } from './pathTemplate.js';
import { describeTarget, modelArtifacts, saveArtifacts } from './target.js';
import type { CheckpointTarget } from './target.js';
import { lookupMonitor, MissingMonitorWarning } from '../../../core/logs.js';
import type { LogsLike } from '../../../core/logs.js';
import { formatNumber, parseSpec } from '../pyFormat.js';
import type { FormatSpec } from '../pyFormat.js';

const OWNER = 'modelCheckpoint';

/** modelCheckpoint's options after validation. */
export interface CheckpointSettings {
  target: CheckpointTarget;
  /** Parsed filepath for string targets, null for in-memory ones. */
  template: PathTemplate | null;
  monitor: string;
  saveBestOnly: boolean;
  /** True when higher monitored values are better. */
  max: boolean;
  saveWeightsOnly: boolean;
  saveFreq: 'epoch' | number;
  verbose: 0 | 1;
  initial: number;
  onSaveError: 'throw' | 'stop' | 'continue';
  log: (line: string) => void;
  warn: (message: string) => void;
}

// Keras prints values with '.5f' (so the initial best shows as inf / -inf).
const FIVE_DECIMALS = parseSpec('.5f', 'float') as FormatSpec;
const show = (v: number): string => formatNumber(v, FIVE_DECIMALS, 'float');

/** Keras 3's ModelCheckpoint on tfjs-layers' Callback; see the public `modelCheckpoint` for the contract. */
export class ModelCheckpoint extends Callback {
  private bestValue: number;
  private savedPath: string | undefined;
  private epoch = 0;
  private lastBatch = -1;
  private batchesSinceSave = 0;
  private readonly missing: MissingMonitorWarning;

  constructor(private readonly o: CheckpointSettings) {
    super();
    this.bestValue = o.initial;
    this.missing = new MissingMonitorWarning(OWNER, o.monitor, o.warn);
  }

  /** Monitored value of the last successful best-only save (the initial threshold or ±Infinity before). */
  get best(): number {
    return this.bestValue;
  }

  /** Path (or target description) of the last successful save. */
  get lastSavedPath(): string | undefined {
    return this.savedPath;
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

  private async checkpoint(epoch: number, batch: number | undefined, logs: LogsLike): Promise<void> {
    if (this.model == null) throw new Error(`${OWNER}: no model is set; pass the callback to model.fit or call setModel(model) first`);
    let where: string;
    try {
      where = this.o.template === null ? describeTarget(this.o.target as Exclude<CheckpointTarget, string>) : renderTemplate(OWNER, this.o.template, epoch, batch, logs);
    } catch (e) {
      this.fail((e as Error).message, e);
      return;
    }
    const prefix = `Epoch ${epoch + 1}: `;
    if (!this.o.saveBestOnly) {
      if (this.o.verbose > 0) this.o.log(`${prefix}saving model to ${where}`);
      await this.write(where);
      return;
    }
    const current = lookupMonitor(logs, this.o.monitor);
    if (current === undefined) {
      this.missing.report(logs);
      return;
    }
    // Strictly better, no min_delta (Keras); NaN never improves.
    const improved = this.o.max ? current > this.bestValue : current < this.bestValue;
    if (!improved) {
      if (this.o.verbose > 0) this.o.log(`${prefix}${this.o.monitor} did not improve from ${show(this.bestValue)}`);
      return;
    }
    if (this.o.verbose > 0) this.o.log(`${prefix}${this.o.monitor} improved from ${show(this.bestValue)} to ${show(current)}, saving model to ${where}`);
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
      const cause = e instanceof Error ? e.message : String(e);
      this.fail(`${OWNER}: could not save the ${this.o.saveWeightsOnly ? 'weights' : 'model'} to ${JSON.stringify(where)}: ${cause}`, e);
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
