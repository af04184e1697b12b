/** Formatting of progressLogger's lines, following Keras 2's Progbar. */

const KERAS_NAMES: Record<string, string> = { acc: 'accuracy', val_acc: 'val_accuracy' };

/** The name Keras prints for a tfjs log key (tfjs says acc, Keras accuracy). */
export function kerasName(key: string): string {
  return KERAS_NAMES[key] ?? key;
}

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

/** A learning rate as Python's `%g`: 6 significant digits, scientific below 1e-4 (0.025, 1e-05). */
export function formatLearningRate(x: number): string {
  const special = nonFinite(x);
  if (special !== undefined) return special;
  if (x === 0) return '0';
  const sci = x.toExponential(5);
  const exponent = Number(sci.slice(sci.indexOf('e') + 1));
  if (exponent < -4 || exponent >= 6) {
    const [mantissa, exp] = sci.split('e') as [string, string];
    return pyExponent(`${mantissa.replace(/\.?0+$/, '')}e${exp}`);
  }
  const fixed = x.toFixed(5 - exponent);
  return fixed.includes('.') ? fixed.replace(/\.?0+$/, '') : fixed;
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
 * Log entries in Keras' order (training metrics, then validation ones, then lr) as ` - name: value`.
 * The stable sort keeps tfjs' order within each group.
 */
export function formatLogs(values: ReadonlyArray<readonly [string, number]>): string {
  const rank = (key: string): number => (key === 'lr' ? 2 : key.startsWith('val_') ? 1 : 0);
  return [...values]
    .sort((a, b) => rank(a[0]) - rank(b[0]))
    .map(([key, v]) => ` - ${kerasName(key)}: ${key === 'lr' ? formatLearningRate(v) : formatMetric(v)}`)
    .join('');
}
