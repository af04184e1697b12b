import * as tf from '@tensorflow/tfjs-core';
import fc from 'fast-check';
import { expect, it } from 'vitest';
import { describeBackends } from '../../helpers/backends.js';
import { expectNoLeaks } from '../../helpers/leaks.js';
import { runs } from '../../helpers/runs.js';
import { imagesArbitrary, parityTests, values } from './photometricReference.js';
import { invert } from '../../../src/augment/functional/invert.js';

describeBackends('invert', () => {
  parityTests('invert');

  it('maps the value range onto itself reversed, and twice is the identity', async () => {
    await fc.assert(
      fc.asyncProperty(imagesArbitrary({ low: 2, high: 10, levels: 8 }), async (c) => {
        const once = values(c, (x) => invert(x, { valueRange: [2, 10] }));
        once.forEach((v, i) => expect(v).toBe(12 - c.values[i]!));
        expect(
          values(c, (x) => tf.tidy(() => invert(invert(x, { valueRange: [2, 10] }), { valueRange: [2, 10] }))),
        ).toEqual(Float32Array.from(c.values));
      }),
      { numRuns: runs(20) },
    );
  });

  it('rejects a value range that is not [low, high] and is leak-free', async () => {
    const x = tf.zeros([1, 2, 2, 1]) as tf.Tensor4D;
    expect(() => invert(x, { valueRange: [1, 0] })).toThrow(
      /^invert: options.valueRange must be \[low, high\], two finite numbers with low < high, got \[1,0\]/,
    );
    expect(() => invert(x, { value_range: [0, 1] } as never)).toThrow(
      /^invert: unknown option "value_range"; did you mean "valueRange"\?/,
    );
    await expectNoLeaks(() => invert(x));
    x.dispose();
  });
});
