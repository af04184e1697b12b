import * as tf from '@tensorflow/tfjs-core';
import type { Tensor4D } from '@tensorflow/tfjs-core';

/**
 * Runs each group of images through its own computation, on those images only, and returns the
 * batch in its original order: one gather and one split into the groups, one concat and one gather
 * back. `groupOf[i]` is image i's group, decided by the params (never by pixel values), so the shapes depend on the
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
  // One gather sorts the batch by group and one split cuts the groups out: each kernel call costs tens of
  // microseconds on tfjs-node before any copying, so a gather per group costs more than these two.
  const lists = [...members.values()];
  const order = lists.flat();
  const sorted = tf.split(
    tf.gather(images, tf.tensor1d(order, 'int32')),
    lists.map((l) => l.length),
    0,
  ) as Tensor4D[];
  const parts = [...members.keys()].map((group, k) => run(group, sorted[k]!, lists[k]!));
  const back = new Array<number>(order.length);
  order.forEach((image, at) => (back[image] = at));
  return tf.gather(tf.concat(parts, 0), tf.tensor1d(back, 'int32'));
}
