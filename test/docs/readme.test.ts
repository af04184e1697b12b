import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { expect, it } from 'vitest';
import { describeBackends } from '../helpers/backends.js';

const run = promisify(execFile);
const root = join(import.meta.dirname, '../..');

// The README's first snippet, run as written (only the package specifiers point at src/), in a
// child process in an empty directory (it writes its checkpoint to ./best_model).
describeBackends(
  'README',
  () => {
    it('the first code snippet runs as written: it trains, saves the best checkpoint and reports Keras val_loss', async () => {
      const readme = await readFile(join(root, 'README.md'), 'utf8');
      const code = /```ts\n([\s\S]*?)```/.exec(readme)![1]!;
      const dir = await mkdtemp(join(root, 'test/.examples-readme-'));
      try {
        const runnable = code.replace(/from 'tfjs-regularization(\/[a-z]+)?'/g, (_m, sub: string | undefined) =>
          `from '${join(root, 'src', sub === undefined ? 'index.ts' : `${sub}/index.ts`)}'`,
        );
        await writeFile(join(dir, 'readme.mts'), runnable);
        const { stdout } = await run(join(root, 'node_modules/.bin/tsx'), ['readme.mts'], {
          cwd: dir,
          env: { ...process.env, TF_CPP_MIN_LOG_LEVEL: '2' },
        });
        expect(stdout).toMatch(/using the tensorflow backend/);
        expect(stdout).toMatch(/^Epoch 1: val_accuracy improved from -inf to 0\.\d{5}, saving model to best_model$/m);
        expect(stdout).toMatch(/^Epoch 3\/3 - \d+s - loss: .* - learning_rate: 0\.0250$/m);
        expect(stdout).toMatch(/^val_loss as Keras reports it: \d+\.\d{4}$/m);
        // model.json, the weights it names, and the previous save's weights (kept for a reader in flight).
      const files = (await readdir(join(dir, 'best_model'))).sort();
      expect(files[0]).toBe('model.json');
      expect(files.slice(1)).toEqual(files.slice(1).filter((f) => /^weights-[0-9a-f]{16}\.bin$/.test(f)));
      expect(files.length).toBeGreaterThanOrEqual(2);
      expect(files.length).toBeLessThanOrEqual(3);
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    }, 120_000);
  },
  // Training 3 epochs of a 1024-wide layer on 10,000 images needs tfjs-node's speed.
  { only: ['tensorflow'] },
);
