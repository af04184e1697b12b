import * as tf from '@tensorflow/tfjs-core';
import fc from 'fast-check';
import { expect, it, vi } from 'vitest';
import { withGradientClipping } from '../../src/optimizers/withGradientClipping.js';
import { describeBackends } from '../helpers/backends.js';
import { expectClose, KERAS, runCase } from '../helpers/kerasOptimizers.js';
import { expectNoLeaks } from '../helpers/leaks.js';
import { runs } from '../helpers/runs.js';
import { normalFloat } from '../helpers/kerasOptimizers.js';

/** An optimizer that only records the gradients it is given (as arrays), to observe the clipping itself. */
class Recorder extends tf.Optimizer {
  static get className(): string {
    return 'Recorder';
  }
  seen: number[][] = [];
  learningRate = 1;
  override applyGradients(grads: tf.NamedTensorMap | { name: string; tensor: tf.Tensor }[]): void {
    const list = Array.isArray(grads) ? grads.map((g) => g.tensor) : Object.values(grads);
    this.seen = list.map((t) => Array.from(t.dataSync()));
  }
  override getConfig(): tf.serialization.ConfigDict {
    return {};
  }
}

const norm = (xs: number[]) => Math.sqrt(xs.reduce((s, x) => s + x * x, 0));
const gradients = fc.array(
  fc.array(normalFloat({ min: -10, max: 10, noNaN: true, noDefaultInfinity: true }), { minLength: 1, maxLength: 6 }),
  { minLength: 1, maxLength: 4 },
);

function clipped(grads: number[][], options: Parameters<typeof withGradientClipping>[1]): number[][] {
  const r = new Recorder();
  const vars = grads.map((g) => tf.variable(tf.zeros([g.length])));
  withGradientClipping(r, options).applyGradients(
    vars.map((v, i) => ({ name: v.name, tensor: tf.tensor1d(grads[i]!) })),
  );
  tf.dispose(vars);
  return r.seen;
}

describeBackends('withGradientClipping', () => {
  it.each([
    ['clipnorm', { clipNorm: 1 }],
    ['clipvalue', { clipValue: 0.5 }],
    ['global_clipnorm', { globalClipNorm: 1.5 }],
  ] as const)(
    'matches Keras 3 SGD(%s) over gradients inside and outside the bound (and a zero one)',
    (name, options) => {
      expectClose(
        runCase(name, withGradientClipping(tf.train.sgd(0.1), options)).variables,
        KERAS.cases[name]!.variables,
      );
    },
  );

  it('property: clipNorm bounds each gradient norm, and leaves one within the bound bit for bit', async () => {
    await fc.assert(
      fc.asyncProperty(gradients, fc.double({ min: 0.1, max: 20, noNaN: true }), async (grads, c) => {
        const out = clipped(grads, { clipNorm: c });
        grads.forEach((g, i) => {
          const g32 = g.map(Math.fround);
          if (norm(g32) <= Math.fround(c) * (1 - 1e-6)) expect(out[i]).toEqual(g32);
          else {
            expect(norm(out[i]!)).toBeCloseTo(c, 4);
            // Rescaled, not reshaped: the same direction.
            out[i]!.forEach((x, j) => expect(x).toBeCloseTo((g32[j]! * c) / norm(g32), 4));
          }
        });
      }),
      { numRuns: runs(25) },
    );
  });

  it('property: globalClipNorm bounds the joint norm, and leaves gradients within it bit for bit', async () => {
    await fc.assert(
      fc.asyncProperty(gradients, fc.double({ min: 0.1, max: 20, noNaN: true }), async (grads, c) => {
        const out = clipped(grads, { globalClipNorm: c });
        const g32 = grads.map((g) => g.map(Math.fround));
        const total = norm(g32.flat());
        if (total <= Math.fround(c) * (1 - 1e-6)) expect(out).toEqual(g32);
        else {
          expect(norm(out.flat())).toBeCloseTo(c, 4);
          out.flat().forEach((x, j) => expect(x).toBeCloseTo((g32.flat()[j]! * c) / total, 4));
        }
      }),
      { numRuns: runs(25) },
    );
  });

  it('property: clipValue clips each element to [-clipValue, clipValue]', async () => {
    await fc.assert(
      fc.asyncProperty(gradients, fc.double({ min: 0.1, max: 20, noNaN: true }), async (grads, c) => {
        const out = clipped(grads, { clipValue: c });
        const c32 = Math.fround(c);
        grads.forEach((g, i) =>
          g.forEach((x, j) => expect(out[i]![j]).toBe(Math.min(c32, Math.max(-c32, Math.fround(x))))),
        );
      }),
      { numRuns: runs(25) },
    );
  });

  it('a non-finite global norm makes every gradient NaN, as Keras does', () => {
    const out = clipped([[Infinity, 1], [2]], { globalClipNorm: 1 });
    expect(out.flat().every(Number.isNaN)).toBe(true);
  });

  it('reads nothing back to the CPU during a step', () => {
    const v = tf.variable(tf.ones([4]));
    for (const options of [{ clipNorm: 1 }, { clipValue: 1 }, { globalClipNorm: 1 }]) {
      const o = withGradientClipping(tf.train.sgd(0.1), options);
      const backend = tf.engine().backend;
      const readSync = vi.spyOn(backend, 'readSync');
      const read = vi.spyOn(backend, 'read');
      tf.tidy(() => o.applyGradients({ [v.name]: tf.fill([4], 3) }));
      expect(readSync).not.toHaveBeenCalled();
      expect(read).not.toHaveBeenCalled();
      readSync.mockRestore();
      read.mockRestore();
      o.dispose();
    }
    v.dispose();
  });

  it('leaks no tensor per step', async () => {
    const v = tf.variable(tf.ones([3]));
    for (const options of [{ clipNorm: 1 }, { clipValue: 1 }, { globalClipNorm: 1 }]) {
      const o = withGradientClipping(tf.train.adam(0.01), options);
      await expectNoLeaks(() => tf.tidy(() => o.applyGradients({ [v.name]: tf.fill([3], 5) })));
      o.dispose();
    }
    v.dispose();
  });
});

it('withGradientClipping wants exactly one bound, as Keras', () => {
  const sgd = tf.train.sgd(0.1);
  expect(() => withGradientClipping(sgd, {})).toThrow(/^withGradientClipping: options must be an object with one of/);
  expect(() => withGradientClipping(sgd, { clipNorm: 1, globalClipNorm: 1 })).toThrow(
    /^withGradientClipping: only one of clipNorm, clipValue and globalClipNorm can be set .* got clipNorm and globalClipNorm/,
  );
  expect(() => withGradientClipping(sgd, { clipValue: 1, clipNorm: 1 })).toThrow(/^withGradientClipping: only one of/);
  expect(() => withGradientClipping(sgd, { clipNorm: 0 })).toThrow(
    /^withGradientClipping: clipNorm must be a finite number > 0/,
  );
  expect(() => withGradientClipping(sgd, { clip_norm: 1 } as never)).toThrow(/did you mean "clipNorm"\?/);
});
