import { Callback } from '@tensorflow/tfjs-layers';
import type { Logs } from '@tensorflow/tfjs-layers';
import { stepsPerEpoch, totalEpochs } from './_internal/fitParams.js';
import { readLogValue } from '../core/logs.js';
import { formatCounter, formatEta, formatLogs, formatPerStep } from './_internal/progressFormat.js';
import { checkOptions, optionNames, invalidArgument } from '../core/validate.js';
import { getLearningRate } from './getLearningRate.js';

/** Where {@link progressLogger} writes: `process.stdout`, or anything with `write` (and `isTTY` for the live bar). */
export interface ProgressStream {
  write(text: string): unknown;
  /** True for a terminal: then verbose 1 shows a live bar rewritten with `\r`. */
  readonly isTTY?: boolean;
  /** Terminal width: the live bar is cut to fit, so that `\r` can rewrite it. */
  readonly columns?: number;
}

/** Options of {@link progressLogger}. */
export interface ProgressLoggerOptions {
  /**
   * 0 silent, 1 a live progress bar on a terminal (one line per epoch elsewhere), 2 one line per epoch.
   * @defaultValue 1, or 0 when the `CI` environment variable is set
   */
  verbose?: 0 | 1 | 2;
  /** Receives each epoch's line instead of a stream (one line per epoch, no live bar). */
  log?: (line: string) => void;
  /** Where to write. @defaultValue `process.stdout` in Node, `console.log` lines elsewhere */
  stream?: ProgressStream;
}

const PROGRESS_LOGGER_OPTIONS = optionNames<ProgressLoggerOptions>()('verbose', 'log', 'stream');

interface Sink {
  readonly live: boolean;
  columns(): number | undefined;
  write(text: string): void;
  line(text: string): void;
}

const THROTTLE_MS = 100;
const NOT_METRICS = new Set(['batch', 'size']);

class ProgressLogger extends Callback {
  private epochStart = 0;
  private lastDraw = -Infinity;
  private drawnWidth = 0;
  private steps = 0;
  private seen = 0;
  private readonly totals = new Map<string, number>();

  constructor(
    private readonly verbose: 0 | 1 | 2,
    private readonly sink: Sink,
  ) {
    super();
  }

  private get live(): boolean {
    return this.verbose === 1 && this.sink.live;
  }

  override async onEpochBegin(epoch: number): Promise<void> {
    this.epochStart = Date.now();
    this.lastDraw = -Infinity;
    this.drawnWidth = 0;
    this.steps = 0;
    this.seen = 0;
    this.totals.clear();
    if (this.live) this.sink.write(`${this.epochLabel(epoch)}\n`);
  }

  override async onBatchEnd(batch: number, logs?: Logs): Promise<void> {
    if (!this.live) return;
    this.steps = batch + 1;
    // Keras shows running means over the epoch; tfjs' batch logs hold the batch's own values.
    const size = typeof logs?.['size'] === 'number' && logs['size'] > 0 ? logs['size'] : 1;
    this.seen += size;
    for (const [key, raw] of Object.entries(logs ?? {})) {
      const v = NOT_METRICS.has(key) ? undefined : readLogValue(raw);
      if (v !== undefined) this.totals.set(key, (this.totals.get(key) ?? 0) + v * size);
    }
    const now = Date.now();
    if (now - this.lastDraw < THROTTLE_MS) return;
    this.lastDraw = now;
    const target = stepsPerEpoch(this.params);
    const elapsed = (now - this.epochStart) / 1000;
    const timing =
      target === undefined
        ? ` - ${Math.round(elapsed)}s ${formatPerStep(elapsed / this.steps)}`
        : ` - ETA: ${formatEta((elapsed / this.steps) * (target - this.steps))}`;
    const means = [...this.totals].map(([k, total]) => [k, total / this.seen] as const);
    this.redraw(`${formatCounter(this.steps, target)}${timing}${formatLogs(means)}`, true);
  }

  override async onEpochEnd(epoch: number, logs?: Logs): Promise<void> {
    if (this.verbose === 0) return;
    const values: Array<[string, number]> = [];
    for (const [key, raw] of Object.entries(logs ?? {})) {
      const v = NOT_METRICS.has(key) ? undefined : readLogValue(raw);
      if (v !== undefined) values.push([key, v]);
    }
    const lr = values.some(([k]) => k === 'lr') ? undefined : this.optimizerLearningRate();
    if (lr !== undefined) values.push(['lr', lr]);
    const elapsed = (Date.now() - this.epochStart) / 1000;
    if (!this.live) {
      this.sink.line(`${this.epochLabel(epoch)} - ${Math.round(elapsed)}s${formatLogs(values)}`);
      return;
    }
    const target = stepsPerEpoch(this.params);
    const steps = this.steps > 0 ? this.steps : (target ?? 0);
    const perStep = formatPerStep(elapsed / Math.max(steps, 1));
    this.redraw(`${formatCounter(steps, target)} - ${Math.round(elapsed)}s ${perStep}${formatLogs(values)}`, false);
    this.sink.write('\n');
  }

  private epochLabel(epoch: number): string {
    const epochs = totalEpochs(this.params);
    return epochs === undefined ? `Epoch ${epoch + 1}` : `Epoch ${epoch + 1}/${epochs}`;
  }

  // The rate is shown even when no scheduler put it in the logs (or one runs after this callback).
  private optimizerLearningRate(): number | undefined {
    const optimizer = (this.model as { optimizer?: unknown } | null)?.optimizer;
    if (optimizer == null) return undefined;
    try {
      return getLearningRate(optimizer as Parameters<typeof getLearningRate>[0]);
    } catch {
      return undefined;
    }
  }

  private redraw(text: string, fitWidth: boolean): void {
    const columns = this.sink.columns();
    // A line longer than the terminal wraps, and '\r' would then only rewrite its last row.
    const shown =
      fitWidth && columns !== undefined && columns > 1 && text.length >= columns ? text.slice(0, columns - 1) : text;
    this.sink.write(`\r${shown}${' '.repeat(Math.max(0, this.drawnWidth - shown.length))}`);
    this.drawnWidth = shown.length;
  }
}

function streamSink(stream: ProgressStream): Sink {
  return {
    live: stream.isTTY === true,
    columns: () => (typeof stream.columns === 'number' ? stream.columns : undefined),
    write: (text) => void stream.write(text),
    line: (text) => void stream.write(`${text}\n`),
  };
}

function lineSink(log: (line: string) => void): Sink {
  return { live: false, columns: () => undefined, write: (text) => log(text.replace(/\n$/, '')), line: log };
}

function onCI(): boolean {
  const ci = globalThis.process?.env?.['CI'];
  return ci !== undefined && ci !== '' && ci !== 'false' && ci !== '0';
}

/**
 * Keras-style training output for Node: `model.fit(..., { verbose: 0, callbacks: [progressLogger()] })`.
 *
 * On a terminal (verbose 1) an `Epoch N/M` header, then a live bar rewritten at most every 100 ms
 * (`  9/375 [..............................] - ETA: 2s - loss: 0.1428 - accuracy: 0.9592`, running
 * means over the epoch), ending as `375/375 [==============================] - 3s 8ms/step - loss: ...
 * - val_loss: ... - lr: 0.025`. Elsewhere (a pipe, a file, `log`) or with verbose 2, one line per
 * epoch: `Epoch 3/25 - 4s - loss: 0.0712 - accuracy: 0.9781 - val_loss: ... - lr: 0.025`. Metrics
 * use Keras' names (tfjs' `acc` prints as `accuracy`) and formats (4 decimals, `%g` for `lr`); `lr`
 * comes from the logs, else from the optimizer. When the `CI` environment variable is set (not
 * `''`, `'0'` or `'false'`), the default verbose is 0. Pass `verbose: 0` to `fit` so that tfjs-node's
 * own progress bar stays off.
 *
 * @param options - `verbose`, and either `stream` or `log`.
 * @returns A tfjs-layers callback.
 * @throws Error naming `progressLogger`, the option and the value for a bad option (or both `stream` and `log`).
 *
 * @example
 * ```ts
 * import { progressLogger } from 'tfjs-regularization/callbacks';
 *
 * const lines: string[] = [];
 * const cb = progressLogger({ verbose: 2, log: (line) => lines.push(line) });
 * cb.setParams({ epochs: 25, samples: 1000, batchSize: 32 });
 * await cb.onEpochBegin(2);
 * await cb.onEpochEnd(2, { loss: 0.07123, acc: 0.97811, val_loss: 0.0654, val_acc: 0.9802, lr: 0.025 });
 * const keras = 'Epoch 3/25 - 0s - loss: 0.0712 - accuracy: 0.9781 - val_loss: 0.0654' +
 *   ' - val_accuracy: 0.9802 - lr: 0.025';
 * console.log(lines[0] === keras); // true
 * ```
 */
export function progressLogger(options?: ProgressLoggerOptions): Callback {
  const fn = 'progressLogger';
  const o = checkOptions<ProgressLoggerOptions>(fn, options, PROGRESS_LOGGER_OPTIONS);
  const verbose = o.verbose ?? (onCI() ? 0 : 1);
  if (verbose !== 0 && verbose !== 1 && verbose !== 2) throw invalidArgument(fn, 'verbose', verbose, '0, 1 or 2');
  if (o.log !== undefined && typeof o.log !== 'function') throw invalidArgument(fn, 'log', o.log, 'a function');
  const stream = o.stream;
  if (stream !== undefined && typeof (stream as { write?: unknown } | null)?.write !== 'function') {
    throw invalidArgument(fn, 'stream', stream, 'an object with a write(text) method');
  }
  if (stream !== undefined && o.log !== undefined)
    throw new Error(`${fn}: pass either the stream or the log option, not both`);
  const stdout = globalThis.process?.stdout as ProgressStream | undefined;
  const sink =
    stream !== undefined
      ? streamSink(stream)
      : o.log !== undefined
        ? lineSink(o.log)
        : typeof stdout?.write === 'function'
          ? streamSink(stdout)
          : lineSink((line) => console.log(line));
  return new ProgressLogger(verbose, sink);
}
