/** Formatting of progressLogger's lines, following Keras' Progbar. */
import { kerasLogName } from '../../core/logs.js';

function nonFinite(x: number): string | undefined {
  if (Number.isNaN(x)) return 'nan';
  if (!Number.isFinite(x)) return x > 0 ? 'inf' : '-inf';
  return undefined;
}

/** Python-style exponent: at least two digits and a sign (1.5e-05, not 1.5e-5). */
function pyExponent(s: string): string {
  return s.replace(/e([+-])(\d)$/, 'e$10$2');
}

/** A metric as Keras prints it: `%.4f`, or `%.4e` for magnitudes <= 1e-3. */
export function formatMetric(x: number): string {
  return nonFinite(x) ?? (Math.abs(x) > 1e-3 ? x.toFixed(4) : pyExponent(x.toExponential(4)));
}

/** Keras' ETA: `Ns` under a minute, `m:ss`, then `h:mm:ss`. */
export function formatEta(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  const two = (n: number): string => String(n).padStart(2, '0');
  if (seconds > 3600) return `${Math.floor(s / 3600)}:${two(Math.floor((s % 3600) / 60))}:${two(s % 60)}`;
  if (seconds > 60) return `${Math.floor(s / 60)}:${two(s % 60)}`;
  return `${s}s`;
}

/** Keras' time per step: `2s/step`, `8ms/step` or `350us/step`. */
export function formatPerStep(seconds: number): string {
  if (seconds >= 1 || seconds === 0) return `${Math.round(seconds)}s/step`;
  if (seconds >= 1e-3) return `${Math.round(seconds * 1e3)}ms/step`;
  return `${Math.round(seconds * 1e6)}us/step`;
}

/** `  9/375 [=>.....]` with a 30-character bar; `9/Unknown` when the number of steps is unknown. */
export function formatCounter(current: number, target: number | undefined, width = 30): string {
  if (target === undefined) return `${String(current).padStart(7)}/Unknown`;
  const digits = String(target).length;
  const filled = Math.min(width, Math.floor((width * current) / target));
  let bar = '';
  if (filled > 0) bar += '='.repeat(filled - 1) + (current < target ? '>' : '=');
  return `${String(current).padStart(digits)}/${target} [${bar}${'.'.repeat(width - filled)}]`;
}

/**
 * Log entries in Keras' order (training metrics, then validation ones, then the learning rate) as
 * ` - name: value`, with Keras 3's names (`acc` prints as `accuracy`, `lr` as `learning_rate`).
 * The stable sort keeps tfjs' order within each group.
 */
export function formatLogs(values: ReadonlyArray<readonly [string, number]>): string {
  const rank = (key: string): number => (key === 'learning_rate' ? 2 : key.startsWith('val_') ? 1 : 0);
  return values
    .map(([key, v]) => [kerasLogName(key), v] as const)
    .sort((a, b) => rank(a[0]) - rank(b[0]))
    .map(([key, v]) => ` - ${key}: ${formatMetric(v)}`)
    .join('');
}
