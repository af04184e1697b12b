import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import fc from 'fast-check';
import { expect, it } from 'vitest';
import { dropPath } from '../../src/layers/dropPath.js';
import { describeBackends } from '../helpers/backends.js';
import { expectNoLeaks } from '../helpers/leaks.js';
import { runs } from '../helpers/runs.js';
import { expectIdentityAtInference, run, trainsButPredictsIdentity, values } from './helpers.js';

describeBackends('dropPath', () => {
  it('is the identity at inference and at rate 0, on any rank >= 2 (property)', () => {
    const shapes = fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 2, maxLength: 5 });
    expectIdentityAtInference((rate, seed) => dropPath({ rate, seed }), shapes, 0.95, 15);
  });

  it('drops whole samples, about a fraction rate of them, and scales the others by 1/(1 - rate) (property)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.double({ min: 0.05, max: 0.9, noNaN: true }), fc.integer(), async (rate, seed) => {
        const [batch, features] = [400, 6];
        const x = values([batch, 2, features / 2], seed, 0.5, 1.5);
        const input = x.dataSync();
        const y = run(dropPath({ rate, seed }), x, true);
        let kept = 0;
        for (let n = 0; n < batch; n++) {
          const row = Array.from(y.subarray(n * features, (n + 1) * features));
          const zeros = row.filter((v) => v === 0).length;
          expect([0, features]).toContain(zeros);
          if (zeros === 0) {
            kept++;
            const wrong = row.filter((v, i) => !(Math.abs(v - input[n * features + i]! / (1 - rate)) < 1e-6 * v));
            expect(wrong).toEqual([]);
          }
        }
        // E[kept] = batch · (1 - rate), so E[output] = input; 5 binomial standard deviations.
        expect(Math.abs(kept - batch * (1 - rate))).toBeLessThan(5 * Math.sqrt(batch * rate * (1 - rate)));
        x.dispose();
      }),
      { numRuns: runs(10) },
    );
  });

  it('on a residual branch, a dropped sample passes its input through unchanged', () => {
    const input = tfl.input({ shape: [4] });
    const branch = tfl.layers.dense({ units: 4, kernelInitializer: 'ones' }).apply(input) as tfl.SymbolicTensor;
    const dropped = dropPath({ rate: 0.5, seed: 3 }).apply(branch) as tfl.SymbolicTensor;
    const model = tfl.model({ inputs: input, outputs: tfl.layers.add().apply([input, dropped]) as tfl.SymbolicTensor });
    const x = values([64, 4], 2);
    const { values: xs } = { values: x.dataSync() };
    const y = model.apply(x, { training: true }) as tf.Tensor;
    const ys = y.dataSync();
    let skipped = 0;
    for (let n = 0; n < 64; n++) if ([0, 1, 2, 3].every((i) => ys[n * 4 + i] === xs[n * 4 + i])) skipped++;
    expect(skipped).toBeGreaterThan(10);
    expect(skipped).toBeLessThan(54);
    tf.dispose([x, y]);
    model.dispose();
  });

  it('acts in model.fit and not in model.predict', async () => {
    const r = await trainsButPredictsIdentity(dropPath({ rate: 0.5, seed: 1 }), [2, 3]);
    expect(r.predictEqualsInput).toBe(true);
    expect(r.evaluateLoss).toBe(0);
    expect(r.fitLoss).toBeGreaterThan(0.1);
  });

  it('leaks no tensor, in training or inference', async () => {
    const layer = dropPath({ rate: 0.3, seed: 1 });
    const x = tf.ones([4, 3]);
    await expectNoLeaks(() => layer.apply(x, { training: true }));
    await expectNoLeaks(() => layer.apply(x));
    x.dispose();
  });
});

it('dropPath rejects bad options and a rank-1 input, naming the factory, the option and the value', () => {
  const make = (o: unknown) => () => dropPath(o as never);
  expect(make({})).toThrow('dropPath: rate is required, got options {}');
  expect(make({ rate: 1 })).toThrow('dropPath: rate must be a number in [0, 1), got 1');
  expect(make({ rate: 0.1, drop_prob: 0.1 })).toThrow('dropPath: unknown option "drop_prob"');
  expect(() => tfl.sequential({ layers: [dropPath({ rate: 0.1, batchInputShape: [3] })] })).toThrow(
    'dropPath: input shape must be rank >= 2, [batch, ...], got [3]',
  );
});
