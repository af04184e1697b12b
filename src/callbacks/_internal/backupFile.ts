import type { DataType } from '@tensorflow/tfjs-core';
import { reviveNonFinite, stringifyRecords } from '../../core/json.js';
import type { HostArray, SavedState } from '../../core/resumable.js';

/** Everything a backup holds, arrays apart: they follow the header in the file, in this order. */
export interface BackupContents {
  /** The epoch a resumed fit starts at (Keras' `training_metadata.json` `epoch`). */
  epoch: number;
  /** The batch of the save, for saves every `saveFreq` batches (Keras' `batch`). */
  batch: number | null;
  learningRate: number | null;
  optimizer: { className: string; names: string[]; extra: SavedState | null };
  /** The model's weights, and the variables' names when they were backed up. */
  model: { arrays: HostArray[]; names: string[] };
  optimizerArrays: HostArray[];
  callbacks: Record<string, SavedState>;
  data: SavedState[];
}

const MAGIC = 'tfjs-regularization backup 1\n';

interface ArrayRef {
  shape: number[];
  dtype: DataType;
  bytes: number;
}

const CTORS = { float32: Float32Array, int32: Int32Array, bool: Uint8Array } as const;

/**
 * One file: a magic line, the header's length (8 digits), the header (JSON, NaN and ±Infinity as
 * strings), then every array's bytes, each padded to 4. One file keeps one atomic rename enough for
 * a backup to be complete or absent.
 */
export function encodeBackup(contents: BackupContents): Uint8Array {
  const arrays: HostArray[] = [];
  const refs = (list: HostArray[]): ArrayRef[] =>
    list.map((a) => {
      arrays.push(a);
      return { shape: a.shape, dtype: a.dtype, bytes: a.values.byteLength };
    });
  const states = (s: SavedState): { json: unknown; arrays: ArrayRef[] } => ({
    json: s.json,
    arrays: refs(s.arrays ?? []),
  });
  const header = {
    epoch: contents.epoch,
    batch: contents.batch,
    learningRate: contents.learningRate,
    optimizer: {
      className: contents.optimizer.className,
      names: contents.optimizer.names,
      extra: contents.optimizer.extra === null ? null : states(contents.optimizer.extra),
    },
    model: refs(contents.model.arrays),
    modelNames: contents.model.names,
    optimizerArrays: refs(contents.optimizerArrays),
    callbacks: Object.fromEntries(Object.entries(contents.callbacks).map(([k, s]) => [k, states(s)])),
    data: contents.data.map(states),
  };
  const text = new TextEncoder().encode(stringifyRecords(header));
  const head = new TextEncoder().encode(`${MAGIC}${String(text.length).padStart(8, '0')}\n`);
  const pad = (n: number) => (4 - (n % 4)) % 4;
  let total = head.length + text.length + pad(text.length);
  for (const a of arrays) total += a.values.byteLength + pad(a.values.byteLength);
  const out = new Uint8Array(total);
  out.set(head, 0);
  out.set(text, head.length);
  let offset = head.length + text.length + pad(text.length);
  for (const a of arrays) {
    out.set(new Uint8Array(a.values.buffer, a.values.byteOffset, a.values.byteLength), offset);
    offset += a.values.byteLength + pad(a.values.byteLength);
  }
  return out;
}

/** Reads what {@link encodeBackup} wrote; anything else (or a truncated file) is an error saying so. */
export function decodeBackup(bytes: Uint8Array, where: string): BackupContents {
  const bad = (why: string) => new Error(`backupAndRestore: ${where} is not a complete backup (${why})`);
  const magic = new TextEncoder().encode(MAGIC);
  if (bytes.length < magic.length + 9 || magic.some((b, i) => bytes[i] !== b)) throw bad('unknown format');
  const length = Number(new TextDecoder().decode(bytes.subarray(magic.length, magic.length + 8)));
  const start = magic.length + 9;
  if (!Number.isInteger(length) || start + length > bytes.length) throw bad('truncated header');
  let header: {
    epoch: number;
    batch: number | null;
    learningRate: number | null;
    optimizer: { className: string; names: string[]; extra: { json: unknown; arrays: ArrayRef[] } | null };
    model: ArrayRef[];
    modelNames: string[];
    optimizerArrays: ArrayRef[];
    callbacks: Record<string, { json: unknown; arrays: ArrayRef[] }>;
    data: { json: unknown; arrays: ArrayRef[] }[];
  };
  try {
    header = JSON.parse(new TextDecoder().decode(bytes.subarray(start, start + length)), reviveNonFinite) as never;
  } catch (e) {
    throw bad(`header: ${(e as Error).message}`);
  }
  const pad = (n: number) => (4 - (n % 4)) % 4;
  let offset = start + length + pad(length);
  const read = (list: ArrayRef[]): HostArray[] =>
    list.map((r) => {
      if (offset + r.bytes > bytes.length) throw bad('truncated arrays');
      const Ctor = CTORS[r.dtype as keyof typeof CTORS];
      if (Ctor === undefined) throw bad(`dtype ${r.dtype}`);
      // A copy, aligned for the typed array (a Node Buffer's slice would share its pool).
      const copy = new Uint8Array(r.bytes);
      copy.set(bytes.subarray(offset, offset + r.bytes));
      const values = new Ctor(copy.buffer);
      offset += r.bytes + pad(r.bytes);
      return { shape: r.shape, dtype: r.dtype, values };
    });
  const state = (s: { json: unknown; arrays: ArrayRef[] }): SavedState => ({ json: s.json, arrays: read(s.arrays) });
  const extra = header.optimizer.extra === null ? null : state(header.optimizer.extra);
  const contents: BackupContents = {
    epoch: header.epoch,
    batch: header.batch,
    learningRate: header.learningRate,
    optimizer: { className: header.optimizer.className, names: header.optimizer.names, extra },
    model: { arrays: read(header.model), names: header.modelNames },
    optimizerArrays: read(header.optimizerArrays),
    callbacks: Object.fromEntries(Object.entries(header.callbacks).map(([k, s]) => [k, state(s)])),
    data: header.data.map(state),
  };
  if (offset !== bytes.length) throw bad('trailing bytes');
  return contents;
}
