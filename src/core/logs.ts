import type { Tensor } from '@tensorflow/tfjs-core';

/** Epoch/batch logs as tfjs passes them: numbers, or scalar tensors not yet resolved. */
export type LogsLike = Record<string, number | Tensor | undefined> | undefined;

/** tfjs' log names and Keras 3's for the same quantities. */
const KERAS_NAMES: Readonly<Record<string, string>> = { acc: 'accuracy', val_acc: 'val_accuracy', lr: 'learning_rate' };
const ALIASES: Readonly<Record<string, string>> = {
  ...KERAS_NAMES,
  ...Object.fromEntries(Object.entries(KERAS_NAMES).map(([tfjs, keras]) => [keras, tfjs])),
};

/**
 * The name Keras 3 gives a log key: tfjs' `acc`, `val_acc` and `lr` are `accuracy`, `val_accuracy`
 * and `learning_rate`.
 */
export function kerasLogName(key: string): string {
  return KERAS_NAMES[key] ?? key;
}

/** Reads a log value that may be a number or a scalar tensor (read synchronously: it is one number). */
export function readLogValue(value: unknown): number | undefined {
  if (typeof value === 'number') return value;
  if (value != null && typeof (value as Tensor).dataSync === 'function') {
    const t = value as Tensor;
    if (t.isDisposed || t.size !== 1) return undefined;
    return t.dataSync()[0];
  }
  return undefined;
}

/**
 * Looks a monitored quantity up in the logs, accepting Keras names and tfjs names interchangeably
 * (`val_accuracy` ≡ `val_acc`, `accuracy` ≡ `acc`, `learning_rate` ≡ `lr`).
 */
export function lookupMonitor(logs: LogsLike, monitor: string): number | undefined {
  if (logs == null) return undefined;
  const direct = readLogValue(logs[monitor]);
  if (direct !== undefined) return direct;
  const alias = ALIASES[monitor];
  return alias === undefined ? undefined : readLogValue(logs[alias]);
}

/**
 * The logs with each value read at most once, when first looked up: a callback that checks one
 * batch's logs several times (a path template, a finiteness check, the improvement test) reads each
 * scalar tensor from the backend once, and only those it looks at.
 */
export function readOnce(logs: LogsLike): LogsLike {
  if (logs == null) return logs;
  const view: Record<string, number | undefined> = {};
  for (const key of Object.keys(logs)) {
    let read = false;
    let value: number | undefined;
    Object.defineProperty(view, key, {
      enumerable: true,
      get: () => {
        if (!read) [read, value] = [true, readLogValue(logs[key])];
        return value;
      },
    });
  }
  return view;
}
