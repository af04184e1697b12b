import * as tf from '@tensorflow/tfjs-core';
import type { Optimizer } from '@tensorflow/tfjs-core';
import { checkNonNegative, checkOptions, invalidArgument, optionNames } from '../core/validate.js';
import { checkOptimizer } from './_internal/checkOptimizer.js';
import { excludeConfig, excludeTest } from './_internal/exclude.js';
import type { ExcludeVariables, ExcludeTest } from './_internal/exclude.js';
import { OptimizerWrapper, variableNamed } from './_internal/OptimizerWrapper.js';
import type { Gradient } from './_internal/OptimizerWrapper.js';

/** Options of {@link withWeightDecay}. */
export interface WeightDecayOptions {
  /** The decay factor: each step, `variable -= variable * weightDecay * learningRate`. Keras: `weight_decay`. */
  weightDecay: number;
  /**
   * Variables left undecayed, by name: a substring, a RegExp, a list of either, or a predicate
   * `(name) => boolean` (true excludes). Keras: `exclude_from_weight_decay(var_names=...)`, which
   * `re.search`es each name. @defaultValue nothing is excluded, as in Keras
   */
  exclude?: ExcludeVariables;
}

const WEIGHT_DECAY_OPTIONS = optionNames<WeightDecayOptions>()('weightDecay', 'exclude');
const FN = 'withWeightDecay';

class WeightDecayOptimizer extends OptimizerWrapper {
  static get className(): string {
    return 'WithWeightDecay';
  }

  constructor(
    inner: Optimizer,
    private readonly weightDecay: number,
    private readonly excluded: ExcludeTest,
    private readonly exclude: unknown,
  ) {
    super(inner);
  }

  protected override beforeStep(grads: readonly Gradient[], learningRate: number): void {
    if (this.weightDecay === 0) return;
    // One multiply per variable: v - v*wd*lr as v*(1 - lr*wd), the factor computed once per step.
    const factor = tf.scalar(1 - learningRate * this.weightDecay);
    for (const g of grads) {
      if (g.tensor == null || this.excluded(g.name)) continue;
      const v = variableNamed(FN, g.name);
      v.assign(tf.mul(v, factor));
    }
  }

  override getConfig(): tf.serialization.ConfigDict {
    const inner = this.inner();
    return {
      weightDecay: this.weightDecay,
      exclude: excludeConfig(this.exclude) as tf.serialization.ConfigDictValue,
      optimizer: { className: inner.getClassName(), config: inner.getConfig() },
    };
  }
}

/**
 * Keras 3's decoupled weight decay around any tfjs optimizer: before each step,
 * `variable -= variable * weightDecay * learningRate`, with the learning rate in force at that step
 * (so it follows `setLearningRate` and every LR callback), then the optimizer's own step. This is
 * what Keras' `weight_decay=` does for every optimizer (`SGD(weight_decay=...)`, `Adam(...)`),
 * torch's `AdamW`/`SGD(weight_decay=)` being the coupled L2 form for SGD. Only variables with a
 * gradient at this step decay, as in Keras.
 *
 * timm's usual choice leaves biases and normalization parameters (every 1-D variable) undecayed;
 * with tfjs-layers' names that is `exclude: /bias|gamma|beta/`.
 *
 * @param optimizer - Any tfjs optimizer (`tf.train.sgd`, `momentum`, `adam`, `adamax`, `rmsprop`,
 *   `adagrad`, `adadelta`) or another wrapper of this module.
 * @param options - `weightDecay` (required, >= 0) and `exclude`.
 * @returns A `tf.Optimizer` for `model.compile`, `minimize` and `applyGradients`.
 * @throws Error naming `withWeightDecay` and the argument for a bad optimizer or option.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { withWeightDecay } from 'tfjs-regularization/optimizers';
 *
 * const w = tf.variable(tf.tensor1d([1, -2]), true, 'decayExample/kernel');
 * const b = tf.variable(tf.tensor1d([1]), true, 'decayExample/bias');
 * const optimizer = withWeightDecay(tf.train.sgd(0.1), { weightDecay: 0.5, exclude: /bias|gamma|beta/ });
 * // A zero gradient: only the decay moves the kernel, by the factor 1 - 0.1 * 0.5.
 * optimizer.applyGradients({ [w.name]: tf.zeros([2]), [b.name]: tf.zeros([1]) });
 * console.log(Array.from(w.dataSync()).map((x) => +x.toFixed(6))); // [0.95, -1.9]
 * console.log(Array.from(b.dataSync())); // [1]
 * tf.dispose([w, b]); // variables stay registered by name until disposed
 * ```
 */
export function withWeightDecay(optimizer: Optimizer, options: WeightDecayOptions): Optimizer {
  const inner = checkOptimizer(FN, optimizer, true);
  const o = checkOptions<WeightDecayOptions>(FN, options, WEIGHT_DECAY_OPTIONS);
  if (options === undefined || o.weightDecay === undefined) {
    throw invalidArgument(FN, 'weightDecay', o.weightDecay, 'a finite number >= 0 (it is required)');
  }
  const weightDecay = checkNonNegative(FN, 'weightDecay', o.weightDecay);
  return new WeightDecayOptimizer(inner, weightDecay, excludeTest(FN, o.exclude), o.exclude);
}
