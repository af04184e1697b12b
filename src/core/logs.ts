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

/** Whether 'auto' mode means "higher is better" for this quantity (Keras: accuracy-like names). */
export function higherIsBetter(monitor: string): boolean {
  const name = monitor.replace(/^val_/, '');
  return /acc|auc|precision|recall|^fmeasure|^f1/.test(name);
}

/**
 * Warns once per callback instance when the monitored key is absent, listing what the logs do have,
 * instead of silently never triggering.
 */
export class MissingMonitorWarning {
  private warned = false;
  constructor(private readonly owner: string, private readonly monitor: string, private readonly warn: (msg: string) => void = console.warn) {}
  report(logs: LogsLike): void {
    if (this.warned) return;
    this.warned = true;
    const keys = Object.keys(logs ?? {}).join(', ') || '(none)';
    this.warn(`${this.owner}: monitor "${this.monitor}" is not in the logs; available keys: ${keys}. The callback does nothing until it appears.`);
  }
}
