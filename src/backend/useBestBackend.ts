import { engine, getBackend, setBackend } from '@tensorflow/tfjs-core';
import { isNode } from '../core/node.js';
import { checkBoolean, checkOptions, invalidArgument, optionNames } from '../core/validate.js';
import { BACKEND_PACKAGES, importBackendPackage } from './_internal/packages.js';

/** Backends `useBestBackend` knows how to load. */
export type BackendName = 'tensorflow' | 'webgl' | 'webgpu' | 'wasm' | 'cpu';

/** Options of {@link useBestBackend}. */
export interface UseBestBackendOptions {
  /**
   * Where the one-line explanation goes (which backend was chosen, and which faster one could be
   * installed); `null` silences it.
   * @defaultValue `console.info`, which prints a line once per process (a series of trainings
   * says it once)
   */
  log?: ((line: string) => void) | null;
  /**
   * When false, a `preferred` backend that cannot be loaded throws instead of falling back.
   * @defaultValue true
   */
  fallback?: boolean;
}

const USE_BEST_BACKEND_OPTIONS = optionNames<UseBestBackendOptions>()('log', 'fallback');

const PACKAGES = BACKEND_PACKAGES as Readonly<Record<BackendName, readonly string[]>>;
const DEFAULT_ORDER: readonly BackendName[] = ['tensorflow', 'wasm', 'cpu'];

async function tryLoad(name: BackendName): Promise<boolean> {
  // A backend the application already registered (e.g. webgl through @tensorflow/tfjs) needs no import.
  if (engine().registryFactory[name] == null) {
    await importBackendPackage(name);
    if (engine().registryFactory[name] == null) return false;
  }
  try {
    return await setBackend(name);
  } catch {
    return false;
  }
}

/**
 * Activates the fastest TensorFlow.js backend that can be loaded here and returns its name.
 *
 * The order is `tensorflow` (`@tensorflow/tfjs-node-gpu`, then `@tensorflow/tfjs-node`), `wasm`
 * (`@tensorflow/tfjs-backend-wasm`), then `cpu` (`@tensorflow/tfjs-backend-cpu`); a `preferred`
 * backend (or list) is tried first. Backends the application registered itself (e.g. `webgl` from
 * `@tensorflow/tfjs`) are used without importing anything. One line is logged saying what was
 * chosen and, when a faster backend exists for this platform, which package to install.
 *
 * Importing this library never loads a backend: only calling this function does.
 *
 * @param preferred - Backend(s) to try before the default order.
 * @param options - Logging and fallback behaviour.
 * @returns The name of the active backend.
 * @throws Error naming `useBestBackend` when no backend can be loaded, or when `fallback` is
 *   false and `preferred` cannot be loaded, or for an unknown backend name.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { useBestBackend } from 'tfjs-regularization';
 *
 * const name = await useBestBackend('cpu', { log: null });
 * console.log(name === tf.getBackend()); // true
 * ```
 */
export async function useBestBackend(
  preferred?: BackendName | readonly BackendName[],
  options?: UseBestBackendOptions,
): Promise<string> {
  const o = checkOptions<UseBestBackendOptions>('useBestBackend', options, USE_BEST_BACKEND_OPTIONS, ['log']);
  if (preferred != null && typeof preferred !== 'string' && !Array.isArray(preferred)) {
    throw invalidArgument('useBestBackend', 'preferred', preferred, 'a backend name or an array of them');
  }
  const wanted: BackendName[] = preferred == null ? [] : typeof preferred === 'string' ? [preferred] : [...preferred];
  for (const name of wanted) {
    if (!(name in PACKAGES)) {
      throw invalidArgument('useBestBackend', 'preferred', name, `one of ${Object.keys(PACKAGES).join(', ')}`);
    }
  }
  const log = o.log === undefined ? infoOnce : o.log;
  if (log !== null && typeof log !== 'function')
    throw invalidArgument('useBestBackend', 'log', log, 'a function or null');
  const fallback = checkBoolean('useBestBackend', 'fallback', o.fallback ?? true);
  const order = fallback ? [...new Set([...wanted, ...DEFAULT_ORDER])] : wanted;
  for (const name of order) {
    if (await tryLoad(name)) {
      log?.(explain(name, wanted));
      return getBackend();
    }
  }
  const tried = order.map((n) => `${n} (${PACKAGES[n].join(' or ')})`).join(', ');
  throw new Error(`useBestBackend: no backend could be loaded; tried ${tried}. Install one of these packages.`);
}

const said = new Set<string>();

function infoOnce(line: string): void {
  if (said.has(line)) return;
  said.add(line);
  console.info(line);
}

function explain(chosen: BackendName, wanted: readonly BackendName[]): string {
  const missed = wanted.length > 0 && !wanted.includes(chosen) ? ` (${wanted.join(', ')} could not be loaded)` : '';
  const head = `tfjs-regularization: using the ${chosen} backend${missed}`;
  if (chosen === 'tensorflow') return `${head}.`;
  if (isNode()) {
    return `${head}; @tensorflow/tfjs-node (or -gpu with CUDA) trains ~40x faster: npm install @tensorflow/tfjs-node.`;
  }
  if (chosen !== 'webgl' && chosen !== 'webgpu') {
    return `${head}; in a browser @tensorflow/tfjs-backend-webgl uses the GPU and is usually much faster.`;
  }
  return `${head}.`;
}
