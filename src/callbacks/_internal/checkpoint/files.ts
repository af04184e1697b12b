import { io } from '@tensorflow/tfjs-core';
import { syncDirectory, temporarySibling, writeNewFile } from '../../../core/atomicWrite.js';
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

/** Files a checkpoint directory may hold; an existing directory with anything else is never replaced. */
export const CHECKPOINT_FILES: readonly string[] = ['model.json', 'weights.json', 'weights.bin'];

export interface CheckpointFile {
  name: string;
  data: string | Uint8Array;
}

/**
 * The files of a checkpoint in tfjs' own layout: `model.json` (as tfjs-node's `file://` handler and
 * `tf.loadLayersModel` expect it) or, for weights only, `weights.json` (just the manifest), plus
 * `weights.bin`.
 */
export function checkpointFiles(a: io.ModelArtifacts): CheckpointFile[] {
  const weightsManifest: io.WeightsManifestConfig = [{ paths: ['weights.bin'], weights: a.weightSpecs ?? [] }];
  const bin = new Uint8Array(
    a.weightData === undefined ? new ArrayBuffer(0) : io.CompositeArrayBuffer.join(a.weightData),
  );
  const origin = { generatedBy: a.generatedBy, convertedBy: a.convertedBy ?? null };
  if (a.modelTopology === undefined) {
    return [
      { name: 'weights.json', data: JSON.stringify({ weightsManifest, ...origin }) },
      { name: 'weights.bin', data: bin },
    ];
  }
  const model: Record<string, unknown> = {
    modelTopology: a.modelTopology,
    weightsManifest,
    format: a.format,
    ...origin,
  };
  for (const key of ['trainingConfig', 'signature', 'userDefinedMetadata', 'modelInitializer'] as const) {
    if (a[key] != null) model[key] = a[key];
  }
  return [
    { name: 'model.json', data: JSON.stringify(model) },
    { name: 'weights.bin', data: bin },
  ];
}

async function bestEffort(step: () => Promise<unknown>): Promise<void> {
  try {
    await step();
  } catch {
    // Cleanup may fail where the failure that caused it did; the original error is what matters.
  }
}

/**
 * Writes `files` as directory `target`, atomically: everything goes into a temporary sibling (same
 * parent, so renames stay on one file system) and is fsynced before being renamed into place. An
 * existing checkpoint is renamed aside first and only removed once the new one is in place; if the
 * swap fails it is renamed back. On any failure the temporary directory is removed.
 */
export async function writeCheckpointDir(target: string, files: readonly CheckpointFile[]): Promise<void> {
  const { fs, path } = await nodeFs.load();
  const dest = path.resolve(target);
  const parent = path.dirname(dest);
  // `.name.<random>.tmp`, and `.name.<random>.old` for the previous checkpoint during the swap.
  const tmp = await temporarySibling(dest);
  await fs.mkdir(parent, { recursive: true });
  const existing = await fs.stat(dest).catch((e: NodeJS.ErrnoException) => {
    if (e.code === 'ENOENT') return null;
    throw e;
  });
  if (existing !== null) {
    if (!existing.isDirectory()) throw new Error(`${dest} exists and is not a directory`);
    const foreign = (await fs.readdir(dest)).filter((n) => !CHECKPOINT_FILES.includes(n));
    if (foreign.length > 0) {
      throw new Error(
        `${dest} holds files that are not part of a checkpoint (${foreign.slice(0, 3).join(', ')}); refusing to replace it`,
      );
    }
  }
  await fs.mkdir(tmp);
  try {
    for (const f of files) await writeNewFile(path.join(tmp, f.name), f.data, fs);
    await syncDirectory(tmp);
    if (existing === null) {
      await fs.rename(tmp, dest);
    } else {
      const aside = tmp.replace(/\.tmp$/, '.old');
      await fs.rename(dest, aside);
      try {
        await fs.rename(tmp, dest);
      } catch (e) {
        await fs.rename(aside, dest).catch((restoreError: Error) => {
          throw new Error(
            `${(e as Error).message}; the previous checkpoint could not be put back and is at ${aside} (${restoreError.message})`,
          );
        });
        throw e;
      }
      await bestEffort(() => fs.rm(aside, { recursive: true, force: true }));
    }
    await syncDirectory(parent);
  } catch (e) {
    await bestEffort(() => fs.rm(tmp, { recursive: true, force: true }));
    throw e;
  }
}
