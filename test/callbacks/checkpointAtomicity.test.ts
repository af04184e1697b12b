import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { loadCheckpoint } from '../../src/callbacks/loadCheckpoint.js';
import { describeBackends } from '../helpers/backends.js';

const root = join(import.meta.dirname, '../..');
let work: string;

// A writer in its own process: saves a small model `count` times to `dir`, every weight of save k
// equal to k (so a torn checkpoint, weights of one save under another's manifest, shows), and can
// pause forever at a step of a chosen save, so that the test kills it exactly there.
const WRITER = `
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';
import { modelCheckpoint } from ${JSON.stringify(join(root, 'src/callbacks/modelCheckpoint.ts'))};
import { saveHooks } from ${JSON.stringify(join(root, 'src/callbacks/_internal/checkpoint/files.ts'))};
await tf.setBackend('cpu');
const [dir, count, start, pauseStep, pauseSave, policy] = process.argv.slice(2);
const model = tfl.sequential({ layers: [tfl.layers.dense({ inputShape: [16], units: 8 })] });
let k = Number(start);
if (pauseStep) {
  saveHooks.between = async (step) => {
    if (step === pauseStep && k === Number(pauseSave)) {
      process.stdout.write('paused ' + step + '\\n');
      // Paused for good (a timer keeps the process alive until the test kills it).
      setInterval(() => undefined, 60_000);
      await new Promise(() => {});
    }
  };
}
const cb = modelCheckpoint({ filepath: dir, onSaveError: policy === 'continue' ? 'continue' : 'throw',
  warn: (m) => process.stdout.write('warn ' + m + '\\n') });
cb.setModel(model);
for (const end = k + Number(count); k < end; k++) {
  tf.tidy(() => model.setWeights(model.getWeights().map((w) => tf.fill(w.shape, k))));
  await cb.onEpochEnd(k, {});
  process.stdout.write('saved ' + k + '\\n');
}
`;

interface Writer {
  child: ChildProcess;
  lines: string[];
  /** Resolves when a line matching `re` has been printed. */
  waitFor(re: RegExp): Promise<void>;
  exited: Promise<number | null>;
}

function writer(
  dir: string,
  args: { count: number; start: number; pause?: [string, number]; policy?: string },
): Writer {
  const argv = [
    join(work, 'writer.mts'),
    dir,
    String(args.count),
    String(args.start),
    ...(args.pause ?? ['', '']).map(String),
    args.policy ?? '',
  ];
  // One process (tsx as a loader, not its CLI, which would run the script in a child of its own):
  // a SIGKILL must hit the writer itself.
  const child = spawn(process.execPath, ['--import', 'tsx', ...argv], {
    cwd: root,
    env: { ...process.env, TF_CPP_MIN_LOG_LEVEL: '2' },
  });
  const lines: string[] = [];
  const waiters: Array<[RegExp, () => void]> = [];
  let buffered = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    buffered += chunk.toString();
    const parts = buffered.split('\n');
    buffered = parts.pop()!;
    for (const line of parts) {
      lines.push(line);
      for (const w of waiters.filter(([re]) => re.test(line))) w[1]();
    }
  });
  let errors = '';
  child.stderr!.on('data', (chunk: Buffer) => void (errors = (errors + chunk.toString()).slice(-2000)));
  // 'close', not 'exit': every line the writer printed has been read then.
  const exited = new Promise<number | null>((done) => child.on('close', (code) => done(code)));
  return {
    child,
    lines,
    exited,
    waitFor: (re) =>
      lines.some((l) => re.test(l))
        ? Promise.resolve()
        : new Promise<void>((done, fail) => {
            waiters.push([re, done]);
            void exited.then((code) =>
              fail(new Error(`writer exited (${code}) before ${re}: ${lines.slice(-3).join(' | ')} ${errors}`)),
            );
          }),
  };
}

/**
 * What a reader sees: 'none' (no manifest yet), 'complete' (the manifest and every byte of the
 * weights it names, all of one save) or why not. When the weights named vanished between the two
 * reads, it reads again as loadCheckpoint does: a violation only if the manifest had not changed
 * meanwhile (a slow reader may see the writer move on, twice or more under load).
 */
async function observe(dir: string): Promise<string> {
  let previous: string | undefined;
  for (let attempt = 0; attempt < 100; attempt++) {
    const text = await readFile(join(dir, 'model.json'), 'utf8').catch(() => undefined);
    if (text === undefined) return 'none';
    if (text === previous) return 'weights named by the manifest missing';
    previous = text;
    let manifest: { weightsManifest: { paths: string[]; weights: tf.io.WeightsManifestEntry[] }[] };
    try {
      manifest = JSON.parse(text);
    } catch {
      return 'torn manifest';
    }
    const group = manifest.weightsManifest[0]!;
    const bytes = await readFile(join(dir, group.paths[0]!)).catch(() => undefined);
    if (bytes === undefined) continue;
    const size = group.weights.reduce((s, w) => s + 4 * w.shape.reduce((a, b) => a * b, 1), 0);
    if (bytes.length !== size) return `weights of ${bytes.length} bytes, manifest says ${size}`;
    const values = new Float32Array(bytes.buffer, bytes.byteOffset, bytes.length / 4);
    if (!values.every((v) => v === values[0])) return 'weights of two saves';
    return 'complete';
  }
  return 'starved: the manifest changed at each of 100 reads';
}

const kinds = (names: string[]) => ({
  weights: names.filter((n) => /^weights-[0-9a-f]{16}\.bin$/.test(n)).length,
  temporary: names.filter((n) => n.endsWith('.tmp')).length,
  lock: names.includes('.lock'),
  other: names.filter((n) => !/^(model\.json|weights-[0-9a-f]{16}\.bin|\.lock|\..*\.tmp)$/.test(n)),
});

beforeAll(async () => {
  await mkdir(join(root, 'test/.bundles'), { recursive: true });
  work = await mkdtemp(join(root, 'test/.bundles/checkpoint-'));
  await writeFile(join(work, 'writer.mts'), WRITER);
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

describeBackends(
  'checkpoint replace, across processes',
  () => {
    it('a reader polling during 1,000 replaces always finds one complete checkpoint after the first save', async () => {
      const dir = join(work, 'polled');
      const w = writer(dir, { count: 1000, start: 1 });
      const seen = new Map<string, number>();
      let first = false;
      let polls = 0;
      let done = false;
      void w.exited.then(() => (done = true));
      while (!done) {
        const o = await observe(dir);
        polls++;
        if (o === 'complete') first = true;
        if (first || o !== 'none') seen.set(o, (seen.get(o) ?? 0) + 1);
      }
      expect(await w.exited).toBe(0);
      expect(w.lines.filter((l) => l.startsWith('saved'))).toHaveLength(1000);
      expect([...seen.keys()]).toEqual(['complete']);
      expect(polls).toBeGreaterThan(1000);
      expect(kinds(await readdir(dir))).toEqual({ weights: 2, temporary: 0, lock: false, other: [] });
    }, 120_000);

    it('a writer killed at every step of a save, and at random moments, always leaves a loadable checkpoint', async () => {
      const dir = join(work, 'killed');
      let next = 1;
      const first = writer(dir, { count: 2, start: next });
      expect(await first.exited).toBe(0);
      next += 2;
      const steps = ['locked', 'weights', 'manifest-temp', 'manifest', 'cleaned'];
      // 5 steps × 4 saves at each, then 12 kills at random moments of a stream of saves: 32 kills.
      const plans = [
        ...steps.flatMap((step) => [0, 1, 2, 3].map((i) => ({ step, i }))),
        ...Array.from({ length: 12 }, (_, i) => ({ step: '', i: 20 + ((i * 37) % 150) })),
      ];
      let previous = 2;
      for (const plan of plans) {
        const w = writer(dir, {
          count: 1000,
          start: next,
          ...(plan.step ? { pause: [plan.step, next + plan.i] } : {}),
        });
        if (plan.step) await w.waitFor(new RegExp(`^paused ${plan.step}$`));
        else {
          await w.waitFor(/^saved/);
          await new Promise((r) => setTimeout(r, plan.i));
        }
        w.child.kill('SIGKILL');
        await w.exited;
        const saved = w.lines.filter((l) => l.startsWith('saved')).map((l) => Number(l.slice(6)));
        // Loadable, whole, and holding the last save that finished or the one in flight.
        expect(await observe(dir)).toBe('complete');
        const model = await loadCheckpoint(dir);
        const value = (model.getWeights()[0]!.dataSync() as Float32Array)[0]!;
        const last = saved.at(-1) ?? previous;
        const inFlight = saved.length > 0 ? last + 1 : next;
        expect([last, inFlight]).toContain(value);
        model.dispose();
        // Nothing accumulates beyond one save's worth: current and previous weights, plus one orphan.
        const k = kinds(await readdir(dir));
        expect(k.other).toEqual([]);
        expect(k.weights).toBeLessThanOrEqual(3);
        expect(k.temporary).toBeLessThanOrEqual(1);
        previous = value;
        next = Math.max(next, inFlight) + 1;
      }
      // The next save recovers (a stale lock is taken over) and cleans up.
      const after = writer(dir, { count: 1, start: next });
      expect(await after.exited).toBe(0);
      expect(kinds(await readdir(dir))).toEqual({ weights: 2, temporary: 0, lock: false, other: [] });
      expect(plans.length).toBeGreaterThanOrEqual(30);
    }, 300_000);

    it('two processes saving to one path: clear errors naming the other, never a raw file-system error', async () => {
      const dir = join(work, 'shared');
      const [a, b] = [
        writer(dir, { count: 150, start: 1, policy: 'continue' }),
        writer(dir, { count: 150, start: 1001, policy: 'continue' }),
      ];
      expect([await a.exited, await b.exited]).toEqual([0, 0]);
      const warnings = [...a.lines, ...b.lines].filter((l) => l.startsWith('warn '));
      for (const line of warnings) {
        expect(line).toMatch(
          /is being saved by another process \((pid \d+|a process starting to save)\); two writers cannot share one checkpoint path/,
        );
      }
      // They did overlap (else this proves nothing), and each still saved most of its checkpoints.
      expect(warnings.length).toBeGreaterThan(0);
      for (const w of [a, b]) expect(w.lines.filter((l) => l.startsWith('saved')).length).toBeGreaterThan(0);
      expect(await observe(dir)).toBe('complete');
      expect(kinds(await readdir(dir)).temporary).toBe(0);
    }, 120_000);
  },
  // Process-level behaviour: one backend is enough (the writers run on cpu).
  { only: ['cpu'] },
);
