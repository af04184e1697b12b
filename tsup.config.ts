import { readFileSync } from 'node:fs';
import { defineConfig } from 'tsup';

interface ExportTarget {
  import?: { default?: string };
}

// Entries are derived from package.json's exports map so the two can never drift apart.
const pkg = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8')) as {
  exports: Record<string, ExportTarget | string>;
  bin?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
};

const entry: Record<string, string> = {};
for (const target of Object.values(pkg.exports)) {
  if (typeof target === 'string') continue;
  const out = target.import?.default;
  if (!out) continue;
  const name = out.replace(/^\.\/dist\//, '').replace(/\.js$/, '');
  entry[name] = `src/${name}.ts`;
}

// The command-line tool: an ES module with its shebang kept (tsup makes it executable).
for (const out of Object.values(pkg.bin ?? {})) {
  const name = out.replace(/^\.\/dist\//, '').replace(/\.js$/, '');
  entry[name] = `src/${name}.ts`;
}

export default defineConfig({
  entry,
  format: ['esm', 'cjs'],
  dts: true,
  splitting: true,
  treeshake: true,
  sourcemap: true,
  clean: true,
  target: 'es2022',
  platform: 'neutral',
  // tfjs and Node built-ins stay imports: the user's tfjs instance must be the one we use.
  external: [/^@tensorflow\//, /^node:/, ...Object.keys(pkg.peerDependencies ?? {})],
});
