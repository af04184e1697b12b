import { errorText } from '../../core/errorText.js';
import { nodeImport } from '../../core/node.js';
import type { ByteArray, Loader } from './idx.js';
import { parseIdx } from './idx.js';

/** One half of a 28×28 idx data set as parsed: images (n × 784 bytes) and labels (n bytes, 0..9). */
export interface IdxSplit {
  readonly images: Uint8Array;
  readonly labels: Uint8Array;
}

/** The two halves of MNIST or Fashion-MNIST, before the loader says where they came from. */
export interface IdxDataset {
  readonly train: IdxSplit;
  readonly test: IdxSplit;
}

/** LeCun's file names, shared by Fashion-MNIST: train images, train labels, test images, test labels. */
export const IDX_FILES: readonly string[] = [
  'train-images-idx3-ubyte',
  'train-labels-idx1-ubyte',
  't10k-images-idx3-ubyte',
  't10k-labels-idx1-ubyte',
];

/** Whether `file` is a regular file; a missing one is false, any other failure an error naming `loader`. */
export async function isFile(loader: Loader, file: string): Promise<boolean> {
  const fs = await nodeImport('fs/promises');
  try {
    return (await fs.stat(file)).isFile();
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return false;
    throw new Error(`${loader.fn}: cannot access ${file}: ${errorText(e)}`, { cause: e });
  }
}

/** The bytes of `file`, refusing one larger than `maxBytes` before reading it. */
export async function readBytes(loader: Loader, file: string, maxBytes: number): Promise<Uint8Array> {
  const fs = await nodeImport('fs/promises');
  try {
    const size = (await fs.stat(file)).size;
    if (size > maxBytes) throw new Error(`it has ${size} bytes, more than maxBytes (${maxBytes})`);
    const b = await fs.readFile(file);
    return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
  } catch (e) {
    throw new Error(`${loader.fn}: cannot read ${file}: ${errorText(e)}`, { cause: e });
  }
}

/**
 * The four idx files in `dir`, each raw or gzipped with a `.gz` suffix; null when it holds none of
 * them. Some but not all is an error.
 */
export async function findIdxFiles(loader: Loader, dir: string): Promise<string[] | null> {
  const { join } = await nodeImport('path');
  const found = await Promise.all(
    IDX_FILES.map(async (name) => {
      for (const candidate of [name, `${name}.gz`]) {
        if (await isFile(loader, join(dir, candidate))) return join(dir, candidate);
      }
      return null;
    }),
  );
  if (found.every((f) => f !== null)) return found as string[];
  const missing = IDX_FILES.filter((_, i) => found[i] === null);
  if (missing.length < IDX_FILES.length) {
    throw new Error(
      `${loader.fn}: ${dir} holds only some of the ${loader.title} idx files; missing ${missing.join(', ')} (raw or .gz)`,
    );
  }
  return null;
}

/** The data set from its four idx files (paths in {@link IDX_FILES}' order, raw or `.gz`). */
export async function readIdxFiles(loader: Loader, files: readonly string[], maxBytes: number): Promise<IdxDataset> {
  const arrays = await Promise.all(
    files.map(async (file, i) => {
      const bytes = await readBytes(loader, file, maxBytes);
      const raw = file.endsWith('.gz') ? await gunzipAtMost(loader, bytes, file, maxBytes) : bytes;
      return parseIdx(loader, raw, file, rank(i));
    }),
  );
  return assemble(loader, arrays as [ByteArray, ByteArray, ByteArray, ByteArray], files);
}

/** Images are rank 3, labels rank 1, alternating in {@link IDX_FILES}' order. */
export function rank(index: number): 1 | 3 {
  return index % 2 === 0 ? 3 : 1;
}

/**
 * Inflates gzip data with Node's zlib, failing as soon as the output passes `maxBytes`: a gzip bomb
 * stops at the cap instead of filling the memory first.
 */
export async function gunzipAtMost(
  loader: Loader,
  bytes: Uint8Array,
  file: string,
  maxBytes: number,
): Promise<Uint8Array> {
  const { gunzip } = await nodeImport('zlib');
  try {
    const out = await new Promise<Buffer>((resolve, reject) =>
      gunzip(bytes, { maxOutputLength: maxBytes }, (e, result) => (e === null ? resolve(result) : reject(e))),
    );
    return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') {
      throw new Error(`${loader.fn}: ${file} inflates to more than maxBytes (${maxBytes}): not ${loader.aTitle} file`);
    }
    throw new Error(`${loader.fn}: ${file} is not a valid gzip file (${errorText(e)})`, { cause: e });
  }
}

/** The two splits from parsed arrays (train images, train labels, test images, test labels), checked. */
export function assemble(
  loader: Loader,
  a: readonly [ByteArray, ByteArray, ByteArray, ByteArray],
  names: ReadonlyArray<string>,
): IdxDataset {
  return {
    train: split(loader, 'training', a[0], a[1], names[0]!, names[1]!),
    test: split(loader, 'test', a[2], a[3], names[2]!, names[3]!),
  };
}

function split(
  loader: Loader,
  kind: string,
  images: ByteArray,
  labels: ByteArray,
  imagesName: string,
  labelsName: string,
): IdxSplit {
  const fn = loader.fn;
  const [n, rows, cols] = images.shape;
  if (images.shape.length !== 3 || rows !== 28 || cols !== 28) {
    const dims = images.shape.length === 3 ? `${rows}×${cols}` : `of shape (${images.shape.join(', ')})`;
    throw new Error(`${fn}: ${imagesName} holds ${kind} images ${dims}, expected 28×28 (shape (n, 28, 28))`);
  }
  if (labels.shape.length !== 1) {
    throw new Error(
      `${fn}: ${labelsName} holds ${kind} labels of shape (${labels.shape.join(', ')}), expected a vector`,
    );
  }
  if (labels.shape[0] !== n) {
    throw new Error(
      `${fn}: size mismatch: ${n} ${kind} images (${imagesName}) but ${labels.shape[0]} labels (${labelsName})`,
    );
  }
  const bad = labels.data.findIndex((v) => v > 9);
  if (bad >= 0) throw new Error(`${fn}: ${labelsName} holds label ${labels.data[bad]} at index ${bad}, expected 0..9`);
  return { images: images.data, labels: labels.data };
}
