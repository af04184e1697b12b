import * as tf from '@tensorflow/tfjs-core';
import type { NamedTensorMap, Tensor, Variable } from '@tensorflow/tfjs-core';

/** tfjs' `NamedTensor` (not exported by tfjs-core's index). */
export interface NamedTensor {
  name: string;
  tensor: Tensor;
}
import { INNER_OPTIMIZER, optimizerStack, writeLearningRate } from '../../core/optimizerStack.js';
import { invalidArgument } from '../../core/validate.js';

/** A gradient as the wrappers pass it along: tfjs' `NamedTensor`, possibly absent for a variable. */
export interface Gradient {
  name: string;
  tensor: Tensor | null | undefined;
  /**
   * A scalar the gradient is to be multiplied by (a clipping factor). Left apart so that an optimizer
   * that can fold it into its own step (`adamw`) saves a pass over every large gradient; any other gets
   * the product.
   */
  scale?: Tensor;
}

/** The gradient with its scale applied. */
export function scaled(g: Gradient): Gradient {
  return g.scale === undefined || g.tensor == null ? g : { name: g.name, tensor: tf.mul(g.tensor, g.scale) };
}

/** The bottom optimizers that take {@link Gradient}s with their scales (this module's `adamw`). */
export const SCALED_GRADIENTS: unique symbol = Symbol('applyScaledGradients');

interface TakesScaledGradients {
  [SCALED_GRADIENTS](grads: readonly Gradient[]): void;
}

interface LearningRateOwner {
  learningRate?: unknown;
  setLearningRate?: (lr: number) => void;
}

/** The prefix of a wrapper's own entries in `getWeights()`: tfjs' names are `iter` and `<variable>/<slot>`. */
const WEIGHTS_PREFIX = 'tfjs-regularization';

/**
 * The model variable a gradient is for, as tfjs' own optimizers find it. An unknown name is the
 * caller's error; tfjs would fail later with an unreadable TypeError.
 */
export function variableNamed(fn: string, name: string): Variable {
  const v = tf.engine().registeredVariables[name];
  if (v === undefined) throw invalidArgument(fn, 'gradient name', name, 'the name of a registered tf.Variable');
  return v;
}

/** The gradients of a step as a list, in the caller's order (tfjs' optimizers key their slots by position). */
export function gradientList(grads: NamedTensorMap | NamedTensor[]): Gradient[] {
  return Array.isArray(grads)
    ? grads.map((g) => ({ name: g.name, tensor: g.tensor }))
    : Object.entries(grads).map(([name, tensor]) => ({ name, tensor }));
}

/**
 * The base of every wrapper. One step runs the phases of the whole stack in Keras' order, whatever
 * the nesting: every wrapper's gradient transform (clipping), then every wrapper's pre-step
 * (weight decay, with the learning rate of this step), then the optimizer at the bottom, then
 * every wrapper's post-step (EMA). Nesting alone would interleave them in the user's order.
 * The wrapper called drives the stack below it; the ones under it only contribute their phases.
 */
export abstract class OptimizerWrapper extends tf.Optimizer {
  private readonly wrapped: tf.Optimizer;

  protected constructor(inner: tf.Optimizer) {
    super();
    this.wrapped = inner;
    // The contract of core/optimizerStack (a computed class member would defeat isolatedDeclarations).
    Object.defineProperty(this, INNER_OPTIMIZER, { value: inner, enumerable: false });
  }

  /** The optimizer this one wraps. */
  protected inner(): tf.Optimizer {
    return this.wrapped;
  }

  /** Clips (or otherwise rewrites) the gradients; runs inside the step's tidy. */
  protected transformGradients(grads: Gradient[]): Gradient[] {
    return grads;
  }

  /** Runs before the inner step, with the learning rate in force at this step; inside the step's tidy. */
  protected beforeStep(_grads: readonly Gradient[], _learningRate: number): void {}

  /** Runs after the inner step; inside the step's tidy. `iterations` still counts the steps before this one. */
  protected afterStep(_grads: readonly Gradient[]): void {}

  /** The wrapper's own state for `getWeights()` (the step counter is added by the base). */
  protected ownWeights(): NamedTensor[] {
    return [];
  }

  /** Restores `ownWeights()`, names without the prefix; the old state is the wrapper's to dispose. */
  protected restoreOwnWeights(_weights: NamedTensor[]): void {}

  /** Disposes the wrapper's own state (not the inner optimizer). */
  protected disposeOwn(): void {}

  /** This wrapper and the wrappers under it, outermost first, and the optimizer at the bottom. */
  private stack(): { wrappers: OptimizerWrapper[]; bottom: tf.Optimizer } {
    // Not instanceof: tf.Optimizer's Symbol.hasInstance, inherited, accepts any optimizer-shaped object.
    const all = optimizerStack(this);
    const end = all.findIndex((o) => !isWrapper(o));
    return { wrappers: all.slice(0, end) as OptimizerWrapper[], bottom: all[end] as tf.Optimizer };
  }

  override applyGradients(variableGradients: NamedTensorMap | NamedTensor[]): void {
    const { wrappers, bottom } = this.stack();
    tf.tidy(() => {
      let grads = gradientList(variableGradients);
      for (const w of wrappers) grads = w.transformGradients(grads);
      const lr = this.learningRate;
      for (const w of wrappers) w.beforeStep(grads, lr);
      // Absent gradients stay in place: tfjs optimizers key their slots by position and skip them themselves.
      const takesScaled = (bottom as Partial<TakesScaledGradients>)[SCALED_GRADIENTS];
      if (takesScaled !== undefined) takesScaled.call(bottom, grads);
      else bottom.applyGradients(grads.map(scaled) as NamedTensor[]);
      for (const w of [...wrappers].reverse()) w.afterStep(grads);
    });
    for (const w of wrappers) w.incrementIterations();
  }

  /** The learning rate of the optimizer at the bottom of the stack. */
  get learningRate(): number {
    const lr = (this.wrapped as LearningRateOwner).learningRate;
    return typeof lr === 'number' ? lr : Number.NaN;
  }

  set learningRate(lr: number) {
    this.setLearningRate(lr);
  }

  /** Sets the learning rate of the optimizer at the bottom (tfjs SGD and Momentum only through their own setter). */
  setLearningRate(lr: number): void {
    writeLearningRate(this.wrapped, lr);
  }

  /** Where this wrapper's entries go in `getWeights()`: its class and its depth, so nested wrappers cannot collide. */
  private weightsPrefix(): string {
    return `${WEIGHTS_PREFIX}/${this.getClassName()}[${this.stack().wrappers.length - 1}]/`;
  }

  override async getWeights(): Promise<NamedTensor[]> {
    const prefix = this.weightsPrefix();
    const own = [{ name: 'iter', tensor: tf.scalar(this.iterations, 'int32') }, ...this.ownWeights()];
    return [...(await this.wrapped.getWeights()), ...own.map((w) => ({ name: prefix + w.name, tensor: w.tensor }))];
  }

  override async setWeights(weightValues: NamedTensor[]): Promise<void> {
    const prefix = this.weightsPrefix();
    const own = weightValues.filter((w) => w.name.startsWith(prefix));
    await this.wrapped.setWeights(weightValues.filter((w) => !w.name.startsWith(prefix)));
    const rest: NamedTensor[] = [];
    for (const w of own) {
      const name = w.name.slice(prefix.length);
      if (name === 'iter') this.iterations_ = (await w.tensor.data())[0]!;
      else rest.push({ name, tensor: w.tensor });
    }
    this.restoreOwnWeights(rest);
  }

  override dispose(): void {
    this.disposeOwn();
    this.wrapped.dispose();
  }
}

function isWrapper(o: unknown): o is OptimizerWrapper {
  return o != null && Object.prototype.isPrototypeOf.call(OptimizerWrapper.prototype, o);
}
