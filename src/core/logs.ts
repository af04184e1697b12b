import type { Tensor } from '@tensorflow/tfjs-core';

/** Epoch/batch logs as tfjs passes them: numbers, or scalar tensors not yet resolved. */
export type LogsLike = Record<string, number | Tensor | undefined> | undefined;

const ALIASES: Record<string, string> = {
  accuracy: 'acc',
  acc: 'accuracy',
  val_accuracy: 'val_acc',
  val_acc: 'val_accuracy',
};

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
 * (`val_accuracy` ≡ `val_acc`, `accuracy` ≡ `acc`).
 */
export function lookupMonitor(logs: LogsLike, monitor: string): number | undefined {
  if (logs == null) return undefined;
  const direct = readLogValue(logs[monitor]);
  if (direct !== undefined) return direct;
  const alias = ALIASES[monitor];
  return alias === undefined ? undefined : readLogValue(logs[alias]);
}
