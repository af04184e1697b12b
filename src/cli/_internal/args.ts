import { access, constants, readFile, stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** A mistake in the command line: the CLI prints its message and the usage, and exits with 2. */
export class UsageError extends Error {}

/**
 * Why `path` cannot be written, or undefined when it can: its directory must exist and be writable,
 * and the path must not be a directory. Checked before training, so that a typo in `--out` fails
 * in a second, not after the training it was meant to record.
 */
export async function checkWritable(path: string): Promise<string | undefined> {
  const full = resolve(path);
  if ((await stat(full).catch(() => undefined))?.isDirectory()) return 'it is a directory';
  const dir = dirname(full);
  const parent = await stat(dir).catch(() => undefined);
  if (parent === undefined) return `its directory ${dir} does not exist`;
  if (!parent.isDirectory()) return `${dir} is not a directory`;
  try {
    await access(dir, constants.W_OK);
  } catch {
    return `its directory ${dir} is not writable`;
  }
  return undefined;
}

/** This package's version, from the nearest package.json above this file named tfjs-regularization. */
export async function packageVersion(): Promise<string> {
  let dir = dirname(typeof __filename === 'string' ? __filename : fileURLToPath(import.meta.url));
  // src/cli/_internal/ in a checkout, dist/ (bundled) in the package.
  for (let up = 0; up < 4; up++, dir = dirname(dir)) {
    const text = await readFile(join(dir, 'package.json'), 'utf8').catch(() => undefined);
    const pkg = text === undefined ? undefined : (JSON.parse(text) as { name?: string; version?: string });
    if (pkg?.name === 'tfjs-regularization' && typeof pkg.version === 'string') return pkg.version;
  }
  throw new Error('the package.json of tfjs-regularization was not found');
}
