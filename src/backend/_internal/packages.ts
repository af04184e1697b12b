import { errorText } from '../../core/errorText.js';

/**
 * The npm packages that provide each tfjs backend, in the order they are tried (a GPU build first).
 * One table for `useBestBackend`, the tests' backend matrix and the benchmarks.
 */
export const BACKEND_PACKAGES: Readonly<Record<string, readonly string[]>> = {
  tensorflow: ['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node'],
  webgl: ['@tensorflow/tfjs-backend-webgl'],
  webgpu: ['@tensorflow/tfjs-backend-webgpu'],
  wasm: ['@tensorflow/tfjs-backend-wasm'],
  cpu: ['@tensorflow/tfjs-backend-cpu'],
};

/**
 * Imports the first package of `backend` that loads, which registers the backend with tfjs.
 * Returns null on success, else why the last package could not be loaded.
 */
export async function importBackendPackage(backend: string): Promise<string | null> {
  let why = `no package provides the ${backend} backend`;
  for (const pkg of BACKEND_PACKAGES[backend] ?? []) {
    try {
      // The specifier is a variable on purpose: bundlers must not pull tfjs-node into a browser build.
      await import(/* @vite-ignore */ pkg);
      return null;
    } catch (e) {
      // Not installed (or its native part fails to load): try the next package.
      why = `${pkg}: ${errorText(e).split('\n')[0]}`;
    }
  }
  return why;
}
