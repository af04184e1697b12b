// Checks the built package as a user gets it: `npm pack`, unpack into a scratch project that links
// this project's tfjs packages, then load every subpath with ESM `import` and CJS `require`; then
// scripts/check-consumers.mjs installs the tarball for real and type-checks consumers, and
// @arethetypeswrong/cli checks the types under every module resolution.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const scratch = mkdtempSync(join(tmpdir(), 'tfjs-reg-pack-'));
try {
  const tgz = execFileSync('npm', ['pack', '--silent', '--pack-destination', scratch], { cwd: root, encoding: 'utf8' })
    .trim()
    .split('\n')
    .pop();
  const installed = join(scratch, 'node_modules', pkg.name);
  mkdirSync(installed, { recursive: true });
  execFileSync('tar', ['-xzf', join(scratch, tgz), '-C', installed, '--strip-components=1']);
  // What an install would bring: the peers (tfjs) and the runtime dependencies, linked from this checkout.
  for (const dep of ['@tensorflow', ...Object.keys(pkg.dependencies ?? {})]) {
    mkdirSync(dirname(join(scratch, 'node_modules', dep)), { recursive: true });
    symlinkSync(join(root, 'node_modules', dep), join(scratch, 'node_modules', dep));
  }
  writeFileSync(join(scratch, 'package.json'), '{"name":"scratch","private":true}');

  const subpaths = Object.keys(pkg.exports).filter((s) => s !== './package.json');
  const specifiers = subpaths.map((s) => (s === '.' ? pkg.name : `${pkg.name}/${s.slice(2)}`));
  const expectNames = {
    [pkg.name]: [
      'useBestBackend',
      'l2',
      'penalty',
      'regularizers',
      'callbacks',
      'reduceLROnPlateau',
      'augment',
      'losses',
      'categoricalCrossentropy',
      'optimizers',
      'adamw',
      'data',
      'layers',
      'groupNormalization',
      'registerSerializables',
      'loadCheckpoint',
    ],
    [`${pkg.name}/augment`]: [
      'randomAffine',
      'affineTransform',
      'kerasTransformMatrix',
      'cutout',
      'gaussianNoise',
      'mixup',
      'cutmix',
      'pipeline',
      'flow',
      'layers',
      'randomGenerator',
    ],
    [`${pkg.name}/losses`]: [
      'categoricalCrossentropy',
      'sparseCategoricalCrossentropy',
      'binaryCrossentropy',
      'jensenShannonConsistency',
    ],
    [`${pkg.name}/layers`]: [
      'spatialDropout2d',
      'dropBlock',
      'dropPath',
      'groupNormalization',
      'activityRegularization',
      'registerSerializables',
    ],
    [`${pkg.name}/data`]: ['loadFashionMnist', 'loadMnist', 'normalize', 'oneHot', 'trainTestSplit'],
    [`${pkg.name}/optimizers`]: ['withWeightDecay', 'adamw', 'withGradientClipping', 'withEma'],
    [`${pkg.name}/regularizers`]: ['l1', 'l2', 'l1l2', 'orthogonal', 'penalty', 'maxNorm', 'unitNorm', 'nonNeg'],
    [`${pkg.name}/callbacks`]: [
      'reduceLROnPlateau',
      'modelCheckpoint',
      'earlyStopping',
      'learningRateScheduler',
      'cosineDecay',
      'progressLogger',
      'historyLogger',
      'getLearningRate',
      'setLearningRate',
      'loadCheckpoint',
    ],
  };
  const probe = (kind) => `
    const specs = ${JSON.stringify(specifiers)};
    const expectNames = ${JSON.stringify(expectNames)};
    const load = ${kind === 'esm' ? '(s) => import(s)' : '(s) => Promise.resolve(require(s))'};
    (async () => {
      for (const s of specs) {
        const m = await load(s);
        for (const n of expectNames[s] ?? []) if (m[n] === undefined) throw new Error('${kind}: ' + s + ' lacks export ' + n);
      }
      const tf = ${kind === 'esm' ? "await import('@tensorflow/tfjs-core')" : "require('@tensorflow/tfjs-core')"};
      const registered = Object.keys(tf.engine().registryFactory);
      if (registered.length > 0) throw new Error('${kind}: importing the library registered backends: ' + registered);
      console.log('${kind}: ' + specs.length + ' entry points load, no backend loaded by import');
    })().catch((e) => { console.error(e); process.exit(1); });`;
  writeFileSync(join(scratch, 'probe.mjs'), probe('esm'));
  writeFileSync(join(scratch, 'probe.cjs'), probe('cjs'));
  for (const f of ['probe.mjs', 'probe.cjs']) {
    process.stdout.write(execFileSync(process.execPath, [f], { cwd: scratch, encoding: 'utf8' }));
  }
  // The installed command: its bin entry must exist in the tarball and run.
  for (const [name, file] of Object.entries(pkg.bin ?? {})) {
    const listed = execFileSync(process.execPath, [join(installed, file), 'list'], { cwd: scratch, encoding: 'utf8' });
    if (!/^mnistBase\b/m.test(listed) || !/^mnistExercise\b/m.test(listed))
      throw new Error(`bin ${name} list printed:\n${listed}`);
    console.log(`bin: ${name} list prints ${listed.trim().split('\n').length} presets`);
  }
  // As a user installs it (from the registry, into an empty project): footprint, file list, types.
  execFileSync(process.execPath, [join(root, 'scripts/check-consumers.mjs'), join(scratch, tgz)], { stdio: 'inherit' });
  execFileSync(join(root, 'node_modules/.bin/attw'), [join(scratch, tgz), '--format', 'table-flipped'], {
    stdio: 'inherit',
  });
  console.log(`check:package: ${tgz} OK`);
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
