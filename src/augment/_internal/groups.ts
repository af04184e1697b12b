import * as tf from '@tensorflow/tfjs-core';
import type { Tensor4D } from '@tensorflow/tfjs-core';

/**
 * Runs each group of images through its own computation, on those images only, and returns the
 * batch in its original order: one gather per group, one concat and one gather back. `groupOf[i]`
 * is image i's group, decided by the params (never by pixel values), so the shapes depend on the
 * draw alone. Where images draw different per-image ops (a policy's kinds, colorJitter's order),
 * each op then runs on the images that drew it instead of on the whole batch with a mask: the
 * work no longer grows with the number of ops, and every image is its op's own result bit for
 * bit. `run(group, images, members)` may return its images unchanged (a group left as it is).
 * Call inside a tidy; the inputs are not disposed.
 */
export function perGroup<K>(
  images: Tensor4D,
  groupOf: readonly K[],
  run: (group: K, images: Tensor4D, members: number[]) => Tensor4D,
): Tensor4D {
  const members = new Map<K, number[]>();
  groupOf.forEach((g, i) => {
    const list = members.get(g);
    if (list === undefined) members.set(g, [i]);
    else list.push(i);
  });
  if (members.size === 1) {
    const [group, all] = [...members][0]!;
    return run(group, images, all);
  }
  const parts: Tensor4D[] = [];
  const order: number[] = [];
  for (const [group, list] of members) {
    parts.push(run(group, tf.gather(images, tf.tensor1d(list, 'int32')), list));
    order.push(...list);
  }
  const back = new Array<number>(order.length);
  order.forEach((image, at) => (back[image] = at));
  return tf.gather(tf.concat(parts, 0), tf.tensor1d(back, 'int32'));
}
