import { errorText } from './errorText.js';

type Builtins = {
  'fs/promises': typeof import('node:fs/promises');
  path: typeof import('node:path');
  os: typeof import('node:os');
  crypto: typeof import('node:crypto');
  module: typeof import('node:module');
  zlib: typeof import('node:zlib');
};

/** Whether this is Node.js (files, the cache and downloads need it; browsers use tfjs' IO URLs). */
export function isNode(): boolean {
  return typeof process !== 'undefined' && typeof process.versions?.node === 'string';
}

/**
 * Imports a Node built-in at run time. The specifier is computed so that browser bundlers (esbuild,
 * Vite, webpack) leave the import alone instead of failing on a module they cannot provide: the
 * code paths that call this (files, cache, download) never run in a browser.
 */
export function nodeImport<K extends keyof Builtins>(name: K): Promise<Builtins[K]> {
  const specifier = `node:${name}`;
  return import(/* @vite-ignore */ /* webpackIgnore: true */ specifier) as Promise<Builtins[K]>;
}

/** node:fs/promises for `fn`, or an error naming `fn` when Node's file system cannot be loaded. */
export async function loadFs(fn: string): Promise<typeof import('node:fs/promises')> {
  try {
    return await nodeImport('fs/promises');
  } catch (e) {
    throw new Error(`${fn}: needs Node's file system (node:fs/promises), which could not be loaded: ${errorText(e)}`, {
      cause: e,
    });
  }
}
