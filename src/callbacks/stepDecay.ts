import { makeSchedule, scheduleOptions } from './_internal/schedule.js';
import { checkPositive, optionNames } from '../core/validate.js';
import type { LearningRateSchedule } from './learningRateScheduler.js';

/** Options of {@link stepDecay}. */
export interface StepDecayOptions {
  /** The rate at step 0, a finite number >= 0. */
  initialLearningRate: number;
  /** What the rate is multiplied by every `stepSize` steps, a number > 0 (< 1 to decay). */
  factor: number;
  /** Steps between drops, a number > 0. */
  stepSize: number;
  /** Whether a step is an epoch or a batch. @defaultValue 'epoch' */
  per?: 'epoch' | 'batch';
}

const STEP_DECAY_OPTIONS = optionNames<StepDecayOptions>()('initialLearningRate', 'factor', 'stepSize', 'per');

/**
 * Step decay ("drop the rate by `factor` every `stepSize` epochs"):
 * `lr(step) = initialLearningRate * factor ** floor(step / stepSize)`.
 *
 * The result is a schedule function of the step; pass it to {@link learningRateScheduler}, or call
 * its `.callback()` for the same callback in one go. Its `per` tells the scheduler whether steps are
 * epochs or batches.
 *
 * @param options - `initialLearningRate`, `factor` and `stepSize` (required), `per`.
 * @returns A {@link LearningRateSchedule}.
 * @throws Error naming `stepDecay`, the option and the value for a missing or bad option; the
 *   schedule throws for a step that is not a finite number >= 0.
 *
 * @example
 * ```ts
 * import { stepDecay } from 'tfjs-regularization/callbacks';
 *
 * const schedule = stepDecay({ initialLearningRate: 0.1, factor: 0.5, stepSize: 10 });
 * console.log([0, 9, 10, 25].map((epoch) => schedule(epoch))); // [0.1, 0.1, 0.05, 0.025]
 * const callback = schedule.callback({ verbose: 1 }); // for model.fit({ callbacks: [callback] })
 * ```
 */
export function stepDecay(options: StepDecayOptions): LearningRateSchedule {
  const fn = 'stepDecay';
  const { lr0, per, ...o } = scheduleOptions<StepDecayOptions>(fn, options, STEP_DECAY_OPTIONS);
  const factor = checkPositive(fn, 'factor', o.factor);
  const stepSize = checkPositive(fn, 'stepSize', o.stepSize);
  return makeSchedule(fn, per, (step) => lr0 * factor ** Math.floor(step / stepSize));
}
