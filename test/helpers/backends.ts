import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { importBackendPackage } from '../../src/backend/_internal/packages.js';

export const ALL_BACKENDS = ['cpu', 'wasm', 'tensorflow'] as const;
export type TestBackend = (typeof ALL_BACKENDS)[number];

function parseList(value: string | undefined): TestBackend[] {
  if (value == null || value.trim() === '') return [];
  const names = value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const n of names) {
    if (!(ALL_BACKENDS as readonly string[]).includes(n)) {
      throw new Error(
        `unknown backend ${JSON.stringify(n)} in REQUIRE_BACKENDS/BACKENDS; known: ${ALL_BACKENDS.join(', ')}`,
      );
    }
  }
  return names as TestBackend[];
}

/** Backends whose absence fails the run (REQUIRE_BACKENDS=cpu,wasm,tensorflow in CI). */
export const REQUIRED: readonly TestBackend[] = parseList(process.env.REQUIRE_BACKENDS);
/** Backends to run on (BACKENDS narrows the matrix for a quick local run). */
export const SELECTED: readonly TestBackend[] = (() => {
  const sel = parseList(process.env.BACKENDS);
  return sel.length > 0 ? [...new Set([...sel, ...REQUIRED])] : ALL_BACKENDS;
})();

async function load(name: TestBackend): Promise<string | null> {
  try {
    const missing = await importBackendPackage(name);
    if (missing !== null) return missing;
    if (!(await tf.setBackend(name))) return `tf.setBackend('${name}') returned false`;
    return null;
  } catch (e) {
    return e instanceof Error ? e.message.split('\n')[0]! : String(e);
  }
}

/** Why each backend could not be loaded (absent key: it loaded). Loaded once per test process. */
export const LOAD_ERRORS: Partial<Record<TestBackend, string>> = {};
for (const name of SELECTED) {
  const err = await load(name);
  if (err != null) LOAD_ERRORS[name] = err;
}
await tf.setBackend('cpu').catch(() => false);

const notified = new Set<string>();

/**
 * Runs `body` once per backend of the matrix, as `title [backend]`, with that backend active.
 * A backend that cannot be loaded fails the run when it is in REQUIRE_BACKENDS, and is skipped
 * with a printed notice otherwise. `options.only` restricts the matrix to some backends.
 */
export function describeBackends(
  title: string,
  body: (backend: TestBackend) => void,
  options: { only?: readonly TestBackend[] } = {},
): void {
  // `only` narrows the matrix for tests that need one backend's speed (full training runs).
  for (const name of SELECTED.filter((n) => options.only === undefined || options.only.includes(n))) {
    const error = LOAD_ERRORS[name];
    if (error != null) {
      if (REQUIRED.includes(name)) {
        describe(`${title} [${name}]`, () => {
          it('has its backend', () => {
            throw new Error(`backend ${name} is required (REQUIRE_BACKENDS) but could not be loaded: ${error}`);
          });
        });
      } else {
        if (!notified.has(name)) {
          notified.add(name);
          console.warn(`notice: backend ${name} not available, its tests are skipped (${error})`);
        }
        describe.skip(`${title} [${name}]`, () => body(name));
      }
      continue;
    }
    describe(`${title} [${name}]`, () => {
      let previous = 'cpu';
      beforeAll(async () => {
        previous = tf.getBackend();
        await tf.setBackend(name);
      });
      afterAll(async () => {
        await tf.setBackend(previous);
      });
      body(name);
    });
  }
}
