import * as tf from '@tensorflow/tfjs-core';
import { activeNodeBackend } from '../core/tfjsNode.js';
import type { Optimizer, Tensor } from '@tensorflow/tfjs-core';
import { cachedScalar } from '../core/constantCache.js';
import { checkOptions, checkPositive, invalidArgument, optionNames } from '../core/validate.js';
import { checkOptimizer } from './_internal/checkOptimizer.js';
import { OptimizerWrapper } from './_internal/OptimizerWrapper.js';
import { scaled } from './_internal/OptimizerWrapper.js';
import type { Gradient } from './_internal/OptimizerWrapper.js';

/** Options of {@link withGradientClipping}: exactly one of the three, as Keras requires. */
export interface GradientClippingOptions {
  /** Each gradient is rescaled so that its own L2 norm is at most this. Keras: `clipnorm`. */
  clipNorm?: number;
  /** Each gradient element is clipped to `[-clipValue, clipValue]`. Keras: `clipvalue`; torch: `clip_grad_value_`. */
  clipValue?: number;
  /** All gradients rescaled together to a joint L2 norm of at most this. Keras: `global_clipnorm`. */
  globalClipNorm?: number;
}

const CLIPPING_OPTIONS = optionNames<GradientClippingOptions>()('clipNorm', 'clipValue', 'globalClipNorm');
const FN = 'withGradientClipping';

type Mode = { kind: 'clipNorm' | 'clipValue' | 'globalClipNorm'; bound: number };

/** `sum(g²)`; on tfjs-node this beat a reshape + `dot` (a [1, n] × [n, 1] matmul) on the notebook's MLP. */
function squaredNorm(g: Tensor): Tensor {
  // On tfjs-node, TensorFlow's L2Loss (sum(g²) / 2) is one pass over the gradient, with no squared copy.
  const node = activeNodeBackend();
  if (node !== undefined && g.dtype === 'float32' && !tf.engine().isTapeOn()) {
    const half = node.executeSingleOutput(
      'L2Loss',
      [{ name: 'T', type: node.binding.TF_ATTR_TYPE, value: node.binding.TF_FLOAT }],
      [g],
    );
    return tf.mul(half, cachedScalar(2));
  }
  return tf.sum(tf.square(g));
}

/** `bound / max(norm, bound)`: exactly 1 within the bound, so a gradient inside it is left bit for bit. */
function scaleFor(norm: Tensor, bound: Tensor): Tensor {
  return tf.div(bound, tf.maximum(norm, bound));
}

class GradientClippingOptimizer extends OptimizerWrapper {
  static get className(): string {
    return 'WithGradientClipping';
  }

  constructor(
    inner: Optimizer,
    private readonly mode: Mode,
  ) {
    super(inner);
  }

  protected override transformGradients(unscaled: Gradient[]): Gradient[] {
    // A clipping wrapper inside another sees the outer one's factor applied.
    const grads = unscaled.map(scaled);
    const { kind, bound } = this.mode;
    const c = cachedScalar(bound);
    if (kind === 'clipValue') {
      return grads.map((g) => ({
        name: g.name,
        tensor: g.tensor == null ? g.tensor : tf.clipByValue(g.tensor, -bound, bound),
      }));
    }
    if (kind === 'clipNorm') {
      // Keras' clip_by_norm: g * c / max(|g|, c); a zero gradient has scale 1, no division by 0.
      return grads.map((g) => ({
        name: g.name,
        tensor: g.tensor,
        ...(g.tensor == null ? {} : { scale: scaleFor(tf.sqrt(squaredNorm(g.tensor)), c) }),
      }));
    }
    const present = grads.filter((g) => g.tensor != null).map((g) => g.tensor!);
    if (present.length === 0) return grads;
    const squares = present.map(squaredNorm);
    const norm = tf.sqrt(squares.length === 1 ? squares[0]! : tf.addN(squares));
    // Keras' clip_by_global_norm: a non-finite norm makes every gradient NaN ((norm - norm) is NaN), never a silent 0.
    const scale = tf.add(scaleFor(norm, c), tf.sub(norm, norm));
    return grads.map((g) => ({ name: g.name, tensor: g.tensor, ...(g.tensor == null ? {} : { scale }) }));
  }

  override getConfig(): tf.serialization.ConfigDict {
    const inner = this.inner();
    return {
      [this.mode.kind]: this.mode.bound,
      optimizer: { className: inner.getClassName(), config: inner.getConfig() },
    };
  }
}

/**
 * Keras 3's gradient clipping around any tfjs optimizer, applied to the gradients before weight
 * decay and the step: `clipNorm` rescales each gradient to an L2 norm of at most `clipNorm`
 * (Keras `clipnorm`), `clipValue` clips each element (Keras `clipvalue`, torch
 * `clip_grad_value_`), `globalClipNorm` rescales all gradients together to a joint norm of at most
 * `globalClipNorm` (Keras `global_clipnorm`, torch `clip_grad_norm_`). The norms stay on the
 * device: no value is read back to the CPU.
 *
 * @param optimizer - Any tfjs optimizer or another wrapper of this module.
 * @param options - Exactly one of `clipNorm`, `clipValue`, `globalClipNorm`, a finite number > 0.
 *   Keras 3 rejects any two together (its `Only one of clipnorm, clipvalue and global_clipnorm can
 *   be set`); stack two wrappers to combine them.
 * @returns A `tf.Optimizer` for `model.compile`, `minimize` and `applyGradients`.
 * @throws Error naming `withGradientClipping` and the option for a bad value, none or several.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { withGradientClipping } from 'tfjs-regularization/optimizers';
 *
 * const w = tf.variable(tf.tensor1d([0, 0]));
 * const optimizer = withGradientClipping(tf.train.sgd(1), { globalClipNorm: 1 });
 * // The gradient [3, 4] has norm 5: it is scaled to [0.6, 0.8] before the SGD step.
 * optimizer.applyGradients({ [w.name]: tf.tensor1d([3, 4]) });
 * console.log(Array.from(w.dataSync()).map((x) => +x.toFixed(6))); // [-0.6, -0.8]
 * ```
 */
export function withGradientClipping(optimizer: Optimizer, options: GradientClippingOptions): Optimizer {
  const inner = checkOptimizer(FN, optimizer);
  const o = checkOptions<GradientClippingOptions>(FN, options, CLIPPING_OPTIONS);
  const given = CLIPPING_OPTIONS.filter((k) => o[k] !== undefined);
  if (given.length === 0) {
    throw invalidArgument(FN, 'options', options, 'an object with one of clipNorm, clipValue, globalClipNorm');
  }
  for (const k of given) checkPositive(FN, k, o[k]);
  if (given.length > 1) {
    throw new Error(
      `${FN}: only one of clipNorm, clipValue and globalClipNorm can be set (as in Keras), ` +
        `got ${given.join(' and ')}; ` +
        'stack two withGradientClipping wrappers to combine them',
    );
  }
  const kind = given[0]!;
  return new GradientClippingOptimizer(inner, { kind, bound: o[kind]! });
}
