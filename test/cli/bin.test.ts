import { spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCheckpoint } from '../../src/callbacks/loadCheckpoint.js';
import { handleSignals } from '../../src/cli/_internal/signals.js';
import { describeBackends } from '../helpers/backends.js';

const ROOT = join(import.meta.dirname, '../..');
const BIN = join(ROOT, 'src/cli/bin.ts');

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  out: string;
  err: string;
}

/** A process, its output collected; `onOut` sees stdout as it grows and may signal the process. */
function run(
  command: string,
  args: readonly string[],
  onOut?: (out: string, kill: (s: NodeJS.Signals) => void) => void,
) {
  return new Promise<Run>((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, TF_CPP_MIN_LOG_LEVEL: '2' },
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      onOut?.(out, (s) => child.kill(s));
    });
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, out, err }));
  });
}

/** The CLI as a process of its own (tsx as a loader, so that signals reach the CLI itself, not a wrapper). */
const cli = (argv: readonly string[], onOut?: Parameters<typeof run>[2]) =>
  run(process.execPath, ['--import', 'tsx', BIN, ...argv], onOut);

const TRAIN = [
  'train',
  'mnistBase',
  '--subset',
  '2000',
  '--epochs',
  '200',
  '--verbose',
  '2',
  '--backend',
  'tensorflow',
];

// Real training in child processes: tfjs-node's speed is needed, and the plumbing does not depend on the backend.
describeBackends(
  'tfjs-regularization CLI under signals and closed pipes',
  () => {
    it('on SIGINT during training: stops after the batch, writes --out marked interrupted and a loadable checkpoint, exits 130', async () => {
      const dir = await mkdtemp(join(tmpdir(), 'tfjs-reg-bin-'));
      try {
        let sent = false;
        const r = await cli(
          [...TRAIN, '--out', join(dir, 'r.json'), '--checkpoint-dir', join(dir, 'ck')],
          (out, kill) => {
            if (!sent && /^Epoch 2\/200 /m.test(out)) {
              sent = true;
              kill('SIGINT');
            }
          },
        );
        expect(sent).toBe(true);
        expect(r.signal).toBeNull();
        expect(r.code).toBe(130);
        expect(r.err).toMatch(/SIGINT: stopping at the end of this batch/);
        expect(r.err).toMatch(
          new RegExp(
            `interrupted \\(SIGINT\\) at the end of a batch; results so far in ${dir}/r\\.json; checkpoint in ${dir}/ck`,
          ),
        );
        expect(r.err).not.toMatch(/\n\s+at /);
        expect(r.out).toMatch(/mnistBase +\| tensorflow +\| +98\.10% \| +interrupted\* \|/);
        const [result] = JSON.parse(await readFile(join(dir, 'r.json'), 'utf8'));
        expect(result.interrupted).toBe(true);
        // Every recorded epoch is complete (the cut one is not recorded), and training did stop early.
        expect(result.history.length).toBeGreaterThanOrEqual(2);
        expect(result.history.length).toBeLessThan(200);
        for (const h of result.history) expect(Number.isFinite(h.val_accuracy)).toBe(true);
        const model = await loadCheckpoint(join(dir, 'ck'));
        expect(model.outputs[0]!.shape).toEqual([null, 10]);
        model.dispose();
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    }, 120_000);

    it('on SIGTERM does the same and exits 143', async () => {
      const dir = await mkdtemp(join(tmpdir(), 'tfjs-reg-bin-'));
      try {
        let sent = false;
        const r = await cli([...TRAIN, '--out', join(dir, 't.json')], (out, kill) => {
          if (!sent && /^Epoch 1\/200 /m.test(out)) {
            sent = true;
            kill('SIGTERM');
          }
        });
        expect(r.code).toBe(143);
        expect(r.err).toMatch(/interrupted \(SIGTERM\)/);
        const [result] = JSON.parse(await readFile(join(dir, 't.json'), 'utf8'));
        expect(result.interrupted).toBe(true);
        expect(result.history.length).toBeLessThan(200);
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    }, 120_000);

    it('ends quietly with exit 0 when stdout is closed early (| head -1)', async () => {
      const r = await run('/bin/bash', [
        '-c',
        `"${process.execPath}" --import tsx "${BIN}" ${TRAIN.join(' ').replace('200', '3')} | head -1; exit "\${PIPESTATUS[0]}"`,
      ]);
      expect(r.out.trim().split('\n')).toHaveLength(1);
      expect(r.err).not.toMatch(/EPIPE|\n\s+at /);
      expect(r.code).toBe(0);
    }, 120_000);

    it('with --backup-dir, a run killed with SIGKILL is resumed by the same command, which then removes the backup', async () => {
      const dir = await mkdtemp(join(tmpdir(), 'tfjs-reg-bin-'));
      try {
        const argv = [
          ...TRAIN.map((a) => (a === '200' ? '4' : a)),
          '--backup-dir',
          join(dir, 'b'),
          '--out',
          join(dir, 'r.json'),
        ];
        let sent = false;
        const killed = await cli(argv, (out, kill) => {
          if (!sent && /^Epoch 3\/4 /m.test(out)) {
            sent = true;
            kill('SIGKILL');
          }
        });
        expect(killed.signal).toBe('SIGKILL');
        const resumed = await cli(argv);
        expect(resumed.code).toBe(0);
        expect(resumed.out).toMatch(new RegExp(`resuming from the backup in ${dir}/b at epoch [34]`));
        const [result] = JSON.parse(await readFile(join(dir, 'r.json'), 'utf8'));
        expect(result.history.map((h: { epoch: number }) => h.epoch)).toEqual([1, 2, 3, 4]);
        expect([2, 3]).toContain(result.resumedFromEpoch);
        await expect(readdir(join(dir, 'b'))).rejects.toThrow();
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    }, 120_000);
  },
  { only: ['tensorflow'] },
);

describe('handleSignals', () => {
  it.each(['SIGINT', 'SIGTERM'] as const)(
    'a first %s aborts with its name and says so; a second one exits at once with 128 + its number',
    (signal) => {
      const stop = new AbortController();
      const exits: number[] = [];
      const said: string[] = [];
      const off = handleSignals(
        stop,
        (code) => void exits.push(code),
        (line) => void said.push(line),
      );
      try {
        process.emit(signal);
        expect(stop.signal.aborted).toBe(true);
        expect(stop.signal.reason).toBe(signal);
        expect(exits).toEqual([]);
        expect(said.join('')).toMatch(
          new RegExp(`${signal}: stopping at the end of this batch \\(again to quit at once\\)`),
        );
        process.emit(signal);
        expect(exits).toEqual([signal === 'SIGINT' ? 130 : 143]);
      } finally {
        off();
      }
      // Removed: the test process' own handling is back as it was.
      expect(process.listenerCount(signal)).toBe(0);
    },
  );
});
