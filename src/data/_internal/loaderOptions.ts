import { checkBoolean, invalidArgument } from '../../core/validate.js';

/** The options every data loader takes: where to look, and how to download. */
export interface LoaderOptions {
  dir?: string;
  cacheDir?: string;
  url?: string;
  timeoutMs?: number;
  deadlineMs?: number;
  maxBytes?: number;
  onProgress?: (received: number, total: number | undefined) => void;
  download?: boolean;
}

/** {@link LoaderOptions} checked, with their defaults filled in. */
export interface ResolvedLoaderOptions {
  dir?: string;
  cacheDir?: string;
  url: string;
  timeoutMs: number;
  deadlineMs: number;
  maxBytes: number;
  onProgress?: (received: number, total: number | undefined) => void;
  download: boolean;
}

/** The longest delay Node's timers take (longer ones fire at once). */
const MAX_TIMER_MS = 2 ** 31 - 1;

function milliseconds(fn: string, key: string, value: unknown, fallback: number): number {
  const v = value ?? fallback;
  if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0 || v > MAX_TIMER_MS) {
    throw invalidArgument(fn, `options.${key}`, v, `milliseconds in (0, ${MAX_TIMER_MS}]`);
  }
  return v;
}

/**
 * Checks the options shared by the loaders named `fn` (unknown keys are the caller's check, which
 * knows its own option names); `url` defaults to `defaultUrl` and must be http(s).
 */
export function resolveLoaderOptions(fn: string, o: LoaderOptions, defaultUrl: string): ResolvedLoaderOptions {
  for (const key of ['dir', 'cacheDir'] as const) {
    if (o[key] !== undefined && (typeof o[key] !== 'string' || o[key] === '')) {
      throw invalidArgument(fn, `options.${key}`, o[key], 'a non-empty path string');
    }
  }
  const url = o.url ?? defaultUrl;
  if (typeof url !== 'string' || !/^https?:\/\/[^/]/i.test(url)) {
    throw invalidArgument(fn, 'options.url', url, 'an http(s) URL');
  }
  const maxBytes = o.maxBytes ?? 64 * 2 ** 20;
  if (!Number.isSafeInteger(maxBytes) || maxBytes < 1) {
    throw invalidArgument(fn, 'options.maxBytes', maxBytes, 'a positive integer number of bytes');
  }
  if (o.onProgress !== undefined && typeof o.onProgress !== 'function') {
    throw invalidArgument(fn, 'options.onProgress', o.onProgress, 'a function (received, total) => void');
  }
  return {
    dir: o.dir,
    cacheDir: o.cacheDir,
    url,
    timeoutMs: milliseconds(fn, 'timeoutMs', o.timeoutMs, 60_000),
    deadlineMs: milliseconds(fn, 'deadlineMs', o.deadlineMs, 600_000),
    maxBytes,
    onProgress: o.onProgress,
    download: checkBoolean(fn, 'options.download', o.download ?? true),
  };
}

/** Whether `value` is a SHA-256 digest: 64 hex digits. */
export function isSha256(value: unknown): value is string {
  return typeof value === 'string' && /^[0-9a-f]{64}$/i.test(value);
}
