import * as tf from '@tensorflow/tfjs-core';
import { cachedScalar } from '../core/constantCache.js';
import type { Optimizer, Tensor, Variable } from '@tensorflow/tfjs-core';
import { EMA_WEIGHTS } from '../core/optimizerStack.js';
import type { EmaWeights } from '../core/optimizerStack.js';
import { checkOptions, invalidArgument, optionNames, unitInterval } from '../core/validate.js';
import { checkOptimizer } from './_internal/checkOptimizer.js';
import { OptimizerWrapper, variableNamed } from './_internal/OptimizerWrapper.js';
import type { Gradient, NamedTensor } from './_internal/OptimizerWrapper.js';

/** Options of {@link withEma}. */
export interface EmaOptions {
  /**
   * The averages' momentum: `average = momentum * average + (1 - momentum) * variable`. Keras:
   * `ema_momentum`. @defaultValue 0.99
   */
  momentum?: number;
  /**
   * Every this many steps, the variables are overwritten with their averages. Keras:
   * `ema_overwrite_frequency`. @defaultValue never (the averages are used through
   * `swapWeights()` / `finalizeWeights()`)
   */
  overwriteFrequency?: number;
}

/** What {@link withEma} returns: a `tf.Optimizer` that also keeps the averages. */
export interface EmaOptimizer extends Optimizer {
  /** The averages by variable name (the optimizer's own tensors: do not dispose them); empty before the first step. */
  averages(): Record<string, Tensor>;
  /** Exchanges the variables with their averages (to evaluate the averaged model); a second call swaps them back. */
  swapWeights(): void;
  /** Assigns the averages to the variables, as Keras does at the end of `fit` (`finalize_variable_values`). */
  finalizeWeights(): void;
  /** What callbacks use to find the averages through any stack of wrappers. */
  readonly [EMA_WEIGHTS]: EmaWeights;
}

const EMA_OPTIONS = optionNames<EmaOptions>()('momentum', 'overwriteFrequency');
const FN = 'withEma';
const AVERAGE = 'average/';
const SCALE_STEPS = 'averageSteps/';

class EmaOptimizerImpl extends OptimizerWrapper implements EmaOptimizer {
  static get className(): string {
    return 'WithEma';
  }

  /** By model variable name; insertion order is the order `getWeights()` lists them in. */
  private readonly averaged = new Map<string, Variable>();
  readonly [EMA_WEIGHTS]: EmaWeights;

  constructor(
    inner: Optimizer,
    private readonly momentum: number,
    private readonly overwriteFrequency: number | undefined,
  ) {
    super(inner);
    this[EMA_WEIGHTS] = {
      hasAverages: () => this.averaged.size > 0,
      swapWeights: () => this.swapWeights(),
      finalizeWeights: () => this.finalizeWeights(),
      averages: () => this.averages(),
    };
  }

  /**
   * Each average is kept as `momentum^k * stored`, k steps after it was last normalized: the update
   * `stored += variable * (1 - momentum) / momentum^k` is two operations per variable instead of three, and
   * the memory traffic of the large variables is the cost. `normalize()` folds the factor back in before
   * anything reads an average; `getWeights()` saves k instead, so that saving changes nothing.
   */
  private readonly scaleSteps = new Map<string, number>();

  protected override afterStep(grads: readonly Gradient[]): void {
    // Keras averages every variable it was built with; here, every variable stepped so far. A
    // variable's first step copies it, as Keras' first step does (its momentum is 0 at iteration 0).
    const copied = new Set<string>();
    for (const g of grads) {
      if (this.averaged.has(g.name)) continue;
      this.averaged.set(g.name, tf.variable(variableNamed(FN, g.name), false));
      this.scaleSteps.set(g.name, 0);
      copied.add(g.name);
    }
    const plainM = cachedScalar(this.momentum);
    const plainOneMinusM = cachedScalar(1 - this.momentum);
    // Variables stepped together share their factor: one scalar per distinct k, not one per variable.
    const weights = new Map<number, Tensor>();
    const weightFor = (scale: number) => {
      let w = weights.get(scale);
      if (w === undefined) weights.set(scale, (w = tf.scalar((1 - this.momentum) / scale)));
      return w;
    };
    for (const [name, stored] of this.averaged) {
      if (copied.has(name)) continue;
      const steps = this.scaleSteps.get(name)! + 1;
      const scale = this.momentum ** steps;
      if (scale < 1e-3) {
        // Long before float32 could overflow (and at once for a small momentum), Keras' update on the average itself.
        this.normalize(name);
        stored.assign(tf.add(tf.mul(plainM, stored), tf.mul(plainOneMinusM, variableNamed(FN, name))));
        continue;
      }
      this.scaleSteps.set(name, steps);
      stored.assign(tf.add(stored, tf.mul(variableNamed(FN, name), weightFor(scale))));
    }
    // Keras: overwrite when (iterations + 1) % frequency == 0, iterations counting the steps before this one.
    if (this.overwriteFrequency !== undefined && (this.iterations + 1) % this.overwriteFrequency === 0) {
      this.finalizeWeights();
    }
  }

  /** Makes the stored averages the averages themselves (k = 0), for every variable or one. */
  private normalize(only?: string): void {
    for (const [name, stored] of this.averaged) {
      const steps = this.scaleSteps.get(name) ?? 0;
      if ((only !== undefined && name !== only) || steps === 0) continue;
      tf.tidy(() => stored.assign(tf.mul(stored, tf.scalar(this.momentum ** steps))));
      this.scaleSteps.set(name, 0);
    }
  }

  averages(): Record<string, Tensor> {
    this.normalize();
    return Object.fromEntries(this.averaged);
  }

  swapWeights(): void {
    this.normalize();
    tf.tidy(() => {
      for (const [name, average] of this.averaged) {
        const v = variableNamed(FN, name);
        // Tensors are immutable: the old value survives the assign through its clone, no copy made.
        const old = v.clone();
        v.assign(average);
        average.assign(old);
      }
    });
  }

  finalizeWeights(): void {
    this.normalize();
    for (const [name, average] of this.averaged) variableNamed(FN, name).assign(average);
  }

  protected override ownWeights(): NamedTensor[] {
    return [...this.averaged].flatMap(([name, tensor]) => [
      { name: AVERAGE + name, tensor },
      { name: SCALE_STEPS + name, tensor: tf.scalar(this.scaleSteps.get(name) ?? 0, 'int32') },
    ]);
  }

  protected override restoreOwnWeights(weights: NamedTensor[]): void {
    this.disposeOwn();
    for (const w of weights) {
      if (w.name.startsWith(SCALE_STEPS))
        this.scaleSteps.set(w.name.slice(SCALE_STEPS.length), w.tensor.dataSync()[0]!);
      if (!w.name.startsWith(AVERAGE)) continue;
      this.averaged.set(w.name.slice(AVERAGE.length), tf.variable(w.tensor, false));
      if (!this.scaleSteps.has(w.name.slice(AVERAGE.length))) this.scaleSteps.set(w.name.slice(AVERAGE.length), 0);
    }
  }

  protected override disposeOwn(): void {
    for (const v of this.averaged.values()) v.dispose();
    this.averaged.clear();
    this.scaleSteps.clear();
  }

  override getConfig(): tf.serialization.ConfigDict {
    const inner = this.inner();
    return {
      momentum: this.momentum,
      overwriteFrequency: this.overwriteFrequency ?? null,
      optimizer: { className: inner.getClassName(), config: inner.getConfig() },
    };
  }
}

/**
 * Keras 3's `use_ema` around any tfjs optimizer: after each step,
 * `average = momentum * average + (1 - momentum) * variable` for every variable (the first step
 * copies the variable), and every `overwriteFrequency` steps the variables are overwritten with
 * their averages. Keras: `use_ema=True, ema_momentum, ema_overwrite_frequency`; torch:
 * `torch.optim.swa_utils.AveragedModel` with an EMA `multi_avg_fn`, timm: `ModelEmaV3`.
 *
 * The averages are created by the first step. Evaluate the averaged model between `swapWeights()`
 * calls, or assign the averages for good with `finalizeWeights()` (Keras does it at the end of
 * `fit`; tfjs-layers' `fit` does not, so call it, or use the `swapEmaWeights` callback). The
 * averages are saved and restored by `getWeights()` / `setWeights()`.
 *
 * @param optimizer - Any tfjs optimizer or another wrapper of this module.
 * @param options - `momentum` in [0, 1] and `overwriteFrequency`, an integer >= 1.
 * @returns A `tf.Optimizer` with `averages()`, `swapWeights()` and `finalizeWeights()`.
 * @throws Error naming `withEma` and the argument for a bad optimizer or option.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { withEma } from 'tfjs-regularization/optimizers';
 *
 * const w = tf.variable(tf.scalar(1));
 * const optimizer = withEma(tf.train.sgd(1), { momentum: 0.5 });
 * optimizer.applyGradients({ [w.name]: tf.scalar(1) }); // w = 0; the average copies it: 0
 * optimizer.applyGradients({ [w.name]: tf.scalar(1) }); // w = -1; average = 0.5 * 0 + 0.5 * -1
 * console.log(optimizer.averages()[w.name]!.dataSync()[0]); // -0.5
 * optimizer.swapWeights(); // evaluate with the average...
 * console.log(w.dataSync()[0]); // -0.5
 * optimizer.swapWeights(); // ...and back to the trained value
 * console.log(w.dataSync()[0]); // -1
 * ```
 */
export function withEma(optimizer: Optimizer, options?: EmaOptions): EmaOptimizer {
  const inner = checkOptimizer(FN, optimizer);
  const { momentum = 0.99, overwriteFrequency } = checkOptions<EmaOptions>(FN, options, EMA_OPTIONS);
  const m = unitInterval(FN, 'momentum', momentum, 0.99);
  if (overwriteFrequency !== undefined && !(Number.isSafeInteger(overwriteFrequency) && overwriteFrequency >= 1)) {
    throw invalidArgument(FN, 'overwriteFrequency', overwriteFrequency, 'an integer >= 1');
  }
  return new EmaOptimizerImpl(inner, m, overwriteFrequency);
}
