import * as tf from '@tensorflow/tfjs-core';
import fc from 'fast-check';
import { expect, it } from 'vitest';
import { perGroup } from '../../../src/augment/_internal/groups.js';
import { describeBackends } from '../../helpers/backends.js';
import { expectNoLeaks } from '../../helpers/leaks.js';
import { runs } from '../../helpers/runs.js';

/** Image i holds the value i everywhere; group g adds 100 · (g + 1), and records which images it saw. */
function runGroups(groupOf: number[]) {
  const n = groupOf.length;
  const seen = new Map<number, number[]>();
  const out = tf.tidy(() => {
    const images = tf.mul(tf.reshape(tf.range(0, n), [n, 1, 1, 1]), tf.ones([n, 2, 3, 2])) as tf.Tensor4D;
    return perGroup(images, groupOf, (g, sub, members) => {
      seen.set(g, members);
      expect(sub.shape[0]).toBe(members.length);
      return g === 0 ? sub : (tf.add(sub, 100 * (g + 1)) as tf.Tensor4D);
    });
  });
  return { out, seen };
}

describeBackends('perGroup', () => {
  it('runs each group on its own images and returns the batch in its order', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 4 }), { minLength: 1, maxLength: 12 }), (groupOf) => {
        const { out, seen } = runGroups(groupOf);
        const values = out.dataSync();
        out.dispose();
        expect(out.shape).toEqual([groupOf.length, 2, 3, 2]);
        groupOf.forEach((g, i) => {
          const expected = i + (g === 0 ? 0 : 100 * (g + 1));
          for (let k = 0; k < 12; k++) expect(values[i * 12 + k]).toBe(expected);
        });
        for (const [g, members] of seen) expect(members).toEqual(groupOf.flatMap((h, i) => (h === g ? [i] : [])));
      }),
      { numRuns: runs(40) },
    );
  });

  it('a rotation of the batch into groups comes back in place (not as the inverse permutation)', () => {
    const { out } = runGroups([2, 1, 0, 2, 1, 0, 0]);
    expect(Array.from(out.dataSync()).filter((_, k) => k % 12 === 0)).toEqual([300, 201, 2, 303, 204, 5, 6]);
    out.dispose();
  });

  it('leaks nothing, with one group and with several', async () => {
    await expectNoLeaks(() => runGroups([0, 0, 0]).out);
    await expectNoLeaks(() => runGroups([1, 0, 2, 1]).out);
  });
});
