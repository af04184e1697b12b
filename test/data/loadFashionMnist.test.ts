import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { loadFashionMnist } from '../../src/data/loadFashionMnist.js';
import type { FashionMnistChecksums } from '../../src/data/loadFashionMnist.js';
import { debianFashionMnist } from '../../src/data/_internal/fashionSources.js';
import { idxFiles, serve, sha256, synthetic } from './mnistFixtures.js';
import type { Mnist, TestServer } from './mnistFixtures.js';

const DEBIAN = '/usr/share/datasets/fashion-mnist';
const hasDebian = existsSync(join(DEBIAN, 'train-images-idx3-ubyte.gz'));

const data = synthetic(20, 7);
const raw = idxFiles(data);
const gz = Object.fromEntries(Object.entries(raw).map(([name, bytes]) => [`${name}.gz`, gzipSync(bytes)]));
const checksums: FashionMnistChecksums = {
  trainImages: sha256(raw['train-images-idx3-ubyte']!),
  trainLabels: sha256(raw['train-labels-idx1-ubyte']!),
  testImages: sha256(raw['t10k-images-idx3-ubyte']!),
  testLabels: sha256(raw['t10k-labels-idx1-ubyte']!),
};
// The same data compressed differently: its .gz bytes differ, its inflated data does not.
const recompressed = Object.fromEntries(
  Object.entries(raw).map(([name, bytes]) => [`${name}.gz`, gzipSync(bytes, { level: 1 })]),
);

let root = '';
let n = 0;
let server: TestServer;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'loadFashionMnist-'));
  const routes: Record<string, (req: unknown, res: import('node:http').ServerResponse) => void> = {};
  for (const [name, bytes] of Object.entries(gz)) {
    routes[`/good/${name}`] = (_req, res) => res.writeHead(200, { 'Content-Length': bytes.length }).end(bytes);
    routes[`/recompressed/${name}`] = (_req, res) => res.writeHead(200).end(recompressed[name]);
    // Every file but the training labels is right; those are another file's bytes.
    routes[`/wrong/${name}`] = (_req, res) =>
      res.writeHead(200).end(name.startsWith('train-labels') ? gz['t10k-labels-idx1-ubyte.gz'] : bytes);
  }
  routes['/bomb/train-images-idx3-ubyte.gz'] = (_req, res) => res.writeHead(200).end(gzipSync(new Uint8Array(4 << 20)));
  server = await serve(routes);
});
afterAll(async () => {
  await server.close();
  await rm(root, { recursive: true, force: true });
});
beforeEach(() => {
  vi.stubEnv('FASHION_MNIST_DIR', '');
  server.requests.clear();
});
afterEach(() => {
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
});

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

function noDebian(): void {
  vi.spyOn(debianFashionMnist, 'dir').mockReturnValue(join(root, 'no-such-package'));
}

describe.runIf(hasDebian)("loadFashionMnist from Debian's dataset-fashion-mnist", () => {
  it('reads the real files: counts, first labels, balanced classes, the published pixel mean', async () => {
    const { train, test, source } = await loadFashionMnist({ download: false });
    expect(source).toBe(`debian:${DEBIAN}`);
    expect([train.images.length, train.labels.length, test.images.length, test.labels.length]).toEqual([
      60000 * 784,
      60000,
      10000 * 784,
      10000,
    ]);
    expect(Array.from(train.labels.subarray(0, 10))).toEqual([9, 0, 0, 3, 0, 2, 7, 2, 5, 5]);
    expect(Array.from(test.labels.subarray(0, 10))).toEqual([9, 2, 1, 1, 6, 1, 4, 6, 5, 7]);
    expect(histogram(train.labels)).toEqual(new Array(10).fill(6000));
    expect(histogram(test.labels)).toEqual(new Array(10).fill(1000));
    // Fashion-MNIST's training mean, 0.2860 of full scale, as its authors and every recipe give it.
    let sum = 0;
    for (const v of train.images) sum += v;
    const mean = sum / train.images.length / 255;
    expect(mean).toBeCloseTo(0.286, 3);
    expect(Array.from(train.images.subarray(10 * 28 + 13, 10 * 28 + 17))).toEqual([193, 228, 218, 213]);
  });
});

describe('loadFashionMnist from a directory', () => {
  it('reads raw idx files, gzipped ones and a mix; options.dir over FASHION_MNIST_DIR', async () => {
    const rawDir = await dirWith(raw);
    const gzDir = await dirWith(gz);
    const mixed = await dirWith({ ...raw, 'train-images-idx3-ubyte.gz': gz['train-images-idx3-ubyte.gz']! });
    expectData(await loadFashionMnist({ dir: rawDir }), data);
    expectData(await loadFashionMnist({ dir: mixed }), data);
    vi.stubEnv('FASHION_MNIST_DIR', gzDir);
    const fromEnv = await loadFashionMnist();
    expect(fromEnv.source).toBe(`FASHION_MNIST_DIR:${gzDir}`);
    expectData(fromEnv, data);
    expect((await loadFashionMnist({ dir: rawDir })).source).toBe(`dir:${rawDir}`);
  });

  it('fails, rather than look elsewhere, when the named directory has none or some of the files', async () => {
    const empty = await dirWith({});
    await expect(loadFashionMnist({ dir: empty })).rejects.toThrow(
      /^loadFashionMnist: .* \(dir\) holds no Fashion-MNIST files; expected train-images-idx3-ubyte/,
    );
    const partial = await dirWith({ 'train-images-idx3-ubyte': raw['train-images-idx3-ubyte']! });
    await expect(loadFashionMnist({ dir: partial })).rejects.toThrow(
      /holds only some of the Fashion-MNIST idx files; missing train-labels-idx1-ubyte, t10k-images-idx3-ubyte/,
    );
  });

  it('rejects bad files naming the loader and the file', async () => {
    const labelsAsImages = await dirWith({ ...raw, 'train-images-idx3-ubyte': raw['train-labels-idx1-ubyte']! });
    await expect(loadFashionMnist({ dir: labelsAsImages })).rejects.toThrow(
      /^loadFashionMnist: .*train-images-idx3-ubyte has a wrong magic number .*not a Fashion-MNIST image file/,
    );
    const notGzip = await dirWith({ ...raw, 't10k-labels-idx1-ubyte.gz': new Uint8Array(50).fill(3) });
    await rm(join(notGzip, 't10k-labels-idx1-ubyte'));
    await expect(loadFashionMnist({ dir: notGzip })).rejects.toThrow(
      /^loadFashionMnist: .*t10k-labels-idx1-ubyte\.gz is not a valid gzip file/,
    );
  });

  it('uses the Debian directory when no directory is named, and skips it when absent', async () => {
    vi.spyOn(debianFashionMnist, 'dir').mockReturnValue(await dirWith(gz));
    const got = await loadFashionMnist({ download: false });
    expect(got.source).toMatch(/^debian:/);
    expectData(got, data);
    noDebian();
    await expect(loadFashionMnist({ download: false, cacheDir: join(root, 'empty-cache') })).rejects.toThrow(
      /^loadFashionMnist: no local Fashion-MNIST and options.download is false; .*dataset-fashion-mnist/,
    );
  });
});

describe('loadFashionMnist downloads from a server on 127.0.0.1', () => {
  it('downloads the four files once, verifies and caches them; the next call reads the cache', async () => {
    noDebian();
    const cacheDir = join(root, `cache${n++}`);
    const first = await loadFashionMnist({ cacheDir, url: `${server.base}/good`, sha256: checksums });
    expect(first.source).toBe(`download:${server.base}/good/`);
    expectData(first, data);
    expect([...server.requests.keys()].sort()).toEqual(
      Object.keys(gz)
        .map((f) => `/good/${f}`)
        .sort(),
    );
    expect((await readdir(join(cacheDir, 'fashion-mnist'))).sort()).toEqual(Object.keys(gz).sort());
    server.requests.clear();
    const second = await loadFashionMnist({ cacheDir, url: `${server.base}/good`, sha256: checksums });
    expect(second.source).toBe(`cache:${join(cacheDir, 'fashion-mnist')}`);
    expectData(second, data);
    expect(server.requests.size).toBe(0);
  });

  it('checks the inflated data, so a recompressed copy verifies', async () => {
    noDebian();
    const got = await loadFashionMnist({
      cacheDir: join(root, `cache${n++}`),
      url: `${server.base}/recompressed/`,
      sha256: checksums,
    });
    expectData(got, data);
  });

  it('replaces only the corrupt cache file', async () => {
    noDebian();
    const cacheDir = join(root, `cache${n++}`);
    await loadFashionMnist({ cacheDir, url: `${server.base}/good`, sha256: checksums });
    const bad = join(cacheDir, 'fashion-mnist', 't10k-images-idx3-ubyte.gz');
    await writeFile(bad, gzipSync(new Uint8Array(100)));
    server.requests.clear();
    expectData(await loadFashionMnist({ cacheDir, url: `${server.base}/good`, sha256: checksums }), data);
    expect([...server.requests.keys()]).toEqual(['/good/t10k-images-idx3-ubyte.gz']);
    expect(await readFile(bad)).toEqual(Buffer.from(gz['t10k-images-idx3-ubyte.gz']!));
  });

  it('fails on a checksum mismatch and caches nothing of the bad file', async () => {
    noDebian();
    const cacheDir = join(root, `cache${n++}`);
    await expect(loadFashionMnist({ cacheDir, url: `${server.base}/wrong`, sha256: checksums })).rejects.toThrow(
      /^loadFashionMnist: checksum mismatch for .*\/wrong\/train-labels-idx1-ubyte\.gz \(inflated\): SHA-256 is [0-9a-f]{64}, expected/,
    );
    expect(await readdir(join(cacheDir, 'fashion-mnist'))).toEqual(['train-images-idx3-ubyte.gz']);
  });

  it('names the URL and says how to work offline on an HTTP error; stops a gzip bomb at maxBytes', async () => {
    noDebian();
    await expect(
      loadFashionMnist({ cacheDir: join(root, `cache${n++}`), url: `${server.base}/missing`, sha256: checksums }),
    ).rejects.toThrow(
      /^loadFashionMnist: download of .*\/missing\/train-images-idx3-ubyte\.gz failed: HTTP 404 Not Found\. To load Fashion-MNIST offline/,
    );
    await expect(
      loadFashionMnist({ cacheDir: join(root, `cache${n++}`), url: `${server.base}/bomb`, maxBytes: 2 ** 20 }),
    ).rejects.toThrow(
      /^loadFashionMnist: .*\/bomb\/train-images-idx3-ubyte\.gz inflates to more than maxBytes \(1048576\)/,
    );
  });
});

it('loadFashionMnist rejects bad options naming the function, option and value', async () => {
  await expect(loadFashionMnist(5 as never)).rejects.toThrow(
    'loadFashionMnist: options must be an options object, got 5',
  );
  await expect(loadFashionMnist({ dri: '/x' } as never)).rejects.toThrow(
    'loadFashionMnist: unknown option "dri"; did you mean "dir"?',
  );
  await expect(loadFashionMnist({ dir: '' })).rejects.toThrow(
    'loadFashionMnist: options.dir must be a non-empty path string',
  );
  await expect(loadFashionMnist({ url: 'ftp://example.com/' })).rejects.toThrow(
    'loadFashionMnist: options.url must be an http(s) URL',
  );
  await expect(loadFashionMnist({ sha256: { ...checksums, trainImage: 'x' } as never })).rejects.toThrow(
    'loadFashionMnist: unknown option "trainImage" in options.sha256; did you mean "trainImages"?',
  );
  await expect(loadFashionMnist({ sha256: { ...checksums, testLabels: 'abc' } })).rejects.toThrow(
    'loadFashionMnist: options.sha256.testLabels must be a SHA-256 digest (64 hex digits), got "abc"',
  );
  await expect(loadFashionMnist({ timeoutMs: 0 })).rejects.toThrow('loadFashionMnist: options.timeoutMs must be');
  await expect(loadFashionMnist({ download: 'no' as never })).rejects.toThrow(
    'loadFashionMnist: options.download must be a boolean',
  );
});
