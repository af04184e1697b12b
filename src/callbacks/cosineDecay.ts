import { makeSchedule, scheduleOptions } from './_internal/schedule.js';
import { checkNonNegative, checkPositive, invalidArgument, unitInterval, optionNames } from '../core/validate.js';
import type { LearningRateSchedule } from './learningRateScheduler.js';

/** Options of {@link cosineDecay}; names and semantics are Keras 3's `CosineDecay`. */
export interface CosineDecayOptions {
  /** The rate at step 0 (where a warmup starts), a finite number >= 0. Keras: `initial_learning_rate`. */
  initialLearningRate: number;
  /** Steps of the cosine decay (after the warmup), a number > 0. Keras: `decay_steps`. */
  decaySteps: number;
  /** The floor, as a fraction of the rate the decay starts from, in [0, 1]. Keras: `alpha`. @defaultValue 0 */
  alpha?: number;
  /**
   * Steps of linear warmup before the decay, a number >= 0; needs `warmupTarget`. Keras: `warmup_steps`.
   * @defaultValue 0
   */
  warmupSteps?: number;
  /**
   * The rate the warmup climbs to and the decay starts from. Keras: `warmup_target`.
   * @defaultValue undefined (no warmup)
   */
  warmupTarget?: number;
  /**
   * Whether a step is an epoch or a batch. Keras' schedule objects count optimizer steps, which is `'batch'` here.
   * @defaultValue 'epoch'
   */
  per?: 'epoch' | 'batch';
}

const COSINE_DECAY_OPTIONS = optionNames<CosineDecayOptions>()(
  'initialLearningRate',
  'decaySteps',
  'alpha',
  'warmupSteps',
  'warmupTarget',
  'per',
);

/**
 * Keras 3's `CosineDecay`, with its optional linear warmup: over `warmupSteps` the rate goes linearly
 * from `initialLearningRate` to `warmupTarget`; then, from `peak` (= `warmupTarget`, or
 * `initialLearningRate` without warmup), `lr = peak * ((1 - alpha) * 0.5 * (1 + cos(pi * t / decaySteps)) + alpha)`
 * with `t` the steps since the warmup, held at `alpha * peak` once `t >= decaySteps`.
 *
 * One deliberate difference: Keras silently ignores `warmupSteps` without `warmupTarget`; here that
 * is an error. The result is a schedule function of the step; pass it to
 * {@link learningRateScheduler}, or call its `.callback()`.
 *
 * @param options - Keras' arguments, camel-cased, plus `per`.
 * @returns A {@link LearningRateSchedule}.
 * @throws Error naming `cosineDecay`, the option and the value for a missing or bad option; the
 *   schedule throws for a step that is not a finite number >= 0.
 *
 * @example
 * ```ts
 * import { cosineDecay } from 'tfjs-regularization/callbacks';
 *
 * const schedule = cosineDecay({
 *   initialLearningRate: 0, warmupTarget: 0.1, warmupSteps: 5, decaySteps: 10, alpha: 0.1,
 * });
 * const lrs = [0, 1, 5, 10, 15, 99].map((epoch) => Number(schedule(epoch).toFixed(6)));
 * console.log(lrs); // [0, 0.02, 0.1, 0.055, 0.01, 0.01]
 * ```
 */
export function cosineDecay(options: CosineDecayOptions): LearningRateSchedule {
  const fn = 'cosineDecay';
  const { lr0, per, ...o } = scheduleOptions<CosineDecayOptions>(fn, options, COSINE_DECAY_OPTIONS);
  const decaySteps = checkPositive(fn, 'decaySteps', o.decaySteps);
  const alpha = unitInterval(fn, 'alpha', o.alpha, 0);
  const warmupSteps = checkNonNegative(fn, 'warmupSteps', o.warmupSteps ?? 0);
  const target = o.warmupTarget === undefined ? undefined : checkNonNegative(fn, 'warmupTarget', o.warmupTarget);
  if (warmupSteps > 0 && target === undefined) {
    throw invalidArgument(fn, 'warmupTarget', target, 'a finite number >= 0 when warmupSteps > 0');
  }
  const peak = target ?? lr0;
  const decay = (t: number): number => {
    const fraction = Math.min(t, decaySteps) / decaySteps;
    return peak * ((1 - alpha) * 0.5 * (1 + Math.cos(Math.PI * fraction)) + alpha);
  };
  return makeSchedule(fn, per, (step) =>
    step < warmupSteps ? lr0 + (peak - lr0) * (step / warmupSteps) : decay(step - warmupSteps),
  );
}
