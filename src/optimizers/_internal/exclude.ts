import { describeValue, invalidArgument } from '../../core/validate.js';

/**
 * Which variables weight decay leaves alone, by name: a substring, a regular expression, a list of
 * either (any match excludes), or a predicate that returns `true` to exclude.
 */
export type ExcludeVariables = string | RegExp | readonly (string | RegExp)[] | ((name: string) => boolean);

/** Whether a variable name is excluded; decisions are cached per name, as Keras caches them per variable. */
export type ExcludeTest = (name: string) => boolean;

function checkPattern(fn: string, value: unknown): string | RegExp {
  if (value instanceof RegExp) return value;
  if (typeof value === 'string' && value !== '') return value;
  throw invalidArgument(fn, 'exclude', value, 'a non-empty string, a RegExp, an array of them or a predicate');
}

/** Validates an `exclude` option and returns its test; undefined excludes nothing, as Keras' default. */
export function excludeTest(fn: string, exclude: unknown): ExcludeTest {
  if (exclude === undefined) return () => false;
  let decide: (name: string) => boolean;
  if (typeof exclude === 'function') {
    const predicate = exclude as (name: string) => unknown;
    decide = (name) => {
      const r = predicate(name);
      if (typeof r !== 'boolean')
        throw invalidArgument(fn, 'exclude', describeValue(r), 'a predicate returning a boolean');
      return r;
    };
  } else {
    const patterns = (Array.isArray(exclude) ? exclude : [exclude]).map((p: unknown) => checkPattern(fn, p));
    // `search` ignores a RegExp's global flag and lastIndex, which would make `test` alternate.
    decide = (name) => patterns.some((p) => (typeof p === 'string' ? name.includes(p) : name.search(p) !== -1));
  }
  const cache = new Map<string, boolean>();
  return (name) => {
    let r = cache.get(name);
    if (r === undefined) cache.set(name, (r = decide(name)));
    return r;
  };
}

/** The `exclude` option as JSON for `getConfig()`: patterns as strings, a predicate as its mere presence. */
export function excludeConfig(exclude: unknown): unknown {
  if (exclude === undefined) return null;
  if (typeof exclude === 'function') return 'predicate';
  const show = (p: unknown) => (p instanceof RegExp ? p.toString() : p);
  return Array.isArray(exclude) ? exclude.map(show) : show(exclude);
}
