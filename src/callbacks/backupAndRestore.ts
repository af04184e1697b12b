import { dispose, Variable } from '@tensorflow/tfjs-core';
import type { Optimizer, Tensor } from '@tensorflow/tfjs-core';

type NamedTensor = Awaited<ReturnType<Optimizer['getWeights']>>[number];
import { Callback } from '@tensorflow/tfjs-layers';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { bestEffort, writeFileAtomic } from '../core/atomicWrite.js';
import { errorText } from '../core/errorText.js';
import { loadFs, nodeImport } from '../core/node.js';
import { RESUMABLE, setPendingStates, trackedStates } from '../core/resumable.js';
import type { Resumable, SavedState } from '../core/resumable.js';
import { checkBoolean, checkOptions, invalidArgument, optionNames } from '../core/validate.js';
import { decodeBackup, encodeBackup } from './_internal/backupFile.js';
import { hostArrays, toTensor } from './_internal/hostArrays.js';
import type { BackupContents } from './_internal/backupFile.js';
import { readLearningRate } from './_internal/learningRate.js';
import { setLearningRate } from './setLearningRate.js';

const FN = 'backupAndRestore';
const FILE = 'backup.tfrb';

/** Options of {@link backupAndRestore}: Keras 3 `BackupAndRestore`'s arguments, camel-cased, and `data`. */
export interface BackupAndRestoreOptions {
  /**
   * The directory of the backup (created if missing). Like Keras', it belongs to one training run:
   * no other run or callback may write there. Node only. Keras: `backup_dir`.
   */
  backupDir: string;
  /**
   * `'epoch'`: back up at the end of every epoch. A number n: also every n batches; a run resumed
   * from such a backup starts that epoch again from the backed-up weights, as Keras does (so only
   * `'epoch'` backups resume to the very weights of an uninterrupted run). Keras: `save_freq`.
   * @defaultValue 'epoch'
   */
  saveFreq?: 'epoch' | number;
  /**
   * Delete the backup when training ends (it is not needed once fit returns). Keras: `delete_checkpoint`.
   * @defaultValue true
   */
  deleteCheckpoint?: boolean;
  /**
   * Datasets made by `flow` whose shuffling and augmentation streams the backup carries, so that the
   * resumed epochs see the batches the uninterrupted run would have seen (not in Keras, which does not
   * restore its data streams).
   * @defaultValue none
   */
  data?: readonly object[];
}

const OPTIONS = optionNames<BackupAndRestoreOptions>()('backupDir', 'saveFreq', 'deleteCheckpoint', 'data');

/** What {@link backupAndRestore} returns: a tfjs callback that also tells `fit` where to start. */
export interface BackupAndRestoreCallback extends Callback {
  /**
   * The epoch to pass to `fit`/`fitDataset` as `initialEpoch`: 0 without a backup, else the epoch the
   * backup resumes. It also reads the backup and puts `data`'s streams back, so await it before fit.
   */
  initialEpoch(): Promise<number>;
  /** The backup file (in `backupDir`). */
  readonly backupPath: string;
}

interface Settings {
  backupDir: string;
  saveFreq: 'epoch' | number;
  deleteCheckpoint: boolean;
  data: Resumable[];
}

class BackupAndRestore extends Callback implements BackupAndRestoreCallback {
  /** undefined until initialEpoch() ran; null when it found no backup. */
  private loaded: BackupContents | null | undefined;
  private expectedEpoch: number | undefined;
  private currentEpoch = 0;
  private lastBatch = -1;
  private batchesSinceSave = 0;
  private cutShort = false;
  /** The fit call (its params) `trackedBefore` was counted for, and how many states were tracked before this. */
  private trackedFor: unknown;
  private trackedBefore = 0;

  constructor(private readonly o: Settings) {
    super();
  }

  get backupPath(): string {
    return `${this.o.backupDir.replace(/[\\/]+$/, '')}/${FILE}`;
  }

  async initialEpoch(): Promise<number> {
    const fs = await loadFs(FN);
    await this.removeStaleTemporaries(fs);
    let bytes: Uint8Array;
    try {
      bytes = await fs.readFile(this.backupPath);
    } catch (e) {
      if ((e as { code?: unknown }).code !== 'ENOENT') throw this.ioError(e);
      this.loaded = null;
      return 0;
    }
    const contents = decodeBackup(bytes, this.backupPath);
    if (contents.data.length !== this.o.data.length) {
      throw invalidArgument(FN, 'data', `${this.o.data.length} datasets`, `${contents.data.length} (the backup's)`);
    }
    for (const [i, d] of this.o.data.entries()) await d.loadState(contents.data[i]!);
    this.loaded = contents;
    return contents.epoch;
  }

  override setModel(model: LayersModel): void {
    super.setModel(model);
    // tfjs sets the model on the callbacks in list order: the states tracked so far are those of the
    // callbacks before this one, so onTrainBegin can tell whether a stateful callback comes after it.
    if (this.trackedFor !== this.params) {
      this.trackedFor = this.params;
      this.trackedBefore = trackedStates(model, this.params).length;
    }
    if (this.loaded) setPendingStates(model, this.params, new Map(Object.entries(this.loaded.callbacks)));
  }

  override async onTrainBegin(): Promise<void> {
    const later = trackedStates(this.model, this.params)
      .slice(this.trackedBefore)
      .map((t) => t.key.replace(/#\d+$/, ''));
    if (later.length > 0) {
      throw new Error(
        `${FN}: put it after ${later.join(', ')} in the callbacks list: it backs up their state at the end of each epoch, after they have updated it`,
      );
    }
    if (this.loaded === undefined) {
      const fs = await loadFs(FN);
      const exists = await fs.stat(this.backupPath).then(
        () => true,
        () => false,
      );
      if (exists) {
        throw new Error(
          `${FN}: ${this.backupPath} holds a backup; pass \`initialEpoch: await backup.initialEpoch()\` to fit so that training resumes from it (or delete it)`,
        );
      }
      this.loaded = null;
    }
    this.batchesSinceSave = 0;
    this.lastBatch = -1;
    if (this.loaded === null) return;
    await this.restore(this.loaded);
    this.expectedEpoch = this.loaded.epoch;
    this.loaded = undefined;
  }

  override async onEpochBegin(epoch: number): Promise<void> {
    if (this.expectedEpoch !== undefined && epoch !== this.expectedEpoch) {
      throw new Error(
        `${FN}: the backup resumes at epoch ${this.expectedEpoch}, but fit started at epoch ${epoch}: pass \`initialEpoch: await backup.initialEpoch()\``,
      );
    }
    this.expectedEpoch = undefined;
    this.currentEpoch = epoch;
    this.cutShort = false;
  }

  override async onBatchEnd(batch: number): Promise<void> {
    // Last in the list, it sees a stop set during this batch: fit ends the epoch after it, short.
    if (this.model.stopTraining) this.cutShort = true;
    if (this.o.saveFreq === 'epoch' || this.cutShort) return;
    // As Keras: batch indices restart each epoch, the count since the last save does not.
    this.batchesSinceSave += batch <= this.lastBatch ? batch + 1 : batch - this.lastBatch;
    this.lastBatch = batch;
    if (this.batchesSinceSave < this.o.saveFreq) return;
    this.batchesSinceSave = 0;
    await this.save(this.currentEpoch, batch);
  }

  override async onEpochEnd(epoch: number): Promise<void> {
    this.currentEpoch = epoch + 1;
    this.lastBatch = -1;
    // An epoch cut short (Ctrl-C, a NaN) is not backed up: resuming replays it from the last backup.
    if (this.o.saveFreq === 'epoch' && !this.cutShort) await this.save(epoch + 1, null);
  }

  override async onTrainEnd(): Promise<void> {
    if (!this.o.deleteCheckpoint) return;
    const fs = await loadFs(FN);
    await fs.rm(this.backupPath, { force: true }).catch((e: unknown) => {
      throw this.ioError(e);
    });
    // The directory goes too when nothing else is in it (Keras removes it whole).
    await bestEffort(() => fs.rmdir(this.o.backupDir));
  }

  private async save(epoch: number, batch: number | null): Promise<void> {
    const model = this.model;
    const optimizer = model.optimizer as Optimizer;
    let named: NamedTensor[];
    try {
      named = await optimizer.getWeights();
    } catch (e) {
      throw new Error(`${FN}: the optimizer ${optimizer.getClassName()} cannot save its state (${errorText(e)})`, {
        cause: e,
      });
    }
    // getWeights() hands out the live variables, and new tensors for counters (tfjs' `iter`): those go, also
    // when a state cannot be read.
    const counters = named.map((w) => w.tensor).filter((t) => !(t instanceof Variable));
    let contents: BackupContents;
    try {
      const callbacks: Record<string, SavedState> = {};
      for (const { key, state } of trackedStates(model, this.params)) callbacks[key] = await state.saveState();
      contents = {
        epoch,
        batch,
        learningRate: learningRateOf(optimizer),
        optimizer: {
          className: optimizer.getClassName(),
          names: named.map((w) => w.name),
          extra: await betaPowers(optimizer),
        },
        model: { arrays: await hostArrays(model.getWeights()), names: model.weights.map((w) => w.name) },
        optimizerArrays: await hostArrays(named.map((w) => w.tensor)),
        callbacks,
        data: await Promise.all(this.o.data.map((d) => d.saveState())),
      };
    } finally {
      dispose(counters);
    }
    await writeFileAtomic(this.backupPath, encodeBackup(contents), { createDirectory: true }).catch((e: unknown) => {
      throw this.ioError(e);
    });
  }

  private async restore(b: BackupContents): Promise<void> {
    const model = this.model;
    const weights = model.getWeights();
    const fits =
      weights.length === b.model.arrays.length &&
      weights.every((w, i) => w.shape.join() === b.model.arrays[i]!.shape.join());
    if (!fits) {
      const shapes = (list: { shape: number[] }[]) => list.map((w) => `[${w.shape.join(',')}]`).join(' ');
      throw new Error(
        `${FN}: the backup in ${this.backupPath} is of another model (weights ${shapes(b.model.arrays)}, this model ${shapes(weights)})`,
      );
    }
    const optimizer = model.optimizer as Optimizer;
    if (optimizer.getClassName() !== b.optimizer.className) {
      throw new Error(
        `${FN}: the backup in ${this.backupPath} is of a ${b.optimizer.className} optimizer, this model's is ${optimizer.getClassName()}`,
      );
    }
    const restored = b.model.arrays.map(toTensor);
    const state = b.optimizerArrays.map(toTensor);
    try {
      model.setWeights(restored);
      const rename = renamer(
        b.model.names,
        model.weights.map((w) => w.name),
      );
      await optimizer.setWeights(state.map((t, i) => ({ name: rename(b.optimizer.names[i]!), tensor: t })));
    } finally {
      dispose([...restored, ...state]);
    }
    if (b.optimizer.extra !== null) restoreBetaPowers(optimizer, b.optimizer.extra);
    if (b.learningRate !== null) setLearningRate(optimizer, b.learningRate);
  }

  private async removeStaleTemporaries(fs: typeof import('node:fs/promises')): Promise<void> {
    // A write killed before its rename leaves its temporary sibling: nothing reads it, so it goes.
    const { join } = await nodeImport('path');
    const names = await fs.readdir(this.o.backupDir).catch(() => [] as string[]);
    const stale = new RegExp(`^\\.${FILE.replace('.', '\\.')}\\.[0-9a-f]{16}\\.tmp$`);
    for (const name of names) if (stale.test(name)) await bestEffort(() => fs.rm(join(this.o.backupDir, name)));
  }

  private ioError(e: unknown): Error {
    const message = invalidArgument(FN, 'backupDir', this.o.backupDir, 'a writable directory').message;
    return new Error(`${message} (${errorText(e)})`, { cause: e });
  }
}

/**
 * Optimizer state is named after the model's variables (this library's wrappers and adamw key it so),
 * and tfjs numbers variables per process: the same script gives the same names, a second model in the
 * same process others. The backed-up names are mapped to this model's, variable by variable.
 */
function renamer(from: string[], to: string[]): (name: string) => string {
  const pairs = from.map((f, i) => [f, to[i]!] as const).filter(([f, t]) => f !== t);
  pairs.sort((a, b) => b[0].length - a[0].length);
  return (name) => {
    for (const [f, t] of pairs)
      if (name === f || name.endsWith(`/${f}`) || name.startsWith(`${f}/`)) return name.replace(f, t);
    return name;
  };
}

function learningRateOf(optimizer: Optimizer): number | null {
  try {
    return readLearningRate(FN, optimizer);
  } catch {
    return null;
  }
}

type WithBetaPowers = { accBeta1?: Variable; accBeta2?: Variable };

/**
 * tfjs' Adam keeps β₁ᵗ and β₂ᵗ as running products, and its setWeights recomputes them with pow(),
 * which differs in the last bits: the backup carries the products, so that a resumed Adam is the same.
 */
async function betaPowers(optimizer: Optimizer): Promise<SavedState | null> {
  const o = optimizer as unknown as WithBetaPowers;
  if (!(o.accBeta1 instanceof Variable) || !(o.accBeta2 instanceof Variable)) return null;
  return { json: 'accBeta', arrays: await hostArrays([o.accBeta1, o.accBeta2]) };
}

function restoreBetaPowers(optimizer: Optimizer, saved: SavedState): void {
  const o = optimizer as unknown as WithBetaPowers;
  const [b1, b2] = (saved.arrays ?? []).map(toTensor);
  if (o.accBeta1 instanceof Variable && o.accBeta2 instanceof Variable && b1 && b2) {
    o.accBeta1.assign(b1);
    o.accBeta2.assign(b2);
  }
  dispose([b1, b2].filter((t): t is Tensor => t !== undefined));
}

/**
 * Keras 3's `BackupAndRestore` for tfjs: backs up the whole training state at the end of every epoch
 * (or every `saveFreq` batches), so that a training killed at any moment (SIGKILL, power loss) and
 * started again with the same script resumes where the last backup left it. The backup holds the
 * model's weights, the optimizer's state (moments, iterations, wrappers' state such as EMA averages),
 * the epoch, the learning rate, the state of this library's callbacks (ReduceLROnPlateau, EarlyStopping
 * and its best weights, ModelCheckpoint's best, the history logger's file) and, with `data`, the
 * streams of `flow`: a run resumed from an epoch backup ends with the weights of an uninterrupted run.
 *
 * tfjs reads `initialEpoch` before any callback runs, so the call differs from Keras' in one place:
 * pass `initialEpoch: await backup.initialEpoch()` to fit (a backup that is found without it is an
 * error, never silently ignored). Put the callback after the stateful ones (an error says so
 * otherwise). An epoch that a callback cut short (`model.stopTraining` set during a batch, as on
 * Ctrl-C) is not backed up: a resumed run replays it from the previous backup. Each backup is one
 * file written atomically: a kill during a backup leaves the previous one usable, and the temporary
 * file it leaves is removed by the next run. tfjs' `Adamax` has no `getWeights`, so it cannot be
 * backed up (an error says so at the first backup).
 *
 * @param options - Keras' arguments, camel-cased, and `data`.
 * @returns A tfjs-layers callback with `initialEpoch()`.
 * @throws Error naming `backupAndRestore`, the option and the value for bad options.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import * as tfl from '@tensorflow/tfjs-layers';
 * import { backupAndRestore, reduceLROnPlateau } from 'tfjs-regularization/callbacks';
 *
 * const model = tfl.sequential({ layers: [tfl.layers.dense({ inputShape: [1], units: 1 })] });
 * model.compile({ optimizer: tf.train.adam(0.1), loss: 'meanSquaredError' });
 * const x = tf.tensor2d([[0], [1], [2], [3]]);
 * const y = tf.tensor2d([[1], [3], [5], [7]]);
 * const dir = `${(await import('node:os')).tmpdir()}/backup-example-${Date.now()}`;
 * const backup = backupAndRestore({ backupDir: dir });
 * // Run the same script again after a crash: it goes on from the last epoch that was backed up.
 * const history = await model.fit(x, y, {
 *   epochs: 3,
 *   initialEpoch: await backup.initialEpoch(),
 *   verbose: 0,
 *   callbacks: [reduceLROnPlateau({ monitor: 'loss' }), backup],
 * });
 * console.log(history.epoch); // [0, 1, 2]
 * tf.dispose([x, y]);
 * ```
 */
export function backupAndRestore(options: BackupAndRestoreOptions): BackupAndRestoreCallback {
  const o = checkOptions<BackupAndRestoreOptions>(FN, options, OPTIONS);
  if (typeof o.backupDir !== 'string' || o.backupDir === '') {
    throw invalidArgument(FN, 'backupDir', o.backupDir, 'a non-empty directory path');
  }
  const saveFreq = o.saveFreq ?? 'epoch';
  if (saveFreq !== 'epoch' && !(typeof saveFreq === 'number' && Number.isInteger(saveFreq) && saveFreq > 0)) {
    throw invalidArgument(FN, 'saveFreq', saveFreq, "'epoch' or a positive integer (batches)");
  }
  const data = o.data ?? [];
  if (!Array.isArray(data)) throw invalidArgument(FN, 'data', data, 'an array of datasets made by flow');
  const states = data.map((d: unknown, i: number) => {
    const state = (d as { [RESUMABLE]?: Resumable } | null | undefined)?.[RESUMABLE];
    if (state === undefined) throw invalidArgument(FN, `data[${i}]`, d, 'a dataset made by flow');
    return state;
  });
  return new BackupAndRestore({
    backupDir: o.backupDir,
    saveFreq,
    deleteCheckpoint: checkBoolean(FN, 'deleteCheckpoint', o.deleteCheckpoint ?? true),
    data: states,
  });
}
