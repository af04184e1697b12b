// Installs the packed tarball as a user does (`npm install <tarball>` from the registry, into an
// empty project) and checks what it brings and how it types:
// - no vega, vega-lite or resvg package comes with it (they are optional peers, for `--plot` only);
// - TypeScript consumers compile code using every entry point with `skipLibCheck: false`, under
//   `moduleResolution` nodenext (ESM and CommonJS), node16 (ESM) and bundler; `@ts-expect-error`
//   lines fail if `l2()` or a layer factory were typed `any`;
// - the tarball's file list is what `files` promises, nothing else.
// Usage: node scripts/check-consumers.mjs <tarball>   (npm run check:package runs it)
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const tarball = resolve(process.argv[2] ?? '');
if (!existsSync(tarball)) throw new Error(`check-consumers: no tarball at ${tarball}`);
const npm = join(root, 'node_modules/.bin/npm');
const scratch = mkdtempSync(join(tmpdir(), 'tfjs-reg-consumers-'));

function fail(message) {
  console.error(`check-consumers: ${message}`);
  process.exitCode = 1;
}

try {
  // The tarball's files: dist/, README.md, LICENSE, package.json; no sources, tests or configs.
  const listed = execFileSync('tar', ['-tzf', tarball], { encoding: 'utf8' }).trim().split('\n');
  const unexpected = listed.filter((f) => !/^package\/(dist\/.+|README\.md|LICENSE|package\.json)$/.test(f));
  if (unexpected.length > 0) fail(`unexpected files in the tarball: ${unexpected.slice(0, 10).join(', ')}`);
  for (const needed of ['package/LICENSE', 'package/README.md', 'package/dist/index.js', 'package/dist/index.d.ts']) {
    if (!listed.includes(needed)) fail(`the tarball lacks ${needed}`);
  }
  console.log(`check-consumers: tarball holds ${listed.length} files (dist/, README.md, LICENSE, package.json)`);

  // A real install, as a user's: the registry for the peers, the tarball for the library.
  const install = join(scratch, 'install');
  mkdirSync(install);
  writeFileSync(join(install, 'package.json'), '{"name":"consumer","private":true}');
  const peers = [
    '@tensorflow/tfjs-core@4.22.0',
    '@tensorflow/tfjs-layers@4.22.0',
    'typescript@5.9.3',
    '@types/node@20',
  ];
  execFileSync(npm, ['install', '--no-audit', '--no-fund', '--ignore-scripts', '--omit=optional', ...peers], {
    cwd: install,
    stdio: 'ignore',
  });
  const before = readdirSync(join(install, 'node_modules'));
  const added = execFileSync(
    npm,
    ['install', '--no-audit', '--no-fund', '--ignore-scripts', '--omit=optional', tarball],
    { cwd: install, encoding: 'utf8' },
  ).trim();
  const after = readdirSync(join(install, 'node_modules'));
  const heavy = after.filter((n) => /^(vega|@resvg|d3-)/.test(n));
  if (heavy.length > 0) fail(`npm install of the tarball brought ${heavy.join(', ')}`);
  const brought = after.filter((n) => !before.includes(n));
  console.log(`check-consumers: npm install of the tarball: ${added.split('\n').pop()}; new: ${brought.join(', ')}`);

  // TypeScript consumers, all on the installed tree.
  const source = `
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { augment, fastNodeKernels, l2, loadCheckpoint, penalty, registerSerializables, useBestBackend } from 'tfjs-regularization';
import type { Regularizer } from 'tfjs-regularization/regularizers';
import { maxNorm, orthogonal } from 'tfjs-regularization/regularizers';
import { cutout, flow, layers, pipeline, randomAffine } from 'tfjs-regularization/augment';
import type { Augmentation, Batch } from 'tfjs-regularization/augment';
import { cosineDecay, earlyStopping, modelCheckpoint, progressLogger, reduceLROnPlateau } from 'tfjs-regularization/callbacks';
import { mnistBatchNorm } from 'tfjs-regularization/presets';
import type { TrainResult } from 'tfjs-regularization/presets';
import { loadMnist, normalize, oneHot } from 'tfjs-regularization/data';

const reg: Regularizer = l2(0.01);
// @ts-expect-error l2() returns a Regularizer: this line fails to compile only if it were typed any.
const notANumber: number = l2(0.01);
const zoom = layers.randomZoom({ heightFactor: 0.1, inputShape: [8, 8, 1] });
// @ts-expect-error a layer factory returns a tfjs Layer, not a string (fails only if it were any).
const notAString: string = layers.randomRotation({ factor: 0.1 });
const model: tfl.LayersModel = tfl.sequential({
  layers: [zoom, tfl.layers.flatten(), tfl.layers.dense({ units: 2, kernelRegularizer: reg, kernelConstraint: maxNorm({ maxValue: 2 }) })],
});
const steps: Augmentation[] = [randomAffine({ rotationRange: 10 }), cutout({ size: 2 }) as Augmentation];
const aug = pipeline(steps, { seed: 1 });
const augmented: Batch = aug({ images: tf.zeros([1, 8, 8, 1]) as tf.Tensor4D });
const data = flow(tf.zeros([2, 8, 8, 1]) as tf.Tensor4D, tf.zeros([2, 2]) as tf.Tensor2D, { batchSize: 2 });
const callbacks: tfl.Callback[] = [
  reduceLROnPlateau({ minLR: 1e-5 }),
  earlyStopping({ restoreBestWeights: true }),
  modelCheckpoint({ filepath: 'best' }),
  progressLogger(),
  cosineDecay({ initialLearningRate: 0.1, decaySteps: 10 }).callback(),
];
export async function run(): Promise<TrainResult> {
  await useBestBackend();
  fastNodeKernels(false);
  registerSerializables();
  const p: tf.Scalar = penalty(model);
  const loaded: tfl.LayersModel = await loadCheckpoint('best');
  const { train } = await loadMnist({ download: false });
  const x: tf.Tensor4D = normalize(train.images, [-1, 28, 28, 1]);
  const y: tf.Tensor2D = oneHot(train.labels, 10);
  tf.dispose([p, x, y, augmented.images]);
  void [notANumber, notAString, data, callbacks, loaded, orthogonal(), augment.mixup];
  return mnistBatchNorm().train({ epochs: 1, subset: 600 });
}
`;
  const consumers = [
    { name: 'esm-nodenext', type: 'module', module: 'nodenext', resolution: 'nodenext', file: 'index.ts' },
    { name: 'esm-node16', type: 'module', module: 'node16', resolution: 'node16', file: 'index.ts' },
    { name: 'esm-bundler', type: 'module', module: 'esnext', resolution: 'bundler', file: 'index.ts' },
    { name: 'cjs-nodenext', type: 'commonjs', module: 'nodenext', resolution: 'nodenext', file: 'index.ts' },
  ];
  for (const c of consumers) {
    const dir = join(scratch, c.name);
    mkdirSync(dir);
    symlinkSync(join(install, 'node_modules'), join(dir, 'node_modules'));
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: c.name, private: true, type: c.type }));
    const compilerOptions = {
      target: 'es2022',
      module: c.module,
      moduleResolution: c.resolution,
      strict: true,
      noEmit: true,
      skipLibCheck: false,
      types: ['node'],
      lib: ['es2022', 'dom'],
    };
    writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions, files: [c.file] }, null, 2));
    writeFileSync(join(dir, c.file), source);
    let output = '';
    try {
      execFileSync(
        process.execPath,
        [join(install, 'node_modules/typescript/bin/tsc'), '-p', '.', '--pretty', 'false'],
        {
          cwd: dir,
          encoding: 'utf8',
        },
      );
    } catch (e) {
      output = `${e.stdout ?? ''}${e.stderr ?? ''}`;
    }
    // tfjs' own declaration files do not all pass skipLibCheck: false (Long, PyJsonValue, webgpu):
    // only errors in this library's files or in the consumer's count.
    const ours = output
      .split('\n')
      .filter((l) => /error TS/.test(l) && !/node_modules\/(@tensorflow|@types|@webgpu|long)\//.test(l));
    if (ours.length > 0) fail(`${c.name}: ${ours.length} type errors:\n${ours.join('\n')}`);
    else console.log(`check-consumers: ${c.name} (${c.resolution}, ${c.type}) compiles with skipLibCheck false`);
  }
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
