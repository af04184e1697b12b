import { Callback } from '@tensorflow/tfjs-layers';
import { lookupMonitor } from '../../core/logs.js';
import type { LogsLike } from '../../core/logs.js';
import { checkOneOf, invalidArgument } from '../../core/validate.js';
import { printWarning } from '../../core/console.js';

/** Whether 'auto' mode means "higher is better" for this quantity (Keras: accuracy-like names). */
export function higherIsBetter(monitor: string): boolean {
  const name = monitor.replace(/^val_/, '');
  return /acc|auc|precision|recall|^fmeasure|^f1/.test(name);
}

/** The options every monitoring callback takes, as given. */
export interface MonitorOptions {
  monitor?: string;
  mode?: 'auto' | 'min' | 'max';
  minDelta?: number;
}

/** The validated form of {@link MonitorOptions}. */
export interface MonitorSettings {
  monitor: string;
  mode: 'auto' | 'min' | 'max';
  /** Its absolute value, as Keras takes `abs(min_delta)`. */
  minDelta: number;
}

/** Validates `monitor`, `mode` and `minDelta` for `fn` (Keras' defaults: val_loss, auto). */
export function checkMonitorOptions(fn: string, o: MonitorOptions, defaultMinDelta: number): MonitorSettings {
  const monitor = o.monitor ?? 'val_loss';
  if (typeof monitor !== 'string' || monitor === '')
    throw invalidArgument(fn, 'monitor', monitor, 'a non-empty log key');
  const minDelta = o.minDelta ?? defaultMinDelta;
  if (typeof minDelta !== 'number' || !Number.isFinite(minDelta))
    throw invalidArgument(fn, 'minDelta', minDelta, 'a finite number');
  return {
    monitor,
    mode: checkOneOf(fn, 'mode', o.mode ?? 'auto', ['auto', 'min', 'max'] as const),
    minDelta: Math.abs(minDelta),
  };
}

/**
 * What ReduceLROnPlateau, EarlyStopping and ModelCheckpoint share, as Keras 3's `MonitorCallback`:
 * the monitored key (Keras and tfjs names alike), the direction (`mode`, with 'auto' inferred from
 * the name), `minDelta`, the improvement test, and one warning, naming the keys the logs have, when
 * the monitored key is missing, instead of silently never triggering.
 */
export abstract class MonitorCallback extends Callback {
  protected readonly monitor: string;
  /** True when higher monitored values are better. */
  protected readonly max: boolean;
  protected readonly minDelta: number;
  private warned = false;

  constructor(
    private readonly owner: string,
    settings: MonitorSettings,
    private readonly warn: (message: string) => void = printWarning,
  ) {
    super();
    this.monitor = settings.monitor;
    this.max = settings.mode === 'max' || (settings.mode === 'auto' && higherIsBetter(settings.monitor));
    this.minDelta = settings.minDelta;
  }

  /** The worst possible value, where a best value starts. */
  protected worst(): number {
    return this.max ? -Infinity : Infinity;
  }

  /** Keras' `_is_improvement`: `current` beats `reference` by more than minDelta (always, with no reference). */
  protected isImprovement(current: number, reference: number | undefined): boolean {
    if (reference === undefined) return true;
    return this.max ? current - this.minDelta > reference : current + this.minDelta < reference;
  }

  /** The monitored value in these logs, or undefined (warning once per callback). */
  protected monitored(logs: LogsLike): number | undefined {
    const value = lookupMonitor(logs, this.monitor);
    // An epoch cut short (stopTraining set during it) ends without its validation logs: no mistake to report.
    const cutShort = stopping(this.model);
    if (value === undefined && !this.warned && !cutShort) {
      this.warned = true;
      const keys = Object.keys(logs ?? {}).join(', ') || '(none)';
      this.warn(
        `${this.owner}: monitor "${this.monitor}" is not in the logs; available keys: ${keys}. The callback does nothing until it appears.`,
      );
    }
    return value;
  }
}

/** Whether training was told to stop; false for a model that cannot say (an uncompiled Sequential throws). */
function stopping(model: { stopTraining: boolean } | undefined): boolean {
  try {
    return model?.stopTraining === true;
  } catch {
    return false;
  }
}
