import { abs, add, customGrad, mul, neg, scalar, square, step, sub, sum } from '@tensorflow/tfjs-core';
import type { GradSaveFunc, Scalar, Tensor } from '@tensorflow/tfjs-core';

type CustomGradientFunc = Parameters<typeof customGrad>[0];

/**
 * `l1·Σ|x| + l2·Σx²` (a zero rate's term is left out, as Keras does), with its gradient written out:
 * `l1·sign(x) + 2·l2·x`. Left to autodiff, tfjs builds the gradient of `sum(square(x))` from a
 * tensor of ones and three products over the whole weight matrix, which slowed the notebook's L2
 * cell markedly (docs/results.md has the epoch times); written out it is one product. The L1
 * gradient is sign(x), 0 at 0, as in TensorFlow (tfjs' abs gives -1).
 */
export function normPenalty(x: Tensor, l1: number, l2: number): Scalar {
  // customGrad types its inputs as a variadic Tensor | GradSaveFunc list: the one-input form needs a cast.
  const f = customGrad(((w: Tensor, save: GradSaveFunc) => {
    save([w]);
    const terms: Scalar[] = [];
    if (l1 !== 0) terms.push(mul(l1, sum(abs(w))));
    if (l2 !== 0) terms.push(mul(l2, sum(square(w))));
    const value = terms.length === 0 ? scalar(0) : terms.length === 1 ? terms[0]! : add(terms[0]!, terms[1]!);
    return {
      value,
      gradFunc: (dy: Tensor, saved: Tensor[]) => {
        const v = saved[0]!;
        const parts: Tensor[] = [];
        // step(v) - step(-v), not tf.sign: the wasm backend's sign is 0 for |v| < ~1e-7.
        if (l1 !== 0) parts.push(mul(sub(step(v), step(neg(v))), mul(dy, l1)));
        if (l2 !== 0) parts.push(mul(v, mul(dy, 2 * l2)));
        return parts.length === 0 ? mul(v, 0) : parts.length === 1 ? parts[0]! : add(parts[0]!, parts[1]!);
      },
    };
  }) as unknown as CustomGradientFunc);
  return f(x) as Scalar;
}
