import { lstat, mkdtemp, readdir, readFile, readlink, rm, symlink, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { temporarySibling, writeFileAtomic, writeNewFile } from '../../src/core/atomicWrite.js';

let dir: string;
let victim: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tfjs-reg-atomic-'));
  // Outside the shared directory: what an attacker would like overwritten.
  victim = join(await mkdtemp(join(tmpdir(), 'tfjs-reg-victim-')), 'precious.txt');
  await writeFile(victim, 'precious');
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
  await rm(join(victim, '..'), { recursive: true, force: true });
});

describe('writeFileAtomic', () => {
  it('never writes through symlinks planted where temporary files could be guessed', async () => {
    const target = join(dir, 'curves.svg');
    // Every name an earlier version could have used next (<path>.tmp-<pid>, <path>.<pid>.<time>.<n>.tmp, ...).
    const planted = [
      ...Array.from({ length: 64 }, (_, k) => `${target}.tmp-${process.pid + k}`),
      `${target}.tmp`,
      join(dir, '.curves.svg.tmp'),
    ];
    for (const p of planted) await symlink(victim, p);
    await writeFileAtomic(target, '<svg/>');
    expect(await readFile(target, 'utf8')).toBe('<svg/>');
    expect(await readFile(victim, 'utf8')).toBe('precious');
    for (const p of planted) expect(await readlink(p)).toBe(victim);
    // Nothing else was left beside them.
    expect((await readdir(dir)).length).toBe(planted.length + 1);
  });

  it('replaces a symlink at the target itself with the new file, leaving what it pointed to untouched', async () => {
    const target = join(dir, 'results.json');
    await symlink(victim, target);
    await writeFileAtomic(target, '{}');
    expect((await lstat(target)).isSymbolicLink()).toBe(false);
    expect(await readFile(target, 'utf8')).toBe('{}');
    expect(await readFile(victim, 'utf8')).toBe('precious');
  });

  it('takes fresh unpredictable names in the target directory, and leaves nothing when it fails', async () => {
    const target = join(dir, 'a.json');
    const names = await Promise.all(Array.from({ length: 1000 }, () => temporarySibling(target)));
    expect(new Set(names).size).toBe(1000);
    for (const n of names) expect(n).toMatch(new RegExp(`^${dir}/\\.a\\.json\\.[0-9a-f]{16}\\.tmp$`));
    // Renaming a file over a non-empty directory fails: the error is the rename's, and no temporary file stays.
    await mkdir(join(target, 'x'), { recursive: true });
    await expect(writeFileAtomic(target, 'data')).rejects.toThrow(/EISDIR|ENOTEMPTY|EEXIST/);
    expect((await readdir(dir)).sort()).toEqual(['a.json']);
  });

  it('writeNewFile refuses a name that exists, a symlink included (O_EXCL)', async () => {
    const link = join(dir, 'new.bin');
    await symlink(victim, link);
    await expect(writeNewFile(link, 'x')).rejects.toThrow(/EEXIST/);
    expect(await readFile(victim, 'utf8')).toBe('precious');
  });
});
