type Builtins = {
  'fs/promises': typeof import('node:fs/promises');
  path: typeof import('node:path');
  os: typeof import('node:os');
  crypto: typeof import('node:crypto');
  module: typeof import('node:module');
};

/**
 * Imports a Node built-in at run time. The specifier is computed so that browser bundlers (esbuild,
 * Vite, webpack) leave the import alone instead of failing on a module they cannot provide: the
 * code paths that call this (files, cache, download) never run in a browser.
 */
export function nodeImport<K extends keyof Builtins>(name: K): Promise<Builtins[K]> {
  const specifier = `node:${name}`;
  return import(/* @vite-ignore */ /* webpackIgnore: true */ specifier) as Promise<Builtins[K]>;
}
