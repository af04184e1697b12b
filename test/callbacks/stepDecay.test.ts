import { Callback } from '@tensorflow/tfjs-layers';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { stepDecay } from '../../src/callbacks/stepDecay.js';
import { close } from '../helpers/arbitraries.js';

const lr0 = fc.double({ min: 1e-6, max: 10, noNaN: true });
const factor = fc.double({ min: 0.01, max: 1, noNaN: true });
const stepSize = fc.oneof(fc.integer({ min: 1, max: 50 }), fc.double({ min: 0.5, max: 50, noNaN: true }));
const step = fc.integer({ min: 0, max: 1000 });

describe('stepDecay', () => {
  it('is lr0 * factor^floor(step / stepSize) at hand-computed points', () => {
    const s = stepDecay({ initialLearningRate: 0.1, factor: 0.5, stepSize: 10 });
    const expected: Array<[number, number]> = [
      [0, 0.1],
      [9, 0.1],
      [10, 0.05],
      [19, 0.05],
      [20, 0.025],
      [35, 0.0125],
      [9.99, 0.1],
    ];
    for (const [at, want] of expected) expect(s(at)).toBeCloseTo(want, 12);
    const odd = stepDecay({ initialLearningRate: 0.02, factor: 0.1, stepSize: 2.5 });
    expect(odd(2)).toBeCloseTo(0.02, 12);
    expect(odd(5)).toBeCloseTo(0.0002, 12);
  });

  it('property: non-increasing, also for fractional step sizes', () => {
    fc.assert(
      fc.property(lr0, factor, stepSize, step, step, (l, f, size, a, b) => {
        const s = stepDecay({ initialLearningRate: l, factor: f, stepSize: size });
        const [lo, hi] = a <= b ? [a, b] : [b, a];
        expect(s(hi)).toBeLessThanOrEqual(s(lo));
        expect(s(lo)).toBeLessThanOrEqual(l);
      }),
    );
  });

  it('property: constant within each step, dropping by exactly factor at each boundary', () => {
    // Whole step sizes: for a fractional one, k * size / size can round below k.
    fc.assert(
      fc.property(lr0, factor, fc.integer({ min: 1, max: 50 }), step, (l, f, size, at) => {
        const s = stepDecay({ initialLearningRate: l, factor: f, stepSize: size });
        const k = Math.floor(at / size);
        expect(s(at)).toBe(s(k * size));
        expect(s((k + 1) * size - 1e-9)).toBe(s(at));
        expect(close(s((k + 1) * size), s(at) * f, 1e-12, 1e-300)).toBe(true);
        expect(close(s(at), l * f ** k, 1e-12, 1e-300)).toBe(true);
      }),
    );
  });

  it('property: equals initialLearningRate * factor ** floor(step / stepSize) at every step, whole or fractional', () => {
    const steps = fc.array(fc.oneof(step, fc.double({ min: 0, max: 1000, noNaN: true })), {
      minLength: 1,
      maxLength: 10,
    });
    fc.assert(
      fc.property(lr0, factor, stepSize, steps, (l, f, size, at) => {
        const s = stepDecay({ initialLearningRate: l, factor: f, stepSize: size });
        for (const t of at) {
          const want = l * f ** Math.floor(t / size);
          expect(Math.abs(s(t) - want), `step ${t}: got ${s(t)}, expected ${want}`).toBeLessThanOrEqual(1e-12 * want);
        }
      }),
    );
  });

  it('carries its unit, and .callback() gives a scheduler callback', () => {
    expect(stepDecay({ initialLearningRate: 0.1, factor: 0.5, stepSize: 1 }).per).toBe('epoch');
    const perBatch = stepDecay({ initialLearningRate: 0.1, factor: 0.5, stepSize: 1, per: 'batch' });
    expect(perBatch.per).toBe('batch');
    expect(perBatch.callback()).toBeInstanceOf(Callback);
    expect(() => perBatch.callback({ per: 'epoch' })).toThrow(
      'learningRateScheduler: per must be "batch", the unit the schedule was built for, got "epoch"',
    );
    expect(() => perBatch.callback({ verbose: 3 as 1 })).toThrow(
      'learningRateScheduler: verbose must be 0 or 1, got 3',
    );
  });

  it('rejects bad options and steps naming the function, option and value', () => {
    const ok = { initialLearningRate: 0.1, factor: 0.5, stepSize: 10 };
    expect(() => stepDecay(undefined as never)).toThrow(/^stepDecay: options must be an options object/);
    expect(() => stepDecay({ ...ok, initialLearningRate: -1 })).toThrow(
      'stepDecay: initialLearningRate must be a finite number >= 0, got -1',
    );
    expect(() => stepDecay({ ...ok, initialLearningRate: undefined as never })).toThrow(
      'stepDecay: initialLearningRate must be a finite number >= 0, got undefined',
    );
    expect(() => stepDecay({ ...ok, factor: 0 })).toThrow('stepDecay: factor must be a finite number > 0, got 0');
    expect(() => stepDecay({ ...ok, factor: Number.NaN })).toThrow(
      'stepDecay: factor must be a finite number > 0, got NaN',
    );
    expect(() => stepDecay({ ...ok, stepSize: 0 })).toThrow('stepDecay: stepSize must be a finite number > 0, got 0');
    expect(() => stepDecay({ ...ok, stepSize: '10' as never })).toThrow(
      'stepDecay: stepSize must be a finite number > 0, got "10"',
    );
    expect(() => stepDecay({ ...ok, per: 'step' as never })).toThrow(
      'stepDecay: per must be one of "epoch", "batch", got "step"',
    );
    expect(() => stepDecay(null as never)).toThrow('stepDecay: options must be an options object, got null');
    const s = stepDecay(ok);
    expect(() => s(-1)).toThrow('stepDecay schedule: step must be a finite number >= 0, got -1');
    expect(() => s(Number.NaN)).toThrow('stepDecay schedule: step must be a finite number >= 0, got NaN');
  });
});
