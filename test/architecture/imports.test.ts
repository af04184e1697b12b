import { execFile } from 'node:child_process';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, it } from 'vitest';

const run = promisify(execFile);
const root = join(import.meta.dirname, '../..');
const depcruise = join(root, 'node_modules/.bin/depcruise');
let copy: string;

/** Runs the project's dependency rules on the copy; returns the exit code and the names of the rules broken. */
async function cruise(): Promise<{ code: number; rules: string[] }> {
  try {
    await run(depcruise, ['src', '--config', '.dependency-cruiser.cjs', '--output-type', 'err'], { cwd: copy });
    return { code: 0, rules: [] };
  } catch (e) {
    const out = (e as { stdout?: string }).stdout ?? '';
    const rules = [...out.matchAll(/error ([a-z-]+):/g)].map((m) => m[1]!);
    return { code: (e as { code?: number }).code ?? -1, rules: [...new Set(rules)].sort() };
  }
}

async function edit(file: string, change: (text: string) => string): Promise<void> {
  const path = join(copy, file);
  await writeFile(path, change(await readFile(path, 'utf8')));
}

beforeAll(async () => {
  copy = await mkdtemp(join(tmpdir(), 'tfjs-reg-imports-'));
  await cp(join(root, 'src'), join(copy, 'src'), { recursive: true });
  for (const f of ['tsconfig.json', '.dependency-cruiser.cjs', 'package.json']) await cp(join(root, f), join(copy, f));
});
afterAll(async () => {
  await rm(copy, { recursive: true, force: true });
});

it('the import rules pass on src/ as it is, and fail on an upward import, a type-only cycle and a foreign _internal', async () => {
  expect(await cruise()).toEqual({ code: 0, rules: [] });

  // core/ importing a module (type-only, as the old sampling ⇄ nativeTransform cycle was) is upward.
  await edit(
    'src/core/validate.ts',
    (t) => `import type { Batch } from '../augment/augmentation.js';\nexport type UpwardBatch = Batch;\n${t}`,
  );
  // A type-only import back from the contract file to a private helper that imports it: a cycle.
  await edit(
    'src/augment/augmentation.ts',
    (t) =>
      `import type { AffineView } from './_internal/affineFusion.js';\nexport type CycleView = AffineView<unknown>;\n${t}`,
  );
  // A module reaching into another module's _internal, and a sideways import between modules.
  await edit('src/presets/preset.ts', (t) => `${t}\nexport { checkBatch } from '../augment/_internal/batch.js';\n`);
  await edit('src/data/normalize.ts', (t) => `${t}\nexport { l2 as sideways } from '../regularizers/l2.js';\n`);

  const broken = await cruise();
  expect(broken.code).not.toBe(0);
  expect(broken.rules).toEqual(['core-is-the-bottom', 'internal-is-private', 'modules-import-down-only', 'no-cycle']);
}, 60_000);
