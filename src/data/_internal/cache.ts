import { nodeImport } from '../../core/node.js';

/** The cache directory: $XDG_CACHE_HOME/tfjs-regularization, else ~/.cache/tfjs-regularization. */
export async function defaultCacheDir(): Promise<string> {
  const { homedir } = await nodeImport('os');
  const { isAbsolute, join } = await nodeImport('path');
  const xdg = process.env.XDG_CACHE_HOME;
  // The XDG spec says a relative value is invalid and must be ignored.
  const base = xdg !== undefined && xdg !== '' && isAbsolute(xdg) ? xdg : join(homedir(), '.cache');
  return join(base, 'tfjs-regularization');
}

/**
 * The cached file's bytes when it exists and `verified` accepts them (its checksum); a file it rejects
 * is deleted (it can only be a corrupt or foreign file) and null returned, as for a missing one.
 */
export async function readVerified(
  fn: string,
  file: string,
  verified: (bytes: Uint8Array) => Promise<boolean>,
): Promise<Uint8Array | null> {
  const fs = await nodeImport('fs/promises');
  let bytes: Uint8Array;
  try {
    const b = await fs.readFile(file);
    bytes = new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return null;
    throw new Error(`${fn}: cannot read the cached ${file}: ${(e as Error).message}`, { cause: e });
  }
  if (await verified(bytes)) return bytes;
  await removeEntry(fn, file);
  return null;
}

/** Deletes a bad cache entry; a missing file is fine, any other failure is reported. */
export async function removeEntry(fn: string, file: string): Promise<void> {
  const fs = await nodeImport('fs/promises');
  try {
    await fs.rm(file, { force: true });
  } catch (e) {
    throw new Error(`${fn}: cannot delete the bad cache entry ${file}: ${(e as Error).message}`, { cause: e });
  }
}
