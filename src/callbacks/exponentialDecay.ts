import { makeSchedule, scheduleOptions } from './_internal/schedule.js';
import { checkPositive, optionNames, checkBoolean } from '../core/validate.js';
import type { LearningRateSchedule } from './learningRateScheduler.js';

/** Options of {@link exponentialDecay}; names and semantics are Keras' `ExponentialDecay`. */
export interface ExponentialDecayOptions {
  /** The rate at step 0, a finite number >= 0. Keras: `initial_learning_rate`. */
  initialLearningRate: number;
  /** Steps over which the rate is multiplied by `decayRate` once, a number > 0. Keras: `decay_steps`. */
  decaySteps: number;
  /** The multiplier per `decaySteps`, a number > 0 (< 1 to decay). Keras: `decay_rate`. */
  decayRate: number;
  /**
   * Decay in whole periods (`floor(step / decaySteps)`), making the rate piecewise constant. Keras: `staircase`.
   * @defaultValue false
   */
  staircase?: boolean;
  /**
   * Whether a step is an epoch or a batch. Keras' schedule objects count optimizer steps, which is `'batch'` here.
   * @defaultValue 'epoch'
   */
  per?: 'epoch' | 'batch';
}

const EXPONENTIAL_DECAY_OPTIONS = optionNames<ExponentialDecayOptions>()(
  'initialLearningRate',
  'decaySteps',
  'decayRate',
  'staircase',
  'per',
);

/**
 * Keras' `ExponentialDecay`: `lr(step) = initialLearningRate * decayRate ** (step / decaySteps)`,
 * with the exponent floored when `staircase` is true.
 *
 * The result is a schedule function of the step; pass it to {@link learningRateScheduler}, or call
 * its `.callback()` for the same callback in one go.
 *
 * @param options - Keras' arguments, camel-cased, plus `per`.
 * @returns A {@link LearningRateSchedule}.
 * @throws Error naming `exponentialDecay`, the option and the value for a missing or bad option;
 *   the schedule throws for a step that is not a finite number >= 0.
 *
 * @example
 * ```ts
 * import { exponentialDecay } from 'tfjs-regularization/callbacks';
 *
 * const smooth = exponentialDecay({ initialLearningRate: 0.1, decaySteps: 100, decayRate: 0.5, per: 'batch' });
 * const stairs = exponentialDecay({ initialLearningRate: 0.1, decaySteps: 100, decayRate: 0.5, staircase: true });
 * console.log(smooth(50)); // 0.1 * 0.5^(50/100) = 0.0707107
 * console.log(stairs(150)); // 0.1 * 0.5^floor(150/100) = 0.05
 * ```
 */
export function exponentialDecay(options: ExponentialDecayOptions): LearningRateSchedule {
  const fn = 'exponentialDecay';
  const { lr0, per, ...o } = scheduleOptions<ExponentialDecayOptions>(fn, options, EXPONENTIAL_DECAY_OPTIONS);
  const decaySteps = checkPositive(fn, 'decaySteps', o.decaySteps);
  const decayRate = checkPositive(fn, 'decayRate', o.decayRate);
  const staircase = checkBoolean(fn, 'staircase', o.staircase ?? false);
  return makeSchedule(fn, per, (step) => {
    const p = step / decaySteps;
    return lr0 * decayRate ** (staircase ? Math.floor(p) : p);
  });
}
