import { writeFileAtomic } from '../core/atomicWrite.js';
import { errorText } from '../core/errorText.js';
import { isNode, nodeImport } from '../core/node.js';
import { checkOptions, invalidArgument, optionNames } from '../core/validate.js';
import { defaultCacheDir, readVerified } from './_internal/cache.js';
import { checkSha256, download, sha256Hex } from './_internal/download.js';
import { debianFashionMnist, FASHION_MNIST } from './_internal/fashionSources.js';
import { parseIdx } from './_internal/idx.js';
import type { ByteArray } from './_internal/idx.js';
import { assemble, findIdxFiles, gunzipAtMost, IDX_FILES, rank, readIdxFiles } from './_internal/idxFiles.js';
import type { IdxDataset } from './_internal/idxFiles.js';
import { isSha256, resolveLoaderOptions } from './_internal/loaderOptions.js';
import type { LoaderOptions, ResolvedLoaderOptions } from './_internal/loaderOptions.js';
import type { LoadMnistResult } from './loadMnist.js';

/** The SHA-256 of each of Fashion-MNIST's four idx files, of the inflated data (not of the `.gz`). */
export interface FashionMnistChecksums {
  /** `train-images-idx3-ubyte`. */
  readonly trainImages: string;
  /** `train-labels-idx1-ubyte`. */
  readonly trainLabels: string;
  /** `t10k-images-idx3-ubyte`. */
  readonly testImages: string;
  /** `t10k-labels-idx1-ubyte`. */
  readonly testLabels: string;
}

/** Options of {@link loadFashionMnist}. */
export interface LoadFashionMnistOptions extends LoaderOptions {
  /** A directory holding the four idx files (raw or `.gz`). Overrides `FASHION_MNIST_DIR`. */
  dir?: string;
  /**
   * Where downloads are cached, in a `fashion-mnist` subdirectory.
   * @defaultValue `$XDG_CACHE_HOME/tfjs-regularization`, else `~/.cache/tfjs-regularization`
   */
  cacheDir?: string;
  /**
   * The address the four `<name>.gz` files are downloaded from (a directory: a missing final `/` is added).
   * @defaultValue Keras' `https://storage.googleapis.com/tensorflow/tf-keras-datasets/`
   */
  url?: string;
  /**
   * The expected SHA-256 of each inflated idx file, checked on download and on every cache read.
   * They are of the inflated data so that a recompressed copy of the same data verifies.
   * @defaultValue the digests of Fashion-MNIST as Debian's `dataset-fashion-mnist` ships it
   */
  sha256?: FashionMnistChecksums;
  /** Milliseconds without receiving data after which a download fails, up to 2^31 - 1. @defaultValue 60000 */
  timeoutMs?: number;
  /** Milliseconds each file's download may take, up to 2^31 - 1. @defaultValue 600000 */
  deadlineMs?: number;
  /**
   * The most bytes read for one file: a download and each file once inflated from gzip, so that
   * neither an endless body nor a compression bomb fills the memory. The largest file inflates to 47 MB.
   * @defaultValue 67108864 (64 MiB)
   */
  maxBytes?: number;
  /** Called as bytes arrive, per file (total undefined when the server does not say); replaces the stderr bar. */
  onProgress?: (received: number, total: number | undefined) => void;
  /** false: never download, fail when no local source has the data. @defaultValue true */
  download?: boolean;
}

const FN = 'loadFashionMnist';
const OPTIONS = optionNames<LoadFashionMnistOptions>()(
  'dir',
  'cacheDir',
  'url',
  'sha256',
  'timeoutMs',
  'deadlineMs',
  'maxBytes',
  'onProgress',
  'download',
);
const KERAS_URL = 'https://storage.googleapis.com/tensorflow/tf-keras-datasets/';
const CHECKSUM_KEYS = ['trainImages', 'trainLabels', 'testImages', 'testLabels'] as const;
const CHECKSUMS: FashionMnistChecksums = {
  trainImages: 'c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888',
  trainLabels: 'bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9',
  testImages: '5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b',
  testLabels: '0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34',
};
const OFFLINE_HINT =
  "To load Fashion-MNIST offline: install Debian's dataset-fashion-mnist package, or point FASHION_MNIST_DIR " +
  '(options.dir) at a directory with the four idx files (raw or .gz)';

/**
 * Loads Fashion-MNIST (Node.js only) as unsigned bytes: 60000 training and 10000 test images of
 * 28×28 pixels of Zalando's clothing articles, row-major, with their labels 0..9 (T-shirt/top,
 * Trouser, Pullover, Dress, Coat, Sandal, Shirt, Sneaker, Bag, Ankle boot): the arrays Keras'
 * `fashion_mnist.load_data()` returns, in the same {@link LoadMnistResult} form as `loadMnist`, so
 * everything that trains on MNIST trains on it.
 *
 * The data comes from the first of these sources that has it:
 * 1. `options.dir`, else the `FASHION_MNIST_DIR` environment variable: a directory with the four idx
 *    files (`train-images-idx3-ubyte`, `train-labels-idx1-ubyte`, `t10k-images-idx3-ubyte`,
 *    `t10k-labels-idx1-ubyte`, each raw or gzipped as `<name>.gz`). A directory named this way must
 *    hold them: otherwise loadFashionMnist fails rather than look elsewhere.
 * 2. Debian's `dataset-fashion-mnist` package, when installed (`/usr/share/datasets/fashion-mnist`).
 * 3. The cache directory's `fashion-mnist/<name>.gz`, from an earlier download, each file used only
 *    if its inflated data has the expected SHA-256; a file that fails is deleted and downloaded again.
 * 4. A download of each missing `<name>.gz` from `options.url` (Keras' address; 30 MB in all),
 *    verified before it is cached. Each cache file is written atomically (temporary file, fsync,
 *    rename), so a failed or interrupted download never leaves a file behind.
 *
 * @param options - See {@link LoadFashionMnistOptions}; all optional.
 * @returns The training and test splits, and their source: `dir:<path>`, `FASHION_MNIST_DIR:<path>`,
 *   `debian:<path>`, `cache:<dir>` or `download:<url>`.
 * @throws Error naming `loadFashionMnist` and the file or URL: a file with a wrong magic number,
 *   truncated or of the wrong size, images not 28×28, labels above 9, an HTTP error status, a timeout,
 *   a SHA-256 mismatch, or no source at all with `download: false`; and, naming the option and value,
 *   for bad options.
 *
 * @example
 * ```ts
 * import { loadFashionMnist } from 'tfjs-regularization/data';
 *
 * const { train, test } = await loadFashionMnist({ download: false }); // here from Debian's package
 * console.log(train.images.length); // 60000 * 28 * 28 = 47040000
 * console.log(test.labels.length); // 10000
 * console.log(train.labels[0]); // the first training item is an ankle boot: 9
 * ```
 */
export async function loadFashionMnist(options?: LoadFashionMnistOptions): Promise<LoadMnistResult> {
  const o = checkLoadFashionMnistOptions(options);
  if (!isNode()) throw new Error(`${FN}: needs Node.js (it reads local files and a cache directory)`);
  const { join, resolve } = await nodeImport('path');
  const envDir = process.env.FASHION_MNIST_DIR;
  const named =
    o.dir !== undefined
      ? ['dir', o.dir]
      : envDir !== undefined && envDir !== ''
        ? ['FASHION_MNIST_DIR', envDir]
        : undefined;
  if (named !== undefined) {
    const dir = resolve(named[1]!);
    const files = await findIdxFiles(FASHION_MNIST, dir);
    if (files === null) {
      throw new Error(
        `${FN}: ${dir} (${named[0]}) holds no Fashion-MNIST files; expected ${IDX_FILES.join(', ')} (raw or .gz)`,
      );
    }
    return { ...(await readIdxFiles(FASHION_MNIST, files, o.maxBytes)), source: `${named[0]}:${dir}` };
  }

  const debian = debianFashionMnist.dir();
  const debianFiles = await findIdxFiles(FASHION_MNIST, debian).catch(() => null);
  if (debianFiles !== null) {
    return { ...(await readIdxFiles(FASHION_MNIST, debianFiles, o.maxBytes)), source: `debian:${debian}` };
  }

  const cacheDir = join(resolve(o.cacheDir ?? (await defaultCacheDir())), 'fashion-mnist');
  const arrays: (ByteArray | null)[] = await Promise.all(
    IDX_FILES.map(async (name, i) => {
      const file = join(cacheDir, `${name}.gz`);
      let parsed: ByteArray | null = null;
      const verified = async (gz: Uint8Array): Promise<boolean> => {
        try {
          const raw = await gunzipAtMost(FASHION_MNIST, gz, file, o.maxBytes);
          if ((await sha256Hex(raw)) !== o.sha256[CHECKSUM_KEYS[i]!].toLowerCase()) return false;
          parsed = parseIdx(FASHION_MNIST, raw, file, rank(i));
          return true;
        } catch {
          return false;
        }
      };
      await readVerified(FN, file, verified);
      return parsed;
    }),
  );
  const cachedAll = arrays.every((a) => a !== null);
  if (!cachedAll && !o.download) {
    throw new Error(
      `${FN}: no local Fashion-MNIST and options.download is false; looked in ${debian} and ${cacheDir}. ${OFFLINE_HINT}`,
    );
  }
  // One file at a time: four parallel downloads would share one bar and gain little.
  for (const [i, name] of IDX_FILES.entries()) {
    if (arrays[i] !== null) continue;
    arrays[i] = await fetchOne(o, name, i, join(cacheDir, `${name}.gz`));
  }
  const data: IdxDataset = assemble(
    FASHION_MNIST,
    arrays as [ByteArray, ByteArray, ByteArray, ByteArray],
    IDX_FILES.map((name) => join(cacheDir, `${name}.gz`)),
  );
  return { ...data, source: cachedAll ? `cache:${cacheDir}` : `download:${o.url}` };
}

/** Downloads, verifies, parses and caches one file. */
async function fetchOne(o: ResolvedOptions, name: string, index: number, cacheFile: string): Promise<ByteArray> {
  const url = `${o.url}${name}.gz`;
  const gz = await download(url, { ...o, fn: FN, sha256: undefined }).catch((e: unknown) => {
    // A failed connection most often means no network: say how to do without one.
    if (e instanceof Error && e.message.startsWith(`${FN}: download of`)) {
      throw new Error(`${e.message}. ${OFFLINE_HINT}`, { cause: e });
    }
    throw e;
  });
  const raw = await gunzipAtMost(FASHION_MNIST, gz, url, o.maxBytes);
  await checkSha256(FN, raw, o.sha256[CHECKSUM_KEYS[index]!], `${url} (inflated)`);
  const parsed = parseIdx(FASHION_MNIST, raw, url, rank(index));
  try {
    await writeFileAtomic(cacheFile, gz, { createDirectory: true });
  } catch (e) {
    // The data is good; only the next call will have to download it again.
    process.emitWarning(`${FN}: could not cache ${url} at ${cacheFile}: ${errorText(e)}`);
  }
  return parsed;
}

interface ResolvedOptions extends ResolvedLoaderOptions {
  sha256: FashionMnistChecksums;
}

function checkLoadFashionMnistOptions(options: unknown): ResolvedOptions {
  const o = checkOptions<LoadFashionMnistOptions>(FN, options, OPTIONS);
  const resolved = resolveLoaderOptions(FN, o, KERAS_URL);
  const url = resolved.url.endsWith('/') ? resolved.url : `${resolved.url}/`;
  const sha256 = checkOptions<FashionMnistChecksums>(FN, o.sha256 ?? CHECKSUMS, CHECKSUM_KEYS, [], 'options.sha256');
  for (const key of CHECKSUM_KEYS) {
    if (!isSha256(sha256[key])) {
      throw invalidArgument(FN, `options.sha256.${key}`, sha256[key], 'a SHA-256 digest (64 hex digits)');
    }
  }
  return { ...resolved, url, sha256: sha256 as FashionMnistChecksums };
}
