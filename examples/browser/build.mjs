// Bundles the example page with esbuild into examples/browser/dist (or the directory given), the
// way an application would: the page imports 'tfjs-regularization/...' by its public name, which
// resolves to this package's build (dist/, from `npm run build`), as after `npm install`.
import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '../..');

export async function buildExample(outdir = join(here, 'dist')) {
  if (!existsSync(join(root, 'dist/augment/index.js')))
    throw new Error('examples/browser: run `npm run build` first (the page bundles the built package)');
  mkdirSync(outdir, { recursive: true });
  await build({
    entryPoints: [join(here, 'main.ts')],
    outfile: join(outdir, 'main.js'),
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    sourcemap: true,
    // The package as installed: its name maps to its built files (subpaths included).
    alias: { 'tfjs-regularization': join(root, 'dist') },
    // Node-only code paths (file checkpoints, the MNIST download) are never reached in a browser.
    external: ['node:*'],
    // tsup's chunk imports trip esbuild's sideEffects notice; only errors matter here.
    logLevel: 'error',
  });
  for (const f of ['index.html', 'mnist-sample.bin']) copyFileSync(join(here, f), join(outdir, f));
  return outdir;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  console.log(`example built into ${await buildExample(process.argv[2])}`);
}
