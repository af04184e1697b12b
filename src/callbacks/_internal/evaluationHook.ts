import type { LayersModel } from '@tensorflow/tfjs-layers';

/**
 * The two places where tfjs' fit loops evaluate: `model.fit` validates through the model's
 * `testLoop` (inside the last batch's step), `model.fitDataset` through `model.evaluate` (which
 * runs `testLoop`) or `model.evaluateDataset`. Neither calls any callback around it.
 */
interface Evaluating {
  testLoop: (...args: unknown[]) => unknown;
  evaluateDataset: (...args: unknown[]) => Promise<unknown>;
}

/**
 * Runs every evaluation of `model` between `enter()` and the function it returns (if any), until the
 * returned function is called: own properties shadow the prototype's `testLoop` (synchronous) and
 * `evaluateDataset` (a promise, left when it settles), and the returned function removes them
 * (putting back own properties that were there before). The one wrapper for both, so a caller states
 * what to do around an evaluation once.
 */
export function hookEvaluation(model: LayersModel, enter: () => (() => void) | undefined): () => void {
  const m = model as unknown as Evaluating;
  const own = {
    testLoop: Object.getOwnPropertyDescriptor(m, 'testLoop'),
    evaluateDataset: Object.getOwnPropertyDescriptor(m, 'evaluateDataset'),
  };
  const around =
    <R>(original: (...args: unknown[]) => R) =>
    (...args: unknown[]): R => {
      const leave = enter();
      if (leave === undefined) return original.apply(m, args);
      let result: R;
      try {
        result = original.apply(m, args);
      } catch (e) {
        leave();
        throw e;
      }
      if (result instanceof Promise) return result.finally(leave) as R;
      leave();
      return result;
    };
  m.testLoop = around(m.testLoop);
  m.evaluateDataset = around(m.evaluateDataset);
  return () => {
    for (const key of ['testLoop', 'evaluateDataset'] as const) {
      const descriptor = own[key];
      if (descriptor === undefined) delete (m as Partial<Evaluating>)[key];
      else Object.defineProperty(m, key, descriptor);
    }
  };
}
