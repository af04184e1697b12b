import { Callback } from '@tensorflow/tfjs-layers';
import type { Logs } from '@tensorflow/tfjs-layers';
import { stepsPerEpoch, totalEpochs } from './_internal/fitParams.js';
import { markOpenLine, printLine } from '../core/console.js';
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
   * Keras' `verbose`: 0 silent, 1 a live progress bar on a terminal (elsewhere one line per epoch,
   * plus a progress line every `interval` seconds), 2 one line per epoch.
   * @defaultValue 1
   */
  verbose?: 0 | 1 | 2;
  /** Receives each epoch's line instead of a stream (no live bar). */
  log?: (line: string) => void;
  /** Where to write. @defaultValue `process.stdout` in Node, `console.log` lines elsewhere */
  stream?: ProgressStream;
  /**
   * With verbose 1 off a terminal (a pipe, a file, CI logs, `log`): seconds between progress lines
   * during an epoch, so that a long epoch shows it is alive; 0 for the epoch's line alone.
   * @defaultValue 60
   */
  interval?: number;
}

const PROGRESS_LOGGER_OPTIONS = optionNames<ProgressLoggerOptions>()('verbose', 'log', 'stream', 'interval');

interface Sink {
  readonly live: boolean;
  /** The stream a live line is drawn on (for the line discipline of other messages). */
  readonly target?: ProgressStream;
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

  private lastLine = 0;

  constructor(
    private readonly verbose: 0 | 1 | 2,
    private readonly sink: Sink,
    private readonly intervalMs: number,
  ) {
    super();
  }

  private get live(): boolean {
    return this.verbose === 1 && this.sink.live;
  }

  private epoch = 0;

  override async onEpochBegin(epoch: number): Promise<void> {
    this.epoch = epoch;
    this.epochStart = Date.now();
    this.lastLine = this.epochStart;
    this.lastDraw = -Infinity;
    this.drawnWidth = 0;
    this.steps = 0;
    this.seen = 0;
    this.totals.clear();
    if (this.live) this.sink.write(`${this.epochLabel(epoch)}\n`);
  }

  override async onBatchEnd(batch: number, logs?: Logs): Promise<void> {
    if (this.verbose !== 1) return;
    this.steps = batch + 1;
    if (!this.live) {
      this.periodicLine();
      return;
    }
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
    const lr = values.some(([k]) => k === 'lr' || k === 'learning_rate') ? undefined : this.optimizerLearningRate();
    if (lr !== undefined) values.push(['learning_rate', lr]);
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
    this.markLine(false);
  }

  /**
   * Off a terminal, a line every `interval` during a long epoch: the step, elapsed time and ETA
   * (no metrics, so that no batch log is read from the device for it).
   */
  private periodicLine(): void {
    const now = Date.now();
    if (this.intervalMs <= 0 || now - this.lastLine < this.intervalMs) return;
    this.lastLine = now;
    const target = stepsPerEpoch(this.params);
    const elapsed = (now - this.epochStart) / 1000;
    const eta = target === undefined ? '' : ` - ETA: ${formatEta((elapsed / this.steps) * (target - this.steps))}`;
    this.sink.line(
      `${this.epochLabel(this.epoch)} - ${formatCounter(this.steps, target).trim()} - ${Math.round(elapsed)}s${eta}`,
    );
  }

  private markLine(unfinished: boolean): void {
    if (this.sink.target !== undefined) markOpenLine(this.sink.target, unfinished);
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
    this.markLine(true);
  }
}

function streamSink(stream: ProgressStream): Sink {
  return {
    live: stream.isTTY === true,
    target: stream,
    columns: () => (typeof stream.columns === 'number' ? stream.columns : undefined),
    write: (text) => void stream.write(text),
    line: (text) => void stream.write(`${text}\n`),
  };
}

function lineSink(log: (line: string) => void): Sink {
  return { live: false, columns: () => undefined, write: (text) => log(text.replace(/\n$/, '')), line: log };
}

/**
 * Keras-style training output for Node: `model.fit(..., { verbose: 0, callbacks: [progressLogger()] })`.
 *
 * On a terminal (verbose 1) an `Epoch N/M` header, then a live bar rewritten at most every 100 ms
 * (`  9/375 [..............................] - ETA: 2s - loss: 0.1428 - accuracy: 0.9592`, running
 * means over the epoch), ending as `375/375 [==============================] - 3s 8ms/step - loss: ...
 * - val_loss: ... - learning_rate: 0.0250`. While the bar is live, the library's callbacks print
 * their messages (a checkpoint saved, a learning rate reduced) on a new line, as Keras does.
 * Elsewhere (a pipe, a file, CI logs, `log`) one line per epoch,
 * `Epoch 3/25 - 4s - loss: 0.0712 - accuracy: 0.9781 - val_loss: ... - learning_rate: 0.0250`, and
 * with verbose 1 a progress line every `interval` seconds during a long epoch; verbose 2 prints the
 * epoch's line alone. Metrics use Keras 3's names (tfjs' `acc` prints as `accuracy`, `lr` as
 * `learning_rate`) and formats (4 decimals, `%.4e` at or below 1e-3); the learning rate comes from
 * the logs, else from the optimizer. Pass `verbose: 0` to `fit` so that tfjs-node's own progress
 * bar stays off.
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
 *   ' - val_accuracy: 0.9802 - learning_rate: 0.0250';
 * console.log(lines[0] === keras); // true
 * ```
 */
export function progressLogger(options?: ProgressLoggerOptions): Callback {
  const fn = 'progressLogger';
  const o = checkOptions<ProgressLoggerOptions>(fn, options, PROGRESS_LOGGER_OPTIONS);
  const verbose = o.verbose ?? 1;
  if (verbose !== 0 && verbose !== 1 && verbose !== 2) throw invalidArgument(fn, 'verbose', verbose, '0, 1 or 2');
  const interval = o.interval ?? 60;
  if (typeof interval !== 'number' || !(interval >= 0) || interval > 86_400) {
    throw invalidArgument(fn, 'interval', interval, 'a number of seconds in [0, 86400]');
  }
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
          : lineSink(printLine);
  return new ProgressLogger(verbose, sink, interval * 1000);
}
