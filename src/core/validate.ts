/** Renders a bad value for an error message: strings quoted, objects as JSON, others as-is. */
export function describeValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  if (value === undefined) return 'undefined';
  if (value === null) return 'null';
  if (typeof value === 'function') return 'a function';
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return Object.prototype.toString.call(value);
  }
}

/** The error every public function throws for bad input: it names the function, the argument and the value. */
export function invalidArgument(fn: string, arg: string, value: unknown, expected: string): Error {
  return new Error(`${fn}: ${arg} must be ${expected}, got ${describeValue(value)}`);
}

/** A finite number >= 0 (regularization rates, factors). */
export function checkNonNegative(fn: string, arg: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw invalidArgument(fn, arg, value, 'a finite number >= 0');
  }
  return value;
}

/** A finite number > 0. */
export function checkPositive(fn: string, arg: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw invalidArgument(fn, arg, value, 'a finite number > 0');
  }
  return value;
}

/** An integer (negative allowed: axes may count from the end). */
export function checkInteger(fn: string, arg: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    throw invalidArgument(fn, arg, value, 'an integer');
  }
  return value;
}

/** One of a fixed set of strings. */
export function checkOneOf<T extends string>(fn: string, arg: string, value: unknown, allowed: readonly T[]): T {
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    throw invalidArgument(fn, arg, value, `one of ${allowed.map((a) => JSON.stringify(a)).join(', ')}`);
  }
  return value as T;
}

/**
 * The option names of `T`, in a tuple the compiler checks complete: leaving a property of `T`
 * out is a type error, so a new option cannot be forgotten by the unknown-key check.
 * Usage: `const NAMES = optionNames<FooOptions>()('alpha', 'beta');`
 */
export function optionNames<T>(): <const K extends readonly (keyof T & string)[]>(
  ...names: K &
    ([Exclude<keyof T & string, K[number]>] extends [never]
      ? unknown
      : { missing: Exclude<keyof T & string, K[number]> })
) => K {
  return ((...names: string[]) => names) as never;
}

/** Edit distance between two option names, ignoring case and underscores (Keras' `min_lr` is `minLR`). */
function distance(a: string, b: string): number {
  const x = a.toLowerCase().replace(/_/g, '');
  const y = b.toLowerCase().replace(/_/g, '');
  let row = Array.from({ length: y.length + 1 }, (_, j) => j);
  for (let i = 1; i <= x.length; i++) {
    const next = [i];
    for (let j = 1; j <= y.length; j++) {
      next[j] = Math.min(row[j]! + 1, next[j - 1]! + 1, row[j - 1]! + (x[i - 1] === y[j - 1] ? 0 : 1));
    }
    row = next;
  }
  return row[y.length]!;
}

/** The known name closest to `key`, when it is close enough to be a plausible typo or a Keras spelling. */
function closest(key: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const name of known) {
    const d = distance(key, name);
    if (d < bestDistance) [best, bestDistance] = [name, d];
  }
  return bestDistance <= Math.max(2, Math.floor(key.length / 3)) ? best : undefined;
}

/** The keys of `T` whose type admits `null` (Keras' `None`, such as a layer's `seed`). */
export type NullableKeys<T> = { [K in keyof T & string]-?: null extends T[K] ? K : never }[keyof T & string];

/**
 * An options argument: undefined (all defaults) or a plain object whose keys are all `known`.
 * An unknown key (a Keras snake_case name, a typo) is an error naming the function, the key and
 * the closest known key, as Keras raises on an unexpected keyword argument: silently ignoring it
 * would leave the option at its default. `arg` names a nested options object (`options.sha256`).
 *
 * The one rule for absent values: an option left out or `undefined` takes its default; `null` is
 * a value, which only the options whose type admits it (`nullable`) accept. Elsewhere it is an error
 * here, not a silent default through a `??` further on.
 */
export function checkOptions<T extends object>(
  fn: string,
  value: unknown,
  known: readonly string[],
  nullable: readonly NullableKeys<T>[] = [],
  arg = 'options',
): Partial<T> {
  if (value === undefined) return {};
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw invalidArgument(fn, arg, value, arg === 'options' ? 'an options object' : 'an object');
  }
  for (const [key, v] of Object.entries(value)) {
    if (known.includes(key)) {
      if (v === null && !(nullable as readonly string[]).includes(key)) {
        const name = arg === 'options' ? key : `${arg}.${key}`;
        throw invalidArgument(fn, name, v, 'given a value or left out (it takes no null)');
      }
      continue;
    }
    const near = closest(key, known);
    const hint = near === undefined ? `known options: ${known.join(', ')}` : `did you mean "${near}"?`;
    const where = arg === 'options' ? '' : ` in ${arg}`;
    throw new Error(`${fn}: unknown option ${JSON.stringify(key)}${where}; ${hint}`);
  }
  return value as Partial<T>;
}

/** The largest finite float32: a tensor value beyond it is Infinity. */
export const FLOAT32_MAX = 3.4028234663852886e38;

/**
 * A number that a float32 tensor holds finitely, within [min, max] (by default float32's whole
 * range): pixel values, fill values, noise levels, which would otherwise turn into ±Infinity.
 */
export function checkFloat32(
  fn: string,
  arg: string,
  value: unknown,
  min: number = -FLOAT32_MAX,
  max: number = FLOAT32_MAX,
): number {
  if (typeof value !== 'number' || !(value >= min && value <= max)) {
    const whole = min === -FLOAT32_MAX && max === FLOAT32_MAX;
    const bound = (v: number) =>
      Math.abs(v) === FLOAT32_MAX ? `${v < 0 ? '-' : ''}3.4e38` : v.toPrecision(3).replace(/\.?0+(e|$)/, '$1');
    throw invalidArgument(
      fn,
      arg,
      value,
      whole ? 'a finite float32 number (|x| <= 3.4e38)' : `a number in [${bound(min)}, ${bound(max)}]`,
    );
  }
  return value;
}

/** A probability in [0, 1] (the `p` of every augmentation). */
export function checkProbability(fn: string, value: unknown, arg = 'p'): number {
  if (typeof value !== 'number' || !(value >= 0 && value <= 1))
    throw invalidArgument(fn, arg, value, 'a probability in [0, 1]');
  return value;
}

/** An optional number in [0, 1], `fallback` when undefined (null is no number: see checkOptions). */
export function unitInterval(fn: string, arg: string, value: unknown, fallback: number): number {
  const v = checkNonNegative(fn, arg, value === undefined ? fallback : value);
  if (v > 1) throw invalidArgument(fn, arg, v, 'a number in [0, 1]');
  return v;
}

/** A boolean: truthy strings such as 'false' are rejected, not read as true. */
export function checkBoolean(fn: string, arg: string, value: unknown): boolean {
  if (typeof value !== 'boolean') throw invalidArgument(fn, arg, value, 'a boolean');
  return value;
}

/** A function (callbacks such as `log` and `warn`). */
export function checkFunction<T>(fn: string, arg: string, value: T): T {
  if (typeof value !== 'function') throw invalidArgument(fn, arg, value, 'a function');
  return value;
}

/** A Keras verbosity level: 0 (silent) or 1. */
export function checkVerbose(fn: string, value: unknown): 0 | 1 {
  if (value !== 0 && value !== 1) throw invalidArgument(fn, 'verbose', value, '0 or 1');
  return value;
}
