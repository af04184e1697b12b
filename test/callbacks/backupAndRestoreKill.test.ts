import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { decodeBackup } from '../../src/callbacks/_internal/backupFile.js';
import { randomGenerator } from '../../src/core/random.js';

const root = join(import.meta.dirname, '../..');
const src = (p: string) => JSON.stringify(join(root, 'src', p));
let work: string;

// A training script as a user writes it: the same script, run again after a kill, resumes. Every
// backup's rename is announced and delayed, so that the test can kill it in the middle of a backup
// write (the temporary file complete, the rename not done).
const TRAINER = `
import { createRequire, syncBuiltinESMExports } from 'node:module';
import { writeFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';
import { flow } from ${src('augment/flow.ts')};
import { gaussianNoise } from ${src('augment/gaussianNoise.ts')};
import { backupAndRestore } from ${src('callbacks/backupAndRestore.ts')};
import { earlyStopping } from ${src('callbacks/earlyStopping.ts')};
import { reduceLROnPlateau } from ${src('callbacks/reduceLROnPlateau.ts')};
import { historyLogger } from ${src('callbacks/historyLogger.ts')};
const [backupDir, outFile, historyFile] = process.argv.slice(2);
const fsp = createRequire(import.meta.url)('fs/promises');
const rename = fsp.rename;
fsp.rename = async (from, to) => {
  if (String(to).endsWith('backup.tfrb')) {
    process.stdout.write('renaming\\n');
    await new Promise((r) => setTimeout(r, 60));
  }
  return rename(from, to);
};
syncBuiltinESMExports();
await tf.setBackend('cpu');
const init = (seed) => tfl.initializers.glorotUniform({ seed });
const model = tfl.sequential({ layers: [
  tfl.layers.flatten({ inputShape: [4, 4, 1] }),
  tfl.layers.dense({ units: 16, activation: 'relu', kernelInitializer: init(1) }),
  tfl.layers.dense({ units: 2, activation: 'softmax', kernelInitializer: init(2) }),
] });
model.compile({ optimizer: tf.train.adam(0.02), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
const x = tf.reshape(tf.sin(tf.linspace(0, 30, 32 * 16)), [32, 4, 4, 1]);
const y = tf.oneHot(tf.tensor1d(Array.from({ length: 32 }, (_, i) => (i * 7) % 3 === 0 ? 1 : 0), 'int32'), 2);
const batches = flow(x, y, { batchSize: 4, seed: 3, pipeline: gaussianNoise({ stddev: 0.2 }) });
const backup = backupAndRestore({ backupDir, data: [batches] });
const initialEpoch = await backup.initialEpoch();
process.stdout.write('ready ' + initialEpoch + '\\n');
// Slow batches, so that kills land in the middle of training.
const slow = new (class extends tfl.Callback { async onBatchEnd() { await new Promise((r) => setTimeout(r, 8)); } })();
await model.fitDataset(batches, { epochs: 14, initialEpoch, verbose: 0, callbacks: [
  slow,
  reduceLROnPlateau({ monitor: 'loss', patience: 1, factor: 0.7, minDelta: 0.01 }),
  earlyStopping({ monitor: 'loss', patience: 50, restoreBestWeights: true }),
  historyLogger({ path: historyFile }),
  backup,
] });
writeFileSync(outFile, JSON.stringify(model.getWeights().map((w) => Array.from(w.dataSync()))));
process.stdout.write('done\\n');
`;

beforeAll(async () => {
  await mkdir(join(root, 'test/.bundles'), { recursive: true });
  work = await mkdtemp(join(root, 'test/.bundles/backup-kill-'));
  await writeFile(join(work, 'trainer.mts'), TRAINER);
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

interface Child {
  /** Resolves at the n-th line matching `re` (false if the process ended first). */
  waitFor(re: RegExp, n?: number): Promise<boolean>;
  kill(): void;
  exited: Promise<number | null>;
}

function trainer(name: string): Child {
  const args = [
    join(work, 'trainer.mts'),
    join(work, name, 'backup'),
    join(work, `${name}.json`),
    join(work, `${name}.csv`),
  ];
  // tsx as a loader in the one process (its CLI would run the script in a child): the kill hits the trainer.
  const child = spawn(process.execPath, ['--import', 'tsx', ...args], {
    cwd: root,
    env: { ...process.env, TF_CPP_MIN_LOG_LEVEL: '2' },
  });
  const lines: string[] = [];
  let waiters: Array<() => void> = [];
  let buffered = '';
  let stderr = '';
  child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
  child.stdout!.on('data', (chunk: Buffer) => {
    buffered += chunk.toString();
    const parts = buffered.split('\n');
    buffered = parts.pop()!;
    lines.push(...parts);
    for (const w of waiters) w();
  });
  const exited = new Promise<number | null>((resolve) =>
    child.on('exit', (code) => {
      if (code !== 0 && code !== null) console.error(stderr);
      for (const w of waiters) w();
      waiters = [];
      resolve(code);
    }),
  );
  return {
    waitFor: (re, n = 1) =>
      new Promise((resolve) => {
        const check = () => {
          if (lines.filter((l) => re.test(l)).length >= n) resolve(true);
          else if (child.exitCode !== null || child.signalCode !== null) resolve(false);
          else return;
          waiters = waiters.filter((w) => w !== check);
        };
        waiters.push(check);
        check();
      }),
    kill: () => child.kill('SIGKILL'),
    exited,
  };
}

/** Every file in the backup directory is the backup, complete, or a temporary file the next run removes. */
async function checkBackupDirectory(dir: string): Promise<void> {
  const names = await readdir(dir).catch(() => [] as string[]);
  for (const name of names) {
    if (/^\.backup\.tfrb\.[0-9a-f]{16}\.tmp$/.test(name)) continue;
    expect(name).toBe('backup.tfrb');
    decodeBackup(new Uint8Array(await readFile(join(dir, name))), name);
  }
}

it('a training killed with SIGKILL at random moments, some in a backup write, ends with the uninterrupted run’s weights (bitwise, cpu)', async () => {
  const whole = trainer('whole');
  expect(await whole.exited).toBe(0);
  const rng = randomGenerator(20261202);
  let kills = 0;
  let inWrite = 0;
  let runs = 0;
  for (;;) {
    runs += 1;
    expect(runs, 'runs before the training finished').toBeLessThan(40);
    const child = trainer('killed');
    expect(await child.waitFor(/^ready/)).toBe(true);
    if (kills < 12) {
      const duringWrite = rng.bernoulli(0.5);
      const reached = duringWrite
        ? await child.waitFor(/^renaming$/, 1 + rng.integer(3))
        : await Promise.race([
            child.exited.then(() => false),
            new Promise<boolean>((r) => setTimeout(() => r(true), rng.uniform(0, 400))),
          ]);
      if (reached) {
        child.kill();
        await child.exited;
        kills += 1;
        if (duringWrite) inWrite += 1;
        await checkBackupDirectory(join(work, 'killed', 'backup'));
        continue;
      }
    }
    if ((await child.exited) === 0) break;
  }
  expect(kills).toBeGreaterThanOrEqual(10);
  expect(inWrite).toBeGreaterThan(0);
  expect(JSON.parse(await readFile(join(work, 'killed.json'), 'utf8'))).toEqual(
    JSON.parse(await readFile(join(work, 'whole.json'), 'utf8')),
  );
  expect(await readFile(join(work, 'killed.csv'), 'utf8')).toBe(await readFile(join(work, 'whole.csv'), 'utf8'));
}, 180_000);
