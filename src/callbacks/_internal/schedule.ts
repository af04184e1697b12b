import type { Callback } from '@tensorflow/tfjs-layers';
import { LEARNING_RATE_SCHEDULER_OPTIONS, learningRateScheduler } from '../learningRateScheduler.js';
import type { LearningRateSchedule, LearningRateSchedulerOptions } from '../learningRateScheduler.js';
import { checkNonNegative, checkOneOf, checkOptions, invalidArgument } from '../../core/validate.js';

/** The options every ready schedule shares. */
export interface CommonScheduleOptions {
  initialLearningRate: number;
  per?: 'epoch' | 'batch';
}

/** Validates the options object and the options every schedule has; the rest is the caller's. */
export function scheduleOptions<T extends CommonScheduleOptions>(
  fn: string,
  options: unknown,
  names: readonly string[],
): Partial<T> & { lr0: number; per: 'epoch' | 'batch' } {
  if (options === undefined)
    throw invalidArgument(fn, 'options', options, `an options object (initialLearningRate is required)`);
  const o = checkOptions<T>(fn, options, names);
  const lr0 = checkNonNegative(fn, 'initialLearningRate', o.initialLearningRate);
  const per = checkOneOf(fn, 'per', o.per ?? 'epoch', ['epoch', 'batch'] as const);
  return { ...o, lr0, per };
}

/**
 * Wraps a step -> rate formula as a LearningRateSchedule: the step is validated (finite, >= 0) and
 * the function carries its unit and a `.callback()` shorthand.
 */
export function makeSchedule(fn: string, per: 'epoch' | 'batch', at: (step: number) => number): LearningRateSchedule {
  const schedule = (step: number): number => at(checkNonNegative(`${fn} schedule`, 'step', step));
  const callback = (options?: LearningRateSchedulerOptions): Callback =>
    // The schedule's unit goes first so that a contradicting `per` in options is reported, not ignored.
    learningRateScheduler(result, {
      per,
      ...checkOptions<LearningRateSchedulerOptions>(`${fn}(...).callback`, options, LEARNING_RATE_SCHEDULER_OPTIONS),
    });
  const result: LearningRateSchedule = Object.assign(schedule, { per, callback });
  return Object.freeze(result);
}
