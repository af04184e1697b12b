import { nodeImport } from './node.js';

type Fs = typeof import('node:fs/promises');

/** 16 hex digits no other writer (this process, another one, or an attacker predicting PIDs) can choose. */
export async function uniqueSuffix(): Promise<string> {
  const { randomBytes } = await nodeImport('crypto');
  return randomBytes(8).toString('hex');
}

/**
 * Runs a cleanup step whose failure must not hide the error that caused it (and directory fsync,
 * which some platforms do not support: a directory cannot be fsynced on Windows).
 */
export async function bestEffort(step: () => Promise<unknown>): Promise<void> {
  try {
    await step();
  } catch {
    // The original error, or the write itself, is what matters.
  }
}

/** fsyncs a directory, so that a rename or a new entry in it survives a power loss (best effort). */
async function syncDirectory(dir: string): Promise<void> {
  const fs = await nodeImport('fs/promises');
  await bestEffort(async () => {
    const handle = await fs.open(dir, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  });
}

/**
 * Creates `file`, which must not exist yet (O_EXCL: never follows a planted symlink or overwrites
 * anything), writes `data` and fsyncs it. The building block of {@link writeFileAtomic}, and of
 * writers that give every version its own fresh name.
 */
export async function writeNewFile(file: string, data: string | Uint8Array, fs?: Fs): Promise<void> {
  const f = fs ?? (await nodeImport('fs/promises'));
  const handle = await f.open(file, 'wx', 0o644);
  try {
    await handle.writeFile(data);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** A fresh, unpredictable name for a temporary sibling of `file`: `.<name>.<random>.tmp`. */
export async function temporarySibling(file: string): Promise<string> {
  const { basename, dirname, join } = await nodeImport('path');
  return join(dirname(file), `.${basename(file)}.${await uniqueSuffix()}.tmp`);
}

/**
 * Writes `file` atomically: the data goes to a new temporary file in the same directory (so the
 * rename stays on one file system), created exclusively under an unpredictable name, fsynced, then
 * renamed over `file`, and the directory is fsynced. Readers see the old file or the complete new
 * one, never a part; on failure the temporary file is removed and `file` is untouched. With
 * `createDirectory`, a missing parent directory is created first (else that is an error);
 * `beforeRename` runs once the temporary file is complete, and `fs` replaces node:fs/promises
 * (the checkpoint's test seams).
 */
export async function writeFileAtomic(
  file: string,
  data: string | Uint8Array,
  options: { createDirectory?: boolean; beforeRename?: () => Promise<void>; fs?: Fs } = {},
): Promise<void> {
  const fs = options.fs ?? (await nodeImport('fs/promises'));
  const { dirname } = await nodeImport('path');
  const dir = dirname(file);
  if (options.createDirectory === true) await fs.mkdir(dir, { recursive: true });
  const tmp = await temporarySibling(file);
  try {
    await writeNewFile(tmp, data, fs);
    await options.beforeRename?.();
    await fs.rename(tmp, file);
  } catch (e) {
    await bestEffort(() => fs.rm(tmp, { force: true }));
    throw e;
  }
  await syncDirectory(dir);
}
