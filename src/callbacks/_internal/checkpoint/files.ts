import { io } from '@tensorflow/tfjs-core';
import { bestEffort, uniqueSuffix, writeFileAtomic, writeNewFile } from '../../../core/atomicWrite.js';
import { nodeImport } from '../../../core/node.js';

type NodeFs = typeof import('node:fs/promises');
type NodePath = typeof import('node:path');

/**
 * The file-system seam: Node built-ins are imported on first use only, so browser bundles never
 * need them; tests replace `load` to inject failures at a chosen step.
 */
export const nodeFs: { load: () => Promise<{ fs: NodeFs; path: NodePath }> } = {
  load: async () => ({ fs: await nodeImport('fs/promises'), path: await nodeImport('path') }),
};

/** The steps of a save, in order, where tests may pause a writer (to kill it there, not by luck). */
export type SaveStep = 'locked' | 'weights' | 'manifest-temp' | 'manifest' | 'cleaned';

/** Test seam: awaited between the steps of every save when set. */
export const saveHooks: { between?: (step: SaveStep) => Promise<void> } = {};

const MANIFESTS = ['model.json', 'weights.json'] as const;
const LOCK = '.lock';
/** What a checkpoint directory may hold: an existing directory with anything else is never written to. */
const OURS =
  /^(model\.json|weights\.json|weights(-[0-9a-f]{16})?\.bin|\.lock|\.(model\.json|weights\.json|lock)\.[0-9a-f]{16}\.tmp)$/;

/** A checkpoint as files: the manifest (model.json or weights.json) and the weights it names. */
export interface CheckpointContents {
  manifest: 'model.json' | 'weights.json';
  /** The manifest, less the weights file name (filled in by the save). */
  json: (weightsFile: string) => string;
  weights: Uint8Array;
}

/**
 * The files of a checkpoint in tfjs' own layout: `model.json` (as tfjs-node's `file://` handler and
 * `tf.loadLayersModel` expect it) or, for weights only, `weights.json` (just the manifest), naming
 * its weights file.
 */
export function checkpointContents(a: io.ModelArtifacts): CheckpointContents {
  const weights = new Uint8Array(
    a.weightData === undefined ? new ArrayBuffer(0) : io.CompositeArrayBuffer.join(a.weightData),
  );
  const origin = { generatedBy: a.generatedBy, convertedBy: a.convertedBy ?? null };
  const manifest = (file: string): io.WeightsManifestConfig => [{ paths: [file], weights: a.weightSpecs ?? [] }];
  if (a.modelTopology === undefined) {
    return {
      manifest: 'weights.json',
      json: (file) => JSON.stringify({ weightsManifest: manifest(file), ...origin }),
      weights,
    };
  }
  const extra: Record<string, unknown> = {};
  for (const key of ['trainingConfig', 'signature', 'userDefinedMetadata', 'modelInitializer'] as const) {
    if (a[key] != null) extra[key] = a[key];
  }
  return {
    manifest: 'model.json',
    json: (file) =>
      JSON.stringify({
        modelTopology: a.modelTopology,
        weightsManifest: manifest(file),
        format: a.format,
        ...origin,
        ...extra,
      }),
    weights,
  };
}

const missing = (e: unknown): boolean => (e as NodeJS.ErrnoException).code === 'ENOENT';

/** The weights files a manifest names, or none when it is absent or unreadable. */
async function namedWeights(fs: NodeFs, file: string): Promise<string[]> {
  try {
    const manifest = JSON.parse(await fs.readFile(file, 'utf8')) as { weightsManifest?: { paths?: string[] }[] };
    return (manifest.weightsManifest ?? []).flatMap((g) => g.paths ?? []);
  } catch {
    return [];
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: it exists but belongs to someone else.
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Takes the directory's lock: one writer at a time, across processes. A lock left by a process
 * that no longer runs (killed mid-save) is taken over; one held by a live process is an error
 * that names it. Saves within one process are serialised before they get here.
 */
async function lock(fs: NodeFs, dir: string, path: NodePath): Promise<() => Promise<void>> {
  const file = path.join(dir, LOCK);
  for (let attempt = 0; attempt < 5; attempt++) {
    // The lock appears with its pid already in it (a hard link of a finished file is atomic), so a
    // writer killed at any moment leaves either no lock or one that names it.
    const draft = `${file}.${await uniqueSuffix()}.tmp`;
    await writeNewFile(draft, `${process.pid}\n`, fs);
    try {
      await fs.link(draft, file);
      return () => bestEffort(() => fs.rm(file, { force: true }));
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      // ENOENT: another writer's cleanup took the draft for a crashed save's leftover.
      if (code === 'ENOENT') continue;
      if (code !== 'EEXIST') throw e;
    } finally {
      await bestEffort(() => fs.rm(draft, { force: true }));
    }
    const [text, info] = await Promise.all([
      fs.readFile(file, 'utf8').catch(() => undefined),
      fs.stat(file).catch(() => undefined),
    ]);
    if (text === undefined || info === undefined) continue; // released meanwhile: try again
    const holder = Number.parseInt(text, 10);
    if (Number.isInteger(holder) && holder !== process.pid && alive(holder)) {
      throw new Error(
        `${dir} is being saved by another process (pid ${holder}); two writers cannot share one checkpoint path`,
      );
    }
    await removeIfSame(fs, file, info.ino);
  }
  throw new Error(`${dir}: could not take the checkpoint lock ${file}`);
}

/**
 * Removes a stale lock only if it is still the file judged stale: it is moved aside first (an
 * atomic rename), and moved back if another writer's fresh lock was moved instead.
 */
async function removeIfSame(fs: NodeFs, file: string, ino: number): Promise<void> {
  const aside = `${file}.${await uniqueSuffix()}.tmp`;
  try {
    await fs.rename(file, aside);
  } catch {
    return; // gone already
  }
  if ((await fs.stat(aside).catch(() => undefined))?.ino === ino) await bestEffort(() => fs.rm(aside, { force: true }));
  else await bestEffort(async () => (await fs.link(aside, file), await fs.rm(aside, { force: true })));
}

/**
 * Puts back a checkpoint that an earlier version left aside: it renamed the old directory to
 * `.name.*.old` before renaming the new one in, so a crash between the two left only that copy.
 * Stale `.name.*.tmp` directories of that version are removed.
 */
async function recoverLegacy(fs: NodeFs, path: NodePath, dest: string): Promise<void> {
  const parent = path.dirname(dest);
  const stem = `.${path.basename(dest)}.`;
  const siblings = (await fs.readdir(parent).catch(() => [] as string[])).filter((n) => n.startsWith(stem));
  const exists = await fs.stat(dest).then(
    () => true,
    () => false,
  );
  const aside = siblings.filter((n) => n.endsWith('.old')).sort();
  if (!exists && aside.length > 0) await fs.rename(path.join(parent, aside.at(-1)!), dest);
  for (const n of siblings) {
    if (n.endsWith('.tmp') || (n.endsWith('.old') && (exists || n !== aside.at(-1)))) {
      await bestEffort(() => fs.rm(path.join(parent, n), { recursive: true, force: true }));
    }
  }
}

/**
 * The one sweep of a checkpoint directory, run by each save before it writes: stale temporary files and
 * every weights file that neither manifest names (the generation superseded by the previous save, and
 * what crashed saves left). So a reader of the previous manifest keeps its weights until the next save,
 * and however many saves are killed, a directory never holds more than one weights file beside the
 * ones named.
 */
async function sweep(fs: NodeFs, path: NodePath, dest: string): Promise<void> {
  const named = new Set((await Promise.all(MANIFESTS.map((m) => namedWeights(fs, path.join(dest, m))))).flat());
  for (const n of await fs.readdir(dest)) {
    const stale = /\.tmp$/.test(n) || (/^weights.*\.bin$/.test(n) && !named.has(n));
    if (stale) await bestEffort(() => fs.rm(path.join(dest, n), { force: true }));
  }
}

// Saves to one directory within this process wait for each other.
const queues = new Map<string, Promise<unknown>>();

/**
 * Writes a checkpoint into directory `target` so that, at every moment after the first save, the
 * directory holds one complete checkpoint, the previous or the new one, for any reader and after
 * a crash at any point: the weights go to a new file under a fresh name (created exclusively,
 * fsynced), then the manifest that names them replaces the old one by an atomic rename (the
 * directory fsynced). Superseded weights are removed by the next save's sweep, not this one's, for a
 * reader that read the previous manifest a moment before. A save
 * that fails leaves the previous checkpoint as it was. Writers in two processes get a clear error;
 * in one process they take turns. Stale temporary files and locks of a crashed save are cleaned
 * by the next one, which also restores a checkpoint an earlier version left aside.
 */
export async function writeCheckpointDir(target: string, contents: CheckpointContents): Promise<void> {
  const { path } = await nodeFs.load();
  const dest = path.resolve(target);
  const previous = queues.get(dest) ?? Promise.resolve();
  const run = previous.catch(() => undefined).then(() => save(dest, contents));
  queues.set(dest, run);
  try {
    await run;
  } finally {
    if (queues.get(dest) === run) queues.delete(dest);
  }
}

async function save(dest: string, contents: CheckpointContents): Promise<void> {
  const { fs, path } = await nodeFs.load();
  const pause = async (step: SaveStep) => saveHooks.between?.(step);
  await fs.mkdir(path.dirname(dest), { recursive: true });
  await recoverLegacy(fs, path, dest);
  const existing = await fs.stat(dest).catch((e: unknown) => {
    if (missing(e)) return null;
    throw e;
  });
  if (existing !== null && !existing.isDirectory()) throw new Error(`${dest} exists and is not a directory`);
  if (existing === null) await fs.mkdir(dest);
  const foreign = (await fs.readdir(dest)).filter((n) => !OURS.test(n));
  if (foreign.length > 0) {
    throw new Error(
      `${dest} holds files that are not part of a checkpoint (${foreign.slice(0, 3).join(', ')}); refusing to write into it`,
    );
  }
  const unlock = await lock(fs, dest, path);
  let written: string | undefined;
  try {
    await pause('locked');
    const manifestPath = path.join(dest, contents.manifest);
    await sweep(fs, path, dest);
    const weightsFile = `weights-${await uniqueSuffix()}.bin`;
    written = path.join(dest, weightsFile);
    await writeNewFile(written, contents.weights, fs);
    await pause('weights');
    await writeFileAtomic(manifestPath, contents.json(weightsFile), { beforeRename: () => pause('manifest-temp'), fs });
    written = undefined;
    await pause('manifest');
    // The other kind of manifest (a weights-only save after a full one, or back) is out of date; its
    // weights stay until the next save's sweep, as superseded weights do.
    const other = MANIFESTS.find((m) => m !== contents.manifest)!;
    await bestEffort(() => fs.rm(path.join(dest, other), { force: true }));
    await pause('cleaned');
  } catch (e) {
    if (written !== undefined) await bestEffort(() => fs.rm(written!, { force: true }));
    throw e;
  } finally {
    await unlock();
  }
}
