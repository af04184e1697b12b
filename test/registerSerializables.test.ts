import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { build } from 'esbuild';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { randomRotation } from '../src/augment/layers/randomRotation.js';
import { l2 } from '../src/regularizers/l2.js';
import { groupNormalization } from '../src/layers/groupNormalization.js';
import { describeBackends } from './helpers/backends.js';

const run = promisify(execFile);
const root = join(import.meta.dirname, '..');
let dir: string;

beforeAll(async () => {
  // Inside the repo, so that the bundles resolve tfjs from its node_modules.
  await mkdir(join(root, 'test/.bundles'), { recursive: true });
  dir = await mkdtemp(join(root, 'test/.bundles/register-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A saved model holding an augmentation layer and a regularizer, as JSON an application could ship. */
async function savedModel(): Promise<string> {
  const model = tfl.sequential({
    layers: [
      randomRotation({ factor: 0.1, inputShape: [4, 4, 1], seed: 1 }),
      groupNormalization({ groups: 1 }),
      tfl.layers.flatten(),
      tfl.layers.dense({ units: 2, kernelRegularizer: l2(0.01) }),
    ],
  });
  let saved: tf.io.ModelArtifacts | undefined;
  await model.save(
    tf.io.withSaveHandler(
      async (a) => ((saved = a), { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } }),
    ),
  );
  model.dispose();
  const data = new Uint8Array(tf.io.CompositeArrayBuffer.join(saved!.weightData!));
  return JSON.stringify({
    modelTopology: saved!.modelTopology,
    weightSpecs: saved!.weightSpecs,
    weights: Buffer.from(data).toString('base64'),
  });
}

/**
 * Bundles (esbuild, tree-shaking with the package's `sideEffects`) an app that imports only
 * `registerSerializables` from the library, never a factory, and loads the saved model.
 */
async function bundleAndRun(callRegister: boolean, json: string): Promise<string> {
  const name = callRegister ? 'with' : 'without';
  const entry = join(dir, `${name}.ts`);
  await writeFile(join(dir, 'model.json'), json);
  await writeFile(
    entry,
    [
      "import '@tensorflow/tfjs-backend-cpu';",
      "import * as tf from '@tensorflow/tfjs-core';",
      "import * as tfl from '@tensorflow/tfjs-layers';",
      "import { readFileSync } from 'node:fs';",
      `import { registerSerializables } from '${join(root, 'src/index.ts')}';`,
      `if (${callRegister}) registerSerializables();`,
      `const saved = JSON.parse(readFileSync(${JSON.stringify(join(dir, 'model.json'))}, 'utf8'));`,
      'const weightData = new Uint8Array(Buffer.from(saved.weights, "base64")).buffer;',
      'try {',
      '  const model = await tfl.loadLayersModel(tf.io.fromMemory({ modelTopology: saved.modelTopology, weightSpecs: saved.weightSpecs, weightData }));',
      "  console.log('loaded ' + model.layers.map((l) => l.getClassName()).join(','));",
      '} catch (e) {',
      "  console.log('failed: ' + (e instanceof Error ? e.message : String(e)));",
      '}',
    ].join('\n'),
  );
  const out = join(dir, `${name}.mjs`);
  await build({
    entryPoints: [entry],
    outfile: out,
    bundle: true,
    format: 'esm',
    platform: 'node',
    treeShaking: true,
    external: ['@tensorflow/*'],
    logLevel: 'silent',
  });
  const { stdout } = await run(process.execPath, [out], {
    cwd: dir,
    env: { ...process.env, TF_CPP_MIN_LOG_LEVEL: '2' },
  });
  return stdout.trim();
}

// The bundles run on cpu in a child process; the model is built here once, on cpu too.
describeBackends(
  'registerSerializables',
  () =>
    it("a bundle that never calls a factory loads a saved model with the library's layers and regularizers after registerSerializables()", async () => {
      const json = await savedModel();
      expect(await bundleAndRun(true, json)).toBe('loaded RandomRotation,GroupNormalization,Flatten,Dense');
      // Importing the library registers nothing (sideEffects: false is true): without the call it fails.
      expect(await bundleAndRun(false, json)).toMatch(/^failed: Unknown layer: RandomRotation/);
    }, 60_000),
  { only: ['cpu'] },
);
