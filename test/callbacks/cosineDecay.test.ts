import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cosineDecay } from '../../src/callbacks/cosineDecay.js';

const lr = fc.double({ min: 1e-6, max: 10, noNaN: true });
const alpha = fc.double({ min: 0, max: 1, noNaN: true });
const decaySteps = fc.integer({ min: 1, max: 200 });
const warmupSteps = fc.integer({ min: 0, max: 50 });
const step = fc.integer({ min: 0, max: 500 });

describe('cosineDecay', () => {
  it("matches Keras' CosineDecay at hand-computed points", () => {
    const plain = cosineDecay({ initialLearningRate: 1, decaySteps: 4 });
    expect(plain(0)).toBe(1);
    expect(plain(1)).toBeCloseTo(0.8535533905932737, 14); // (1 + cos(pi/4)) / 2
    expect(plain(2)).toBeCloseTo(0.5, 14);
    expect(plain(4)).toBeCloseTo(0, 14);
    expect(plain(8)).toBeCloseTo(0, 14); // held after decaySteps
    const floored = cosineDecay({ initialLearningRate: 0.1, decaySteps: 4, alpha: 0.2 });
    expect(floored(2)).toBeCloseTo(0.06, 14); // 0.1 * (0.8 * 0.5 + 0.2)
    expect(floored(100)).toBeCloseTo(0.02, 14);
  });

  it('warms up linearly from initialLearningRate to warmupTarget, then decays from warmupTarget (Keras 3)', () => {
    const s = cosineDecay({
      initialLearningRate: 0.01,
      warmupTarget: 0.11,
      warmupSteps: 5,
      decaySteps: 10,
      alpha: 0.1,
    });
    expect(s(0)).toBe(0.01);
    expect(s(2)).toBeCloseTo(0.05, 14); // 0.01 + 0.1 * 2/5
    expect(s(4)).toBeCloseTo(0.09, 14);
    expect(s(5)).toBeCloseTo(0.11, 14);
    expect(s(10)).toBeCloseTo(0.11 * (0.9 * 0.5 + 0.1), 14); // halfway through the decay
    expect(s(15)).toBeCloseTo(0.011, 14);
    expect(s(1000)).toBeCloseTo(0.011, 14);
    // A warmup target without warmup steps: the decay simply starts from the target.
    expect(cosineDecay({ initialLearningRate: 1, warmupTarget: 2, decaySteps: 2 })(1)).toBeCloseTo(1, 14);
  });

  it('property: without warmup, non-increasing and never below alpha * initialLearningRate', () => {
    fc.assert(
      fc.property(lr, alpha, decaySteps, step, step, (l, a, d, s1, s2) => {
        const s = cosineDecay({ initialLearningRate: l, decaySteps: d, alpha: a });
        const [lo, hi] = s1 <= s2 ? [s1, s2] : [s2, s1];
        expect(s(hi)).toBeLessThanOrEqual(s(lo) * (1 + 1e-12));
        expect(s(hi)).toBeGreaterThanOrEqual(a * l * (1 - 1e-12));
        expect(s(lo)).toBeLessThanOrEqual(l * (1 + 1e-12));
        if (hi >= d) expect(s(hi)).toBeCloseTo(a * l, 12);
      }),
    );
  });

  it('property: with warmup, linear up to the target, then non-increasing within [alpha * target, target]', () => {
    fc.assert(
      fc.property(lr, lr, alpha, decaySteps, warmupSteps, step, step, (l, target, a, d, w, s1, s2) => {
        const s = cosineDecay({
          initialLearningRate: l,
          warmupTarget: target,
          warmupSteps: w,
          decaySteps: d,
          alpha: a,
        });
        const [lo, hi] = s1 <= s2 ? [s1, s2] : [s2, s1];
        if (lo < w) {
          expect(s(lo)).toBeCloseTo(l + ((target - l) * lo) / w, 10);
        } else {
          expect(s(hi)).toBeLessThanOrEqual(s(lo) * (1 + 1e-12));
          expect(s(lo)).toBeLessThanOrEqual(target * (1 + 1e-12));
          expect(s(hi)).toBeGreaterThanOrEqual(a * target * (1 - 1e-12));
        }
        expect(s(w)).toBeCloseTo(target, 12);
      }),
    );
  });

  it("property: equals Keras' CosineDecay formula (with and without linear warmup) at every step", () => {
    /**
     * Keras 3's CosineDecay, written out: linear warmup to the target, then a cosine from the peak down to alpha *
     * peak.
     */
    const keras = (
      initial: number,
      d: number,
      a: number,
      w: number,
      target: number | undefined,
      at: number,
    ): number => {
      if (at < w) return initial + ((target! - initial) * at) / w;
      const fraction = Math.min(at - w, d) / d;
      const peak = target ?? initial;
      return peak * ((1 - a) * 0.5 * (1 + Math.cos(Math.PI * fraction)) + a);
    };
    const options = fc.oneof(
      fc.record({ l: lr, a: alpha, d: decaySteps, w: fc.constant(0), target: fc.constant(undefined) }),
      fc.record({ l: lr, a: alpha, d: decaySteps, w: warmupSteps, target: lr }),
    );
    fc.assert(
      fc.property(
        options,
        fc.array(fc.oneof(step, fc.double({ min: 0, max: 500, noNaN: true })), { minLength: 1, maxLength: 10 }),
        ({ l, a, d, w, target }, steps) => {
          const s = cosineDecay({
            initialLearningRate: l,
            decaySteps: d,
            alpha: a,
            ...(target === undefined ? {} : { warmupTarget: target, warmupSteps: w }),
          });
          for (const at of steps) {
            const want = keras(l, d, a, w, target, at);
            expect(Math.abs(s(at) - want), `step ${at}: got ${s(at)}, Keras ${want}`).toBeLessThanOrEqual(
              1e-12 * Math.abs(want),
            );
          }
        },
      ),
    );
  });

  it('carries its unit', () => {
    expect(cosineDecay({ initialLearningRate: 1, decaySteps: 4 }).per).toBe('epoch');
    expect(cosineDecay({ initialLearningRate: 1, decaySteps: 4, per: 'batch' }).per).toBe('batch');
  });

  it('rejects bad options naming the function, option and value', () => {
    const ok = { initialLearningRate: 0.1, decaySteps: 10 };
    expect(() => cosineDecay({ ...ok, decaySteps: 0 })).toThrow(
      'cosineDecay: decaySteps must be a finite number > 0, got 0',
    );
    expect(() => cosineDecay({ ...ok, alpha: 1.5 })).toThrow('cosineDecay: alpha must be a number in [0, 1], got 1.5');
    expect(() => cosineDecay({ ...ok, alpha: -0.1 })).toThrow(
      'cosineDecay: alpha must be a finite number >= 0, got -0.1',
    );
    expect(() => cosineDecay({ ...ok, warmupSteps: -1, warmupTarget: 1 })).toThrow(
      'cosineDecay: warmupSteps must be a finite number >= 0, got -1',
    );
    expect(() => cosineDecay({ ...ok, warmupTarget: Number.NaN })).toThrow(
      'cosineDecay: warmupTarget must be a finite number >= 0, got NaN',
    );
    expect(() => cosineDecay({ ...ok, warmupSteps: 5 })).toThrow(
      'cosineDecay: warmupTarget must be a finite number >= 0 when warmupSteps > 0, got undefined',
    );
    expect(() => cosineDecay({ ...ok, initialLearningRate: null as never })).toThrow(
      'cosineDecay: initialLearningRate must be given a value or left out (it takes no null), got null',
    );
    expect(() => cosineDecay([] as never)).toThrow('cosineDecay: options must be an options object, got []');
    expect(() => cosineDecay(ok)(Number.POSITIVE_INFINITY)).toThrow(
      'cosineDecay schedule: step must be a finite number >= 0, got Infinity',
    );
  });
});
