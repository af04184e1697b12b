import { errorText } from '../../core/errorText.js';
import { nodeImport } from '../../core/node.js';
import { concatBytes } from './bytes.js';

/** Reports download progress: bytes received so far and the announced total (undefined if unknown). */
export type ProgressCallback = (received: number, total: number | undefined) => void;

export interface DownloadOptions {
  /** The public function that downloads, the prefix of every error. */
  readonly fn: string;
  /** The expected SHA-256 of the bytes received; undefined when the caller verifies them itself. */
  readonly sha256?: string;
  /** Inactivity limit: the request fails when no data arrives for this long. */
  readonly timeoutMs: number;
  /** Overall limit: the request fails when it takes longer than this, however steady. */
  readonly deadlineMs: number;
  /** The most bytes the body may have: a longer one fails as soon as it is announced or reached. */
  readonly maxBytes: number;
  /** Defaults to a progress bar on stderr when it is a terminal. */
  readonly onProgress?: ProgressCallback;
}

/** The SHA-256 of `bytes`, as lowercase hex. */
export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const { createHash } = await nodeImport('crypto');
  return createHash('sha256').update(bytes).digest('hex');
}

/** Fails naming `fn` and `what` unless `bytes` have the SHA-256 `expected`. */
export async function checkSha256(fn: string, bytes: Uint8Array, expected: string, what: string): Promise<void> {
  const actual = await sha256Hex(bytes);
  if (actual !== expected.toLowerCase()) {
    throw new Error(
      `${fn}: checksum mismatch for ${what}: SHA-256 is ${actual}, expected ${expected} (corrupt or wrong file)`,
    );
  }
}

/**
 * Fetches `url` into memory, then checks its SHA-256 (when given). Nothing is written anywhere, so a failed or
 * corrupt download leaves no trace; the caller caches verified bytes only. Bounded three ways: no
 * data for `timeoutMs`, more than `deadlineMs` in all, or more than `maxBytes` (announced or
 * received: memory never holds more).
 */
export async function download(url: string, options: DownloadOptions): Promise<Uint8Array> {
  const fail = (why: string, cause?: unknown): Error =>
    new Error(`${options.fn}: download of ${url} failed: ${why}`, cause === undefined ? undefined : { cause });
  if (typeof fetch !== 'function') throw fail('no global fetch (Node.js >= 20 is required)');
  const progress: Bar | undefined = options.onProgress ?? terminalBar(url);
  const controller = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  let why = 'idle' as 'idle' | 'deadline';
  // Re-armed on every chunk: an inactivity limit lets a slow but steady connection finish...
  const arm = (): void => {
    clearTimeout(timer);
    timer = setTimeout(() => controller.abort(), options.timeoutMs);
  };
  // ...and the deadline stops one that drips forever.
  const deadline = setTimeout(() => {
    why = 'deadline';
    controller.abort();
  }, options.deadlineMs);
  const chunks: Uint8Array[] = [];
  let received = 0;
  let total: number | undefined;
  arm();
  try {
    const response = await fetch(url, { signal: controller.signal });
    if (!response.ok || response.body === null) {
      await response.body?.cancel().catch(() => undefined);
      throw fail(`HTTP ${response.status} ${response.statusText}`.trim());
    }
    const length = response.headers.get('content-length');
    // With a Content-Encoding, fetch decodes the body and the header counts encoded bytes.
    if (length !== null && response.headers.get('content-encoding') === null && /^\d+$/.test(length))
      total = Number(length);
    if (total !== undefined && total > options.maxBytes) {
      await response.body.cancel().catch(() => undefined);
      throw fail(`the server announces ${total} bytes, more than maxBytes (${options.maxBytes})`);
    }
    progress?.(0, total);
    const reader = response.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      arm();
      if (received + value.length > options.maxBytes) {
        await reader.cancel().catch(() => undefined);
        throw fail(`the body exceeds maxBytes (${options.maxBytes}) after ${received + value.length} bytes`);
      }
      chunks.push(value);
      received += value.length;
      progress?.(received, total);
    }
  } catch (e) {
    if (e instanceof Error && e.message.startsWith(`${options.fn}:`)) throw e;
    const at = received > 0 ? ` after ${received}${total === undefined ? '' : ` of ${total}`} bytes` : '';
    if (controller.signal.aborted && why === 'deadline') {
      throw fail(`took longer than ${options.deadlineMs} ms in all${at} (deadlineMs)`, e);
    }
    if (controller.signal.aborted) throw fail(`timed out: no data for ${options.timeoutMs} ms${at} (timeoutMs)`, e);
    throw fail(`${errorText(e)}${at}`, e);
  } finally {
    clearTimeout(timer);
    clearTimeout(deadline);
    progress?.end?.();
  }
  if (total !== undefined && received !== total) throw fail(`truncated body: received ${received} of ${total} bytes`);
  const bytes = concatBytes(chunks, received);
  if (options.sha256 !== undefined) await checkSha256(options.fn, bytes, options.sha256, url);
  return bytes;
}

type Bar = ProgressCallback & { end?: () => void };

/** A one-line progress bar on stderr, only when stderr is a terminal (logs stay clean). */
function terminalBar(url: string): Bar | undefined {
  const stderr = typeof process === 'undefined' ? undefined : process.stderr;
  if (stderr?.isTTY !== true) return undefined;
  const name = url.slice(url.lastIndexOf('/') + 1) || url;
  let last = '';
  let drawn = false;
  const bar: Bar = (received, total) => {
    const line = formatBar(name, received, total);
    // Redraw only when the text changes: thousands of chunks, about a hundred distinct lines.
    if (line === last) return;
    last = line;
    drawn = true;
    stderr.write(`\r${line}`);
  };
  bar.end = () => {
    if (drawn) stderr.write('\n');
  };
  return bar;
}

/** `mnist.npz [=========>..........]  45% 5.2/11.5 MB`, or the received size alone when the total is unknown. */
export function formatBar(name: string, received: number, total: number | undefined, width = 30): string {
  const mb = (n: number): string => (n / 1e6).toFixed(1);
  if (total === undefined || total <= 0) return `${name} ${mb(received)} MB`;
  const fraction = Math.min(1, received / total);
  const filled = Math.floor(fraction * width);
  const bar =
    filled >= width
      ? '='.repeat(width)
      : filled === 0
        ? '.'.repeat(width)
        : `${'='.repeat(filled - 1)}>${'.'.repeat(width - filled)}`;
  return `${name} [${bar}] ${String(Math.floor(fraction * 100)).padStart(3)}% ${mb(received)}/${mb(total)} MB`;
}
