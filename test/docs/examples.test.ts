import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import { expect, it, vi } from 'vitest';
import { describeBackends } from '../helpers/backends.js';

/**
 * Runs every `@example` of the public TSDoc. Imports of the package name are
 * pointed at src/, each example runs on every backend, and every `console.log(...)  // expected`
 * line must print what its comment says (the text after the last `=` or `:` of the comment).
 */
const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const srcDir = join(root, 'src');
const outDir = join(root, 'test/.examples');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? (e.name === '_internal' ? [] : sourceFiles(join(dir, e.name))) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

interface Example { file: string; index: number; code: string; expectations: string[] }

function examplesOf(file: string): Example[] {
  const text = readFileSync(file, 'utf8');
  const out: Example[] = [];
  const re = /@example\s*\n((?:\s*\*.*\n)*?)\s*\*\s*```ts\n((?:\s*\*.*\n)*?)\s*\*\s*```/g;
  for (const m of text.matchAll(re)) {
    const code = m[2]!.split('\n').map((l) => l.replace(/^\s*\* ?/, '')).join('\n');
    const expectations: string[] = [];
    for (const line of code.split('\n')) {
      const c = /console\.log\(.*\);\s*\/\/\s*(.*)$/.exec(line);
      if (c) {
        const comment = c[1]!;
        const cut = Math.max(comment.lastIndexOf('='), comment.lastIndexOf(':'));
        expectations.push((cut >= 0 ? comment.slice(cut + 1) : comment).trim());
      }
    }
    out.push({ file, index: out.length, code, expectations });
  }
  return out;
}

function rewriteImports(code: string, target: string): string {
  const rel = (p: string) => relative(dirname(target), join(srcDir, p)).replace(/\\/g, '/');
  return code.replace(/from 'tfjs-regularization(?:\/([a-z]+))?'/g, (_m, sub: string | undefined) =>
    `from '${rel(sub ? `${sub}/index.ts` : 'index.ts')}'`,
  );
}

function matches(printed: unknown[], expected: string): boolean {
  if (printed.length > 1) {
    const joined = printed.map((v) => (typeof v === 'string' ? v : JSON.stringify(v))).join(' ');
    return joined.replace(/\s+/g, ' ').trim() === expected.replace(/\s+/g, ' ').trim();
  }
  const shown = printed[0];
  const asNumber = Number(expected);
  if (typeof shown === 'number' && expected !== '' && Number.isFinite(asNumber)) {
    return Math.abs(shown - asNumber) <= 1e-5 * Math.max(1, Math.abs(asNumber));
  }
  const norm = (s: string) => s.replace(/\s+/g, '').replace(/"/g, "'");
  const text = typeof shown === 'string' ? `'${shown}'` : JSON.stringify(shown);
  return norm(text) === norm(expected) || norm(String(shown)) === norm(expected);
}

const examples = sourceFiles(srcDir).flatMap(examplesOf);
rmSync(outDir, { recursive: true, force: true });
mkdirSync(outDir, { recursive: true });

it('finds every public example', () => {
  // Counted independently of the file walk and the extraction regex: an @example in a file the walk
  // misses, or whose block the regex does not parse (no ```ts fence, a stray line), would otherwise
  // silently never run.
  const publicFiles = (readdirSync(srcDir, { recursive: true }) as string[])
    .filter((f) => f.endsWith('.ts') && !f.split(/[\\/]/).includes('_internal'));
  const tags = publicFiles.reduce((n, f) => n + (readFileSync(join(srcDir, f), 'utf8').match(/@example\b/g)?.length ?? 0), 0);
  expect(tags).toBeGreaterThanOrEqual(48);
  expect(examples.length).toBe(tags);
});

describeBackends('TSDoc @example', (backend) => {
  for (const ex of examples) {
    const name = `${relative(srcDir, ex.file).replace(/[/.]/g, '_')}_${ex.index}_${backend}.ts`;
    it(`${relative(root, ex.file)} #${ex.index + 1} runs and prints what it says`, async () => {
      const target = join(outDir, name);
      writeFileSync(target, rewriteImports(ex.code, target) + '\nexport {};\n');
      const printed: unknown[][] = [];
      const spy = vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => void printed.push(args));
      try {
        tf.engine().startScope();
        await import(/* @vite-ignore */ target);
      } finally {
        tf.engine().endScope();
        spy.mockRestore();
        // An example may switch backends (useBestBackend); the next one must run on this matrix entry.
        await tf.setBackend(backend);
      }
      expect(printed.length).toBe(ex.expectations.length);
      ex.expectations.forEach((e, i) => expect(matches(printed[i]!, e), `console.log #${i + 1}: printed ${JSON.stringify(printed[i])}, expected ${e}`).toBe(true));
    });
  }
});
