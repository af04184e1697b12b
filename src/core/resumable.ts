import type { DataType } from '@tensorflow/tfjs-core';

/** An array kept in host memory, as a backup stores it (weights, averages, best weights). */
export interface HostArray {
  shape: number[];
  dtype: DataType;
  values: Float32Array | Int32Array | Uint8Array;
}

/** A piece of training state as a backup stores it: JSON (NaN and ±Infinity allowed) and host arrays. */
export interface SavedState {
  json: unknown;
  arrays?: HostArray[];
}

/** What can be backed up and put back: a callback's counters, a data stream's position. */
export interface Resumable {
  saveState(): SavedState | Promise<SavedState>;
  loadState(state: SavedState): void | Promise<void>;
}

/**
 * The property under which an object that is not a callback (`flow`'s dataset) offers its state to
 * `backupAndRestore`, which is given such objects explicitly.
 */
export const RESUMABLE: unique symbol = Symbol.for('tfjs-regularization.resumable');

interface Fit {
  /** tfjs hands every callback of one fit call the same params object: it identifies the call. */
  params: unknown;
  entries: Map<object, { key: string; state: Resumable }>;
  counts: Map<string, number>;
  pending: Map<string, SavedState> | undefined;
}

const fits = new WeakMap<object, Fit>();

function fitOf(model: object, params: unknown): Fit {
  let fit = fits.get(model);
  if (fit === undefined || fit.params !== params) {
    fit = { params, entries: new Map(), counts: new Map(), pending: undefined };
    fits.set(model, fit);
  }
  return fit;
}

/**
 * Called by a stateful callback from `setModel`: its state belongs to this fit call, under a key
 * made of its kind and its rank among the callbacks of that kind (the same script gives the same keys).
 */
export function trackState(model: object, params: unknown, owner: object, kind: string, state: Resumable): void {
  const fit = fitOf(model, params);
  if (fit.entries.has(owner)) return;
  const n = fit.counts.get(kind) ?? 0;
  fit.counts.set(kind, n + 1);
  fit.entries.set(owner, { key: `${kind}#${n}`, state });
}

/** The tracked states of the model's current fit call, in callback order. */
export function trackedStates(model: object, params: unknown): { key: string; state: Resumable }[] {
  return [...fitOf(model, params).entries.values()];
}

/** Called by `backupAndRestore` from `setModel`: the states its backup holds, for each callback to take. */
export function setPendingStates(model: object, params: unknown, states: Map<string, SavedState>): void {
  fitOf(model, params).pending = states;
}

/**
 * Called by a tracked callback at the end of its `onTrainBegin` (after it reset itself, whatever the
 * callbacks' order): puts back the state a backup holds for it, if any.
 */
export async function restorePendingState(model: object, params: unknown, owner: object): Promise<void> {
  const fit = fits.get(model);
  if (fit === undefined || fit.params !== params || fit.pending === undefined) return;
  const entry = fit.entries.get(owner);
  const saved = entry === undefined ? undefined : fit.pending.get(entry.key);
  if (entry === undefined || saved === undefined) return;
  fit.pending.delete(entry.key);
  await entry.state.loadState(saved);
}
