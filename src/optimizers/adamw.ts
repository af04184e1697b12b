import * as tf from '@tensorflow/tfjs-core';
import type { NamedTensorMap, Optimizer, Tensor, Variable } from '@tensorflow/tfjs-core';
import { cachedScalar } from '../core/constantCache.js';
import { checkBoolean, checkNonNegative, checkOptions, invalidArgument, optionNames } from '../core/validate.js';
import { excludeConfig, excludeTest } from './_internal/exclude.js';
import type { ExcludeVariables, ExcludeTest } from './_internal/exclude.js';
import { gradientList, SCALED_GRADIENTS, variableNamed } from './_internal/OptimizerWrapper.js';
import type { Gradient } from './_internal/OptimizerWrapper.js';
import type { NamedTensor } from './_internal/OptimizerWrapper.js';

/** Options of {@link adamw}: Keras 3 `AdamW`'s, with its defaults. */
export interface AdamWOptions {
  /** Keras: `learning_rate`. @defaultValue 0.001 */
  learningRate?: number;
  /**
   * Decoupled decay: `variable -= variable * weightDecay * learningRate` before each step. Keras:
   * `weight_decay`. @defaultValue 0.004
   */
  weightDecay?: number;
  /** First-moment decay. Keras: `beta_1`. @defaultValue 0.9 */
  beta1?: number;
  /** Second-moment decay. Keras: `beta_2`. @defaultValue 0.999 */
  beta2?: number;
  /** Added to `sqrt(v)` (not to the bias-corrected one, as tfjs' Adam does). Keras: `epsilon`. @defaultValue 1e-7 */
  epsilon?: number;
  /** The AMSGrad variant (the running maximum of `v`). Keras: `amsgrad`. @defaultValue false */
  amsgrad?: boolean;
  /** Variables left undecayed, as {@link WeightDecayOptions.exclude}. @defaultValue nothing excluded */
  exclude?: ExcludeVariables;
}

const ADAMW_OPTIONS = optionNames<AdamWOptions>()(
  'learningRate',
  'weightDecay',
  'beta1',
  'beta2',
  'epsilon',
  'amsgrad',
  'exclude',
);
const FN = 'adamw';

interface Slots {
  m: Variable;
  v: Variable;
  vHat?: Variable;
}

const SLOTS = ['m', 'v', 'vHat'] as const;

class AdamW extends tf.Optimizer {
  static get className(): string {
    return 'AdamW';
  }

  /** By variable name, not by position as tfjs' optimizers: another order or subset of gradients cannot mix them. */
  private readonly slots = new Map<string, Slots>();

  constructor(
    public learningRate: number,
    private readonly weightDecay: number,
    private readonly beta1: number,
    private readonly beta2: number,
    private readonly epsilon: number,
    private readonly amsgrad: boolean,
    private readonly excluded: ExcludeTest,
    private readonly exclude: unknown,
  ) {
    super();
  }

  setLearningRate(lr: number): void {
    this.learningRate = lr;
  }

  override applyGradients(variableGradients: NamedTensorMap | NamedTensor[]): void {
    this.step(gradientList(variableGradients));
  }

  /** Under a clipping wrapper: the clipping factor folds into the moments' coefficients, no pass of its own. */
  [SCALED_GRADIENTS](grads: readonly Gradient[]): void {
    this.step(grads);
  }

  private step(grads: readonly Gradient[]): void {
    const t = this.iterations + 1;
    const lr = this.learningRate;
    tf.tidy(() => {
      // Keras' Adam: alpha = lr * sqrt(1 - beta2^t) / (1 - beta1^t), the bias correction folded into the
      // step. Keras forms it in float32, and 1 - beta2^t cancels (1e-5 relative at t = 3): every
      // operation is rounded as Keras rounds it, so the two agree to float32 precision from step 1.
      const f = Math.fround;
      const b1t = f(f(this.beta1) ** t);
      const b2t = f(f(this.beta2) ** t);
      const alpha = tf.scalar(f(f(f(lr) * f(Math.sqrt(f(1 - b2t)))) / f(1 - b1t)));
      const decay = tf.scalar(1 - lr * this.weightDecay);
      const oneMinusB1 = cachedScalar(1 - this.beta1);
      const oneMinusB2 = cachedScalar(1 - this.beta2);
      const eps = cachedScalar(this.epsilon);
      const b1 = cachedScalar(this.beta1);
      const b2 = cachedScalar(this.beta2);
      // Under globalClipNorm every gradient carries the same scale: its coefficients are formed once.
      const coefficients = new Map<Tensor, [Tensor, Tensor]>();
      const scaled = (scale: Tensor): [Tensor, Tensor] => {
        let c = coefficients.get(scale);
        if (c === undefined)
          coefficients.set(scale, (c = [tf.mul(oneMinusB1, scale), tf.mul(oneMinusB2, tf.square(scale))]));
        return c;
      };
      for (const { name, tensor: g, scale } of grads) {
        if (g == null) continue;
        const variable = variableNamed(FN, name);
        const s = this.slotsOf(name, variable);
        // m·β₁ + g·(1 − β₁) rather than Keras' m + (g − m)(1 − β₁): the same to float32 rounding, and a
        // gradient's scale s joins the scalar coefficients, (1 − β₁)s and (1 − β₂)s², for free.
        const [c1, c2] = scale === undefined ? [oneMinusB1, oneMinusB2] : scaled(scale);
        s.m.assign(tf.add(tf.mul(s.m, b1), tf.mul(g, c1)));
        s.v.assign(tf.add(tf.mul(s.v, b2), tf.mul(tf.square(g), c2)));
        let v: Variable = s.v;
        if (s.vHat !== undefined) {
          s.vHat.assign(tf.maximum(s.vHat, s.v));
          v = s.vHat;
        }
        // The decoupled decay comes before the step in Keras; the step does not read the variable, so the two fuse.
        const kept = this.weightDecay === 0 || this.excluded(name) ? variable : tf.mul(variable, decay);
        variable.assign(tf.sub(kept, tf.div(tf.mul(s.m, alpha), tf.add(tf.sqrt(v), eps))));
      }
    });
    this.incrementIterations();
  }

  private slotsOf(name: string, variable: Variable): Slots {
    let s = this.slots.get(name);
    if (s === undefined) {
      const zeros = () => tf.variable(tf.zerosLike(variable), false);
      s = { m: zeros(), v: zeros(), ...(this.amsgrad ? { vHat: zeros() } : {}) };
      this.slots.set(name, s);
    }
    return s;
  }

  override async getWeights(): Promise<NamedTensor[]> {
    const out: NamedTensor[] = [await this.saveIterations()];
    for (const slot of SLOTS) {
      for (const [name, s] of this.slots) {
        const tensor = s[slot];
        if (tensor !== undefined) out.push({ name: `${name}/${slot}`, tensor });
      }
    }
    return out;
  }

  override async setWeights(weightValues: NamedTensor[]): Promise<void> {
    const rest = await this.extractIterations(weightValues);
    this.disposeSlots();
    for (const { name, tensor } of rest) {
      const cut = name.lastIndexOf('/');
      const slot = name.slice(cut + 1) as keyof Slots;
      if (cut < 0 || !SLOTS.includes(slot)) {
        throw invalidArgument('adamw.setWeights', 'weight name', name, '"iter" or "<variable>/m", "/v" or "/vHat"');
      }
      const variable = name.slice(0, cut);
      const s = (this.slots.get(variable) ?? {}) as Partial<Slots>;
      s[slot] = tf.variable(tensor, false);
      this.slots.set(variable, s as Slots);
    }
  }

  private disposeSlots(): void {
    for (const s of this.slots.values()) for (const slot of SLOTS) s[slot]?.dispose();
    this.slots.clear();
  }

  override dispose(): void {
    this.disposeSlots();
  }

  override getConfig(): tf.serialization.ConfigDict {
    return {
      learningRate: this.learningRate,
      weightDecay: this.weightDecay,
      beta1: this.beta1,
      beta2: this.beta2,
      epsilon: this.epsilon,
      amsgrad: this.amsgrad,
      exclude: excludeConfig(this.exclude) as tf.serialization.ConfigDictValue,
    };
  }
}

function beta(name: 'beta1' | 'beta2', value: unknown): number {
  const b = checkNonNegative(FN, name, value);
  if (b >= 1) throw invalidArgument(FN, name, b, 'a number in [0, 1)');
  return b;
}

/**
 * Keras 3's `AdamW` (torch: `torch.optim.AdamW`), with Keras' defaults and Keras' exact step: the
 * decoupled weight decay `variable -= variable * weightDecay * learningRate`, then
 * `m += (g - m)(1 - beta1)`, `v += (g² - v)(1 - beta2)`,
 * `variable -= alpha * m / (sqrt(v) + epsilon)` with
 * `alpha = learningRate * sqrt(1 - beta2^t) / (1 - beta1^t)`. (tfjs' `tf.train.adam` adds epsilon to
 * the bias-corrected `sqrt(v)` instead, which differs from Keras in the first steps.) The learning
 * rate is read at every step, so `setLearningRate` and the LR callbacks drive it.
 *
 * @param options - Keras `AdamW`'s arguments, camel-cased, and `exclude` (Keras'
 *   `exclude_from_weight_decay(var_names=...)`).
 * @returns A `tf.Optimizer`; its moments save and restore through `getWeights()` / `setWeights()`.
 * @throws Error naming `adamw` and the option for a bad value.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { adamw } from 'tfjs-regularization/optimizers';
 *
 * const w = tf.variable(tf.tensor1d([1]));
 * const optimizer = adamw({ learningRate: 0.1, weightDecay: 0.5 });
 * // Decay first (1 - 0.1 * 0.5 = 0.95), then Adam's first step moves by about -learningRate.
 * optimizer.applyGradients({ [w.name]: tf.tensor1d([2]) });
 * console.log(+w.dataSync()[0]!.toFixed(6)); // 0.85
 * ```
 */
export function adamw(options?: AdamWOptions): Optimizer {
  const {
    learningRate = 0.001,
    weightDecay = 0.004,
    beta1 = 0.9,
    beta2 = 0.999,
    epsilon = 1e-7,
    amsgrad = false,
    exclude,
  } = checkOptions<AdamWOptions>(FN, options, ADAMW_OPTIONS);
  return new AdamW(
    checkNonNegative(FN, 'learningRate', learningRate),
    checkNonNegative(FN, 'weightDecay', weightDecay),
    beta('beta1', beta1),
    beta('beta2', beta2),
    checkNonNegative(FN, 'epsilon', epsilon),
    checkBoolean(FN, 'amsgrad', amsgrad),
    excludeTest(FN, exclude),
    exclude,
  );
}
