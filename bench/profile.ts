/**
 * npm run bench:profile [-- --cells mnistBase,mnistBatchNorm --steps 16 --top 12]
 *
 * Where a training step of each notebook cell goes on tfjs-node: the preset trains one short
 * epoch (batches of 128, its own flow, augmentation and callbacks) and a callback cuts the run at
 * every batch end, so that one window is one whole step: flow's next batch, every callback's
 * per-batch work and `trainOnBatch`'s forward, backward and optimizer update. For each window it
 * counts the tfjs kernels run from JavaScript (top level, not those a kernel runs inside itself)
 * and every TensorFlow op tfjs-node executes, timing each op (TensorFlow's CPU eager ops run
 * synchronously, so an op's wall time is its kernel time). The first windows (tracing, warm-up) are
 * left out; the figures are per step, averaged over the measured ones. The presets train with
 * fastNodeKernels on (they turn it on on tfjs-node).
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { useBestBackend } from '../src/backend/useBestBackend.js';
import { PRESETS } from '../src/presets/registry.js';

const argv = process.argv.slice(2);
const flag = (name: string, fallback: string) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 && argv[i + 1] !== undefined ? argv[i + 1]! : fallback;
};
const cells = flag('cells', 'mnistBase,mnistL2,mnistDropout,mnistBatchNorm,mnistAugmented').split(',');
for (const c of cells) if (!(c in PRESETS)) throw new Error(`bench:profile: unknown preset ${JSON.stringify(c)}`);
const steps = Number(flag('steps', '16'));
const top = Number(flag('top', '12'));
const WARM = 3;
const BATCH = 128;

if ((await useBestBackend('tensorflow', { log: null })) !== 'tensorflow')
  throw new Error('bench:profile: needs @tensorflow/tfjs-node (npm run provision)');

interface OpStat {
  count: number;
  ms: number;
}
let ops = new Map<string, OpStat>();
let kernels = 0;
let depth = 0;

// Every TensorFlow op tfjs-node runs goes through binding.executeOp; its properties are read-only,
// so the backend's binding is swapped for a proxy that times that one function.
const backend = tf.backend() as unknown as { binding: Record<string | symbol, unknown> };
const binding = backend.binding;
const executeOp = binding['executeOp'] as (...args: unknown[]) => unknown;
const timedExecuteOp = (...args: unknown[]) => {
  const t0 = performance.now();
  try {
    return executeOp.apply(binding, args);
  } finally {
    const s = ops.get(args[0] as string) ?? { count: 0, ms: 0 };
    s.count++;
    s.ms += performance.now() - t0;
    ops.set(args[0] as string, s);
  }
};
backend.binding = new Proxy({}, { get: (_t, key) => (key === 'executeOp' ? timedExecuteOp : binding[key]) });

const engine = tf.engine() as unknown as { runKernelFunc: (...args: unknown[]) => unknown };
const runKernelFunc = engine.runKernelFunc.bind(engine);
engine.runKernelFunc = (...args: unknown[]) => {
  if (depth === 0) kernels++;
  depth++;
  try {
    return runKernelFunc(...args);
  } finally {
    depth--;
  }
};

interface Window {
  ms: number;
  kernels: number;
  ops: Map<string, OpStat>;
}

/** Cuts the run at every batch end: the window between two is one whole training step. */
class StepWindows extends tfl.Callback {
  windows: Window[] = [];
  private start = 0;
  override async onBatchEnd(): Promise<void> {
    const now = performance.now();
    if (this.start > 0) this.windows.push({ ms: now - this.start, kernels, ops });
    ops = new Map();
    kernels = 0;
    this.start = performance.now();
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const f1 = (x: number) => x.toFixed(1);

console.log(`bench:profile on tfjs-node, batch ${BATCH}, ${steps} steps`);
for (const cell of cells) {
  const windows = new StepWindows();
  // 80 % of the subset trains: enough batches for the warm-up and the measured steps, one epoch.
  const subset = Math.ceil(((WARM + steps + 2) * BATCH) / 0.8);
  const preset = PRESETS[cell]!();
  await preset.train({ epochs: 1, subset, verbose: 0, backend: 'tensorflow', callbacks: [windows] });
  const measured = windows.windows.slice(WARM, WARM + steps);
  const total = new Map<string, OpStat>();
  for (const w of measured)
    for (const [name, s] of w.ops) {
      const t = total.get(name) ?? { count: 0, ms: 0 };
      t.count += s.count;
      t.ms += s.ms;
      total.set(name, t);
    }
  const n = measured.length;
  const opCount = [...total.values()].reduce((a, s) => a + s.count, 0) / n;
  const opMs = [...total.values()].reduce((a, s) => a + s.ms, 0) / n;
  const stepMs = measured.reduce((a, w) => a + w.ms, 0) / n;
  const kernelCount = measured.reduce((a, w) => a + w.kernels, 0) / n;
  console.log(
    `\n### ${cell}\n\nstep ${f1(stepMs)} ms (mean of ${n}, median ${f1(median(measured.map((w) => w.ms)))}); ` +
      `${f1(kernelCount)} tfjs kernels, ` +
      `${f1(opCount)} TensorFlow ops taking ${f1(opMs)} ms; the rest, ${f1(stepMs - opMs)} ms, is JavaScript\n`,
  );
  console.log('| TensorFlow op | per step | ms per step | share of the step |');
  console.log('|---|--:|--:|--:|');
  const rows = [...total.entries()].sort((a, b) => b[1].ms - a[1].ms);
  for (const [name, s] of rows.slice(0, top))
    console.log(
      `| ${name} | ${f1(s.count / n)} | ${(s.ms / n).toFixed(2)} | ${((100 * s.ms) / n / stepMs).toFixed(0)} % |`,
    );
  const rest = rows.slice(top);
  if (rest.length > 0) {
    const c = rest.reduce((a, [, s]) => a + s.count, 0) / n;
    const ms = rest.reduce((a, [, s]) => a + s.ms, 0) / n;
    console.log(`| ${rest.length} others | ${f1(c)} | ${ms.toFixed(2)} | ${((100 * ms) / stepMs).toFixed(0)} % |`);
  }
}
