import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { exponentialDecay } from '../../src/callbacks/exponentialDecay.js';
import { close } from '../helpers/arbitraries.js';

const lr0 = fc.double({ min: 1e-6, max: 10, noNaN: true });
const rate = fc.double({ min: 0.01, max: 1, noNaN: true });
const decaySteps = fc.oneof(fc.integer({ min: 1, max: 100 }), fc.double({ min: 0.5, max: 100, noNaN: true }));
const step = fc.integer({ min: 0, max: 1000 });

describe('exponentialDecay', () => {
  it("matches Keras' formula at hand-computed points", () => {
    const smooth = exponentialDecay({ initialLearningRate: 0.1, decaySteps: 10, decayRate: 0.96 });
    expect(smooth(0)).toBe(0.1);
    expect(smooth(5)).toBeCloseTo(0.0979795897, 10); // 0.1 * sqrt(0.96)
    expect(smooth(10)).toBeCloseTo(0.096, 14);
    expect(smooth(20)).toBeCloseTo(0.09216, 14);
    const stairs = exponentialDecay({ initialLearningRate: 0.1, decaySteps: 10, decayRate: 0.96, staircase: true });
    expect(stairs(9)).toBe(0.1);
    expect(stairs(15)).toBeCloseTo(0.096, 14);
    expect(stairs(19)).toBeCloseTo(0.096, 14);
    expect(stairs(20)).toBeCloseTo(0.09216, 14);
    // decayRate > 1 is allowed, as in Keras (a growing rate).
    expect(exponentialDecay({ initialLearningRate: 1, decaySteps: 1, decayRate: 2 })(3)).toBe(8);
  });

  it('property: non-increasing for decayRate <= 1, one period multiplies by decayRate', () => {
    fc.assert(
      fc.property(lr0, rate, decaySteps, step, step, (l, r, d, a, b) => {
        const s = exponentialDecay({ initialLearningRate: l, decaySteps: d, decayRate: r });
        const [lo, hi] = a <= b ? [a, b] : [b, a];
        expect(s(hi)).toBeLessThanOrEqual(s(lo) * (1 + 1e-12));
        expect(close(s(lo + d), s(lo) * r, 1e-9, 1e-300)).toBe(true);
      }),
    );
  });

  it('property: staircase is piecewise constant, equals the smooth curve at period starts and never falls below it', () => {
    // Whole decaySteps: for a fractional one, floor(at / d) * d / d can round below the period index.
    fc.assert(
      fc.property(lr0, rate, fc.integer({ min: 1, max: 100 }), step, (l, r, d, at) => {
        const options = { initialLearningRate: l, decaySteps: d, decayRate: r };
        const stairs = exponentialDecay({ ...options, staircase: true });
        const smooth = exponentialDecay(options);
        const start = Math.floor(at / d) * d;
        expect(stairs(at)).toBe(stairs(start));
        expect(close(stairs(start), smooth(start), 1e-12, 1e-300)).toBe(true);
        expect(stairs(at)).toBeGreaterThanOrEqual(smooth(at) * (1 - 1e-12) - 1e-300);
      }),
    );
  });

  it('carries its unit', () => {
    expect(exponentialDecay({ initialLearningRate: 0.1, decaySteps: 1, decayRate: 0.5 }).per).toBe('epoch');
    expect(exponentialDecay({ initialLearningRate: 0.1, decaySteps: 1, decayRate: 0.5, per: 'batch' }).per).toBe(
      'batch',
    );
  });

  it('rejects bad options naming the function, option and value', () => {
    const ok = { initialLearningRate: 0.1, decaySteps: 10, decayRate: 0.5 };
    expect(() => exponentialDecay({ ...ok, initialLearningRate: Number.POSITIVE_INFINITY })).toThrow(
      'exponentialDecay: initialLearningRate must be a finite number >= 0, got Infinity',
    );
    expect(() => exponentialDecay({ ...ok, decaySteps: -2 })).toThrow(
      'exponentialDecay: decaySteps must be a finite number > 0, got -2',
    );
    expect(() => exponentialDecay({ ...ok, decayRate: 0 })).toThrow(
      'exponentialDecay: decayRate must be a finite number > 0, got 0',
    );
    expect(() => exponentialDecay({ ...ok, decayRate: undefined as never })).toThrow(
      'exponentialDecay: decayRate must be a finite number > 0, got undefined',
    );
    expect(() => exponentialDecay({ ...ok, staircase: 'yes' as never })).toThrow(
      'exponentialDecay: staircase must be a boolean, got "yes"',
    );
    expect(() => exponentialDecay({ ...ok, per: 'epochs' as never })).toThrow(
      'exponentialDecay: per must be one of "epoch", "batch", got "epochs"',
    );
    expect(() => exponentialDecay(ok)(-0.5)).toThrow(
      'exponentialDecay schedule: step must be a finite number >= 0, got -0.5',
    );
  });
});
